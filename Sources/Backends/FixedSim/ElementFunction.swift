// One element-wise function as hardware computes it: the input code (of `input`) is mapped to an exact value
// by the function, cast to the QKeras quantizer's type when there is one, then cast to `output`.
// The HLS emitter prints the same steps as C++ (HLS/ElementFunctionCpp.swift).
import LFADSIR

public struct ElementFunction: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// y = x.
        case linear
        /// y = x if x > 0 else 0.
        case relu
        /// QKeras hard sigmoid clip(0.5·x + 0.5, 0, 1): 1 when x ≥ 1, 0 when x ≤ −1, else (x + 1)·0.5 exactly.
        case hardSigmoid
        /// clip(x, −1, 1): 1 when x ≥ 1, −1 when x ≤ −1, else x.
        case hardTanh
        /// table.entries[table.index(x)] (an entry of table.entryType).
        case table(LookupTable)
    }

    public let kind: Kind
    public let input: FixedType
    public let quantizer: FixedType?
    public let output: FixedType
    /// For a table: the final output code of each entry and 0, 1 or 2 overflowed casts on the way. A table's
    /// result depends on the input only through the entry index, so `apply` reads these instead of casting.
    @usableFromInline let tableCodes: [Int64]
    @usableFromInline let tableOverflows: [UInt8]
    /// The first cast (to the quantizer's type, else to `output`) of an exact value of fraction f, f + 1 or 0
    /// (f = input.fraction, the only fractions `exactValue` returns besides a table's), and the second cast
    /// (quantizer → output) when there is a quantizer: for an exact value that fits Int64 these are the same
    /// casts as `castOut`, on the 64-bit path.
    @usableFromInline let castFromF: Quantizer
    @usableFromInline let castFromF1: Quantizer
    @usableFromInline let castFrom0: Quantizer
    @usableFromInline let secondCast: Quantizer?
    /// The final code and overflow count of each constant result: 0, 1 and −1 (fraction 0). Clipping functions
    /// return these for every input outside (−1, 1), so `apply` reads them instead of casting again.
    @usableFromInline let constantCodes: [Int64]
    @usableFromInline let constantOverflows: [Int]
    /// `apply`'s plan for the non-table kinds, with one = 2^input.fraction: inputs below `below` give constant
    /// `belowConstant` (0 for relu and hard sigmoid, 2 = −1 for hard tanh), inputs above `above` constant 1;
    /// the rest are `middleCast(raw + middleOffset)`. Linear never clips (Int64.min, Int64.max).
    @usableFromInline let isTable: Bool
    @usableFromInline let below: Int64
    @usableFromInline let above: Int64
    @usableFromInline let belowConstant: Int
    @usableFromInline let middleOffset: Int64
    @usableFromInline let middleCast: Quantizer
    /// For hard sigmoid and hard tanh with a window (below...above) of at most 2^16 codes: `middle` of every
    /// code in it, and its overflow counts (empty when all are 0). The GRU gates read these instead of casting:
    /// the casts' data-dependent branches cost more than a load.
    @usableFromInline let windowCodes: [Int32]
    @usableFromInline let windowOverflows: [UInt8]

    /// A posterior's std read at half its logvar: sqrt(exp(2x) + floor) by a table over `table`'s range (the same
    /// range an exp table at logvar/2 has).
    public static func posteriorStd(floor: Double, table: TableSpec?, input: FixedType, output: FixedType, context: String) throws -> ElementFunction {
        try ElementFunction(Activation(.exp), table: table, input: input, output: output, context: context, posteriorStdFloor: floor)
    }

    /// The posterior std op (ic_std): sqrt(exp(logvar) + floor) by a table over logvar itself.
    public static func posteriorStdOfLogvar(floor: Double, table: TableSpec?, input: FixedType, output: FixedType,
                                            context: String) throws -> ElementFunction {
        try ElementFunction(Activation(.exp), table: table, input: input, output: output, context: context, posteriorStdFloor: floor,
                            ofLogvar: true)
    }

    /// Resolves an activation to its hardware form. `table` must be given when the function is sigmoid, tanh or exp.
    /// `posteriorStdFloor` (only with exp) makes the table a posterior std's (`posteriorStd(floor:…)`).
    public init(_ activation: Activation, table: TableSpec?, input: FixedType, output: FixedType, context: String,
                posteriorStdFloor: Double? = nil, ofLogvar: Bool = false) throws {
        try TypeLimits.check(input, accum: true, context)
        try TypeLimits.check(output, context)
        if let q = activation.quantizer { try TypeLimits.check(q, "\(context) quantizer") }
        func lookup(_ f: TableFunction) throws -> Kind {
            guard let spec = table else {
                throw HardwareError.missingPrecision("\(context): \(f.rawValue) needs a lookup table spec")
            }
            try TypeLimits.check(spec.entryType, "\(context) table")
            do {
                return .table(try LookupTable(function: f, size: spec.size, lower: spec.lower, upper: spec.upper, entryType: spec.entryType,
                                              parameter: posteriorStdFloor ?? 0))
            } catch let e as FixedPointError {
                throw HardwareError.unsupported("\(context): \(e.description)")
            }
        }
        switch activation.function {
        case .linear: kind = .linear
        case .relu: kind = .relu
        case .hardSigmoid: kind = .hardSigmoid
        case .hardTanh: kind = .hardTanh
        case .sigmoid: kind = try lookup(.sigmoid)
        case .tanh: kind = try lookup(.tanh)
        case .exp: kind = try lookup(posteriorStdFloor == nil ? .exp : ofLogvar ? .posteriorStdOfLogvar : .posteriorStd)
        case .logSigmoidFloor: kind = try lookup(.logSigmoidFloor)
        case .kerasHardSigmoid, .softmax:
            throw HardwareError.unsupported("\(context): activation \(activation.function.rawValue) has no hardware form yet")
        }
        self.input = input
        self.quantizer = activation.quantizer
        self.output = output
        let firstType = activation.quantizer ?? output
        castFromF = Quantizer(fromFraction: input.fraction, to: firstType)
        castFromF1 = Quantizer(fromFraction: input.fraction + 1, to: firstType)
        castFrom0 = Quantizer(fromFraction: 0, to: firstType)
        // The second cast is left out when it is the identity: same fraction, and every code of the quantizer's
        // type (the first cast's only results, whatever its modes) is in the output's range.
        secondCast = activation.quantizer.flatMap { q in
            let identity = q.fraction == output.fraction && q.minRaw >= output.lowestRaw && q.maxRaw <= output.maxRaw
            return identity ? nil : Quantizer(fromFraction: q.fraction, to: output)
        }
        let one = Int64(1) << input.fraction  // fraction ≤ 40 (TypeLimits)
        (isTable, below, above, belowConstant, middleOffset, middleCast) = switch kind {
        case .linear: (false, .min, .max, 0, 0, castFromF)
        case .relu: (false, 1, .max, 0, 0, castFromF)
        case .hardSigmoid: (false, -one + 1, one - 1, 0, one, castFromF1)
        case .hardTanh: (false, -one + 1, one - 1, 2, 0, castFromF)
        case .table: (true, .min, .max, 0, 0, castFromF)
        }
        var counts = [0, 0, 0]
        constantCodes = [Int128(0), 1, -1].enumerated().map { i, v in
            ElementFunction.castOut(v, fraction: 0, activation.quantizer, output, &counts[i])
        }
        constantOverflows = counts
        if case .table(let t) = kind {
            var codes = [Int64](), counts = [UInt8]()
            codes.reserveCapacity(t.entries.count)
            counts.reserveCapacity(t.entries.count)
            for e in t.entries {
                var n = 0
                codes.append(ElementFunction.castOut(Int128(e), fraction: t.entryType.fraction, quantizer, output, &n))
                counts.append(UInt8(n))
            }
            (tableCodes, tableOverflows) = (codes, counts)
        } else {
            (tableCodes, tableOverflows) = ([], [])
        }
        // The window tables only speed up simulation (apply falls back to the casts without them): a plan built to
        // be priced skips them.
        (windowCodes, windowOverflows) = HardwarePlan.shapesOnly ? ([], [])
            : ElementFunction.window(kind, fraction: input.fraction, below: below, above: above, offset: middleOffset, middleCast, secondCast)
    }

    /// The window tables of a clipping function (see `windowCodes`), or empty ones.
    private static func window(_ kind: Kind, fraction: Int, below: Int64, above: Int64, offset: Int64,
                               _ first: Quantizer, _ second: Quantizer?) -> ([Int32], [UInt8]) {
        switch kind {
        case .hardSigmoid, .hardTanh: guard fraction <= 15 else { return ([], []) }
        default: return ([], [])
        }
        var codes = [Int32](), counts = [UInt8]()
        codes.reserveCapacity(Int(above - below) + 1)
        counts.reserveCapacity(Int(above - below) + 1)
        for raw in below...above {
            var n = 0
            var c = first.apply(raw + offset, overflows: &n)
            if let second { c = second.apply(c, overflows: &n) }
            guard let code = Int32(exactly: c) else { return ([], []) }
            codes.append(code)
            counts.append(UInt8(n))
        }
        return (codes, counts.contains { $0 != 0 } ? counts : [])
    }

    /// The exact value f(x) as (raw, fraction), before any cast.
    @inlinable
    func exactValue(_ raw: Int64) -> (raw: Int128, fraction: Int) {
        let f = input.fraction  // 0...40 (TypeLimits)
        let one = Int128(1) << f
        switch kind {
        case .linear:
            return (Int128(raw), f)
        case .relu:
            return raw > 0 ? (Int128(raw), f) : (0, 0)
        case .hardSigmoid:
            if Int128(raw) >= one { return (1, 0) }
            if Int128(raw) <= -one { return (0, 0) }
            return (Int128(raw) + one, f + 1)
        case .hardTanh:
            if Int128(raw) >= one { return (1, 0) }
            if Int128(raw) <= -one { return (-1, 0) }
            return (Int128(raw), f)
        case .table(let t):
            return (Int128(t.lookup(raw: raw, fraction: f)), t.entryType.fraction)
        }
    }

    /// y for one input code, counting casts that overflowed.
    @inlinable
    public func apply(_ raw: Int64, overflows: inout Int) -> Int64 {
        if isTable { return applyTable(raw, overflows: &overflows) }
        // Clipping and linear functions on the 64-bit path: the same casts as `applyExact` without Int128.
        if raw < below { return constant(belowConstant, &overflows) }
        if raw > above { return constant(1, &overflows) }
        if !windowCodes.isEmpty {
            let i = Int(truncatingIfNeeded: raw &- below)
            if !windowOverflows.isEmpty { overflows &+= Int(windowOverflows[i]) }
            return Int64(windowCodes[i])
        }
        return middle(raw, &overflows)
    }

    /// `middleCast` then `secondCast`: the result of an input strictly between the clipping bounds.
    @inlinable
    func middle(_ raw: Int64, _ overflows: inout Int) -> Int64 {
        var c = middleCast.apply(raw &+ middleOffset, overflows: &overflows)
        if let second = secondCast { c = second.apply(c, overflows: &overflows) }
        return c
    }

    /// The table kinds, out of line so that `apply` stays small enough to inline into the GRU loops.
    @inlinable @inline(never)
    func applyTable(_ raw: Int64, overflows: inout Int) -> Int64 {
        guard case .table(let t) = kind else { return applyExact(raw, overflows: &overflows) }
        let i = t.index(raw: raw, fraction: input.fraction)
        overflows &+= Int(tableOverflows[i])
        return tableCodes[i]
    }

    @inlinable
    func constant(_ i: Int, _ overflows: inout Int) -> Int64 {
        overflows &+= constantOverflows[i]
        return constantCodes[i]
    }

    /// `apply` by way of the exact value (the reference the fast paths above must equal).
    @inlinable
    func applyExact(_ raw: Int64, overflows: inout Int) -> Int64 {
        let v = exactValue(raw)
        guard let narrow = Int64(exactly: v.raw) else {
            return ElementFunction.castOut(v.raw, fraction: v.fraction, quantizer, output, &overflows)
        }
        let f = input.fraction
        let first = v.fraction == f ? castFromF : v.fraction == f + 1 ? castFromF1 : castFrom0
        var c = first.apply(narrow, overflows: &overflows)
        if let second = secondCast { c = second.apply(c, overflows: &overflows) }
        return c
    }

    /// The exact value v·2^-fraction cast to the quantizer's type (when there is one), then to `output`.
    @inlinable
    static func castOut(_ raw: Int128, fraction: Int, _ quantizer: FixedType?, _ output: FixedType, _ overflows: inout Int) -> Int64 {
        var v = (raw: raw, fraction: fraction)
        if let q = quantizer {
            let c = q.cast(raw: v.raw, fraction: v.fraction)
            if c.overflowed { overflows &+= 1 }
            v = (Int128(c.raw), q.fraction)
        }
        let c = output.cast(raw: v.raw, fraction: v.fraction)
        if c.overflowed { overflows &+= 1 }
        return c.raw
    }
}
