// A Xilinx ap_fixed / ap_ufixed type: the unit of every bit-accurate computation in lfadsc.

/// Errors from building fixed-point types and lookup tables; every message is one line quoting the input.
public enum FixedPointError: Error, Equatable, CustomStringConvertible {
    case invalidType(String)
    case invalidTable(String)

    public var description: String {
        switch self {
        case .invalidType(let message), .invalidTable(let message): message
        }
    }
}

/// `ap_fixed<W,I,Q,O,N>` (signed) or `ap_ufixed<W,I,Q,O,N>` (unsigned).
///
/// A value is stored as a W-bit raw integer `raw` meaning `raw · 2^-fraction`.
/// `ap_int<W>` / `ap_uint<W>` are read as `ap_fixed<W,W>` / `ap_ufixed<W,W>` (see docs/fixed-point.md).
public struct FixedType: Hashable, Sendable, CustomStringConvertible {
    /// Total bits W: 1...64 signed, 1...63 unsigned.
    public let width: Int
    /// Integer bits I (including the sign bit when signed); may be negative or exceed W.
    public let integer: Int
    public let signed: Bool
    public let quantization: Quantization
    public let overflow: Overflow
    /// N of `ap_fixed<W,I,Q,O,N>`: saturated top bits under AP_WRAP / AP_WRAP_SM (ignored by the AP_SAT modes).
    public let saturationBits: Int

    /// Largest |I| accepted; keeps every shift amount far from Int overflow while covering any double exponent.
    public static let integerLimit = 4096

    /// Fraction bits F = W − I; may be negative or exceed W, as ap_fixed allows.
    @inlinable public var fraction: Int { width - integer }

    public init(width: Int, integer: Int, signed: Bool = true, quantization: Quantization = .trn,
                overflow: Overflow = .wrap, saturationBits: Int = 0) throws {
        if let problem = FixedType.problem(width: width, integer: integer, signed: signed, overflow: overflow,
                                           saturationBits: saturationBits) {
            let spelled = FixedType.spell(signed ? "ap_fixed" : "ap_ufixed", [
                String(width), String(integer), quantization.cppName, overflow.cppName, String(saturationBits),
            ])
            throw FixedPointError.invalidType("invalid fixed-point type '\(spelled)': \(problem)")
        }
        self.width = width
        self.integer = integer
        self.signed = signed
        self.quantization = quantization
        self.overflow = overflow
        self.saturationBits = saturationBits
    }

    /// Why these parameters do not form a type the headers accept (or that we support), if they do not.
    static func problem(width: Int, integer: Int, signed: Bool, overflow: Overflow, saturationBits: Int) -> String? {
        if !(1...64).contains(width) { return "width \(width) is outside 1...64" }
        // Raw values are Int64: an unsigned 64-bit raw value would not fit.
        if !signed && width == 64 { return "ap_ufixed width 64 is not supported (raw values are Int64), use 1...63" }
        if !(-integerLimit...integerLimit).contains(integer) {
            return "integer bits \(integer) outside ±\(integerLimit)"
        }
        if !(0...width).contains(saturationBits) { return "saturation bits \(saturationBits) outside 0...\(width)" }
        // The headers abort at run time for this combination.
        if !signed && overflow == .wrapSM { return "ap_ufixed does not support AP_WRAP_SM" }
        return nil
    }

    /// Smallest raw value: −2^(W−1) signed, 0 unsigned.
    @inlinable public var minRaw: Int64 { signed ? Int64.min >> (64 - width) : 0 }

    /// Largest raw value: 2^(W−1) − 1 signed, 2^W − 1 unsigned.
    @inlinable public var maxRaw: Int64 {
        Int64(truncatingIfNeeded: (UInt64(1) << (signed ? width - 1 : width)) &- 1)
    }

    /// Smallest code an in-range value may have: minRaw, or minRaw + 1 under signed AP_SAT_SYM (which never
    /// produces the most negative code).
    @inlinable public var lowestRaw: Int64 { overflow == .satSym && signed ? minRaw + 1 : minRaw }

    /// Canonical C++ spelling with trailing defaults omitted: "ap_fixed<16,6>", "ap_ufixed<16,0,AP_RND_CONV,AP_SAT>".
    public var description: String {
        FixedType.spell(signed ? "ap_fixed" : "ap_ufixed",
                        parameters(quantization.cppName, overflow.cppName))
    }

    /// hls4ml's spelling: "fixed<16,6,RND_CONV,SAT>", "ufixed<8,0>".
    public var hls4mlDescription: String {
        FixedType.spell(signed ? "fixed" : "ufixed", parameters(quantization.hls4mlName, overflow.hls4mlName))
    }

    /// W, I and then Q, O, N only as far as needed to express the non-default ones.
    private func parameters(_ q: String, _ o: String) -> [String] {
        var list = [String(width), String(integer)]
        if saturationBits != 0 { return list + [q, o, String(saturationBits)] }
        if overflow != .wrap { return list + [q, o] }
        if quantization != .trn { list.append(q) }
        return list
    }

    static func spell(_ name: String, _ parameters: [String]) -> String {
        name + "<" + parameters.joined(separator: ",") + ">"
    }
}
