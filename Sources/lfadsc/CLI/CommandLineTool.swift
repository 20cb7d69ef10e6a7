/// A command: its declaration and what it does with the parsed arguments.
struct Command: Sendable {
    var spec: CommandSpec
    var run: @Sendable (ParsedArguments, Console) throws -> Void
}

/// Dispatches argv to a command. Returns the process exit status; never traps on user input.
enum CommandLineTool {
    static var commands: [Command] {
        [CompileCommand.command, EstimateCommand.command, SimulateCommand.command, InspectCommand.command, ReportCommand.command,
         InitCommand.command, HelpCommand.command]
    }

    static func run(_ args: [String], console: Console) -> Int32 {
        guard let first = args.first else {
            console.out(Usage.overview(commands.map(\.spec)))
            return 0
        }
        switch first {
        case "--help", "-h":
            console.out(Usage.overview(commands.map(\.spec)))
            return 0
        case "--version":
            console.out("lfadsc \(Version.string)\n")
            return 0
        default: break
        }
        guard let command = commands.first(where: { $0.spec.name == first }) else {
            let names = commands.map(\.spec.name)
            let close = names.filter { ArgumentParser.editDistance($0, first) <= 2 }
            let hint = close.first.map { " (did you mean '\($0)'?)" } ?? ""
            console.err("lfadsc: error: unknown command '\(first)'\(hint); see 'lfadsc --help'\n")
            return 2
        }
        do {
            let parsed = try ArgumentParser.parse(Array(args.dropFirst()), spec: command.spec)
            if parsed.flag("help") {
                console.out(Usage.help(for: command.spec))
                return 0
            }
            try command.run(parsed, console)
            return 0
        } catch let error as CLIError {
            console.err("lfadsc \(command.spec.name): error: \(error.message)\n")
            return error.exitCode
        } catch {
            console.err("lfadsc \(command.spec.name): error: \(oneLine(error))\n")
            return 1
        }
    }

    /// Library errors already name the file and object; keep them to one line.
    static func oneLine(_ error: Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
