/// What the parser found on the command line, checked against a `CommandSpec`.
struct ParsedArguments: Sendable {
    var positionals: [String] = []
    /// Option values by long name, in command-line order (flags have an empty string per occurrence).
    var values: [String: [String]] = [:]

    func flag(_ long: String) -> Bool { values[long] != nil }

    /// The last value given for an option (later flags override earlier ones, like most tools).
    func value(_ long: String) -> String? { values[long]?.last }

    func all(_ long: String) -> [String] { values[long] ?? [] }

    func positional(_ index: Int) -> String? { index < positionals.count ? positionals[index] : nil }

    /// An integer option, with a usage error naming the flag when it is not one.
    func int(_ long: String, range: ClosedRange<Int> = Int.min...Int.max) throws -> Int? {
        guard let text = value(long) else { return nil }
        guard let n = Int(text), range.contains(n) else {
            throw CLIError.usage("--\(long) expects an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return n
    }

    func double(_ long: String) throws -> Double? {
        guard let text = value(long) else { return nil }
        guard let x = Double(text), x.isFinite else { throw CLIError.usage("--\(long) expects a number, got '\(text)'") }
        return x
    }
}
