import Foundation
import XCTest
@testable import LFADSIR

/// Replays the Keras-config and IR-text fuzz inputs committed under fuzz/ through the code the libFuzzer harnesses
/// run (IRFuzzExercise.swift), without the fuzzer: minimized crash inputs (fuzz/crashes/keras, fuzz/crashes/ir) must
/// not trap, and the seeds must still import / parse (so the harness keeps reaching the deep code).
final class IRFuzzRegressionTests: XCTestCase {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fuzz")

    static func inputs(_ kind: String, _ target: String) throws -> [URL] {
        let dir = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target)
        guard FileManager.default.fileExists(atPath: dir.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.path < $1.path }
    }

    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    func testKerasCrashInputsNoLongerTrap() throws {
        for url in try Self.inputs("crashes", "keras") { KerasConfigFuzzExercise.run(try Self.bytes(url)) }
    }

    func testIRCrashInputsNoLongerTrap() throws {
        for url in try Self.inputs("crashes", "ir") { IRTextFuzzExercise.run(try Self.bytes(url)) }
    }

    func testKerasSeedsImportAgainstTheFuzzWeights() throws {
        let seeds = try Self.inputs("seeds", "keras")
        XCTAssertGreaterThanOrEqual(seeds.count, 7, "fuzz/seeds/keras is missing")
        for url in seeds {
            XCTAssertNotNil(KerasConfigFuzzExercise.run(try Self.bytes(url)), "\(url.lastPathComponent) no longer imports")
        }
    }

    func testIRSeedsParse() throws {
        let seeds = try Self.inputs("seeds", "ir")
        XCTAssertGreaterThanOrEqual(seeds.count, 8, "fuzz/seeds/ir is missing")
        for url in seeds {
            let bytes = try Self.bytes(url)
            IRTextFuzzExercise.run(bytes)
            if !url.lastPathComponent.hasSuffix("-summary.lir") {
                XCTAssertNoThrow(try IRParser.parse(String(decoding: bytes, as: UTF8.self)), url.lastPathComponent)
            }
        }
    }
}
