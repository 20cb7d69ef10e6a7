/// Parses argv against a `CommandSpec`: long and short options, `--name=value`, bundled short flags
/// (`-fv`), `-oFILE`, and `--` ending option parsing. Every mistake is a usage error naming the flag.
enum ArgumentParser {
    static func parse(_ args: [String], spec: CommandSpec) throws -> ParsedArguments {
        var result = ParsedArguments()
        let options = spec.options + [CommonOptions.help]
        var index = 0
        var onlyPositionals = false

        func record(_ option: OptionSpec, _ value: String) throws {
            if !option.repeatable, option.takesValue, result.values[option.long] != nil {
                // Later value wins, matching common tools; keep every occurrence for repeatable options only.
                result.values[option.long] = [value]
                return
            }
            result.values[option.long, default: []].append(value)
        }

        func takeValue(for option: OptionSpec, shown: String) throws -> String {
            index += 1
            guard index < args.count else { throw CLIError.usage("\(shown) needs a value (\(option.valueName ?? "VALUE"))") }
            return args[index]
        }

        while index < args.count {
            let arg = args[index]
            if onlyPositionals || arg == "-" || !arg.hasPrefix("-") {
                result.positionals.append(arg)
            } else if arg == "--" {
                onlyPositionals = true
            } else if arg.hasPrefix("--") {
                let body = arg.dropFirst(2)
                let name: Substring
                var inline: String? = nil
                if let eq = body.firstIndex(of: "=") {
                    name = body[..<eq]
                    inline = String(body[body.index(after: eq)...])
                } else {
                    name = body
                }
                guard let option = options.first(where: { $0.long == name }) else {
                    throw CLIError.usage("unknown option '--\(name)' for '\(spec.name)'\(suggestion(String(name), options))")
                }
                if option.takesValue {
                    try record(option, try inline ?? takeValue(for: option, shown: "--\(name)"))
                } else {
                    guard inline == nil else { throw CLIError.usage("--\(name) is a flag and takes no value") }
                    try record(option, "")
                }
            } else {
                // One or more short options: -v, -fv, -o FILE, -oFILE.
                var chars = Array(arg.dropFirst())
                while let c = chars.first {
                    chars.removeFirst()
                    guard let option = options.first(where: { $0.short == c }) else {
                        throw CLIError.usage("unknown option '-\(c)' for '\(spec.name)'")
                    }
                    if option.takesValue {
                        let value = chars.isEmpty ? try takeValue(for: option, shown: "-\(c)") : String(chars)
                        try record(option, value)
                        chars = []
                    } else {
                        try record(option, "")
                    }
                }
            }
            index += 1
        }

        if result.flag("help") { return result }
        let required = spec.arguments.filter { !$0.optional }.count
        if result.positionals.count < required {
            let missing = spec.arguments[result.positionals.count]
            throw CLIError.usage("'\(spec.name)' is missing its \(missing.name) argument")
        }
        if result.positionals.count > spec.arguments.count {
            throw CLIError.usage("unexpected argument '\(result.positionals[spec.arguments.count])' for '\(spec.name)'")
        }
        return result
    }

    /// " (did you mean --x?)" when one option name is a close match.
    static func suggestion(_ name: String, _ options: [OptionSpec]) -> String {
        let close = options.map(\.long).filter { editDistance($0, name) <= 2 }
        guard let best = close.min(by: { editDistance($0, name) < editDistance($1, name) }) else { return "" }
        return " (did you mean --\(best)?)"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
