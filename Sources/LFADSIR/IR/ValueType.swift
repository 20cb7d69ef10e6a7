/// The type of an IR value: a sequence of `steps` vectors of `width` values, or a single vector.
/// Spike trains, encoder outputs per step and factors are sequences; posterior means and states are vectors.
public enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case sequence(steps: Int, width: Int)
    case vector(width: Int)

    public var width: Int {
        switch self {
        case .sequence(_, let w), .vector(let w): return w
        }
    }

    /// Number of time steps, or nil for a vector.
    public var steps: Int? {
        if case .sequence(let s, _) = self { return s }
        return nil
    }

    public var isSequence: Bool { steps != nil }

    /// Number of scalars in one value of this type.
    public var elementCount: Int { (steps ?? 1) * width }

    /// The same kind of value with another width.
    public func withWidth(_ w: Int) -> ValueType {
        switch self {
        case .sequence(let s, _): return .sequence(steps: s, width: w)
        case .vector: return .vector(width: w)
        }
    }

    public var description: String {
        switch self {
        case .sequence(let s, let w): return "seq<\(s)x\(w)>"
        case .vector(let w): return "vec<\(w)>"
        }
    }
}
