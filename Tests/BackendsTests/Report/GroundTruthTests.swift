import Foundation
import HDF5
import XCTest
@testable import Backends

final class GroundTruthTests: XCTestCase {
    func write(_ build: (inout HDF5Writer) throws -> Void) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("truth-\(UUID().uuidString).h5").path
        var w = HDF5Writer()
        try build(&w)
        try w.write(to: path)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Only the simulated trials are read, and true rates are divided by conversion_factor (lfads-torch's convention).
    func testReadsTruthAndLatentsOfTheSimulatedTrials() throws {
        let truth = (0..<(4 * 3 * 2)).map(Double.init), latents = (0..<(4 * 3 * 1)).map { Double($0) / 10 }
        let path = try write { w in
            try w.addDataset("valid_truth", shape: [4, 3, 2], float64: truth)
            try w.addDataset("valid_latents", shape: [4, 3, 1], float64: latents)
            try w.addDataset("conversion_factor", shape: [], float64: [2])
        }
        let g = GroundTruth.read(path: path, split: "valid", trials: 1..<3, totalTrials: 4, bins: 3)
        XCTAssertEqual(g.rates?.values, Array(truth[6..<18]).map { $0 / 2 })
        XCTAssertEqual(g.rates?.channels, 2)
        XCTAssertEqual(g.latents?.values, Array(latents[3..<9]))
        XCTAssertTrue(g.rates?.source.contains("valid_truth[1:3]") ?? false)
        XCTAssertEqual(g.notes, [])
    }

    /// Missing, misshapen or non-finite datasets become notes; nothing throws or traps.
    func testBadOrMissingDatasetsBecomeNotes() throws {
        let path = try write { w in
            try w.addDataset("valid_truth", shape: [4, 5, 2], float64: [Double](repeating: 1, count: 40))
            try w.addDataset("valid_latents", shape: [4, 3, 1], float64: [1, 2, .nan, 4, 5, 6, 7, 8, 9, 10, 11, 12])
            try w.addDataset("train_truth", shape: [2, 3, 1], float64: [1, 2, 3, 4, 5, 6])
            try w.addDataset("conversion_factor", shape: [], float64: [0])
        }
        let g = GroundTruth.read(path: path, split: "valid", trials: 0..<4, totalTrials: 4, bins: 3)
        XCTAssertNil(g.rates)
        XCTAssertNil(g.latents)
        XCTAssertEqual(g.notes.count, 2, "\(g.notes)")
        let train = GroundTruth.read(path: path, split: "train", trials: 0..<2, totalTrials: 2, bins: 3)
        XCTAssertNil(train.rates, "a zero conversion factor cannot scale the truth")
        XCTAssertTrue(train.notes.contains { $0.contains("conversion_factor") })
        let outOfRange = GroundTruth.read(path: path, split: "train", trials: 1..<5, totalTrials: 2, bins: 3)
        XCTAssertNil(outOfRange.rates)
        let notHDF5 = GroundTruth.read(path: "/nonexistent.dat", split: "", trials: 0..<1, totalTrials: 1, bins: 1)
        XCTAssertNil(notHDF5.rates)
        XCTAssertEqual(notHDF5.notes.count, 1)
    }
}
