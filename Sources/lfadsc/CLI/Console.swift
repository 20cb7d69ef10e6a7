import Foundation

/// Where commands write. The real console goes to stdout/stderr; tests capture both.
final class Console: @unchecked Sendable {
    private(set) var captured: (out: String, err: String) = ("", "")
    private let capture: Bool
    private let lock = NSLock()
    /// Whether stdout may carry ANSI colour: a terminal, and NO_COLOR not set. Captured output has none
    /// unless a test asks for it.
    let color: Bool
    /// Whether stderr is a terminal, i.e. a person may watch a progress line there (tests can pretend).
    let errIsTerminal: Bool

    init(capture: Bool = false, color: Bool? = nil, errIsTerminal: Bool? = nil) {
        self.capture = capture
        self.color = color ?? (!capture && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        self.errIsTerminal = errIsTerminal ?? (!capture && isatty(STDERR_FILENO) == 1)
    }

    func out(_ text: String) {
        if capture { lock.withLock { captured.out += text } } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    func err(_ text: String) {
        if capture { lock.withLock { captured.err += text } } else { FileHandle.standardError.write(Data(text.utf8)) }
    }
}
