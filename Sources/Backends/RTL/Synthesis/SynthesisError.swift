/// A synthesis plan that cannot be turned into scripts, or a utilisation report that cannot be read.
/// `subject` names the unit or file; the description is one line.
public struct SynthesisError: Error, CustomStringConvertible, Equatable, Sendable {
    public var subject: String
    public var message: String

    public init(_ subject: String, _ message: String) {
        self.subject = subject
        self.message = message
    }

    public var description: String { "\(subject): \(message)" }
}
