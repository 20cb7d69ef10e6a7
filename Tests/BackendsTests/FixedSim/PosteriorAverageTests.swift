import XCTest
import LFADSIR
@testable import Backends

/// The average of N samples' codes (PosteriorAverage): exact for powers of two, within one LSB otherwise.
final class PosteriorAverageTests: XCTestCase {
    func testPowersOfTwoGiveTheTypesCastOfTheExactMean() throws {
        let t = try FixedType(parsing: "ap_fixed<16,6>")
        var rng = SplitMix64(seed: 3)
        for n in [2, 8, 64, 1024] {
            let a = PosteriorAverage(samples: n)
            XCTAssertEqual(a.reciprocalRaw, Int64(1 << PosteriorAverage.reciprocalFraction) / Int64(n))
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
        let t = try FixedType(parsing: "ap_fixed<16,6,AP_RND,AP_SAT>")
        var rng = SplitMix64(seed: 4)
        for n in [3, 5, 7, 100, 1000] {
            let a = PosteriorAverage(samples: n)
            let samples = (0..<n).map { _ in (0..<5).map { _ in Int64.random(in: -32768...32767, using: &rng) } }
            var overflows = 0
            let mean = a.average(samples, type: t, overflows: &overflows)
            for i in 0..<5 {
                let exact = Double(samples.reduce(Int64(0)) { $0 + $1[i] }) / Double(n)
                XCTAssertLessThanOrEqual(abs(Double(mean[i]) - exact), 1.0, "N=\(n)")
            }
        }
        XCTAssertEqual(PosteriorAverage(samples: 3).growthBits, 2)
        XCTAssertEqual(PosteriorAverage(samples: 1000).growthBits, 10)
    }
}
