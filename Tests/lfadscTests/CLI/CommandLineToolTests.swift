import Foundation
import XCTest
@testable import lfadsc

final class CommandLineToolTests: XCTestCase, CLIHarness {
    func testHelpAndVersion() {
        XCTAssertEqual(run(["--version"]).out, "lfadsc \(Version.string)\n")
        let help = run(["--help"])
        XCTAssertEqual(help.status, 0)
        for name in ["compile", "estimate", "simulate", "inspect", "init"] { XCTAssertTrue(help.out.contains(name)) }
        for command in CommandLineTool.commands {
            let r = run([command.spec.name, "--help"])
            XCTAssertEqual(r.status, 0, command.spec.name)
            XCTAssertTrue(r.out.contains("Usage: lfadsc \(command.spec.name)"), command.spec.name)
        }
    }

    func testUnknownCommandAndFlagExitTwoWithOneLine() {
        for argv in [["frobnicate"], ["inspect"], ["inspect", "a.h5", "--bogus"], ["simulate"]] {
            let r = run(argv)
            XCTAssertEqual(r.status, 2, "\(argv)")
            XCTAssertEqual(r.err.filter { $0 == "\n" }.count, 1, "\(argv): \(r.err)")
            XCTAssertTrue(r.out.isEmpty)
        }
    }

    func testCLIReferenceIsCurrent() throws {
        let committed = try String(contentsOf: root.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        XCTAssertEqual(committed, run(["help", "--markdown"]).out,
                       "docs/cli.md is stale: regenerate with `lfadsc help --markdown > docs/cli.md`")
    }
}
