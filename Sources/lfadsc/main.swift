import Foundation

// The executable only forwards argv; everything else lives in CommandLineTool and the libraries.
let status = CommandLineTool.run(Array(CommandLine.arguments.dropFirst()), console: Console())
exit(status)
