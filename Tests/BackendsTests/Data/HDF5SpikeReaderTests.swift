import Foundation
import HDF5
import XCTest
@testable import Backends

final class HDF5SpikeReaderTests: XCTestCase {
    // Expected values read with h5py 3.16 from examples/lorenz/data/lorenz.h5 at development time.
    func testLorenzValidSlice() throws {
        let r = try SpikeDataReader.read(path: DataFixtures.lorenzData, trials: 0..<20, expectedInputs: DataFixtures.lorenzInput)
        XCTAssertEqual(r.layout, .lfadsTorch)
        XCTAssertEqual(r.split, "valid")
        XCTAssertEqual(r.totalTrials, 80)
        XCTAssertEqual(r.trials, 0..<20)
        let d = r.inputs[0]
        XCTAssertEqual([d.trials, d.bins, d.channels], [20, 50, 40])
        XCTAssertEqual(d.name, "valid")
        XCTAssertEqual(d.values.reduce(0, +), 20834)
        XCTAssertEqual(d.values.max(), 55)
        XCTAssertEqual(Array(d.trial(0).prefix(10)), [0, 1, 0, 0, 0, 0, 0, 0, 1, 1])
        XCTAssertEqual(Array(d.trial(19)[(49 * 40 + 30)..<(49 * 40 + 40)]), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0])
        XCTAssertEqual(d[19, 0, 3], 2)
        XCTAssertEqual((0..<40).map { d[11, 27, $0] },
                       [0, 0, 1, 0, 1, 0, 2, 1, 1, 1, 0, 3, 0, 1, 0, 3, 0, 0, 0, 0, 1, 0, 0, 2, 0, 1, 0, 1, 6, 0, 3, 1, 0, 0, 0, 1, 2, 2, 0, 0])
        // recon data is a hard link to the same counts
        XCTAssertEqual(r.recon?.values, d.values)
        XCTAssertEqual(r.targets.values, d.values)
        XCTAssertTrue(r.warnings.isEmpty, "\(r.warnings)")
    }

    func testLorenzOffsetSliceAndSplits() throws {
        let r = try SpikeDataReader.read(path: DataFixtures.lorenzData, dataset: "valid", selection: try .parse("20:40"),
                                         expectedInputs: DataFixtures.lorenzInput)
        XCTAssertEqual(r.inputs[0].values.reduce(0, +), 18931)
        XCTAssertEqual((0..<6).map { r.inputs[0][5, 3, $0] }, [0, 1, 0, 1, 0, 1])  // trial 25
        XCTAssertEqual(r.inputs[0].firstTrial, 20)
        let all = try SpikeDataReader.read(path: DataFixtures.lorenzData, expectedInputs: DataFixtures.lorenzInput)
        XCTAssertEqual(all.inputs[0].values.reduce(0, +), 78924)
        XCTAssertEqual(all.inputs[0][79, 49, 39], 0)
        let train = try SpikeDataReader.read(path: DataFixtures.lorenzData, dataset: "train", trials: 0..<3,
                                             expectedInputs: DataFixtures.lorenzInput)
        XCTAssertEqual(train.split, "train")
        XCTAssertEqual(train.totalTrials, 320)
        // explicit dataset key, and a second model input found as <split>_<name>
        let two = try SpikeDataReader.read(path: DataFixtures.lorenzData, dataset: "valid_encod_data", trials: 0..<2,
                                           expectedInputs: [(name: "encod_data", steps: 50, width: 40), (name: "inputs", steps: 50, width: 3)])
        XCTAssertEqual(two.layout, .lfadsTorch)
        XCTAssertEqual(two.inputs[1].channels, 3)
        XCTAssertTrue(two.zeroFilled.isEmpty)
    }

    func testSignatureSniffing() throws {
        let copy = try makeTempDirectory(self).appendingPathComponent("lorenz.bin").path
        try FileManager.default.copyItem(atPath: DataFixtures.lorenzData, toPath: copy)
        let r = try SpikeDataReader.read(path: copy, trials: 0..<20, expectedInputs: DataFixtures.lorenzInput)
        XCTAssertEqual(r.layout, .lfadsTorch)
        XCTAssertEqual(r.inputs[0].values.reduce(0, +), 20834)
    }

    func testLorenzErrors() {
        let path = DataFixtures.lorenzData
        assertDataError([path, "/valid_encod_data", "40 channels", "width 70"]) {
            _ = try SpikeDataReader.read(path: path, expectedInputs: [InputSpec(name: "spikes", steps: 50, width: 70)])
        }
        assertDataError(["50 time bins", "73 steps"]) {
            _ = try SpikeDataReader.read(path: path, expectedInputs: [InputSpec(name: "spikes", steps: 73, width: 40)])
        }
        assertDataError([path, "end 81", "80 trials"]) {
            _ = try SpikeDataReader.read(path: path, trials: 0..<81, expectedInputs: DataFixtures.lorenzInput)
        }
        assertDataError([path, "empty range"]) {
            _ = try SpikeDataReader.read(path: path, trials: 5..<5, expectedInputs: DataFixtures.lorenzInput)
        }
        assertDataError(["rank 1", "/valid_inds"]) {
            _ = try SpikeDataReader.read(path: path, dataset: "valid_inds", expectedInputs: DataFixtures.lorenzInput)
        }
        assertDataError(["'bogus'", "splits: train, valid"]) {
            _ = try SpikeDataReader.read(path: path, dataset: "bogus", expectedInputs: DataFixtures.lorenzInput)
        }
        assertDataError(["no such file"]) {
            _ = try SpikeDataReader.read(path: path + ".missing", expectedInputs: DataFixtures.lorenzInput)
        }
    }

    private func write(_ w: HDF5Writer, _ name: String) throws -> String {
        let path = try makeTempDirectory(self).appendingPathComponent(name).path
        try w.write(to: path)
        return path
    }

    func testNLBLayout() throws {
        var w = HDF5Writer()
        let heldin = (0..<(6 * 4 * 3)).map { Int32($0 % 5) }
        try w.addDataset("train_spikes_heldin", shape: [6, 4, 3], int32: heldin)
        try w.addDataset("eval_spikes_heldin", shape: [2, 4, 3], int32: Array(heldin.prefix(24)).map { $0 + 1 })
        try w.addDataset("eval_spikes_heldout", shape: [2, 4, 2], int32: [Int32](repeating: 1, count: 16))
        try w.addDataset("test_spikes_heldin", shape: [1, 4, 3], int32: [Int32](repeating: 2, count: 12))
        try w.addDataset("test_spikes_heldout", shape: [1, 4, 2], float64: [0, 1, .nan, 1, 0, 0, 1, 1])
        let path = try write(w, "nlb.h5")
        let spec = [InputSpec(name: "spikes", steps: 4, width: 3)]
        let r = try SpikeDataReader.read(path: path, expectedInputs: spec)
        XCTAssertEqual(r.layout, .nlb)
        XCTAssertEqual(r.split, "eval")
        XCTAssertEqual(r.inputs[0].values, heldin.prefix(24).map { Double($0 + 1) })
        XCTAssertEqual(r.heldout?.channels, 2)
        // NaN in held-out spikes: the inputs are read, the held-out targets dropped with a warning
        let nan = try SpikeDataReader.read(path: path, dataset: "test", expectedInputs: spec)
        XCTAssertNil(nan.heldout)
        XCTAssertTrue(nan.warnings.contains { $0.contains("test_spikes_heldout") && $0.contains("non-finite") }, "\(nan.warnings)")
        let t = try SpikeDataReader.read(path: path, dataset: "train", trials: 2..<4, expectedInputs: spec)
        XCTAssertEqual(t.inputs[0].values, heldin[24..<48].map(Double.init))
    }

    func testTFLayoutWithExtInputAndZeroFill() throws {
        var w = HDF5Writer()
        try w.addDataset("train_data", shape: [3, 5, 2], int64: (0..<30).map { Int64($0 % 3) })
        try w.addDataset("valid_data", shape: [2, 5, 2], int64: (0..<20).map { Int64($0 % 4) })
        try w.addDataset("valid_ext_input", shape: [2, 5, 1], float32: (0..<10).map { Float($0) - 4.5 })
        let path = try write(w, "tf.h5")
        let r = try SpikeDataReader.read(path: path, expectedInputs: [InputSpec(name: "spikes", steps: 5, width: 2),
                                                                      InputSpec(name: "ext", steps: 5, width: 1)])
        XCTAssertEqual(r.layout, .lfadsTF)
        XCTAssertEqual(r.split, "valid")
        XCTAssertEqual(r.inputs[0].values, (0..<20).map { Double($0 % 4) })
        XCTAssertEqual(r.inputs[1].values, (0..<10).map { Double($0) - 4.5 })  // negative allowed outside spikes
        // a third input the file does not have is zero-filled and reported
        let z = try SpikeDataReader.read(path: path, dataset: "train", expectedInputs: [
            InputSpec(name: "spikes", steps: 5, width: 2), InputSpec(name: "dec", steps: 5, width: 4)])
        XCTAssertEqual(z.zeroFilled, ["dec"])
        XCTAssertEqual(z.inputs[1].values, [Double](repeating: 0, count: 3 * 5 * 4))
        XCTAssertTrue(z.warnings.contains { $0.contains("'dec'") && $0.contains("zeros") })
    }

    func testBadCounts() throws {
        var w = HDF5Writer()
        try w.addDataset("valid_data", shape: [1, 2, 2], float64: [0, 1, -1, 2])
        try w.addDataset("test_data", shape: [1, 2, 2], float64: [0, .nan, 1, 2])
        try w.addDataset("train_data", shape: [2, 2, 2], float64: [0, 0.5, 1, 2, 0, 0, 1.5, 0])
        try w.addDataset("eval_data", shape: [0, 2, 2], float64: [])
        let path = try write(w, "bad.h5")
        let spec = [InputSpec(name: "spikes", steps: 2, width: 2)]
        assertDataError([path, "/valid_data", "negative spike count -1.0", "trial 0, bin 1, channel 0"]) {
            _ = try SpikeDataReader.read(path: path, expectedInputs: spec)
        }
        assertDataError(["/test_data", "non-finite", "bin 0, channel 1"]) {
            _ = try SpikeDataReader.read(path: path, dataset: "test", expectedInputs: spec)
        }
        let warn = try SpikeDataReader.read(path: path, dataset: "train", expectedInputs: spec)
        XCTAssertEqual(warn.warnings.count, 1)
        XCTAssertTrue(warn.warnings[0].contains("2 non-integer spike counts (first at trial 0, bin 0, channel 1)"), warn.warnings[0])
        assertDataError(["no trials"]) { _ = try SpikeDataReader.read(path: path, dataset: "eval", expectedInputs: spec) }
    }

    func testUnknownLayoutAndStrings() throws {
        var w = HDF5Writer()
        try w.addDataset("counts", shape: [2, 3, 4], int16: [Int16](repeating: 1, count: 24))
        try w.setAttribute("/", "note", .strings(["x"]))
        let path = try write(w, "plain.h5")
        let spec = [InputSpec(name: "spikes", steps: 3, width: 4)]
        assertDataError(["no known spike dataset", "counts", "--dataset"]) {
            _ = try SpikeDataReader.read(path: path, expectedInputs: spec)
        }
        let r = try SpikeDataReader.read(path: path, dataset: "counts", expectedInputs: spec)
        XCTAssertEqual(r.layout, .explicitDataset)
        XCTAssertEqual(r.inputs[0].values.count, 24)
        assertDataError(["text file"]) {
            let dat = path + ".dat"
            try "1 2\n".write(toFile: dat, atomically: true, encoding: .utf8)
            _ = try SpikeDataReader.read(path: dat, dataset: "counts", expectedInputs: spec)
        }
    }

    /// Truncated copies and garbage named .h5 must give errors, never traps.
    func testTruncatedAndGarbageFiles() throws {
        let full = [UInt8](try Data(contentsOf: URL(fileURLWithPath: DataFixtures.lorenzData)))
        let dir = try makeTempDirectory(self)
        for cut in [0, 7, 8, 100, 600, 2_000, 10_000, 60_000, 150_000] {
            let path = dir.appendingPathComponent("cut\(cut).h5").path
            try Data(full.prefix(cut)).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try SpikeDataReader.read(path: path, trials: 0..<20, expectedInputs: DataFixtures.lorenzInput),
                                 "cut at \(cut)") { error in
                XCTAssertTrue(error is DataIOError, "\(error)")
                XCTAssertTrue("\(error)".hasPrefix(path), "\(error)")
            }
        }
        // Losing only the last byte may leave the valid split intact: then the data must be right.
        let tail = dir.appendingPathComponent("tail.h5").path
        try Data(full.dropLast()).write(to: URL(fileURLWithPath: tail))
        if let r = try? SpikeDataReader.read(path: tail, trials: 0..<20, expectedInputs: DataFixtures.lorenzInput) {
            XCTAssertEqual(r.inputs[0].values.reduce(0, +), 20834)
        }
        let garbage = dir.appendingPathComponent("garbage.h5").path
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: URL(fileURLWithPath: garbage))
        XCTAssertThrowsError(try SpikeDataReader.read(path: garbage, expectedInputs: DataFixtures.lorenzInput))
        XCTAssertThrowsError(try SpikeDataReader.read(path: dir.path, expectedInputs: DataFixtures.lorenzInput))
    }
}

final class HDF5CorruptionTests: XCTestCase {
    /// Byte flips all over the Lorenz data file: each read gives an error or data of the right shape.
    func testByteFlipsNeverTrap() throws {
        let full = [UInt8](try Data(contentsOf: URL(fileURLWithPath: DataFixtures.lorenzData)))
        let dir = try makeTempDirectory(self)
        var rng = SplitMix64(seed: 777)
        for i in 0..<60 {
            var bytes = full
            // the metadata lives mostly in the first few KiB: aim half of the flips there
            let limit = i % 2 == 0 ? min(full.count, 8192) : full.count
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(limit))
                bytes[at] ^= UInt8(truncatingIfNeeded: 1 + rng.next() % 255)
            }
            let path = dir.appendingPathComponent("flip\(i).h5").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let r = try SpikeDataReader.read(path: path, trials: 0..<4, expectedInputs: DataFixtures.lorenzInput)
                XCTAssertEqual(r.inputs[0].values.count, 4 * 50 * 40)
            } catch let e as DataIOError {
                XCTAssertTrue(e.description.hasPrefix(path), e.description)
            }
        }
    }
}
