import XCTest
import LFADSIR
@testable import Backends

/// The average of N samples' codes (PosteriorAverage): the type's cast of the exact mean for powers of two, within
/// one LSB of it otherwise (narrow and wide types, sums anywhere and near full scale).
final class PosteriorAverageTests: XCTestCase {
    func testPowersOfTwoGiveTheTypesCastOfTheExactMean() throws {
        let t = try FixedType(parsing: "ap_fixed<16,6>")
        var rng = SplitMix64(seed: 3)
        for n in [2, 8, 64, 1024] {
            let a = PosteriorAverage(samples: n)
            XCTAssertEqual(a.reciprocalRaw(t), (Int64(1) << a.reciprocalFraction(t)) / Int64(n))
            XCTAssertEqual(a.reciprocalRaw(t) * Int64(n), Int64(1) << a.reciprocalFraction(t), "R = 1/N exactly")
            XCTAssertEqual(try a.sumType(t).width, 16 + a.growthBits)
            let samples = (0..<n).map { _ in (0..<5).map { _ in Int64.random(in: -32768...32767, using: &rng) } }
            var overflows = 0
            let mean = a.average(samples, type: t, overflows: &overflows)
            for i in 0..<5 {
                let sum = samples.reduce(Int64(0)) { $0 + $1[i] }
                // AP_TRN: floor of the exact mean.
                XCTAssertEqual(mean[i], Int64((Double(sum) / Double(n)).rounded(.down)), "N=\(n)")
            }
            XCTAssertEqual(overflows, 0)
        }
    }

    func testOtherCountsAreWithinOneLSB() throws {
        var rng = SplitMix64(seed: 4)
        // A narrow rounding type, and a wide truncating one with sums near full scale and anywhere.
        let cases: [(FixedType, ClosedRange<Int64>, rounds: Bool)] = [
            (try FixedType(parsing: "ap_fixed<16,6,AP_RND,AP_SAT>"), -32768...32767, true),
            (try FixedType(parsing: "ap_fixed<32,12>"), (Int64(Int32.max) - 1000)...Int64(Int32.max), false),
            (try FixedType(parsing: "ap_fixed<32,12>"), Int64(Int32.min)...Int64(Int32.max), false),
        ]
        /// floor(a / b) for b > 0.
        func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
        for (t, range, rounds) in cases {
            for n in [3, 5, 7, 100, 1000] {
                let a = PosteriorAverage(samples: n)
                let samples = (0..<n).map { _ in (0..<5).map { _ in Int64.random(in: range, using: &rng) } }
                var overflows = 0
                let mean = a.average(samples, type: t, overflows: &overflows)
                for i in 0..<5 {
                    // The type's cast of the exact mean sum / N: floor (AP_TRN) or half up (AP_RND).
                    let sum = samples.reduce(Int64(0)) { $0 + $1[i] }, m = Int64(n)
                    let cast = rounds ? floorDiv(2 * sum + m, 2 * m) : floorDiv(sum, m)
                    XCTAssertLessThanOrEqual(abs(mean[i] - cast), 1, "\(t) N=\(n)")
                }
                XCTAssertEqual(overflows, 0)
            }
        }
        XCTAssertEqual(PosteriorAverage(samples: 3).growthBits, 2)
        XCTAssertEqual(PosteriorAverage(samples: 1000).growthBits, 10)
    }
}
