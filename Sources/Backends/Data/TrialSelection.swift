import Foundation

// The `--trials` syntax: "a:b" (trials a..<b), "a:" (a to the end), ":b" (0..<b), ":" (all),
// "n" (the single trial n). Indices are zero-based and non-negative, like a Python slice
// without negative indices or a step. Parsing is independent of the file; `resolve` checks
// the selection against the number of trials the file holds.

public struct TrialSelection: Equatable, Sendable, CustomStringConvertible {
    public let start: Int?
    public let end: Int?

    public static let all = TrialSelection(start: nil, end: nil)

    public init(start: Int?, end: Int?) {
        self.start = start
        self.end = end
    }

    public init(_ range: Range<Int>) {
        self.init(start: range.lowerBound, end: range.upperBound)
    }

    public var description: String {
        "\(start.map(String.init) ?? ""):\(end.map(String.init) ?? "")"
    }

    /// Parses the option text; errors name the text and what is wrong with it.
    public static func parse(_ text: String) throws -> TrialSelection {
        func fail(_ why: String) -> DataIOError {
            DataIOError(file: "--trials", message: "'\(text)': \(why) (expected a:b, a:, :b or n)")
        }
        func number(_ s: Substring) throws -> Int? {
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return nil }
            if t.hasPrefix("-") { throw fail("negative trial index \(t)") }
            guard t.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw fail("'\(t)' is not a trial index") }
            guard let v = Int(t) else { throw fail("trial index \(t) is too large") }
            return v
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let n = try number(parts[0]) else { throw fail("empty") }
            let (end, overflow) = n.addingReportingOverflow(1)
            guard !overflow else { throw fail("trial index \(n) is too large") }
            return TrialSelection(start: n, end: end)
        case 2:
            let a = try number(parts[0]), b = try number(parts[1])
            if let a, let b, a >= b { throw fail("empty range (\(a) >= \(b))") }
            return TrialSelection(start: a, end: b)
        default:
            throw fail("too many ':'")
        }
    }

    /// The concrete range for a split of `total` trials; errors name `file` and `object`.
    public func resolve(total: Int, file: String, object: String? = nil) throws -> Range<Int> {
        let a = start ?? 0
        let b = end ?? total
        func fail(_ why: String) -> DataIOError {
            DataIOError(file: file, object: object, message: "trials \(description): \(why)")
        }
        guard total > 0 else { throw fail("the data holds no trials") }
        guard a >= 0, b >= 0 else { throw fail("negative trial index") }
        guard a < total else { throw fail("start \(a) is outside the \(total) trials (0..<\(total))") }
        guard b <= total else { throw fail("end \(b) is past the \(total) trials (0..<\(total))") }
        guard a < b else { throw fail("empty range") }
        return a..<b
    }
}
