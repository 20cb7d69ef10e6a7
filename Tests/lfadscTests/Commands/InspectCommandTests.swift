import Foundation
import XCTest
@testable import lfadsc

final class InspectCommandTests: XCTestCase, CLIHarness {
    var lorenzModel: String { path("examples/lorenz/models/lorenz_con.h5") }

    func testTreeListsDatasetsAndAttributes() {
        let r = run(["inspect", lorenzModel])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("@hparams"))
        XCTAssertTrue(r.out.contains("/decoder.ic_to_g0.weight dataset float32 [32, 12]"), r.out)
    }

    func testJSONParses() throws {
        let r = run(["inspect", lorenzModel, "--json"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(r.out.utf8)))
    }

    func testBadFilesGiveOneLineAndStatusOne() throws {
        let dir = try makeScratch("inspect")
        let garbage = dir.appendingPathComponent("garbage.h5")
        try Data("not an hdf5 file at all".utf8).write(to: garbage)
        let truncated = dir.appendingPathComponent("truncated.h5")
        let original = try Data(contentsOf: URL(fileURLWithPath: lorenzModel))
        try original.prefix(original.count / 3).write(to: truncated)
        for path in [garbage.path, truncated.path, dir.appendingPathComponent("missing.h5").path, dir.path] {
            let r = run(["inspect", path])
            XCTAssertEqual(r.status, 1, "\(path): \(r.out)")
            XCTAssertEqual(r.err.filter { $0 == "\n" }.count, 1, r.err)
            XCTAssertTrue(r.err.contains(URL(fileURLWithPath: path).lastPathComponent), r.err)
        }
    }
}
