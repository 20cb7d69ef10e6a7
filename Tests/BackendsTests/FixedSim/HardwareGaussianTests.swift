import Foundation
import XCTest
import LFADSIR
@testable import Backends

/// The on-chip Gaussian source against N(0,1): the exact output distribution of the transform (every 31-bit
/// word enumerated with its weight, so moments, KS distance and tail mass carry no sampling noise), at the
/// internal 16-bit-fraction result and at the default sample type ap_fixed<16,6>; and the generator's streams
/// (moments, lag-1 and cross-lane correlation, tail counts) over many (trial, lane) streams.
final class HardwareGaussianTests: XCTestCase {
    struct Stats { var mean = 0.0, variance = 0.0, skew = 0.0, excessKurtosis = 0.0, ks = 0.0, tail4 = 0.0 }

    static func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
    static let normalTail4 = erfc(4 / 2.0.squareRoot())  // P(|Z| > 4) = 6.334e-5

    /// Every value the transform produces, with its probability, after `cast`.
    static func exactDistribution(_ cast: (Int64) -> Double) -> [(Double, Double)] {
        var mass = [Double: Double]()
        for k in 0...30 {
            let n = 30 - k  // bits below the leading one of v
            let kept = min(n, 16), weight = pow(2.0, Double(n - kept)) + (k == 30 ? 1 : 0)  // v = 0 reads as 1
            for m in 0..<(1 << kept) {
                let v = UInt32(((1 << n) | (m << (n - kept))))
                for sign: UInt32 in [0, 0x8000_0000] {
                    mass[cast(HardwareGaussian.transform(v | sign)), default: 0] += weight / 0x1p32
                }
            }
        }
        return mass.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func stats(_ dist: [(Double, Double)]) -> Stats {
        var s = Stats()
        s.mean = dist.reduce(0) { $0 + $1.0 * $1.1 }
        var m2 = 0.0, m3 = 0.0, m4 = 0.0, cdf = 0.0
        for (x, p) in dist {
            let d = x - s.mean
            m2 += d * d * p; m3 += d * d * d * p; m4 += d * d * d * d * p
            let f = phi(x)
            s.ks = max(s.ks, abs(cdf - f), abs(cdf + p - f))
            cdf += p
            if abs(x) > 4 { s.tail4 += p }
        }
        s.variance = m2; s.skew = m3 / pow(m2, 1.5); s.excessKurtosis = m4 / (m2 * m2) - 3
        return s
    }

    func testTransformDistributionIsCloseToTheNormal() {
        let q16 = Self.stats(Self.exactDistribution { Double($0) * 0x1p-16 })
        let type = try! FixedType(width: 16, integer: 6)  // the built-in default (hls4ml's ap_fixed<16,6>)
        let typed = Self.stats(Self.exactDistribution { Double(type.cast(raw: $0, fraction: 16).raw) * 0x1p-10 })
        if ProcessInfo.processInfo.environment["LFADSC_GAUSS_REPORT"] != nil {
            print("gauss internal Q.16:", q16, "ap_fixed<16,6>:", typed, "normal tail4:", Self.normalTail4)
        }
        XCTAssertEqual(q16.mean, 0, accuracy: 1e-12)  // symmetric by construction
        XCTAssertEqual(q16.variance, 1, accuracy: 1e-4)
        XCTAssertEqual(q16.excessKurtosis, 0, accuracy: 2e-3)
        XCTAssertLessThan(q16.ks, 1e-4)
        XCTAssertEqual(q16.tail4 / Self.normalTail4, 1, accuracy: 0.01)
        // ap_fixed<16,6> truncates (AP_TRN): half an LSB (2^-11) of bias and an LSB-sized CDF step.
        XCTAssertEqual(typed.mean, -0x1p-11, accuracy: 1e-5)
        XCTAssertLessThan(typed.ks, 1e-3)
        XCTAssertEqual(typed.tail4 / Self.normalTail4, 1, accuracy: 0.02)
    }

    func testStreamsLookIndependentAndNormal() {
        let lanes = 64, draws = 4096, type = try! FixedType(width: 16, integer: 6)
        var sum = 0.0, sum2 = 0.0, lag = 0.0, cross = 0.0, tail = 0, overflows = 0, n = 0.0
        var previousLane = [Double](repeating: 0, count: draws)
        for trial: UInt64 in 0..<4 {
            for lane in 0..<lanes {
                var g = HardwareGaussian(seed: 42, trial: trial, lane: UInt64(lane))
                var previous = 0.0
                for i in 0..<draws {
                    let z = Double(g.next(in: type, overflows: &overflows)) * 0x1p-10
                    sum += z; sum2 += z * z; n += 1
                    if i > 0 { lag += z * previous }
                    if lane > 0 { cross += z * previousLane[i] }
                    previousLane[i] = z; previous = z
                    if abs(z) > 4 { tail += 1 }
                }
            }
        }
        let mean = sum / n, variance = sum2 / n - mean * mean
        let lag1 = lag / (n - 4 * Double(lanes)), crossLane = cross / (n - 4 * Double(draws))
        if ProcessInfo.processInfo.environment["LFADSC_GAUSS_REPORT"] != nil {
            print("gauss streams n=\(Int(n)) mean=\(mean) var=\(variance) lag1=\(lag1) crossLane=\(crossLane) tail4=\(tail)")
        }
        // n = 2^20: the standard error of a mean or a correlation is 1e-3.
        XCTAssertEqual(overflows, 0)
        XCTAssertEqual(mean, 0, accuracy: 5e-3)
        XCTAssertEqual(variance, 1, accuracy: 7e-3)
        XCTAssertEqual(lag1, 0, accuracy: 5e-3)
        XCTAssertEqual(crossLane, 0, accuracy: 5e-3)
        XCTAssertTrue((30...110).contains(tail), "\(tail) draws beyond 4 sigma, 66 expected")
    }

    /// A trial's lane is a pure function of (seed, trial, lane): no shared state, distinct streams.
    func testSeedingIsPerTrialAndLane() {
        var a = HardwareGaussian(seed: 7, trial: 3, lane: 5), b = HardwareGaussian(seed: 7, trial: 3, lane: 5)
        let wa = (0..<8).map { _ in a.nextWord() }
        XCTAssertEqual(wa, (0..<8).map { _ in b.nextWord() })
        for (t, l, s): (UInt64, UInt64, UInt64) in [(3, 6, 7), (4, 5, 7), (3, 5, 8), (5, 3, 7)] {
            var c = HardwareGaussian(seed: s, trial: t, lane: l)
            XCTAssertNotEqual(wa, (0..<8).map { _ in c.nextWord() })
        }
    }

    func testTableIsMonotoneAndFitsItsROMWords() {
        let t = HardwareGaussian.table
        XCTAssertEqual(t.count, 496)
        for (i, e) in t.enumerated() {
            XCTAssertTrue(e.c0 >= 0 && e.c0 < 1 << 19 && e.drop >= 0 && e.drop < 1 << 17, "entry \(i)")
            // |z| decreases with the tail probability: segments join within the interpolation error (2^-13).
            if i % 16 != 15 { XCTAssertLessThan(abs(e.c0 - e.drop - t[i + 1].c0), 8, "entry \(i)") }
        }
        XCTAssertEqual(Double(HardwareGaussian.transform(1)) * 0x1p-16, 6.2303, accuracy: 2e-3)
        XCTAssertEqual(HardwareGaussian.transform(0x7FFF_FFFF) >= 0, true)
    }
}
