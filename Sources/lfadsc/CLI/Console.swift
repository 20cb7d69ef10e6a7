import Foundation

/// Where commands write. The real console goes to stdout/stderr; tests capture both.
final class Console: @unchecked Sendable {
    private(set) var captured: (out: String, err: String) = ("", "")
    private let capture: Bool
    private let lock = NSLock()
    /// Whether stdout may carry ANSI colour: a terminal, and NO_COLOR not set. Captured output has none
    /// unless a test asks for it.
    let color: Bool

    init(capture: Bool = false, color: Bool? = nil) {
        self.capture = capture
        self.color = color ?? (!capture && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
    }

    func out(_ text: String) {
        if capture { lock.withLock { captured.out += text } } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    func err(_ text: String) {
        if capture { lock.withLock { captured.err += text } } else { FileHandle.standardError.write(Data(text.utf8)) }
    }
}
