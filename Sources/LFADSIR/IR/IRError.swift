/// Errors raised while building, verifying, parsing or importing IR.
/// Every message is one line a user can act on; it names the object concerned.
public enum IRError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The graph is malformed: a shape mismatch, an unknown value, a duplicate name.
    case invalid(String)
    /// The IR text could not be parsed (the message carries the line number).
    case parse(String)
    /// An importer met something it cannot represent or a tensor it cannot accept.
    case importFailed(String)
    /// A feature the IR recognises but this code path does not implement yet.
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalid(let m): return "invalid IR: \(m)"
        case .parse(let m): return "IR text: \(m)"
        case .importFailed(let m): return m
        case .unsupported(let m): return "unsupported: \(m)"
        }
    }
}
