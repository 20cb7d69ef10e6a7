// VerilogMatVec against the simulator's MatVec.run: whole rows of real matrices (lorenz_nocon, the template)
// summed from the bias in input order with the generated product/bias/add functions, for the plans' wrap-around
// accumulators, saturating, symmetric, N-bit and sign-magnitude ones, on data inputs and spike counts (also with
// the count products as the DSP48E2 form); with a wrap-around accumulator also summed as a balanced tree.
import XCTest
@testable import Backends
import LFADSIR

final class VerilogMatVecTests: XCTestCase {
    static func variants() throws -> [PlanMatrix] {
        let plans = try RTLPlans.plans()
        var picked = [PlanMatrix]()
        for (label, plan) in plans {
            let ms = RTLPlans.matrices(plan)
            let wanted = label.hasPrefix("lorenz") ? ["ic_enc.fwd.x", "ic_enc.fwd.zr", "gen_init"] : ["EncoderRNN.fwd.x", "DecoderGRU.zr", "Dense"]
            for name in wanted { if let m = ms.first(where: { $0.label == name }) { picked.append(m) } }
        }
        // Other accumulators on the Lorenz encoder's matrices (counts and state inputs): overflows happen.
        let accums = [fx("ap_fixed<14,4,AP_TRN,AP_SAT>"), fx("ap_fixed<16,5,AP_RND_CONV,AP_SAT_SYM>"), fx("ap_fixed<13,3>"),
                      fx("ap_fixed<16,5,AP_RND,AP_WRAP,2>"), fx("ap_fixed<15,4,AP_RND_INF,AP_WRAP_SM>"), fx("ap_fixed<14,3,AP_TRN_ZERO,AP_SAT_ZERO>")]
        for base in picked.prefix(2) {
            for a in accums {
                var m = base
                m.accum = a
                m.label += " accum \(a)"
                picked.append(m)
            }
        }
        // Counts held in a signed type with fraction bits (ap_fixed<16,6>: 5-bit counts at bits 10...14).
        if var m = picked.first(where: { $0.countBits != nil }) {
            m.input = fx("ap_fixed<16,6>")
            m.countBits = 5
            m.label += " counts in ap_fixed<16,6>"
            picked.append(m)
        }
        return picked
    }

    func testRowsMatchTheSimulatorsMatVec() throws {
        let harness = try VerilatorHarness.require()
        let variants = try Self.variants()
        XCTAssertGreaterThanOrEqual(variants.count, 14)
        let count = 400
        var rng = SplitMix64(seed: 23)
        var functions = [VerilogFunction](), inputs = [VerilatorHarness.Input](), outputs = [VerilatorHarness.Output]()
        var overflowed = [Int](repeating: 0, count: variants.count)
        var body = "", expected = [[Int128]](repeating: [], count: count), columns = [[Int128]](repeating: [], count: count)
        for (k, v) in variants.enumerated() {
            let m = v.matrix, n = m.columns, p = "m\(k)"
            functions += try VerilogMatVec.functions(prefix: p, matrix: m, input: v.input, accum: v.accum, countBits: v.countBits,
                                                     dspCountProduct: v.countBits != nil)
            let xWidth = v.input.width, xSigned = v.input.signed
            for i in 0..<n { inputs.append(.init(name: "\(p)_x\(i)", width: xWidth)) }
            for i in 0..<n { inputs.append(.init(name: "\(p)_w\(i)", width: m.weightType.width)) }
            inputs.append(.init(name: "\(p)_b", width: m.biasType.width))
            func arg(_ s: String, _ signed: Bool) -> String { signed ? "$signed(\(s))" : s }
            // Counts: the product reads the count of the input code (`_count`), as the lead's datapath will.
            let xs = (0..<n).map { v.countBits == nil ? arg("\(p)_x\($0)", xSigned) : "\(p)_count(\(arg("\(p)_x\($0)", xSigned)))" }
            let products = (0..<n).map { "\(p)_product(\(xs[$0]), \(arg("\(p)_w\($0)", m.weightType.signed)))" }
            let r = Verilog.range(v.accum.width, signed: v.accum.signed)
            body += "reg \(r)\(p)_acc;\nalways @* begin\n    \(p)_acc = \(p)_bias(\(arg("\(p)_b", m.biasType.signed)));\n"
            for e in products { body += "    \(p)_acc = \(p)_add(\(p)_acc, \(e));\n" }
            body += "end\n"
            outputs.append(.init(name: "\(p)_y", width: v.accum.width, signed: v.accum.signed, expression: "\(p)_acc"))
            // Counts: the same row with every other product as the one `*` the RTL binding puts on a DSP48E2.
            if v.countBits != nil {
                body += "reg \(r)\(p)_dacc;\nalways @* begin\n    \(p)_dacc = \(p)_bias(\(arg("\(p)_b", m.biasType.signed)));\n"
                for (i, e) in products.enumerated() {
                    body += "    \(p)_dacc = \(p)_add(\(p)_dacc, \(i % 2 == 0 ? e.replacingOccurrences(of: "\(p)_product(", with: "\(p)_product_dsp(") : e));\n"
                }
                body += "end\n"
                outputs.append(.init(name: "\(p)_d", width: v.accum.width, signed: v.accum.signed, expression: "\(p)_dacc"))
            }
            let tree = v.accum.overflow == .wrap && v.accum.saturationBits == 0
            if tree {
                func sum(_ terms: ArraySlice<String>) -> String {
                    terms.count == 1 ? terms.first! : "\(p)_add(\(sum(terms.prefix(terms.count / 2))), \(sum(terms.dropFirst(terms.count / 2))))"
                }
                outputs.append(.init(name: "\(p)_t", width: v.accum.width, signed: v.accum.signed,
                                     expression: "\(p)_add(\(p)_bias(\(arg("\(p)_b", m.biasType.signed))), \(sum(products[...])))"))
            }
            // The simulator: MatVec.run over the whole matrix, one random row per vector.
            let kernel = MatVec(m, inputFraction: v.input.fraction, accum: v.accum)
            for t in 0..<count {
                let row = Int(rng.next() % UInt64(m.rows))
                var x = [Int64]()
                for _ in 0..<n {
                    if let bits = v.countBits {
                        let big = rng.next() % 8 == 0
                        let c = rng.next() % 3 == 0 ? 0 : Int64(rng.next() % (big ? (UInt64(1) << bits) : 4))
                        x.append(c << v.input.fraction)
                    } else {
                        let dense = t % 2 == 0
                        let c = rng.next() % 4 == 0 ? 0 : dense ? Int64(RTLVectors.wrap(RTLVectors.random(bits: 64, &rng), width: v.input.width, signed: v.input.signed))
                            : Int64(rng.next() % 512) - (v.input.signed ? 256 : 0)
                        x.append(c)
                    }
                }
                var acc = [Int64](repeating: 0, count: m.rows), overflows = 0
                kernel.run(x, offset: 0, into: &acc, &overflows)
                overflowed[k] += overflows
                expected[t].append(Int128(acc[row]))
                if v.countBits != nil { expected[t].append(Int128(acc[row])) }
                if tree { expected[t].append(Int128(acc[row])) }
                columns[t] += x.map { Int128($0) }
                for i in 0..<n { columns[t].append(Int128(m.weights[row * n + i])) }
                columns[t].append(Int128(m.bias[row]))
            }
        }
        let results = try harness.run(functions, inputs: inputs, outputs: outputs, body: body, vectors: columns)
        var failures = 0
        for t in 0..<count where results[t] != expected[t] {
            failures += 1
            if failures <= 10 {
                let bad = zip(results[t], expected[t]).enumerated().filter { $0.element.0 != $0.element.1 }
                XCTFail("vector \(t): outputs \(bad.map { "\(outputs[$0.offset].name): RTL \($0.element.0), simulator \($0.element.1)" })")
            }
        }
        XCTAssertEqual(failures, 0)
        // The narrow accumulators' overflow modes were exercised, not only their in-range identity.
        for (k, v) in variants.enumerated() where v.label.contains(" accum ") {
            XCTAssertGreaterThan(overflowed[k], 0, "\(v.label): no cast overflowed")
        }
        print("VerilogMatVecTests: \(variants.count) matrices, \(outputs.count) row sums × \(count) vectors")
    }
}
