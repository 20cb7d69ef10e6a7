import Foundation

/// A long-running command's progress on stderr. On a terminal one line rewritten in place (`\r`, then
/// erase-to-end-of-line) and a final line; when stderr is not a terminal only the final line; nothing when quiet.
final class ProgressLine: @unchecked Sendable {
    enum Mode { case live, finalOnly, silent }

    let mode: Mode
    private let console: Console
    private let lock = NSLock()
    private var lastUpdate = Date.distantPast
    private var open = false
    /// Updates closer together than this are dropped (the final line never is).
    private let interval: TimeInterval

    init(console: Console, quiet: Bool, interval: TimeInterval = 0.1) {
        self.console = console
        self.interval = interval
        mode = quiet ? .silent : console.errIsTerminal ? .live : .finalOnly
    }

    /// Replaces the live line (terminal only); `force` skips the rate limit.
    func update(_ text: String, force: Bool = false) {
        guard mode == .live else { return }
        lock.withLock {
            let now = Date()
            guard force || now.timeIntervalSince(lastUpdate) >= interval else { return }
            lastUpdate = now
            open = true
            console.err("\r" + text + "\u{1B}[K")
        }
    }

    /// The closing line: replaces the live line on a terminal, is the only line otherwise.
    func finish(_ text: String) {
        lock.withLock {
            switch mode {
            case .live: console.err("\r" + text + "\u{1B}[K\n")
            case .finalOnly: console.err(text + "\n")
            case .silent: break
            }
            open = false
        }
    }

    /// Erases a live line left open (before an error message is printed).
    func abandon() {
        lock.withLock {
            if open { console.err("\r\u{1B}[K") }
            open = false
        }
    }

    /// 42 s, 3 min 05 s, 1 h 02 min.
    static func duration(_ seconds: Double) -> String {
        let s = Int(max(0, seconds.isFinite ? seconds : 0).rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return String(format: "%d min %02d s", s / 60, s % 60) }
        return String(format: "%d h %02d min", s / 3600, (s % 3600) / 60)
    }
}
