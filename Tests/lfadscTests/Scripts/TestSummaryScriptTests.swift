import Foundation
import XCTest

/// scripts/test-summary.sh: the one "N passed, N failed" line scripts/test.sh ends with, from the xunit file of
/// the parallel XCTest run (these fixtures have the layout swift test --parallel --xunit-output writes).
final class TestSummaryScriptTests: XCTestCase, CLIHarness {
    func summary(_ xml: String?, _ arguments: [String]) throws -> String {
        let scratch = try makeScratch("summary")
        let file = scratch.appendingPathComponent("results.xml").path
        if let xml { try xml.write(toFile: file, atomically: true, encoding: .utf8) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["bash", path("scripts/test-summary.sh"), file] + arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return String(decoding: data, as: UTF8.self)
    }

    static func xml(tests: Int, failures: Int) -> String {
        var cases = ""
        for i in 0..<tests {
            cases += "<testcase classname=\"M.T\" name=\"test\(i)\" time=\"0.1\">\n" + (i < failures ? "<failure message=\"failure\"></failure>\n" : "") + "</testcase>\n"
        }
        return """
        <?xml version="1.0" encoding="UTF-8"?>

        <testsuites>
        <testsuite name="TestResults" errors="0" tests="\(tests)" failures="\(failures)" time="1.2">
        \(cases)</testsuite>
        </testsuites>

        """
    }

    func testCountsPassesAndFailuresWithFuzzAsOneTest() throws {
        XCTAssertEqual(try summary(Self.xml(tests: 7, failures: 0), ["0"]), "7 passed, 0 failed\n")
        XCTAssertEqual(try summary(Self.xml(tests: 7, failures: 0), ["0", "0"]), "8 passed, 0 failed\n")
        XCTAssertEqual(try summary(Self.xml(tests: 7, failures: 2), ["1", "0"]), "6 passed, 2 failed\n")
        XCTAssertEqual(try summary(Self.xml(tests: 7, failures: 0), ["0", "1"]), "7 passed, 1 failed\n")
    }

    /// A failed run whose failures are not in the file (a crash, no file) still reads as failed.
    func testFailedRunNeverReadsAsClean() throws {
        XCTAssertEqual(try summary(nil, ["1", "0"]), "1 passed, 1 failed\n")
        XCTAssertEqual(try summary(Self.xml(tests: 3, failures: 0), ["1"]), "3 passed, 1 failed\n")
    }
}
