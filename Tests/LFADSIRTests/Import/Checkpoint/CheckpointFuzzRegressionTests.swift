import Foundation
import XCTest
@testable import LFADSIR

/// Replays the checkpoint fuzz inputs committed under fuzz/ through the code the libFuzzer harness runs
/// (CheckpointFuzzExercise.swift), without the fuzzer: minimized crash inputs (fuzz/crashes/checkpoint) must not
/// trap, and the model seeds must still import (so the harness keeps reaching the importer).
final class CheckpointFuzzRegressionTests: XCTestCase {
    func testCheckpointCrashInputsNoLongerTrap() throws {
        for url in try IRFuzzRegressionTests.inputs("crashes", "checkpoint") {
            CheckpointFuzzExercise.run(try IRFuzzRegressionTests.bytes(url))
        }
    }

    func testCheckpointSeedsImport() throws {
        let seeds = try IRFuzzRegressionTests.inputs("seeds", "checkpoint")
        XCTAssertGreaterThanOrEqual(seeds.count, 4, "fuzz/seeds/checkpoint is missing")
        for url in seeds {
            let imported = CheckpointFuzzExercise.run(try IRFuzzRegressionTests.bytes(url))
            // The tiny_* seeds are models; the others hold tensors and hyperparameters only.
            XCTAssertEqual(imported != nil, url.lastPathComponent.hasPrefix("tiny_"), url.lastPathComponent)
            XCTAssertLessThanOrEqual(try IRFuzzRegressionTests.bytes(url).count, 65536, "\(url.lastPathComponent) exceeds -max_len")
        }
    }
}
