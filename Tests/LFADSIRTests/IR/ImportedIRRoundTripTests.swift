import Foundation
import XCTest
@testable import LFADSIR

/// Every importer's output survives print → parse → print unchanged (issue: "the IR text round-trips for
/// every importer's output").
final class ImportedIRRoundTripTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func assertRoundTrips(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let imported = try ModelLoader.load(path: path)
        // The imported graph and the fully quantised one (every precision and table set).
        for graph in [imported, try QuantizePass().run(FoldQuantizersPass().run(imported))] {
            try assertRoundTrips(graph, path, file: file, line: line)
        }
    }

    func assertRoundTrips(_ graph: Graph, _ path: String, file: StaticString, line: UInt) throws {
        let text = IRPrinter.print(graph)
        let parsed = try IRParser.parse(text, source: path)
        XCTAssertEqual(parsed, graph, "graph changed through text: \(path)", file: file, line: line)
        XCTAssertTrue(IRPrinter.print(parsed) == text, "text changed on the second print: \(path)", file: file, line: line)
    }

    func testLFADSTorchAndTF1Imports() throws {
        for name in ["lorenz_nocon", "lorenz_con", "lorenz_con_tf1"] {
            try assertRoundTrips(Self.repo.appendingPathComponent("examples/lorenz/models/\(name).h5").path)
        }
    }

    func testKerasTemplateImport() throws {
        let path = Self.repo.deletingLastPathComponent().appendingPathComponent("shared/peers/lfads-fpga-template/keras_model.h5").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("../shared/peers/lfads-fpga-template not present") }
        try assertRoundTrips(path)
    }
}
