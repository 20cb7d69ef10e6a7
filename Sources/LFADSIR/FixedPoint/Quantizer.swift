// A cast with its source fraction fixed in advance, for the simulator's inner loops.

/// `T y = expr;` for every `expr` of one fraction-bit count: allocation-free and inlinable across modules.
///
/// Common casts (shift within ±62 bits, AP_WRAP without N, AP_SAT, AP_SAT_SYM, AP_SAT_ZERO) take a 64-bit path;
/// everything else, and any left shift that leaves Int64, goes through `FixedType.cast`. Both paths are checked
/// against the ap_fixed headers by the oracle test.
public struct Quantizer: Sendable, Hashable {
    public let sourceFraction: Int
    public let target: FixedType
    @usableFromInline let shift: Int
    @usableFromInline let fast: Bool
    @usableFromInline let maxRaw: Int64
    /// Smallest code an in-range value may have: minRaw, or minRaw + 1 under signed AP_SAT_SYM.
    @usableFromInline let lowest: Int64
    /// Bits below the first dropped bit: (1 << (shift − 1)) − 1 when shift > 0.
    @usableFromInline let restMask: Int64
    /// 64 − W, for sign extension of a wrapped result.
    @usableFromInline let spare: Int64

    public init(fromFraction: Int, to target: FixedType) {
        self.sourceFraction = fromFraction
        self.target = target
        let shift = FixedType.shift(from: fromFraction, to: target.fraction)
        self.shift = shift
        let simpleOverflow: Bool
        switch target.overflow {
        case .wrap: simpleOverflow = target.saturationBits == 0
        case .sat, .satZero: simpleOverflow = true
        case .satSym: simpleOverflow = target.width > 1  // 1-bit AP_SAT_SYM keeps −1; leave it to the general path
        case .wrapSM: simpleOverflow = false
        }
        self.fast = simpleOverflow && (-62...62).contains(shift)
        self.maxRaw = target.maxRaw
        self.lowest = target.lowestRaw
        self.restMask = shift > 1 && shift <= 63 ? (Int64(1) << (shift - 1)) - 1 : 0
        self.spare = Int64(64 - target.width)
    }

    /// The raw code of `raw · 2^-sourceFraction` in the target type.
    @inlinable
    public func apply(_ raw: Int64) -> Int64 {
        var ignored = 0
        return apply(raw, overflows: &ignored)
    }

    /// As `apply(_:)`, counting in `overflows` each time the overflow mode had to act.
    @inlinable @inline(__always)
    public func apply(_ raw: Int64, overflows: inout Int) -> Int64 {
        guard fast else { return general(Int128(raw), overflows: &overflows) }
        var q: Int64
        if shift > 0 {
            let t = raw &>> shift  // masking shifts: every amount here is in 0...63
            // Branch-free 0/1 arithmetic: the dropped bits of real data are unpredictable.
            let firstDropped = (raw &>> (shift - 1)) & 1
            let rest: Int64 = raw & restMask != 0 ? 1 : 0
            let negative = Int64(bitPattern: UInt64(bitPattern: raw) &>> 63)
            let increment = target.quantization.increment(floor: t, firstDropped: firstDropped, rest: rest, negative: negative)
            q = t + increment  // |t| ≤ 2^62: no overflow
        } else if shift == 0 {
            q = raw
        } else {
            q = raw &<< -shift
            if q &>> -shift != raw { return general(Int128(raw), overflows: &overflows) }
        }
        if q >= lowest && q <= maxRaw { return q }
        overflows &+= 1
        switch target.overflow {
        case .wrap:
            return target.signed ? (q &<< spare) &>> spare : Int64(bitPattern: UInt64(bitPattern: q &<< spare) &>> UInt64(spare))
        case .satZero:
            return 0
        default:  // .sat, .satSym
            return q > maxRaw ? maxRaw : lowest
        }
    }

    /// The same cast for exact wide intermediates (products of two 64-bit codes, long sums).
    @inlinable
    public func apply(wide raw: Int128, overflows: inout Int) -> Int64 {
        general(raw, overflows: &overflows)
    }

    @inlinable
    func general(_ raw: Int128, overflows: inout Int) -> Int64 {
        let result = target.castAligned(raw, shift: shift)
        if result.overflowed { overflows &+= 1 }
        return result.raw
    }
}
