import XCTest
import LFADSIR
@testable import Backends

/// The 64-bit paths of `ElementFunction.apply` against its exact reference (`applyExact`): every input code of
/// narrow types, across functions, quantizers, output types and modes (codes and overflow counts).
final class ElementFunctionTests: XCTestCase {
    func testFastPathsMatchTheExactPath() throws {
        let inputs = [try FixedType(width: 10, integer: 4), try FixedType(width: 9, integer: 9),
                      try FixedType(width: 12, integer: 0, signed: false)]
        let outputs = [try FixedType(width: 8, integer: 1, quantization: .rndConv, overflow: .sat),
                       try FixedType(width: 6, integer: 0, signed: false, quantization: .rnd, overflow: .wrap),
                       try FixedType(width: 16, integer: 6),
                       try FixedType(width: 5, integer: 2, quantization: .rndZero, overflow: .satSym)]
        let quantizers: [FixedType?] = [nil, try FixedType(width: 7, integer: 1, quantization: .rndConv, overflow: .sat),
                                        try FixedType(width: 4, integer: 0, signed: false, quantization: .rndInf, overflow: .sat),
                                        // The same type as outputs[0] (the second cast is skipped as the identity), and
                                        // one whose most negative code the AP_SAT_SYM output must still saturate.
                                        try FixedType(width: 8, integer: 1, quantization: .rndConv, overflow: .sat),
                                        try FixedType(width: 5, integer: 2)]
        var checked = 0
        for function in [ActivationFunction.linear, .relu, .hardSigmoid, .hardTanh] {
            for input in inputs {
                for output in outputs {
                    for q in quantizers {
                        let f = try ElementFunction(Activation(function, quantizer: q), table: nil, input: input, output: output, context: "t")
                        for raw in input.minRaw...input.maxRaw {
                            var (a, b) = (0, 0)
                            let fast = f.apply(raw, overflows: &a)
                            let exact = f.applyExact(raw, overflows: &b)
                            XCTAssertEqual(fast, exact, "\(function) \(input) → \(q?.description ?? "-") → \(output) at \(raw)")
                            XCTAssertEqual(a, b, "overflows of \(function) \(input) → \(output) at \(raw)")
                            checked += 1
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 100_000)
    }
}
