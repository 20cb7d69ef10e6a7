// Lookup tables: shape validation, bin-centre entries, the index against the floor formula evaluated directly,
// and the emitted C++ text.
import XCTest
@testable import LFADSIR

final class LookupTableTests: XCTestCase {
    let entry = try! FixedType(parsing: "ap_fixed<18,8>")  // a literal, not data

    func testDefaultShapes() throws {
        let sigmoid = try LookupTable(function: .sigmoid, entryType: entry)
        XCTAssertEqual([sigmoid.size, sigmoid.scaleExponent], [1024, 6])
        XCTAssertEqual([sigmoid.lower, sigmoid.upper], [-8, 8])
        XCTAssertEqual(sigmoid.offset, -512)
        XCTAssertEqual(sigmoid.entries.count, 1024)
        // Entry 512 covers [0, 1/64): its centre is 1/128.
        XCTAssertEqual(sigmoid.entries[512], entry.cast(1 / (1 + exp(-1.0 / 128))).raw)
        XCTAssertEqual(sigmoid.entries[0], entry.cast(1 / (1 + exp(8 - 1.0 / 128))).raw)

        let tanh = try LookupTable(function: .tanh, entryType: entry)
        XCTAssertEqual([tanh.scaleExponent, Int(tanh.offset)], [7, -512])
        XCTAssertEqual(tanh.entries[1023], entry.cast(Foundation.tanh(4 - 1.0 / 256)).raw)
        // tanh is odd and the bins are symmetric about 0, so entries mirror up to the floor quantisation.
        for i in 0..<512 {
            XCTAssertLessThanOrEqual(abs(tanh.entries[i] + tanh.entries[1023 - i]), 1)
        }

        XCTAssertThrowsError(try LookupTable(function: .exp, entryType: entry)) { error in
            XCTAssertEqual("\(error)", "invalid exp table: it has no default range, give lower and upper")
        }
        let exp = try LookupTable(function: .exp, size: 256, lower: -8, upper: 0, entryType: entry)
        XCTAssertEqual(exp.entries[255], entry.cast(Foundation.exp(-1.0 / 64)).raw)

        // ZeroInflatedGamma's log σ̂ = log max(σ, 1e−5) over [−16, 16): the floor holds below −11.51.
        let logSigmoid = try LookupTable(function: .logSigmoidFloor, entryType: entry)
        XCTAssertEqual([logSigmoid.lower, logSigmoid.upper], [-16, 16])
        XCTAssertEqual(logSigmoid.entries[0], entry.cast(Foundation.log(1e-5)).raw)
        XCTAssertEqual(logSigmoid.entries[512], entry.cast(-Foundation.log1p(Foundation.exp(-1.0 / 64))).raw)
        XCTAssertEqual(logSigmoid.entries[1023], -1, "−1.1e−7 truncated to the last code below 0")
        XCTAssertEqual(TableFunction.logSigmoidFloor.evaluate(-30), Foundation.log(1e-5))
        XCTAssertEqual(ActivationFunction.logSigmoidFloor.apply(2), -Foundation.log1p(Foundation.exp(-2)), accuracy: 1e-15)
    }

    func testIndexIsTheClampedFloorOfTheScaledDistance() throws {
        var random = SeededRandom(seed: 99)
        let tables = try TableIndexOracleTests.shapes()
        for _ in 0..<400 {
            let table = random.pick(tables)
            let fraction = random.int(-8...40)
            for _ in 0..<100 {
                let raw = Int64.random(in: -(1 << 50)...(1 << 50), using: &random) >> random.int(0...50)
                // Exact in Double: |raw| < 2^53 and every factor is a power of two.
                let x = Double(sign: .plus, exponent: -fraction, significand: Double(raw))
                let bins = ((x - table.lower) * Double(table.size) / (table.upper - table.lower)).rounded(.down)
                let expected = Int(min(max(bins, 0), Double(table.size - 1)))
                XCTAssertEqual(table.index(raw: raw, fraction: fraction), expected, "\(table.function) \(raw) \(fraction)")
            }
        }
        let sigmoid = try LookupTable(function: .sigmoid, entryType: entry)
        XCTAssertEqual(sigmoid.index(raw: .max, fraction: -4000), 1023)
        XCTAssertEqual(sigmoid.index(raw: .min, fraction: -4000), 0)
        XCTAssertEqual(sigmoid.index(raw: 0, fraction: Int.min), 512)
        XCTAssertEqual(sigmoid.index(raw: -1, fraction: Int.max), 511)  // a tiny negative value floors below 0
        XCTAssertEqual(sigmoid.lookup(raw: 0, fraction: 10), sigmoid.entries[512])
    }

    func testRejectsBadShapes() {
        let cases: [(Int, Double, Double, String)] = [
            (1000, -8, 8, "invalid sigmoid table (size 1000, [-8.0, 8.0)): size must be a power of two in 2...1048576"),
            (1, -8, 8, "invalid sigmoid table (size 1, [-8.0, 8.0)): size must be a power of two in 2...1048576"),
            (1024, -8, 4, "invalid sigmoid table (size 1024, [-8.0, 4.0)): upper − lower must be exactly a power of two"),
            (4, 0.1, 1.1, "invalid sigmoid table (size 4, [0.1, 1.1)): upper − lower must be exactly a power of two"),
            (4, 0.125, 1.125, "invalid sigmoid table (size 4, [0.125, 1.125)): lower · size / (upper − lower) = 0.5 must be an integer of magnitude ≤ 2^30"),
            (4, 8, -8, "invalid sigmoid table (size 4, [8.0, -8.0)): bounds must be finite with lower < upper"),
            (4, -.infinity, 8, "invalid sigmoid table (size 4, [-inf, 8.0)): bounds must be finite with lower < upper"),
            (4, 0x1p40, 0x1p40 + 1, "invalid sigmoid table (size 4, [1099511627776.0, 1099511627777.0)): lower · size / (upper − lower) = 4398046511104.0 must be an integer of magnitude ≤ 2^30"),
        ]
        for (size, lower, upper, message) in cases {
            XCTAssertThrowsError(try LookupTable(function: .sigmoid, size: size, lower: lower, upper: upper,
                                                 entryType: entry)) { error in
                XCTAssertEqual("\(error)", message)
            }
        }
    }

    func testCppIndexExpressionText() throws {
        let sigmoid = try LookupTable(function: .sigmoid, entryType: entry)
        XCTAssertEqual(sigmoid.cppIndexExpression(input: "x", inputType: try FixedType(parsing: "ap_fixed<16,6>")),
                       "ap_ufixed<10, 10, AP_TRN, AP_SAT>((ap_int<16>(x.range(15, 0)) >> 4) + 512).to_uint()")
        XCTAssertEqual(sigmoid.cppIndexExpression(input: "acc[i]", inputType: try FixedType(parsing: "ap_ufixed<4,8>")),
                       "ap_ufixed<10, 10, AP_TRN, AP_SAT>((ap_uint<14>(ap_uint<4>((acc[i]).range(3, 0))) << 10) + 512).to_uint()")
        // An unsigned input whose every value floors to 0 gives a constant.
        XCTAssertEqual(sigmoid.cppIndexExpression(input: "x", inputType: try FixedType(parsing: "ap_ufixed<4,-8>")), "512")
    }

    /// The posterior std table read at x = logvar/2: sqrt(exp(2x) + floor) at each entry's midpoint; with floor 0
    /// it is the exp table; a negative or non-finite floor is refused.
    func testPosteriorStdTable() throws {
        let entry = try FixedType(parsing: "ap_ufixed<18,6>")
        let t = try LookupTable(function: .posteriorStd, size: 256, lower: -8, upper: 8, entryType: entry, parameter: 1e-2)
        for i in [0, 1, 100, 128, 255] {
            let x = -8 + (Double(i) + 0.5) / 16
            XCTAssertEqual(t.entries[i], entry.cast((exp(2 * x) + 1e-2).squareRoot()).raw, "entry \(i)")
        }
        XCTAssertEqual(t.entries[0], entry.cast(0.1).raw, accuracy: 2, "the floor's std (0.1) at the low end")
        let plain = try LookupTable(function: .posteriorStd, size: 256, lower: -8, upper: 8, entryType: entry)
        XCTAssertEqual(plain.entries, try LookupTable(function: .exp, size: 256, lower: -8, upper: 8, entryType: entry).entries)
        for bad in [-1.0, .nan, .infinity] {
            XCTAssertThrowsError(try LookupTable(function: .posteriorStd, size: 256, lower: -8, upper: 8, entryType: entry, parameter: bad))
        }
    }
}
