// `T y = expr;` as a Verilog function: the simulator's cast (FixedType.castAligned / Quantizer) on an exact
// two's-complement input of any width, every quantisation and overflow mode, decided on values as there:
//   t = input aligned to the target's LSB, rounded toward −∞ (arithmetic shift);
//   q = t + (rounding increment from the first dropped bit, the rest and the source's sign);
//   in range: the low W bits of q; otherwise the overflow mode rewrites those bits (AP_WRAP with N, AP_WRAP_SM
//   mirror the headers' bit-field rewrites, including the bit of t just above the target's MSB).
import LFADSIR

public enum VerilogFixed {
    /// `Quantizer(fromFraction:to:)` applied to an exact `inputWidth`-bit input (two's complement when
    /// `inputSigned`): `function automatic [signed] [W-1:0] name(input [signed] [inputWidth-1:0] x)`.
    public static func cast(name: String, inputWidth: Int, inputSigned: Bool, fromFraction: Int,
                            to target: FixedType) throws -> VerilogFunction {
        guard (1...256).contains(inputWidth) else {
            throw HardwareError.unsupported("RTL cast '\(name)': input width \(inputWidth) outside 1...256")
        }
        let w = target.width
        let wx = inputWidth + (inputSigned ? 0 : 1)  // signed width of the input value
        // Shifts beyond these bounds act exactly like the bound (see the comments at each use), which keeps
        // every intermediate narrow whatever the fractions.
        let difference = fromFraction.subtractingReportingOverflow(target.fraction)
        let d = difference.overflow ? (fromFraction > 0 ? Int.max : Int.min) : difference.partialValue
        let port = VerilogFunction.Port(name: "x", width: inputWidth, signed: inputSigned)
        if target.overflow == .wrap && target.saturationBits == 0 {
            return wrapCast(name: name, port: port, shift: d, target: target)
        }
        var body = [String]()
        let g: Int
        if d > 0 {
            // A right shift by ≥ wx + 1 leaves t = sign, first dropped bit = sign, rest = any bit set: the same
            // as wx + 1.
            let s = min(d, wx + 1)
            g = max(wx, w + 1) + 2
            body.append("t = \(Verilog.extend("x", from: inputWidth, signed: inputSigned, to: g)) >>> \(s);")
            let up = roundUp(port, shift: s, target.quantization)
            body.append(up == "1'b0" ? "q = t;" : "q = t + $signed({\(g - 1)'d0, \(up)});")
        } else {
            // A left shift by ≥ W + 1 overflows every non-zero input with zero low W + 1 bits: as W + 1.
            let s = d == 0 ? 0 : min(d == Int.min ? Int.max : -d, w + 1)
            g = max(wx + s, w + 1) + 2
            let e = Verilog.extend("x", from: inputWidth, signed: inputSigned, to: g)
            body.append(s == 0 ? "t = \(e);" : "t = \(e) <<< \(s);")
            body.append("q = t;")
        }
        guard g <= Verilog.maxWidth else {
            throw HardwareError.unsupported("RTL cast '\(name)': intermediate of \(g) bits")
        }
        body += overflow(target, g: g)
        let locals = ["reg signed [\(g - 1):0] t;  // aligned to the target's LSB, floor",
                      "reg signed [\(g - 1):0] q;  // rounded",
                      "reg [\(w - 1):0] v;"]
        body.append("\(name) = \(target.signed ? "$signed(v)" : "v");")
        return VerilogFunction(name: name, width: w, signed: target.signed, inputs: [port], locals: locals, body: body)
    }

    /// The rounding increment (a 1-bit expression) of an input shifted right by s ≥ 1: from the first dropped bit,
    /// whether any lower bit is set, the source's sign and (AP_RND_CONV) t[0].
    static func roundUp(_ x: VerilogFunction.Port, shift s: Int, _ mode: Quantization) -> String {
        let sign = x.signed ? "\(x.name)[\(x.width - 1)]" : "1'b0"
        let first = s - 1 <= x.width - 1 ? "\(x.name)[\(s - 1)]" : sign
        let rest = s < 2 ? "1'b0" : s - 2 <= x.width - 1 ? "(|\(x.name)[\(s - 2):0])" : "(|\(x.name))"
        switch mode {
        case .trn: return "1'b0"
        case .rnd: return first
        case .rndZero: return "(\(first) & (\(sign) | \(rest)))"
        case .rndMinInf: return "(\(first) & \(rest))"
        case .rndInf: return "(\(first) & (~\(sign) | \(rest)))"
        case .rndConv: return "(\(first) & (t[0] | \(rest)))"
        case .trnZero: return "(\(sign) & (\(first) | \(rest)))"
        }
    }

    /// AP_WRAP without N: the low W bits of the rounded aligned value, computed in W bits (a wrapped sum needs
    /// no higher bit): t = bits s ... s + W − 1 of the sign-extended input (s < 0: shifted left).
    static func wrapCast(name: String, port: VerilogFunction.Port, shift d: Int, target: FixedType) -> VerilogFunction {
        let w = target.width
        let s = d > 0 ? min(d, port.width + 1) : max(d, -(w + 1))  // beyond these every bit of t is the same
        let t = Verilog.bits(port.name, width: port.width, signed: port.signed, lo: s, hi: s + w - 1)
        var body = ["t = \(t);"]
        let up = s > 0 ? roundUp(port, shift: s, target.quantization) : "1'b0"
        body.append(up == "1'b0" ? "\(name) = t;" : "\(name) = t + \(w == 1 ? up : "{\(w - 1)'d0, \(up)}");")
        var f = VerilogFunction(name: name, width: w, signed: target.signed, inputs: [port],
                                locals: ["reg \(Verilog.range(w, signed: target.signed))t;  // low W bits of the aligned input"],
                                body: body)
        // Wrap-around ignores the input's bits above the target's MSB by definition: that is not a lint finding.
        f.text = "/* verilator lint_off UNUSEDSIGNAL */\n" + f.text + "/* verilator lint_on UNUSEDSIGNAL */\n"
        return f
    }

    /// v = the low W bits of q, rewritten by the overflow mode when q is out of range (FixedType.adjustOverflow).
    static func overflow(_ target: FixedType, g: Int) -> [String] {
        let w = target.width, n = target.saturationBits
        let top = w - 1
        let neg = "q[\(g - 1)]"
        let above = "q > \(Verilog.literal(Int128(target.maxRaw), width: g))"
        let below = "q < \(Verilog.literal(Int128(target.lowestRaw), width: g))"
        var lines = ["v = q[\(w - 1):0];"]
        func ones(_ k: Int) -> String { "{\(k){1'b1}}" }
        switch target.overflow {
        case .wrap:
            guard n > 0 else { break }
            var fix = [String]()
            if target.signed {
                fix.append("v[\(top)] = \(neg);")
                if n > 1 { fix.append("v[\(w - 2):\(w - n)] = {\(n - 1){~\(neg)}};") }
            } else {
                fix.append("v[\(top):\(w - n)] = \(ones(n));")
            }
            lines.append("if (\(above) || \(below)) begin")
            lines += fix.map { "    " + $0 }
            lines.append("end")
        case .satZero:
            lines.append("if (\(above) || \(below)) v = \(w)'d0;")
        case .sat, .satSym:
            let maxBits = target.signed ? (w == 1 ? "1'b0" : "{1'b0, \(ones(w - 1))}") : ones(w)
            let minBits: String
            if !target.signed {
                minBits = "\(w)'d0"
            } else if w == 1 {
                minBits = "1'b1"
            } else if target.overflow == .satSym {
                minBits = w == 2 ? "2'b11" : "{1'b1, \(w - 2)'d0, 1'b1}"
            } else {
                minBits = "{1'b1, \(w - 1)'d0}"
            }
            lines.append("if (\(above)) v = \(maxBits);")
            lines.append("else if (\(below)) v = \(minBits);")
        case .wrapSM:
            // Signed only (FixedType rejects unsigned AP_WRAP_SM). lD = t[W], the aligned bit above the target.
            var fix = [String]()
            if n == 0 {
                let flipped = w == 1 ? "t[\(w)]" : "{t[\(w)], ~q[\(w - 2):0]}"
                fix.append("if (t[\(w)] != q[\(top)]) v = \(flipped);")
            } else {
                if n == 1 {
                    fix.append("if (\(neg) != q[\(top)]) v = ~v;")
                } else {
                    fix.append("if (v[\(w - n)] == \(neg)) v = ~v;")
                    fix.append("v[\(w - 2):\(w - n)] = {\(n - 1){~\(neg)}};")
                }
                fix.append("v[\(top)] = \(neg);")
            }
            lines.append("if (\(above) || \(below)) begin")
            lines += fix.map { "    " + $0 }
            lines.append("end")
        }
        return lines
    }
}
