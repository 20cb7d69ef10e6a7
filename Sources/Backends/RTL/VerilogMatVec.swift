// The arithmetic of one matrix–vector product (SimKernels.MatVec, lfads_chunk / lfads_product): each product
// x·w exact then cast to the accumulator, the bias cast to the accumulator, and the running sum a + p exact then
// cast back. Sums run in input order from the bias; with a wrap-around accumulator (no N) the cast of a sum is
// the low W bits, so any order (a tree) gives the same bits.
import LFADSIR

public enum VerilogMatVec {
    /// `prefix_product(x, w)` (or `prefix_product(n, w)` on an unsigned `countBits`-bit spike count, as a
    /// shift-and-add that synthesis keeps in fabric), `prefix_bias(b)` and `prefix_add(a, p)`, all returning
    /// accumulator codes; helpers are `prefix_product_cast` and `prefix_add_cast`. With counts also
    /// `prefix_count(x)`: the count of an input code (its integer bits, as lfads_count reads a valid count), and
    /// with `dspCountProduct` `prefix_product_dsp(n, w)`: the same product as one `*`, which synthesis maps onto a
    /// DSP48E2 (the lanes' count products the RTL binding moves there, RTLMatVecUnit.dspCountProducts).
    public static func functions(prefix: String, matrix: QuantizedMatrix, input: FixedType, accum: FixedType,
                                 countBits: Int?, dspCountProduct: Bool = false) throws -> [VerilogFunction] {
        let weight = matrix.weightType, bias = matrix.biasType
        var out = [VerilogFunction]()
        let w = VerilogFunction.Port(name: "w", width: weight.width, signed: weight.signed)
        let ww = Verilog.signedWidth(weight)
        let product: VerilogFunction
        if let n = countBits {
            guard (1...32).contains(n) else { throw HardwareError.unsupported("RTL product '\(prefix)': \(n)-bit counts") }
            // n·w at the weight's fraction: the same value as x·w when x = n, so the same cast (lfads_product).
            let p = ww + n
            out.append(try VerilogFixed.cast(name: prefix + "_product_cast", inputWidth: p, inputSigned: true,
                                             fromFraction: weight.fraction, to: accum))
            product = countProduct(name: prefix + "_product", bits: n, w, productWidth: p, accum: accum)
            out.append(count(name: prefix + "_count", bits: n, input))
            if dspCountProduct {
                // The count as a non-negative signed operand: n·w is exact in p bits, as the shift-and-add's sum.
                let np = VerilogFunction.Port(name: "n", width: n, signed: false)
                out.append(VerilogFunction(
                    name: prefix + "_product_dsp", width: accum.width, signed: accum.signed, inputs: [np, w],
                    locals: ["reg signed [\(p - 1):0] p;"],
                    body: ["p = \(Verilog.extend("n", from: n, signed: false, to: p)) * \(Verilog.extend("w", from: w.width, signed: w.signed, to: p));",
                           "\(prefix)_product_dsp = \(prefix)_product_cast(p);"]))
            }
        } else {
            let x = VerilogFunction.Port(name: "x", width: input.width, signed: input.signed)
            let p = Verilog.signedWidth(input) + ww
            out.append(try VerilogFixed.cast(name: prefix + "_product_cast", inputWidth: p, inputSigned: true,
                                             fromFraction: input.fraction + weight.fraction, to: accum))
            product = VerilogFunction(
                name: prefix + "_product", width: accum.width, signed: accum.signed, inputs: [x, w],
                locals: ["reg signed [\(p - 1):0] p;"],
                body: ["p = \(Verilog.extend("x", from: x.width, signed: x.signed, to: p)) * \(Verilog.extend("w", from: w.width, signed: w.signed, to: p));",
                       "\(prefix)_product = \(prefix)_product_cast(p);"])
        }
        out.append(product)
        out.append(try VerilogFixed.cast(name: prefix + "_bias", inputWidth: bias.width, inputSigned: bias.signed,
                                         fromFraction: bias.fraction, to: accum))
        out += try accumulate(name: prefix + "_add", accum)
        return out
    }

    /// `name(a, p)`: (accum)(a + p) of two accumulator codes, and its cast `name_cast`.
    static func accumulate(name: String, _ accum: FixedType) throws -> [VerilogFunction] {
        let s = Verilog.signedWidth(accum) + 1
        let a = VerilogFunction.Port(name: "a", width: accum.width, signed: accum.signed)
        let p = VerilogFunction.Port(name: "p", width: accum.width, signed: accum.signed)
        let cast = try VerilogFixed.cast(name: name + "_cast", inputWidth: s, inputSigned: true, fromFraction: accum.fraction, to: accum)
        let add = VerilogFunction(
            name: name, width: accum.width, signed: accum.signed, inputs: [a, p], locals: ["reg signed [\(s - 1):0] s;"],
            body: ["s = \(Verilog.extend("a", from: accum.width, signed: accum.signed, to: s)) + \(Verilog.extend("p", from: accum.width, signed: accum.signed, to: s));",
                   "\(name) = \(name)_cast(s);"])
        return [cast, add]
    }

    /// The integer bits 0 ..< n of an input code (`ap_uint<n> = x.to_uint64()` for x a count in [0, 2^n)).
    static func count(name: String, bits n: Int, _ input: FixedType) -> VerilogFunction {
        let x = VerilogFunction.Port(name: "x", width: input.width, signed: input.signed)
        let f = input.fraction
        var fn = VerilogFunction(name: name, width: n, signed: false, inputs: [x], locals: [],
                                 body: ["\(name) = \(Verilog.bits("x", width: x.width, signed: x.signed, lo: f, hi: f + n - 1));"])
        // A count has no fraction and no sign: those bits of the code are zero by contract, not read.
        if f > 0 || (input.signed && f + n < input.width) {
            fn.text = "/* verilator lint_off UNUSEDSIGNAL */\n" + fn.text + "/* verilator lint_on UNUSEDSIGNAL */\n"
        }
        return fn
    }

    /// n·w as a sum of shifted copies of w selected by the bits of n: no `*` for synthesis to map onto a DSP
    /// (the binding the schedule and cost model assume for spike-count products). The copies are added as a
    /// balanced tree (log₂ n adders deep, not n); the sum is exact in p bits, so any order gives the same bits.
    static func countProduct(name: String, bits n: Int, _ w: VerilogFunction.Port, productWidth p: Int,
                             accum: FixedType) -> VerilogFunction {
        let we = Verilog.extend("w", from: w.width, signed: w.signed, to: p)
        let zero = Verilog.literal(0, width: p)
        let terms = (0..<n).map { i in "(n[\(i)] ? \(i == 0 ? "e" : "(e <<< \(i))") : \(zero))" }
        var body = ["e = \(we);", "p = \(RTLText.balancedSum(terms, bits: p));"]
        body.append("\(name) = \(name)_cast(p);")
        return VerilogFunction(name: name, width: accum.width, signed: accum.signed,
                               inputs: [.init(name: "n", width: n, signed: false), w],
                               locals: ["reg signed [\(p - 1):0] e;", "reg signed [\(p - 1):0] p;"], body: body)
    }
}
