// An ElementFunction (linear, relu, hard sigmoid, hard tanh, lookup table) as Verilog functions: the exact value
// of f at the input code, cast to the QKeras quantizer's type when there is one, then to the output type, as
// ElementFunction.apply computes it. Clipping constants and table entries are final output codes computed by the
// simulator itself (its constantCodes / tableCodes), so no cast of a constant is re-derived here.
import LFADSIR

extension VerilogFixed {
    /// The functions of `f`; the last one is `name(x)`, from an input code to an output code. Helpers are named
    /// `name_c1`, `name_c2` (the two casts), `name_index` and `name_rom` (tables).
    public static func element(name: String, _ f: ElementFunction) throws -> [VerilogFunction] {
        let input = f.input
        let port = VerilogFunction.Port(name: "x", width: input.width, signed: input.signed)
        let fi = input.fraction
        let out = f.output
        let code = { (value: Int64) in Verilog.code(value, width: out.width) }
        var helpers = [VerilogFunction]()
        var locals = [String](), body = [String]()
        /// Statements setting `name` to c2(c1(v)) for an exact value of `width` bits at fraction `fraction` (each
        /// call's result in a variable, so that every call's arguments are plain values).
        func chain(_ v: String, width: Int, fraction: Int) throws -> String {
            let first = f.quantizer ?? out
            helpers.append(try cast(name: name + "_c1", inputWidth: width, inputSigned: true, fromFraction: fraction, to: first))
            guard let q = f.quantizer else { return "\(name) = \(name)_c1(\(v));" }
            helpers.append(try cast(name: name + "_c2", inputWidth: q.width, inputSigned: q.signed, fromFraction: q.fraction, to: out))
            locals.append("reg \(Verilog.range(q.width, signed: q.signed))c;  // the quantizer's code")
            return "begin c = \(name)_c1(\(v)); \(name) = \(name)_c2(c); end"
        }
        let wx = Verilog.signedWidth(input)
        let xs = Verilog.extend("x", from: input.width, signed: input.signed, to: wx)
        switch f.kind {
        case .linear:
            body = [try chain(xs, width: wx, fraction: fi)]
        case .relu:
            body = ["if (\(xs) > \(Verilog.literal(0, width: wx))) \(try chain(xs, width: wx, fraction: fi))",
                    "else \(name) = \(code(f.constantCodes[0]));"]
        case .hardSigmoid, .hardTanh:
            // Exact: 1 when x ≥ 1, the low constant when x ≤ −1, else x + 1 at fraction f + 1 (sigmoid) or x.
            let g = max(wx, fi + 2) + 1
            guard g <= Verilog.maxWidth else { throw HardwareError.unsupported("RTL element '\(name)': \(g)-bit intermediate") }
            locals.append("reg signed [\(g - 1):0] e;")
            let one = Verilog.literal(Int128(1) << fi, width: g)
            let minusOne = Verilog.literal(-(Int128(1) << fi), width: g)
            let sigmoid = f.kind == .hardSigmoid
            let middle = sigmoid ? try chain("e + \(one)", width: g, fraction: fi + 1) : try chain("e", width: g, fraction: fi)
            body = ["e = \(Verilog.extend("x", from: input.width, signed: input.signed, to: g));",
                    "if (e >= \(one)) \(name) = \(code(f.constantCodes[1]));",
                    "else if (e <= \(minusOne)) \(name) = \(code(f.constantCodes[sigmoid ? 0 : 2]));",
                    "else \(middle)"]
        case .table(let t):
            helpers.append(try tableIndex(name: name + "_index", port, fraction: fi, t))
            helpers.append(tableROM(name: name + "_rom", codes: f.tableCodes, output: out))
            locals.append("reg [\(t.size.trailingZeroBitCount - 1):0] i;")
            body = ["i = \(name)_index(x);", "\(name) = \(name)_rom(i);"]
        }
        let main = VerilogFunction(name: name, width: out.width, signed: out.signed, inputs: [port], locals: locals, body: body)
        return helpers + [main]
    }

    /// clamp(floor(x · 2^scaleExponent) − offset, 0, size − 1) (LookupTable.index), exactly.
    static func tableIndex(name: String, _ x: VerilogFunction.Port, fraction: Int, _ t: LookupTable) throws -> VerilogFunction {
        let bits = t.size.trailingZeroBitCount
        let shift = fraction - t.scaleExponent
        guard shift > -64 else { throw HardwareError.unsupported("RTL table '\(name)': scale shift \(shift)") }
        let wx = x.width + (x.signed ? 0 : 1)
        let g = wx + max(0, -shift) + 34  // |offset| ≤ 2^30, size ≤ 2^20
        let e = Verilog.extend("x", from: x.width, signed: x.signed, to: g)
        // A right shift by ≥ wx leaves the sign: as wx.
        let scaled = shift > 0 ? "(\(e) >>> \(min(shift, wx)))" : shift < 0 ? "(\(e) <<< \(-shift))" : e
        return VerilogFunction(
            name: name, width: bits, signed: false, inputs: [x], locals: ["reg signed [\(g - 1):0] s;"],
            body: ["s = \(scaled) - \(Verilog.literal(Int128(t.offset), width: g));",
                   "if (s < \(Verilog.literal(0, width: g))) \(name) = \(bits)'d0;",
                   "else if (s > \(Verilog.literal(Int128(t.size - 1), width: g))) \(name) = \(bits)'d\(t.size - 1);",
                   "else \(name) = s[\(bits - 1):0];"])
    }

    /// A constant ROM: one case item per index, each the entry's final output code.
    static func tableROM(name: String, codes: [Int64], output: FixedType) -> VerilogFunction {
        let bits = codes.count.trailingZeroBitCount
        var body = ["case (i)"]
        for (i, c) in codes.enumerated() { body.append("    \(bits)'d\(i): \(name) = \(Verilog.code(c, width: output.width));") }
        body.append("endcase")
        return VerilogFunction(name: name, width: output.width, signed: output.signed,
                               inputs: [.init(name: "i", width: bits, signed: false)], locals: [], body: body)
    }
}
