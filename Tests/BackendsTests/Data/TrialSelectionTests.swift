import XCTest
@testable import Backends

final class TrialSelectionTests: XCTestCase {
    func testForms() throws {
        XCTAssertEqual(try TrialSelection.parse("0:20"), TrialSelection(start: 0, end: 20))
        XCTAssertEqual(try TrialSelection.parse("5:"), TrialSelection(start: 5, end: nil))
        XCTAssertEqual(try TrialSelection.parse(":7"), TrialSelection(start: nil, end: 7))
        XCTAssertEqual(try TrialSelection.parse(":"), TrialSelection.all)
        XCTAssertEqual(try TrialSelection.parse("3"), TrialSelection(start: 3, end: 4))
        XCTAssertEqual(try TrialSelection.parse(" 2 : 9 "), TrialSelection(start: 2, end: 9))
    }

    func testResolve() throws {
        XCTAssertEqual(try TrialSelection.parse("5:").resolve(total: 80, file: "f"), 5..<80)
        XCTAssertEqual(try TrialSelection.parse(":7").resolve(total: 80, file: "f"), 0..<7)
        XCTAssertEqual(try TrialSelection.all.resolve(total: 80, file: "f"), 0..<80)
        XCTAssertEqual(try TrialSelection.parse("79").resolve(total: 80, file: "f"), 79..<80)
        assertDataError(["f.h5", "end 81", "80 trials"]) { _ = try TrialSelection.parse("0:81").resolve(total: 80, file: "f.h5") }
        assertDataError(["start 80"]) { _ = try TrialSelection.parse("80").resolve(total: 80, file: "f.h5") }
        assertDataError(["start 90"]) { _ = try TrialSelection.parse("90:").resolve(total: 80, file: "f.h5") }
        assertDataError(["no trials"]) { _ = try TrialSelection.all.resolve(total: 0, file: "f.h5") }
    }

    func testSyntaxErrors() {
        for bad in ["", "a:b", "3:3", "5:2", "-1", "1:2:3", "1.5", "99999999999999999999999", "\(Int.max)", "x", "0x10"] {
            assertDataError(["--trials"]) { _ = try TrialSelection.parse(bad) }
        }
    }
}
