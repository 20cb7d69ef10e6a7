// Every quantisation × overflow mode of VerilogFixed.cast against the simulator's Quantizer, in Verilator.
import XCTest
@testable import Backends
import LFADSIR

final class VerilogFixedTests: XCTestCase {
    struct Case { var width: Int; var signed: Bool; var fraction: Int; var target: FixedType }

    /// The simulator's cast of an exact input code: the 64-bit Quantizer path, or its wide path.
    static func simulate(_ raw: Int128, fraction: Int, _ target: FixedType) -> Int128 {
        let q = Quantizer(fromFraction: fraction, to: target)
        var ignored = 0
        if let narrow = Int64(exactly: raw) { return Int128(q.apply(narrow, overflows: &ignored)) }
        return Int128(q.apply(wide: raw, overflows: &ignored))
    }

    static func cases() throws -> [Case] {
        var cases = [Case]()
        for q in Quantization.allCases {
            for o in Overflow.allCases {
                func t(_ w: Int, _ i: Int, signed: Bool = true, n: Int = 0) throws -> FixedType? {
                    if !signed && o == .wrapSM { return nil }
                    return try FixedType(width: w, integer: i, signed: signed, quantization: q, overflow: o, saturationBits: n)
                }
                let shapes: [(Int, Bool, Int, FixedType?)] = [
                    (20, true, 9, try t(8, 3)),                 // drops 4 bits
                    (16, true, 7, try t(6, 2, signed: false)),  // into an unsigned type
                    (100, true, 60, try t(16, 6, n: 2)),        // wide input, N = 2
                    (10, true, 0, try t(12, 4)),                // shifts left 8
                    (8, true, 2, try t(1, 1)),                  // 1-bit target
                    (12, false, 5, try t(6, 3, n: 1)),          // unsigned input, N = 1
                    (24, true, 12, try t(7, 7, n: 3)),          // integer target, N = 3
                    (96, true, 50, try t(64, 30)),              // 64-bit target
                    (48, true, 20, try t(16, 6, n: 16)),        // N = W
                    (9, true, 30, try t(5, 1)),                 // drops more bits than the input has
                    (6, true, -3, try t(8, 8, n: 2)),           // negative source fraction: shifts left 3
                    (7, true, 3, try t(2, 1)),                  // 2-bit target (AP_SAT_SYM gives -1, not -2)
                ]
                for (w, s, f, target) in shapes { if let target { cases.append(Case(width: w, signed: s, fraction: f, target: target)) } }
            }
        }
        return cases
    }

    func testEveryModeMatchesTheSimulator() throws {
        let harness = try VerilatorHarness.require()
        let cases = try Self.cases()
        var functions = [VerilogFunction](), inputs = [VerilatorHarness.Input](), outputs = [VerilatorHarness.Output]()
        var rng = SplitMix64(seed: 17)
        let count = 300
        var columns = [[Int128]]()
        for (k, c) in cases.enumerated() {
            let f = try VerilogFixed.cast(name: "cast\(k)", inputWidth: c.width, inputSigned: c.signed, fromFraction: c.fraction, to: c.target)
            functions.append(f)
            inputs.append(.init(name: "x\(k)", width: c.width))
            let arg = c.signed ? "$signed(x\(k))" : "x\(k)"
            outputs.append(.init(name: "y\(k)", width: c.target.width, signed: c.target.signed, expression: "cast\(k)(\(arg))"))
            columns.append(RTLVectors.castInputs(width: c.width, signed: c.signed, shift: c.fraction - c.target.fraction,
                                                 target: c.target, count: count, &rng))
        }
        let vectors = (0..<count).map { i in columns.map { $0[i] } }
        let results = try harness.run(functions, inputs: inputs, outputs: outputs, vectors: vectors)
        var failures = 0
        for (k, c) in cases.enumerated() {
            for i in 0..<count {
                let expected = Self.simulate(columns[k][i], fraction: c.fraction, c.target)
                if results[i][k] != expected {
                    failures += 1
                    if failures <= 20 {
                        XCTFail("\(c.target) from \(c.width)-bit \(c.signed ? "signed" : "unsigned") fraction \(c.fraction): x = \(columns[k][i]): RTL \(results[i][k]), simulator \(expected)")
                    }
                }
            }
        }
        XCTAssertEqual(failures, 0)
        XCTAssertGreaterThan(cases.count, 300)
        print("VerilogFixedTests: \(cases.count) casts × \(count) vectors = \(cases.count * count) checked")
    }
}
