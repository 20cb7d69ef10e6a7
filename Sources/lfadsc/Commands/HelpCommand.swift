/// `lfadsc help [COMMAND]`, and `--markdown` which regenerates docs/cli.md.
enum HelpCommand {
    static let spec = CommandSpec(
        name: "help",
        summary: "Show help for a command, or the Markdown CLI reference.",
        arguments: [ArgumentSpec(name: "COMMAND", help: "The command to describe.", optional: true)],
        options: [.flag("markdown", help: "Print the full command reference as Markdown (docs/cli.md).")])

    static let command = Command(spec: spec) { args, console in
        let specs = CommandLineTool.commands.map(\.spec)
        if args.flag("markdown") {
            console.out(Usage.markdown(specs))
        } else if let name = args.positional(0) {
            guard let spec = specs.first(where: { $0.name == name }) else { throw CLIError.usage("unknown command '\(name)'") }
            console.out(Usage.help(for: spec))
        } else {
            console.out(Usage.overview(specs))
        }
    }
}
