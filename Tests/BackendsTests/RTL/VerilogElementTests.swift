// VerilogFixed.element against ElementFunction.apply: every kind (tables with a QKeras quantizer too), narrow
// inputs exhaustively and a wide accumulator input on boundary and random codes, in one Verilator build.
import XCTest
@testable import Backends
import LFADSIR

final class VerilogElementTests: XCTestCase {
    static func functions() throws -> [ElementFunction] {
        let inputs = [try FixedType(width: 10, integer: 4), try FixedType(width: 12, integer: 0, signed: false),
                      try FixedType(width: 40, integer: 14)]
        let outputs = [try FixedType(width: 8, integer: 1, quantization: .rndConv, overflow: .sat),
                       try FixedType(width: 6, integer: 0, signed: false, quantization: .rnd, overflow: .wrap),
                       try FixedType(width: 16, integer: 6),
                       try FixedType(width: 5, integer: 2, quantization: .rndZero, overflow: .satSym)]
        let quantizers: [FixedType?] = [nil, try FixedType(width: 7, integer: 1, quantization: .rndConv, overflow: .sat),
                                        try FixedType(width: 4, integer: 0, signed: false, quantization: .rndInf, overflow: .sat),
                                        try FixedType(width: 5, integer: 2, quantization: .trnZero, overflow: .wrapSM, saturationBits: 1)]
        var list = [ElementFunction]()
        for function in [ActivationFunction.linear, .relu, .hardSigmoid, .hardTanh] {
            for input in inputs { for output in outputs { for q in quantizers {
                list.append(try ElementFunction(Activation(function, quantizer: q), table: nil, input: input, output: output, context: "t"))
            } } }
        }
        // Tables: sigmoid, tanh and exp, with and without a quantizer, 256 and 1,024 entries.
        let entry = try FixedType(width: 18, integer: 8)
        let specs: [(ActivationFunction, TableSpec)] = [
            (.sigmoid, TableSpec(size: 1024, lower: -8, upper: 8, entryType: entry)),
            (.tanh, TableSpec(size: 256, lower: -4, upper: 4, entryType: try FixedType(width: 10, integer: 2, quantization: .rnd))),
            (.exp, TableSpec(size: 256, lower: -16, upper: 16, entryType: entry)),
        ]
        for (function, spec) in specs {
            for (input, q) in [(inputs[0], quantizers[0]), (inputs[0], quantizers[1]), (inputs[1], quantizers[3]), (inputs[2], quantizers[0])] {
                list.append(try ElementFunction(Activation(function, quantizer: q), table: spec, input: input, output: outputs[2], context: "t"))
            }
        }
        return list
    }

    func testEveryKindMatchesTheSimulator() throws {
        let harness = try VerilatorHarness.require()
        let fs = try Self.functions()
        let count = 4096
        var rng = SplitMix64(seed: 5)
        var functions = [VerilogFunction](), inputs = [VerilatorHarness.Input](), outputs = [VerilatorHarness.Output](), columns = [[Int64]]()
        for (k, f) in fs.enumerated() {
            functions += try VerilogFixed.element(name: "e\(k)", f)
            inputs.append(.init(name: "x\(k)", width: f.input.width))
            outputs.append(.init(name: "y\(k)", width: f.output.width, signed: f.output.signed,
                                 expression: "e\(k)(\(f.input.signed ? "$signed(x\(k))" : "x\(k)"))"))
            let t = f.input
            var column = [Int64]()
            if t.width <= 12 {
                column = (0..<count).map { t.minRaw + Int64($0) % (t.maxRaw - t.minRaw + 1) }  // every code
            } else {
                let one = Int64(1) << t.fraction
                let marks: [Int64] = [0, 1, -1, one, -one, one - 1, one + 1, -one + 1, -one - 1, t.maxRaw, t.minRaw,
                                      8 * one, -8 * one, 4 * one, -4 * one, 16 * one, -16 * one]
                while column.count < count {
                    let r = Int64(truncatingIfNeeded: RTLVectors.random(bits: t.width, &rng))
                    let near = marks[Int(rng.next() % UInt64(marks.count))] &+ Int64(rng.next() % 64) - 32
                    let v = rng.next() % 2 == 0 ? r : near
                    column.append(Int64(RTLVectors.wrap(Int128(v), width: t.width, signed: true)))
                }
            }
            columns.append(column)
        }
        let vectors = (0..<count).map { i in columns.map { Int128($0[i]) } }
        let results = try harness.run(functions, inputs: inputs, outputs: outputs, vectors: vectors)
        var failures = 0
        for (k, f) in fs.enumerated() {
            for i in 0..<count {
                var ignored = 0
                let expected = Int128(f.apply(columns[k][i], overflows: &ignored))
                if results[i][k] != expected {
                    failures += 1
                    if failures <= 20 { XCTFail("\(f.kind) \(f.input) → \(f.quantizer?.description ?? "-") → \(f.output) at \(columns[k][i]): RTL \(results[i][k]), simulator \(expected)") }
                }
            }
        }
        XCTAssertEqual(failures, 0)
        print("VerilogElementTests: \(fs.count) functions × \(count) inputs = \(fs.count * count) checked")
    }
}
