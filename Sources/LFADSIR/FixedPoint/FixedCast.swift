// The cast into an ap_fixed type (`T y = expr;`): quantise, then handle overflow, exactly as the Xilinx headers do.
//
// The headers work on bit fields of the source and target registers. The same decisions, stated on values:
//   t  = the source aligned to the target's LSB, rounded toward −∞ (arithmetic shift);
//   q  = t + (1 if the quantisation mode rounds up, judged from the first dropped bit and the rest);
//   the target register keeps the low W bits of q; q outside [min, max] is an overflow, and the overflow mode
//   rewrites the register. AP_WRAP with N > 0 and AP_WRAP_SM rewrite bit fields; they are mirrored bit by bit,
//   including their use of the source bit just above the target's MSB (lD) and of the sign of q.

extension FixedType {
    /// The value `raw · 2^-fraction` assigned to this type.
    @inlinable
    public func cast(raw: Int64, fraction: Int) -> (raw: Int64, overflowed: Bool) {
        castAligned(Int128(raw), shift: FixedType.shift(from: fraction, to: self.fraction))
    }

    /// The value `raw · 2^-fraction` assigned to this type, for exact wide products and sums.
    /// (Disfavoured so that an integer literal picks the Int64 overload.)
    @inlinable @_disfavoredOverload
    public func cast(raw: Int128, fraction: Int) -> (raw: Int64, overflowed: Bool) {
        castAligned(raw, shift: FixedType.shift(from: fraction, to: self.fraction))
    }

    /// `T y = value;` in C++. The headers read the double's fields without special cases except ±0: a subnormal is
    /// taken as (1.m)·2^-1023, and ±inf / NaN as (1.m)·2^1024 with their sign bit, i.e. a huge number
    /// (saturating modes clamp it; AP_WRAP yields 0 because all its low bits are zero). This mirrors that.
    public func cast(_ value: Double) -> (raw: Int64, overflowed: Bool) {
        let bits = value.bitPattern
        if bits & 0x7fff_ffff_ffff_ffff == 0 { return (0, false) }
        if let fast = castInRange(value) { return (fast, false) }
        let exponent = Int((bits >> 52) & 0x7ff) - 1023
        var mantissa = Int128(bits & 0x000f_ffff_ffff_ffff | 0x0010_0000_0000_0000)
        if bits >> 63 != 0 { mantissa = -mantissa }
        return cast(raw: mantissa, fraction: 52 - exponent)
    }

    /// `cast(value)` when it can be done in Double arithmetic and lands in range, else nil (then the exact Int128
    /// path decides). Scaling a normal Double by 2^fraction is exact while the result stays normal, and below
    /// 2^52 its floor is exact; the rounding increment is the one `Quantizer` computes from the dropped bits
    /// (first dropped bit = frac ≥ ½, rest = frac ∉ {0, ½}). The dropped fraction scaled − floor is exact except
    /// for −1 < scaled < 0, where scaled + 1 may round; rounding keeps which side of ½ it is on unless it lands
    /// on ½ itself, so that one case goes to the exact path. In range no overflow mode acts, so the result is
    /// final. Weight quantisation and integer spike inputs take this path.
    func castInRange(_ value: Double) -> Int64? {
        guard width <= 53, value.isNormal, fraction >= -60, fraction <= 60 else { return nil }
        let scaled = value * Double(bitPattern: UInt64(1023 + fraction) << 52)
        guard scaled.magnitude < 0x1p52 else { return nil }
        let down = scaled.rounded(.down)
        let frac = scaled - down
        if frac == 0.5 && down + 0.5 != scaled { return nil }
        let t = Int64(down)
        var q = t
        if frac != 0 {
            let first: Int64 = frac >= 0.5 ? 1 : 0
            let rest: Int64 = frac != 0.5 ? 1 : 0
            let negative: Int64 = value < 0 ? 1 : 0
            q += quantization.increment(floor: t, firstDropped: first, rest: rest, negative: negative)
        }
        return q >= lowestRaw && q <= maxRaw ? q : nil
    }

    /// The value of a raw code: raw · 2^-fraction, rounded to nearest-even when |raw| ≥ 2^53.
    public func double(raw: Int64) -> Double {
        Double(sign: .plus, exponent: -fraction, significand: Double(raw))
    }

    /// Source fraction minus target fraction, clamped: every |shift| ≥ 256 behaves like 256 for 128-bit sources.
    @inlinable
    static func shift(from sourceFraction: Int, to targetFraction: Int) -> Int {
        let (difference, overflow) = sourceFraction.subtractingReportingOverflow(targetFraction)
        if overflow { return sourceFraction > 0 ? 256 : -256 }
        return Swift.max(-256, Swift.min(256, difference))
    }

    /// The cast proper. `shift` = source fraction − target fraction (positive: bits are dropped and rounded).
    @inlinable
    func castAligned(_ raw: Int128, shift d: Int) -> (raw: Int64, overflowed: Bool) {
        let w = width
        let mask: UInt64 = w == 64 ? ~0 : (UInt64(1) << w) &- 1
        let sourceNegative = raw < 0
        // t: aligned value before rounding (exact, or ±2^100 when a left shift leaves Int128);
        // low: its exact low 128 bits, from which the register and lD come.
        var t: Int128
        var low: Int128
        var roundUp = false
        if d > 0 {
            t = raw >> d
            low = t
            if quantization != .trn {
                let firstDropped = (raw >> (d - 1)) & 1 != 0
                let restMask = (UInt128(1) << (d - 1)) &- 1
                let rest = UInt128(truncatingIfNeeded: raw) & restMask != 0
                switch quantization {
                case .trn: roundUp = false
                case .rnd: roundUp = firstDropped
                case .rndZero: roundUp = firstDropped && (sourceNegative || rest)
                case .rndMinInf: roundUp = firstDropped && rest
                case .rndInf: roundUp = firstDropped && (!sourceNegative || rest)
                case .rndConv: roundUp = firstDropped && (t & 1 != 0 || rest)
                case .trnZero: roundUp = sourceNegative && (firstDropped || rest)
                }
            }
        } else if d == 0 {
            t = raw
            low = raw
        } else {
            let s = -d
            low = raw << s
            if raw == 0 || (s < 128 && low >> s == raw) {
                t = low
            } else {
                t = sourceNegative ? -(Int128(1) << 100) : Int128(1) << 100
            }
        }
        let q = roundUp ? t + 1 : t
        let register = UInt64(truncatingIfNeeded: roundUp ? low &+ 1 : low) & mask
        let top = UInt64(1) << (w - 1)

        let above = q > Int128(maxRaw)
        var below = q < Int128(minRaw)
        if overflow == .satSym && signed && q < 0 && (w == 1 || register & (top &- 1) == 0) {
            below = true  // symmetric saturation also rejects the most negative code
        }
        if !above && !below { return (Int64(truncatingIfNeeded: q), false) }

        let resultBits = adjustOverflow(register, above: above, below: below,
                                        bitAboveTarget: (low >> w) & 1 != 0, negative: q < 0)
        let value = signed && resultBits & top != 0 ? resultBits | ~mask : resultBits
        return (Int64(bitPattern: value), true)
    }

    /// The overflow modes as bit-field rewrites of the W-bit register (only called when q is out of range).
    @inlinable
    func adjustOverflow(_ register: UInt64, above: Bool, below: Bool, bitAboveTarget: Bool, negative: Bool) -> UInt64 {
        let w = width
        let n = saturationBits
        let mask: UInt64 = w == 64 ? ~0 : (UInt64(1) << w) &- 1
        let top = UInt64(1) << (w - 1)
        /// Bits lo...hi set (hi < 63 here, since hi ≤ W − 2 signed and W − 1 ≤ 62 unsigned).
        func field(_ lo: Int, _ hi: Int) -> UInt64 { ((UInt64(1) << (hi - lo + 1)) &- 1) << lo }
        func withTop(_ v: UInt64, _ set: Bool) -> UInt64 { set ? v | top : v & ~top }
        var v = register
        switch overflow {
        case .wrap:
            guard n > 0 else { return v }
            if signed {
                v = withTop(v, negative)
                if n > 1 { v = negative ? v & ~field(w - n, w - 2) : v | field(w - n, w - 2) }
            } else {
                v |= field(w - n, w - 1)
            }
        case .satZero:
            v = 0
        case .wrapSM:
            let topSet = v & top != 0
            if n == 0 {
                if bitAboveTarget != topSet { v = withTop(~v & mask, bitAboveTarget) }
            } else {
                if n == 1 && negative != topSet {
                    v = ~v & mask
                } else if n > 1 {
                    if ((v >> (w - n)) & 1 != 0) == negative { v = ~v & mask }
                    v = negative ? v & ~field(w - n, w - 2) : v | field(w - n, w - 2)
                }
                v = withTop(v, negative)
            }
        case .sat, .satSym:
            if signed {
                if above { v = top &- 1 } else if below { v = overflow == .satSym ? top | 1 : top }
            } else {
                if above { v = mask } else if below { v = 0 }
            }
        }
        return v & mask
    }
}
