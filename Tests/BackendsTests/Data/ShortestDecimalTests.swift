import Foundation
import XCTest
@testable import Backends

/// ShortestDecimal.append must give exactly the bytes of `description`. The random runs check
/// SHORTEST_DECIMAL_COUNT bit patterns, half as many firing rates and a quarter as many short significands.
/// The default, 200,000, keeps a debug run to about two seconds; millions are for a release run
/// (`SHORTEST_DECIMAL_COUNT=4000000 swift test -c release --filter ShortestDecimal`).
/// SHORTEST_DECIMAL_BENCH=1 also times both against each other.
final class ShortestDecimalTests: XCTestCase {
    static var count: Int {
        ProcessInfo.processInfo.environment["SHORTEST_DECIMAL_COUNT"].flatMap { Int($0) } ?? 200_000
    }

    /// Compares every value, reports the first few differences, and returns how many were checked.
    @discardableResult
    func check(_ values: some Sequence<Double>, _ label: String) -> Int {
        var checked = 0, mismatches = 0
        var bytes = [UInt8]()
        for x in values {
            bytes.removeAll(keepingCapacity: true)
            ShortestDecimal.append(x, to: &bytes)
            checked += 1
            if !bytes.elementsEqual(x.description.utf8) {
                mismatches += 1
                if mismatches <= 5 {
                    XCTFail("\(label): bits \(x.bitPattern): \(x) gave \(String(decoding: bytes, as: UTF8.self))")
                }
            }
        }
        print("ShortestDecimal \(label): \(checked) values, \(mismatches) mismatches")
        XCTAssertEqual(mismatches, 0, label)
        return checked
    }

    func testEdgeCases() {
        var values: [Double] = [
            0, .leastNonzeroMagnitude, Double(bitPattern: (1 << 52) - 1), .leastNormalMagnitude,
            .greatestFiniteMagnitude, 0x1p53, 0x1p53 - 1, 0x1p53 + 2, 0x1p53 + 4, 0x1p54, 0x1p54 + 8,
            1e-4, 9.999999999999999e-5, 1.0000000000000002e-4, 1e-5, 1e15, 1e16, 9999999999999998.0,
            1e17, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 1, 2, 10, 100, 123456.789, 30, 0.5, 1e22, 1e23,
            Double(bitPattern: 2), Double(bitPattern: 12), 2.2250738585072014e-308, 0.50000762939453125,
            .nan, .infinity, .signalingNaN,
        ]
        for e in -1074...1023 { values.append(Double(sign: .plus, exponent: e, significand: 1)) }
        for p in -323...308 {
            let x = Double("1e\(p)")!
            values += [x, x.nextUp, x.nextDown]
        }
        for i: Int64 in -1000...1000 { values += [Double((1 << 53) + i), Double(i), Double(i) / 1024] }
        check(values + values.map { -$0 }, "edge cases")
    }

    func testRandomBitPatterns() {
        var random = SplitMix64(seed: 1)
        check((0..<Self.count).lazy.map { _ in Double(bitPattern: random.next()) }, "random bit patterns")
    }

    /// Significands ending in many zero bits: decimals exactly on a rounding-interval end or halfway
    /// between two candidates, which random bit patterns almost never hit.
    func testShortSignificands() {
        var random = SplitMix64(seed: 2)
        check((0..<Self.count / 4).lazy.map { _ in
            let zeros = random.next() % 53
            return Double(bitPattern: (random.next() >> zeros) << zeros)
        }, "short significands")
        check((1..<UInt64(100_000)).lazy.map { Double(bitPattern: $0) }, "smallest subnormals")
    }

    func testFiringRates() {
        var random = SplitMix64(seed: 3)
        check((0..<Self.count / 2).lazy.map { _ in 30 * random.unit() }, "values in [0, 30]")
    }

    func testDatFormatFloatIsDescription() {
        for x in [0.20753946470816537, 2.0, 1e-05, -0.0, .leastNonzeroMagnitude, 1.7976931348623157e+308] {
            XCTAssertEqual(DatFormat.float.render(x), x.description)
            var bytes = [UInt8]()
            DatFormat.float.render(x, into: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), x.description)
        }
    }

    /// The fixed-point logarithms against Double ones: no e·log10(2) or e·log2(10) in this range is within
    /// 1e-6 of an integer (except at e = 0), far more than a Double's error.
    func testLogarithms() {
        for e in -1100...1100 {
            let x = Double(e)
            XCTAssertEqual(ShortestDecimal.floorLog10Pow2(e), Int((x * log10(2.0)).rounded(.down)), "\(e)")
            XCTAssertEqual(ShortestDecimal.floorLog10ThreeQuartersPow2(e),
                           Int((x * log10(2.0) + log10(0.75)).rounded(.down)), "\(e)")
            XCTAssertEqual(ShortestDecimal.floorLog2Pow10(e), Int((x * log2(10.0)).rounded(.down)), "\(e)")
        }
        // Spot checks of the table: g(10^0) = 2^125 + 1, g(10^1) = 10·2^122 + 1.
        let i0 = 2 * (0 - ShortestDecimal.minPower), i1 = i0 + 2
        XCTAssertEqual(UInt128(ShortestDecimal.g[i0]) << 63 | UInt128(ShortestDecimal.g[i0 + 1]), 1 << 125 + 1)
        XCTAssertEqual(UInt128(ShortestDecimal.g[i1]) << 63 | UInt128(ShortestDecimal.g[i1 + 1]), 10 << 122 + 1)
    }

    /// Timing, with SHORTEST_DECIMAL_BENCH=1 (meaningful in release builds): 512,000 values in [0, 0.3],
    /// each followed by a space, as the .dat writer does.
    func testSpeedAgainstDescription() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["SHORTEST_DECIMAL_BENCH"] == "1",
                          "timing only with SHORTEST_DECIMAL_BENCH=1")
        var random = SplitMix64(seed: 4)
        let values = (0..<512_000).map { _ in 0.3 * random.unit() }
        var a = [UInt8](), b = [UInt8]()
        a.reserveCapacity(12_000_000)
        b.reserveCapacity(12_000_000)
        func nanoseconds(_ body: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(values.count)
        }
        for repetition in 1...3 {
            a.removeAll(keepingCapacity: true)
            b.removeAll(keepingCapacity: true)
            let old = nanoseconds { for x in values { a.append(contentsOf: x.description.utf8); a.append(0x20) } }
            let new = nanoseconds { for x in values { ShortestDecimal.append(x, to: &b); b.append(0x20) } }
            print(String(format: "ShortestDecimal speed %d: description %.1f ns/value, ShortestDecimal %.1f ns/value",
                         repetition, old, new))
            XCTAssertEqual(a, b)
        }
    }
}
