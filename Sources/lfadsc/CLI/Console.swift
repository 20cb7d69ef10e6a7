import Foundation

/// Where commands write. The real console goes to stdout/stderr; tests capture both.
final class Console: @unchecked Sendable {
    private(set) var captured: (out: String, err: String) = ("", "")
    private let capture: Bool
    private let lock = NSLock()

    init(capture: Bool = false) { self.capture = capture }

    func out(_ text: String) {
        if capture { lock.withLock { captured.out += text } } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    func err(_ text: String) {
        if capture { lock.withLock { captured.err += text } } else { FileHandle.standardError.write(Data(text.utf8)) }
    }
}
