import XCTest
@testable import Backends

final class ExactDecimalTests: XCTestCase {
    /// Expected strings computed with Python: format(decimal.Decimal(x), 'f'), trailing zeros stripped.
    static let baked: [(Double, String)] = [
        (0.5, "0.5"),
        (-0.125, "-0.125"),
        (1e-30, "0.000000000000000000000000000001000000000000000083336420607585985350931336026868654502364509783548862515410206308619223136702203191816806793212890625"),
        (0x1p-60, "0.000000000000000000867361737988403547205962240695953369140625"),
        (1.0, "1"),
        (-3.0, "-3"),
        (0.1, "0.1000000000000000055511151231257827021181583404541015625"),
        (-2.75, "-2.75"),
        (1e22, "10000000000000000000000"),
        (1e23, "99999999999999991611392"),
        (Double.greatestFiniteMagnitude, "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368"),
        (0x1p-15, "0.000030517578125"),
        (-1234.5678, "-1234.567800000000033833202905952930450439453125"),
        (0x1p53, "9007199254740992"),
        (1.0000000000000002, "1.0000000000000002220446049250313080847263336181640625"),
        (0.001, "0.001000000000000000020816681711721685132943093776702880859375"),
        (123456789.0, "123456789"),
        (0.0, "0"),
        (-0.0, "0"),
        (-0x1p-10 * 3, "-0.0029296875"),
    ]

    func testBakedValues() {
        for (x, expected) in Self.baked {
            XCTAssertEqual(DatFormat.exactDecimal(x), expected, "x = \(x)")
        }
    }

    func testSubnormalExtremes() {
        // Python: len 1076, last 40 digits as shown.
        let tiny = DatFormat.exactDecimal(Double.leastNonzeroMagnitude)
        XCTAssertEqual(tiny.count, 1076)
        XCTAssertTrue(tiny.hasPrefix("0.0000000000"))
        XCTAssertTrue(tiny.hasSuffix("4565229087538682506419718265533447265625"))
        let three = DatFormat.exactDecimal(3 * Double.leastNonzeroMagnitude)
        XCTAssertEqual(three.count, 1076)
        XCTAssertTrue(three.hasSuffix("3695687262616047519259154796600341796875"))
        XCTAssertEqual(DatFormat.exactDecimal(0x1p-1022).count, 1024)
    }

    /// Structural facts of exact expansions on random doubles of all magnitudes: the number of
    /// fraction digits equals the number of fractional bits, a fraction ends in 5, no exponent,
    /// and parsing the text gives the value back.
    func testRandomDoublesAreExact() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let x = Double(bitPattern: rng.next())
            guard x.isFinite, x != 0 else { continue }
            let s = DatFormat.exactDecimal(x)
            XCTAssertEqual(Double(s), x, s)
            XCTAssertFalse(s.contains("e") || s.contains("E"))
            XCTAssertEqual(s.hasPrefix("-"), x < 0)
            let fractionalBits = max(0, -(x.exponent - Int(x.significandWidth)))
            if let dot = s.firstIndex(of: ".") {
                XCTAssertEqual(s.distance(from: dot, to: s.endIndex) - 1, fractionalBits, s)
                XCTAssertEqual(s.last, "5")
            } else {
                XCTAssertEqual(fractionalBits, 0, s)
            }
        }
    }

    func testFixedPointGrid() {
        // Multiples of 2^-10 (the csim grid): k/1024 in decimal has at most 10 fraction digits.
        for k in -3000...3000 {
            let x = Double(k) / 1024
            let s = DatFormat.exactDecimal(x)
            XCTAssertEqual(Double(s), x)
            XCTAssertLessThanOrEqual(s.split(separator: ".").dropFirst().first?.count ?? 0, 10)
            if k == 0 { XCTAssertEqual(s, "0") }
        }
        XCTAssertEqual(DatFormat.exactDecimal(-1.0 / 1024), "-0.0009765625")
        XCTAssertEqual(DatFormat.exact.render(2.5), "2.5")
        XCTAssertEqual(DatFormat.float.render(2.0), "2.0")
        XCTAssertEqual(DatFormat.float.render(1e-5), "1e-05")
    }

    func testNonFinite() {
        XCTAssertEqual(DatFormat.exactDecimal(.nan), "nan")
        XCTAssertEqual(DatFormat.exactDecimal(.infinity), "inf")
        XCTAssertEqual(DatFormat.exactDecimal(-.infinity), "-inf")
    }
}
