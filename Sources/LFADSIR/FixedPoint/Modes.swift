// Quantisation and overflow modes of Xilinx ap_fixed, with their C++ and hls4ml spellings.

/// How bits below the target's least significant bit are removed (`ap_q_mode`).
public enum Quantization: String, CaseIterable, Sendable {
    /// AP_TRN: toward minus infinity (floor). The ap_fixed default.
    case trn
    /// AP_TRN_ZERO: toward zero.
    case trnZero
    /// AP_RND: to nearest, ties toward plus infinity.
    case rnd
    /// AP_RND_ZERO: to nearest, ties toward zero.
    case rndZero
    /// AP_RND_MIN_INF: to nearest, ties toward minus infinity.
    case rndMinInf
    /// AP_RND_INF: to nearest, ties away from zero.
    case rndInf
    /// AP_RND_CONV: to nearest, ties to even (convergent).
    case rndConv

    /// Spelling inside `ap_fixed<...>`, e.g. "AP_RND_CONV".
    public var cppName: String { "AP_" + hls4mlName }

    /// Spelling inside hls4ml's `fixed<...>`, e.g. "RND_CONV".
    public var hls4mlName: String {
        switch self {
        case .trn: "TRN"
        case .trnZero: "TRN_ZERO"
        case .rnd: "RND"
        case .rndZero: "RND_ZERO"
        case .rndMinInf: "RND_MIN_INF"
        case .rndInf: "RND_INF"
        case .rndConv: "RND_CONV"
        }
    }

    /// Accepts both "AP_RND" and "RND".
    public init?(name: String) {
        let bare = name.hasPrefix("AP_") ? String(name.dropFirst(3)) : name
        guard let mode = Self.allCases.first(where: { $0.hls4mlName == bare }) else { return nil }
        self = mode
    }
}

/// What happens to a value outside the target's range after quantisation (`ap_o_mode`).
public enum Overflow: String, CaseIterable, Sendable {
    /// AP_WRAP: keep the low W bits (two's complement wrap-around); with N > 0 the N top bits saturate.
    case wrap
    /// AP_SAT: clamp to the minimum or maximum.
    case sat
    /// AP_SAT_ZERO: any overflow gives zero.
    case satZero
    /// AP_SAT_SYM: clamp to ±max (signed: the most negative code is never produced by an overflow).
    case satSym
    /// AP_WRAP_SM: sign-magnitude wrap-around (signed types only).
    case wrapSM

    /// Spelling inside `ap_fixed<...>`, e.g. "AP_SAT".
    public var cppName: String { "AP_" + hls4mlName }

    /// Spelling inside hls4ml's `fixed<...>`, e.g. "SAT".
    public var hls4mlName: String {
        switch self {
        case .wrap: "WRAP"
        case .sat: "SAT"
        case .satZero: "SAT_ZERO"
        case .satSym: "SAT_SYM"
        case .wrapSM: "WRAP_SM"
        }
    }

    /// Accepts both "AP_SAT" and "SAT".
    public init?(name: String) {
        let bare = name.hasPrefix("AP_") ? String(name.dropFirst(3)) : name
        guard let mode = Self.allCases.first(where: { $0.hls4mlName == bare }) else { return nil }
        self = mode
    }
}

extension Quantization {
    /// What rounding adds to the floor t of a value, from the dropped bits (all 0/1): the first dropped bit,
    /// whether any bit below it is set, and the source's sign. Shared by the 64-bit cast (`Quantizer`) and the
    /// Double cast (`FixedType.castInRange`) so both follow the headers' rules from one place.
    @inlinable
    public func increment(floor t: Int64, firstDropped: Int64, rest: Int64, negative: Int64) -> Int64 {
        switch self {
        case .trn: return 0
        case .rnd: return firstDropped
        case .rndZero: return firstDropped & (negative | rest)
        case .rndMinInf: return firstDropped & rest
        case .rndInf: return firstDropped & ((negative ^ 1) | rest)
        case .rndConv: return firstDropped & ((t & 1) | rest)
        case .trnZero: return negative & (firstDropped | rest)
        }
    }
}
