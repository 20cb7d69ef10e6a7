import Foundation
import XCTest
@testable import Backends

enum DataFixtures {
    /// Repository root, from this file's location (Tests/BackendsTests/Data/).
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var lorenzData: String { repoRoot.appendingPathComponent("examples/lorenz/data/lorenz.h5").path }
    static func lorenzReference(_ model: String) -> String {
        repoRoot.appendingPathComponent("examples/lorenz/reference/\(model)_valid_ref.h5").path
    }

    /// The read-only peer material: next to the main repository (../shared) or, from a worktree
    /// under wt/, two levels up; nil when absent (tests using it skip).
    static var templateDirectory: URL? {
        for up in ["../shared", "../../shared"] {
            let dir = repoRoot.appendingPathComponent(up).appendingPathComponent("peers/lfads-fpga-template").standardized
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("tb_input_features.dat").path) { return dir }
        }
        return nil
    }

    static let lorenzInput = [InputSpec(name: "encod_data", steps: 50, width: 40)]
    static let templateInputs = [InputSpec(name: "encoder_input", steps: 73, width: 70),
                                 InputSpec(name: "decoder_input", steps: 73, width: 64)]
}

/// A fresh temporary directory, removed at the end of the test.
func makeTempDirectory(_ test: XCTestCase) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-dataio-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
}

/// Asserts that `body` throws a DataIOError whose description contains every fragment.
func assertDataError(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected an error containing \(fragments)", file: file, line: line)
    } catch let e as DataIOError {
        for f in fragments where !e.description.contains(f) {
            XCTFail("error '\(e.description)' does not contain '\(f)'", file: file, line: line)
        }
        XCTAssertFalse(e.description.contains("\n"), "multi-line error: \(e.description)", file: file, line: line)
    } catch {
        XCTFail("expected DataIOError, got \(type(of: error)): \(error)", file: file, line: line)
    }
}
