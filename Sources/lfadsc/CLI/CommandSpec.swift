/// The declaration of one command: everything the parser, `--help` and docs/cli.md are generated from.
struct CommandSpec: Sendable {
    var name: String
    var summary: String
    /// Longer explanation shown by `--help` under the usage line.
    var discussion: String = ""
    var arguments: [ArgumentSpec] = []
    var options: [OptionSpec] = []
    var examples: [String] = []
}

/// A positional argument.
struct ArgumentSpec: Sendable {
    var name: String
    var help: String
    var optional: Bool = false
}

/// A named option: `--long VALUE`, `--long=VALUE`, `-s VALUE`, or a flag (`takesValue == false`).
struct OptionSpec: Sendable {
    var long: String
    var short: Character? = nil
    /// Placeholder shown in usage (`FILE`, `N`); nil for a flag.
    var valueName: String? = nil
    var help: String
    /// Shown in help as "(default: …)"; the command applies it.
    var defaultValue: String? = nil
    var repeatable: Bool = false

    var takesValue: Bool { valueName != nil }

    static func flag(_ long: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(long: long, short: short, valueName: nil, help: help)
    }

    static func value(_ long: String, short: Character? = nil, _ valueName: String, help: String,
                      default defaultValue: String? = nil, repeatable: Bool = false) -> OptionSpec {
        OptionSpec(long: long, short: short, valueName: valueName, help: help, defaultValue: defaultValue, repeatable: repeatable)
    }
}

/// Options every command accepts.
enum CommonOptions {
    static let help = OptionSpec.flag("help", short: "h", help: "Show this help and exit.")
}
