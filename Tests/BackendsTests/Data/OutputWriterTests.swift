import Foundation
import HDF5
import XCTest
@testable import Backends

final class OutputWriterTests: XCTestCase {
    /// 3 trials: rates [4×2], factors [4×1], ic_mean [2].
    private func sample(split: String = "valid") throws -> SimulationOutputs {
        var o = SimulationOutputs(split: split, firstTrial: 5)
        for t in 0..<3 {
            try o.appendTrial("output_params", perTrialShape: [4, 2], values: (0..<8).map { Double(t) + Double($0) / 8 + 0.1 })
            try o.appendTrial("factors", perTrialShape: [4, 1], values: (0..<4).map { -Double(t * 4 + $0) / 1024 })
        }
        try o.add("ic_mean", perTrialShape: [2], values: [0.5, -0.25, 1e-30, 3, 7, -0.0])
        return o
    }

    func testHDF5RoundTripThroughReader() throws {
        let o = try sample()
        let path = try makeTempDirectory(self).appendingPathComponent("out.h5").path
        try OutputWriter.writeHDF5(o, to: path, attributes: ["model": "lorenz_nocon"])
        let f = try HDF5File(path: path)
        XCTAssertEqual(try f.root.memberNames().sorted(), ["valid_factors", "valid_ic_mean", "valid_output_params"])
        XCTAssertEqual(try f.dataset("valid_output_params").shape, [3, 4, 2])
        XCTAssertEqual(try f.dataset("valid_ic_mean").shape, [3, 2])
        XCTAssertEqual(try f.dataset("valid_ic_mean").readDoubles(), o.tensor("ic_mean")?.values)
        XCTAssertEqual(try f.root.attribute("first_trial")?.value, .integers([5]))
        XCTAssertEqual(try f.root.attribute("model")?.value, .strings(["lorenz_nocon"]))
        // the spike reader reads the output back as an explicit dataset (rates: non-integer warning)
        let back = try SpikeDataReader.read(path: path, dataset: "valid_output_params", trials: 1..<3,
                                            expectedInputs: [InputSpec(name: "rates", steps: 4, width: 2)])
        XCTAssertEqual(back.layout, .explicitDataset)
        XCTAssertEqual(back.split, "valid")
        XCTAssertEqual(back.inputs[0].values, Array(o.tensor("output_params")!.values[8..<24]))
        XCTAssertEqual(back.warnings.count, 1)
        // float32 precision rounds
        let p32 = path + ".f32.h5"
        try OutputWriter.writeHDF5(o, to: p32, precision: .float32)
        XCTAssertEqual(try HDF5File(path: p32).dataset("valid_factors").datatype, .float(size: 4, bigEndian: false))
    }

    func testDatRoundTripBothFormats() throws {
        let o = try sample()
        let dir = try makeTempDirectory(self)
        for format in DatFormat.allCases {
            let path = dir.appendingPathComponent("out-\(format).dat").path
            try OutputWriter.writeDat(o, to: path, tensors: ["output_params", "factors"], format: format)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertEqual(text.filter { $0 == "\n" }.count, 3)
            XCTAssertTrue(text.hasSuffix("\n") && !text.contains("  ") && !text.contains(" \n"))
            let back = try SpikeDataReader.read(path: path, expectedInputs: [
                InputSpec(name: "output_params", steps: 4, width: 2), InputSpec(name: "factors", steps: 4, width: 1)])
            XCTAssertEqual(back.inputs[0].values, o.tensor("output_params")?.values)
            XCTAssertEqual(back.inputs[1].values, o.tensor("factors")?.values)
        }
        let exact = try OutputWriter.datText(o, tensors: ["factors"], format: .exact)
        XCTAssertEqual(exact.split(separator: "\n").first, "0 -0.0009765625 -0.001953125 -0.0029296875")
        let float = try OutputWriter.datText(o, tensors: ["ic_mean"], format: .float)
        XCTAssertEqual(float, "0.5 -0.25\n1e-30 3.0\n7.0 -0.0\n")
        // default tensor is the primary output
        XCTAssertEqual(try OutputWriter.datText(o, format: .float).split(separator: "\n").first?.split(separator: " ").count, 8)
    }

    /// Blocks of trials formatted on several threads join into the same bytes, and the first non-finite value in
    /// file order is the one reported.
    func testDatBytesIndependentOfThreads() throws {
        var o = SimulationOutputs(split: "valid", firstTrial: 0)
        for t in 0..<29 {
            try o.appendTrial("output_params", perTrialShape: [3, 2], values: (0..<6).map { Double(t * 6 + $0) / 1024 - 0.07 })
        }
        for format in DatFormat.allCases {
            let one = try OutputWriter.datBytes(o, format: format, threads: 1)
            for threads in [2, 5, 64] { XCTAssertEqual(try OutputWriter.datBytes(o, format: format, threads: threads), one) }
        }
        var bad = SimulationOutputs(split: "valid", firstTrial: 0)
        for t in 0..<29 {
            var v = (0..<6).map { Double(t * 6 + $0) }
            if t == 11 { v[4] = .nan }
            if t == 25 { v[0] = .infinity }
            try bad.appendTrial("output_params", perTrialShape: [3, 2], values: v)
        }
        for threads in [1, 4, 64] {
            XCTAssertThrowsError(try OutputWriter.datBytes(bad, format: .float, threads: threads)) { e in
                XCTAssertTrue("\(e)".contains("trial 11, element 4"), "\(e)")
            }
        }
    }

    func testOverwriteProtection() throws {
        let o = try sample()
        let dir = try makeTempDirectory(self)
        let h5 = dir.appendingPathComponent("o.h5").path, dat = dir.appendingPathComponent("o.dat").path
        try OutputWriter.writeHDF5(o, to: h5)
        try OutputWriter.writeDat(o, to: dat, format: .exact)
        let before = try Data(contentsOf: URL(fileURLWithPath: dat))
        assertDataError([h5, "exists", "--force"]) { try OutputWriter.writeHDF5(o, to: h5) }
        assertDataError([dat, "exists", "--force"]) { try OutputWriter.writeDat(o, to: dat, format: .float) }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dat)), before)
        try OutputWriter.writeDat(o, to: dat, format: .float, overwrite: true)
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: dat)), before)
        try OutputWriter.writeHDF5(o, to: h5, overwrite: true)
        // no temporary files are left behind
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["o.dat", "o.h5"])
        assertDataError(["/no/such/dir/x.dat"]) { try OutputWriter.writeDat(o, to: "/no/such/dir/x.dat", format: .float) }
    }

    func testOutputErrors() throws {
        var o = SimulationOutputs(split: "")
        assertDataError(["no outputs"]) { _ = try OutputWriter.datText(o, format: .float) }
        try o.add("logrates", perTrialShape: [2, 2], values: [1, 2, 3, .infinity])
        assertDataError(["logrates", "non-finite value inf at trial 0, element 3"]) { _ = try OutputWriter.datText(o, tensors: ["logrates"], format: .exact) }
        assertDataError(["no such output", "logrates"]) { _ = try OutputWriter.datText(o, format: .exact) }  // primary output_params absent
        assertDataError(["already added"]) { try o.add("logrates", perTrialShape: [4], values: [1, 2, 3, 4]) }
        assertDataError(["has 2 trials", "'logrates' has 1"]) { try o.add("factors", perTrialShape: [2], values: [1, 2, 3, 4]) }
        assertDataError(["do not fill whole trials"]) { try o.add("gen_init", perTrialShape: [3], values: [1, 2, 3, 4]) }
        assertDataError(["invalid trial shape"]) { try o.add("gen_init", perTrialShape: [0], values: []) }
        assertDataError(["a-z"]) { try o.add("Bad Name", perTrialShape: [1], values: [1]) }
        assertDataError(["trial shape [4] differs"]) { try o.appendTrial("logrates", perTrialShape: [4], values: [1, 2, 3, 4]) }
        try o.appendTrial("logrates", perTrialShape: [2, 2], values: [1, 2, 3, 4])
        try o.add("factors", perTrialShape: [1], values: [1, 2])
        try o.appendTrial("factors", perTrialShape: [1], values: [3])
        assertDataError(["factors: has 3 trials"]) { try o.validate() }
        // without a split the datasets carry bare names
        var p = SimulationOutputs(split: "")
        try p.add("logrates", perTrialShape: [2], values: [1, 2])
        let bytes = try OutputWriter.hdf5Bytes(p)
        XCTAssertEqual(try HDF5File(bytes: bytes, name: "mem").root.memberNames(), ["logrates"])
    }
}
