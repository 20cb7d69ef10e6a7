// One Verilog-2005 `function automatic` of the RTL backend's arithmetic, and the small text helpers every
// generator shares (sized literals, sign/zero extension). Functions are pure: the lead's pipelines call them
// between registers, and tests evaluate them in Verilator against the simulator.
import LFADSIR

/// `function automatic [signed] [outputWidth-1:0] name(input ...); ... endfunction`.
public struct VerilogFunction: Hashable, Sendable {
    /// One input of the function, in call order.
    public struct Port: Hashable, Sendable {
        public var name: String
        public var width: Int
        public var signed: Bool
    }

    public var name: String
    public var text: String
    public var outputWidth: Int
    public var outputSigned: Bool
    public var inputs: [Port]

    /// The declaration head, `function automatic signed [15:0] f(input signed [47:0] x, input [3:0] n);`.
    static func head(_ name: String, width: Int, signed: Bool, _ inputs: [Port]) -> String {
        let ports = inputs.map { "input \(Verilog.range($0.width, signed: $0.signed))\($0.name)" }.joined(separator: ", ")
        return "function automatic \(Verilog.range(width, signed: signed))\(name)(\(ports));"
    }

    init(name: String, width: Int, signed: Bool, inputs: [Port], locals: [String], body: [String]) {
        self.name = name
        self.outputWidth = width
        self.outputSigned = signed
        self.inputs = inputs
        var lines = [VerilogFunction.head(name, width: width, signed: signed, inputs)]
        lines += locals.map { "    " + $0 }
        lines.append("    begin")
        lines += body.map { "        " + $0 }
        lines.append("    end")
        lines.append("endfunction")
        self.text = lines.joined(separator: "\n") + "\n"
    }
}

/// Text helpers: every literal sized and signed explicitly, every extension spelled out (no implicit
/// width changes, so `verilator -Wall` has nothing to say and no context-dependent sizing can bite).
enum Verilog {
    /// Widest intermediate a generator may declare; far above anything a plan needs (TypeLimits).
    static let maxWidth = 1024

    /// "signed [15:0] " or "[15:0] " ("" for a 1-bit unsigned port).
    static func range(_ width: Int, signed: Bool) -> String {
        (signed ? "signed " : "") + (width == 1 && !signed ? "" : "[\(width - 1):0] ")
    }

    /// A `width`-bit signed literal of `value` (which must fit): `16'sd5`, `(-16'sd5)`.
    static func literal(_ value: Int128, width: Int) -> String {
        value < 0 ? "(-\(width)'sd\(value.magnitude))" : "\(width)'sd\(value)"
    }

    /// A code as a `width`-bit pattern, `16'h00ff` (the same bits whether the target is signed or not).
    static func code(_ value: Int64, width: Int) -> String {
        let mask: UInt64 = width == 64 ? ~0 : (UInt64(1) << width) - 1
        return "\(width)'h" + String(UInt64(bitPattern: value) & mask, radix: 16)
    }

    /// `x` (of `from` bits, signed or not) extended to a `to`-bit signed value.
    static func extend(_ x: String, from: Int, signed: Bool, to: Int) -> String {
        precondition(to >= from + (signed ? 0 : 1), "extension must keep the value")
        let fill = signed ? "\(x)[\(from - 1)]" : "1'b0"
        return to == from ? "$signed(\(x))" : "$signed({{\(to - from){\(fill)}}, \(x)})"
    }

    /// Bits lo...hi of `x` (`width` bits) sign- or zero-extended to infinity, lo < 0 reading zeros below bit 0:
    /// a concatenation of exactly hi − lo + 1 bits.
    static func bits(_ x: String, width: Int, signed: Bool, lo: Int, hi: Int) -> String {
        precondition(hi >= lo)
        var parts = [String]()
        let fill = signed ? "\(x)[\(width - 1)]" : "1'b0"
        if hi > width - 1 {
            let k = hi - max(lo, width) + 1
            parts.append(k == 1 ? fill : "{\(k){\(fill)}}")
        }
        let top = min(hi, width - 1), bottom = max(lo, 0)
        if top >= bottom { parts.append(top == bottom ? "\(x)[\(top)]" : "\(x)[\(top):\(bottom)]") }
        if lo < 0 { parts.append("\(min(hi, -1) - lo + 1)'d0") }
        return parts.count == 1 ? parts[0] : "{" + parts.joined(separator: ", ") + "}"
    }

    /// Bits needed for a signed value of `type`'s codes after extension (one more for an unsigned type).
    static func signedWidth(_ type: FixedType) -> Int { type.width + (type.signed ? 0 : 1) }

    /// A valid Verilog identifier (letters, digits, `_`; not starting with a digit).
    static func identifier(_ s: String) -> String {
        var out = String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
        if out.first.map({ !$0.isLetter && $0 != "_" }) ?? true { out = "f_" + out }
        return out
    }
}
