/// A failure reported to the user as one line on stderr.
/// `usage` errors (bad flags, missing arguments) exit with 2, everything else with 1.
struct CLIError: Error, CustomStringConvertible {
    enum Kind { case usage, failure }
    var kind: Kind
    var message: String

    static func usage(_ message: String) -> CLIError { CLIError(kind: .usage, message: message) }
    static func failure(_ message: String) -> CLIError { CLIError(kind: .failure, message: message) }

    var exitCode: Int32 { kind == .usage ? 2 : 1 }
    var description: String { message }
}
