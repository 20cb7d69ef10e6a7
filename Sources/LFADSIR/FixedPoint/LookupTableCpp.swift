// The C++ spelling of LookupTable.index: the same integer-only computation on an ap_fixed variable.

extension LookupTable {
    /// A C++ expression (of type unsigned) computing `index(raw:fraction:)` for `input` of type `inputType`:
    /// reinterpret the raw bits as an ap_int, arithmetic-shift by (fraction − scaleExponent), subtract `offset`,
    /// then clamp to 0...size−1 by assigning to a saturating ap_ufixed of log2(size) integer bits. For the default
    /// sigmoid on ap_fixed<16,6> x:
    /// `ap_ufixed<10, 10, AP_TRN, AP_SAT>((ap_int<16>(x.range(15, 0)) >> 4) + 512).to_uint()`.
    public func cppIndexExpression(input: String, inputType: FixedType) -> String {
        let w = inputType.width
        let bits = size.trailingZeroBitCount
        let operand = input.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? input : "(\(input))"
        let rawType = inputType.signed ? "ap_int" : "ap_uint"
        let raw = "\(rawType)<\(w)>(\(operand).range(\(w - 1), 0))"
        let shift = inputType.fraction - scaleExponent  // |shift| ≤ ~4300: fraction and scale are both bounded

        let scaled: String
        if shift > 0 {
            if !inputType.signed && shift >= w {
                // Every input floors to 0: the index is a constant.
                return String(index(raw: 0, fraction: inputType.fraction))
            }
            // A signed W-bit value shifted by W − 1 or more is already its sign (0 or −1).
            scaled = "(\(raw) >> \(inputType.signed ? min(shift, w - 1) : shift))"
        } else if shift == 0 {
            scaled = raw
        } else {
            // Beyond 64 bits of left shift every non-zero input is past the clamp (|offset| + size < 2^31),
            // so the shift is capped there to keep the intermediate narrow.
            let left = min(-shift, 64)
            scaled = "(\(rawType)<\(w + left)>(\(raw)) << \(left))"
        }
        let shifted: String
        if offset == 0 {
            shifted = scaled
        } else if offset > 0 {
            shifted = "\(scaled) - \(offset)"
        } else {
            shifted = "\(scaled) + \(-offset)"
        }
        return "ap_ufixed<\(bits), \(bits), AP_TRN, AP_SAT>(\(shifted)).to_uint()"
    }
}
