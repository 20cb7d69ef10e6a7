import XCTest
@testable import lfadsc

final class ArgumentParserTests: XCTestCase {
    let spec = CommandSpec(
        name: "demo", summary: "demo",
        arguments: [ArgumentSpec(name: "FILE", help: "f"), ArgumentSpec(name: "MORE", help: "m", optional: true)],
        options: [.value("output", short: "o", "PATH", help: "o"), .flag("force", short: "f", help: "f"),
                  .flag("verbose", short: "v", help: "v"), .value("tag", "T", help: "t", repeatable: true)])

    func testLongShortAndInlineForms() throws {
        let p = try ArgumentParser.parse(["in.h5", "--output=out.dat", "-fv", "--tag", "a", "--tag=b"], spec: spec)
        XCTAssertEqual(p.positionals, ["in.h5"])
        XCTAssertEqual(p.value("output"), "out.dat")
        XCTAssertTrue(p.flag("force"))
        XCTAssertTrue(p.flag("verbose"))
        XCTAssertEqual(p.all("tag"), ["a", "b"])
        XCTAssertEqual(try ArgumentParser.parse(["x", "-oFILE"], spec: spec).value("output"), "FILE")
        XCTAssertEqual(try ArgumentParser.parse(["x", "-o", "FILE"], spec: spec).value("output"), "FILE")
    }

    func testDoubleDashEndsOptions() throws {
        let p = try ArgumentParser.parse(["--", "-weird-name.h5"], spec: spec)
        XCTAssertEqual(p.positionals, ["-weird-name.h5"])
    }

    func testUsageErrors() {
        for argv in [["x", "--nope"], ["x", "-z"], ["x", "--output"], ["x", "--force=1"], [], ["a", "b", "c"]] {
            XCTAssertThrowsError(try ArgumentParser.parse(argv, spec: spec), "\(argv)") { error in
                XCTAssertEqual((error as? CLIError)?.exitCode, 2, "\(argv)")
            }
        }
    }

    func testSuggestsCloseOption() {
        XCTAssertThrowsError(try ArgumentParser.parse(["x", "--outptu", "y"], spec: spec)) { error in
            XCTAssertTrue("\(error)".contains("did you mean --output?"), "\(error)")
        }
    }

    func testIntegerOptionIsChecked() throws {
        let p = try ArgumentParser.parse(["x", "--output", "12x"], spec: spec)
        XCTAssertThrowsError(try p.int("output"))
        let q = try ArgumentParser.parse(["x", "--output", "99999999999999999999999"], spec: spec)
        XCTAssertThrowsError(try q.int("output"))
    }
}
