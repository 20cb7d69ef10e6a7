// A cast with its source fraction fixed in advance, for the simulator's inner loops.

/// `T y = expr;` for every `expr` of one fraction-bit count: allocation-free and inlinable across modules.
public struct Quantizer: Sendable, Hashable {
    public let sourceFraction: Int
    public let target: FixedType
    @usableFromInline let shift: Int

    public init(fromFraction: Int, to target: FixedType) {
        self.sourceFraction = fromFraction
        self.target = target
        self.shift = FixedType.shift(from: fromFraction, to: target.fraction)
    }

    /// The raw code of `raw · 2^-sourceFraction` in the target type.
    @inlinable
    public func apply(_ raw: Int64) -> Int64 {
        target.castAligned(Int128(raw), shift: shift).raw
    }

    /// As `apply(_:)`, counting in `overflows` each time the overflow mode had to act.
    @inlinable
    public func apply(_ raw: Int64, overflows: inout Int) -> Int64 {
        let result = target.castAligned(Int128(raw), shift: shift)
        if result.overflowed { overflows &+= 1 }
        return result.raw
    }

    /// The same cast for exact wide intermediates (products of two 64-bit codes, long sums).
    @inlinable
    public func apply(wide raw: Int128, overflows: inout Int) -> Int64 {
        let result = target.castAligned(raw, shift: shift)
        if result.overflowed { overflows &+= 1 }
        return result.raw
    }
}
