// One kind of oracle record: an operation on ap_fixed operands, its C++ instantiation and the Swift model of it.
@testable import LFADSIR

enum OracleOperation {
    case cast(FixedType, to: FixedType)
    case multiply(FixedType, FixedType, to: FixedType)
    case add(FixedType, FixedType, to: FixedType)
    case subtract(FixedType, FixedType, to: FixedType)
    case fromDouble(to: FixedType)

    var target: FixedType {
        switch self {
        case .cast(_, let t), .multiply(_, _, let t), .add(_, _, let t), .subtract(_, _, let t), .fromDouble(let t): t
        }
    }

    /// The kOperations entry: a template instantiation from Oracle/ap_fixed_oracle.cpp.
    var cppEntry: String {
        switch self {
        case .cast(let s, let d): "op_cast<\(s), \(d) >"
        case .multiply(let a, let b, let d): "op_mul<\(a), \(b), \(d) >"
        case .add(let a, let b, let d): "op_add<\(a), \(b), \(d) >"
        case .subtract(let a, let b, let d): "op_sub<\(a), \(b), \(d) >"
        case .fromDouble(let d): "op_double<\(d) >"
        }
    }

    /// What lfadsc computes for the same record.
    func swiftResult(_ a: Int64, _ b: Int64) -> (raw: Int64, overflowed: Bool) {
        switch self {
        case .cast(let s, let d):
            return d.cast(raw: a, fraction: s.fraction)
        case .multiply(let x, let y, let d):
            return d.cast(raw: Int128(a) * Int128(b), fraction: x.fraction + y.fraction)
        case .add(let x, let y, let d), .subtract(let x, let y, let d):
            let fraction = max(x.fraction, y.fraction)
            let left = Int128(a) << (fraction - x.fraction)
            let right = Int128(b) << (fraction - y.fraction)
            if case .add = self { return d.cast(raw: left + right, fraction: fraction) }
            return d.cast(raw: left - right, fraction: fraction)
        case .fromDouble(let d):
            return d.cast(Double(bitPattern: UInt64(bitPattern: a)))
        }
    }

    /// The same record through the simulator's precomputed `Quantizer` (nil for doubles, which it does not take).
    func quantizerResult(_ a: Int64, _ b: Int64) -> Int64? {
        var overflows = 0
        switch self {
        case .cast(let s, let d):
            return Quantizer(fromFraction: s.fraction, to: d).apply(a)
        case .multiply(let x, let y, let d):
            return Quantizer(fromFraction: x.fraction + y.fraction, to: d)
                .apply(wide: Int128(a) * Int128(b), overflows: &overflows)
        case .add(let x, let y, let d), .subtract(let x, let y, let d):
            let fraction = max(x.fraction, y.fraction)
            let left = Int128(a) << (fraction - x.fraction)
            let right = Int128(b) << (fraction - y.fraction)
            let sum: Int128
            if case .add = self { sum = left + right } else { sum = left - right }
            // Through the 64-bit path when the exact sum fits, as the simulator's accumulators will.
            let quantizer = Quantizer(fromFraction: fraction, to: d)
            if let narrow = Int64(exactly: sum) { return quantizer.apply(narrow, overflows: &overflows) }
            return quantizer.apply(wide: sum, overflows: &overflows)
        case .fromDouble:
            return nil
        }
    }

    var label: String {
        switch self {
        case .cast(let s, let d): "cast \(s) -> \(d)"
        case .multiply(let a, let b, let d): "mul \(a) * \(b) -> \(d)"
        case .add(let a, let b, let d): "add \(a) + \(b) -> \(d)"
        case .subtract(let a, let b, let d): "sub \(a) - \(b) -> \(d)"
        case .fromDouble(let d): "fromdouble -> \(d)"
        }
    }
}

/// Raw codes as the oracle prints them (low W bits, unsigned) read back as signed values of `type`.
func signExtend(_ bits: UInt64, as type: FixedType) -> Int64 {
    let w = type.width
    guard w < 64 else { return Int64(bitPattern: bits) }
    let low = bits & ((UInt64(1) << w) - 1)
    if type.signed && low >> (w - 1) != 0 { return Int64(bitPattern: low | ~((UInt64(1) << w) - 1)) }
    return Int64(bitPattern: low)
}
