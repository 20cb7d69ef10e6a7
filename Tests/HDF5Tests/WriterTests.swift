import Foundation
import XCTest
@testable import HDF5

final class WriterTests: XCTestCase {
    static func sample(groupSize: Int = 5) throws -> HDF5Writer {
        var w = HDF5Writer()
        try w.createGroup("/model_weights/dense/dense")
        try w.addDataset("/model_weights/dense/dense/kernel:0", shape: [3, 4], float32: (0..<12).map { Float($0) * 0.5 - 1 })
        try w.addDataset("/model_weights/dense/dense/bias:0", shape: [4], float64: [1.5, -2, 1e-300, .infinity])
        try w.addDataset("/ints/i64", shape: [2, 2], int64: [Int64.min, -1, 0, Int64.max])
        try w.addDataset("/ints/i32", shape: [3], int32: [Int32.min, 0, Int32.max])
        try w.addDataset("/ints/i16", shape: [2], int16: [-300, 300])
        try w.addDataset("/ints/i8", shape: [2], int8: [-128, 127])
        try w.addDataset("/ints/scalar", shape: [], int64: [42])
        try w.addDataset("/ints/empty", shape: [0, 3], int64: [])
        let big = (0..<10_000).map { Float(sin(Double($0) * 0.01)) }
        try w.addDataset("/chunked/gzip", shape: [100, 100], float32: big, chunks: [30, 40], deflateLevel: 6)
        try w.addDataset("/chunked/plain", shape: [100, 100], float64: big.map(Double.init), chunks: [7, 100])
        try w.addDataset("/chunked/many", shape: [5000], float32: Array(big[0..<5000]), chunks: [3], deflateLevel: 1)
        try w.addDataset("/chunked/stored", shape: [10, 10], int64: (0..<100).map(Int64.init), chunks: [10, 10], deflateLevel: 0)
        for i in 0..<groupSize { try w.createGroup("/big/g\(i)") }
        try w.setAttribute("/", "backend", .strings(["tensorflow"]))
        try w.setAttribute("/", "keras_version", .strings(["2.6.0"]))
        try w.setAttribute("/", "utf8", .strings(["gr\u{fc}\u{df}e \"q\""]))
        try w.setAttribute("/model_weights", "layer_names", .strings(["dense", "dropout_1"]), fixedLengthStrings: true)
        try w.setAttribute("/model_weights/dense", "weight_names", .strings(["dense/kernel:0"]), asArray: true, fixedLengthStrings: true)
        try w.setAttribute("/model_weights/dense", "vl_list", .strings(["a", "", "ccc"]))
        try w.setAttribute("/ints/i64", "scale", .doubles([0.25]))
        try w.setAttribute("/ints/i64", "dims", .integers([2, 2]))
        try w.setAttribute("/ints/i64", "one", .integers([7]), asArray: true)
        try w.setAttribute("/ints/i64", "empty", .doubles([]), asArray: true)
        return w
    }

    func testRoundTripThroughOurReader() throws {
        let w = try Self.sample(groupSize: 300)
        let file = try HDF5File(bytes: try w.bytes(), name: "written.h5")
        XCTAssertEqual(file.superblockVersion, 0)
        XCTAssertEqual(try file.dataset("/model_weights/dense/dense/kernel:0").readFloats(), (0..<12).map { Float($0) * 0.5 - 1 })
        XCTAssertEqual(try file.dataset("/model_weights/dense/dense/kernel:0").shape, [3, 4])
        XCTAssertEqual(try file.dataset("/model_weights/dense/dense/bias:0").readDoubles(), [1.5, -2, 1e-300, .infinity])
        XCTAssertEqual(try file.dataset("/ints/i64").readInt64s(), [Int64.min, -1, 0, Int64.max])
        XCTAssertEqual(try file.dataset("/ints/i32").readInt64s(), [Int64(Int32.min), 0, Int64(Int32.max)])
        XCTAssertEqual(try file.dataset("/ints/i16").readInt64s(), [-300, 300])
        XCTAssertEqual(try file.dataset("/ints/i8").readInt64s(), [-128, 127])
        XCTAssertEqual(try file.dataset("/ints/i8").datatype, .integer(size: 1, signed: true, bigEndian: false))
        XCTAssertEqual(try file.dataset("/ints/scalar").shape, [])
        XCTAssertEqual(try file.dataset("/ints/scalar").readInt64s(), [42])
        XCTAssertEqual(try file.dataset("/ints/empty").readInt64s(), [])
        let big = (0..<10_000).map { Float(sin(Double($0) * 0.01)) }
        let gz = try file.dataset("/chunked/gzip")
        XCTAssertEqual(gz.chunkShape, [30, 40])
        XCTAssertEqual(gz.filterNames, ["deflate(6)"])
        XCTAssertEqual(try gz.readFloats(), big)
        XCTAssertEqual(try gz.readDoubles(rows: 31..<62), Array(big[3100..<6200]).map(Double.init))
        XCTAssertEqual(try file.dataset("/chunked/plain").readDoubles(), big.map(Double.init))
        XCTAssertEqual(try file.dataset("/chunked/many").readFloats(), Array(big[0..<5000]))
        XCTAssertEqual(try file.dataset("/chunked/stored").readInt64s(), (0..<100).map(Int64.init))
        XCTAssertEqual(try file.group("/big").memberNames().count, 300)
        XCTAssertTrue(file.exists("/big/g299"))
        XCTAssertEqual(try file.root.attribute("backend")?.value, .strings(["tensorflow"]))
        XCTAssertEqual(try file.root.attribute("utf8")?.value.stringValue, "gr\u{fc}\u{df}e \"q\"")
        XCTAssertEqual(try file.group("model_weights").attribute("layer_names")?.value, .strings(["dense", "dropout_1"]))
        XCTAssertEqual(try file.group("model_weights/dense").attribute("weight_names")?.shape, [1])
        XCTAssertEqual(try file.group("model_weights/dense").attribute("vl_list")?.value, .strings(["a", "", "ccc"]))
        let ds = try file.dataset("/ints/i64")
        XCTAssertEqual(try ds.attribute("scale")?.value, .doubles([0.25]))
        XCTAssertEqual(try ds.attribute("scale")?.shape, [])
        XCTAssertEqual(try ds.attribute("dims")?.value, .integers([2, 2]))
        XCTAssertEqual(try ds.attribute("one")?.shape, [1])
        XCTAssertEqual(try ds.attribute("empty")?.value, .doubles([]))
        XCTAssertEqual(try ds.attribute("empty")?.shape, [0])
    }

    /// Local verification aid: LFADSC_WRITE_SAMPLE=/path writes the sample file for h5py.
    func testWriteSampleForExternalCheck() throws {
        guard let path = ProcessInfo.processInfo.environment["LFADSC_WRITE_SAMPLE"] else {
            throw XCTSkip("set LFADSC_WRITE_SAMPLE=/path/file.h5 to write the sample file")
        }
        try Self.sample(groupSize: 300).write(to: path, overwrite: true)
    }

    func testWriterRejectsBadInput() throws {
        var w = HDF5Writer()
        XCTAssertThrowsError(try w.addDataset("/x", shape: [2, 2], float32: [1, 2, 3]))
        XCTAssertThrowsError(try w.addDataset("/x", shape: [4], float32: [1, 2, 3, 4], chunks: [2, 2]))
        XCTAssertThrowsError(try w.addDataset("/x", shape: [4], float32: [1, 2, 3, 4], deflateLevel: 4))
        XCTAssertThrowsError(try w.addDataset("/x", shape: [4], float32: [1, 2, 3, 4], chunks: [2], deflateLevel: 11))
        try w.addDataset("/x", shape: [1], float32: [1])
        XCTAssertThrowsError(try w.addDataset("/x", shape: [1], float32: [1]))
        XCTAssertThrowsError(try w.createGroup("/x/y"))
        XCTAssertThrowsError(try w.setAttribute("/nope", "a", .integers([1])))
        XCTAssertThrowsError(try w.setAttribute("/x", "a", .unsupported("compound")))
        XCTAssertThrowsError(try w.setAttribute("/", "big", .doubles([Double](repeating: 1, count: 10_000))))
        XCTAssertNoThrow(try w.bytes())
    }

    func testWriteRefusesToOverwriteAndUsesRename() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hdf5-writer-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.h5").path
        var w = HDF5Writer()
        try w.addDataset("/a", shape: [2], float64: [1, 2])
        try w.write(to: path)
        XCTAssertThrowsError(try w.write(to: path)) { e in
            XCTAssertEqual((e as? HDF5Error)?.file, path)
        }
        try w.addDataset("/b", shape: [1], float64: [3])
        try w.write(to: path, overwrite: true)
        XCTAssertTrue(try HDF5File(path: path).exists("/b"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["out.h5"])
        XCTAssertThrowsError(try w.write(to: dir.appendingPathComponent("missing/out.h5").path))
    }

    /// Runs h5dump on written files. Skipped locally without h5dump; required on CI.
    func testH5dumpAcceptsWrittenFiles() throws {
        let candidates = ["/usr/bin/h5dump", "/usr/local/bin/h5dump", "/opt/homebrew/bin/h5dump"]
        guard let h5dump = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("h5dump is required on CI (install hdf5-tools)")
                return
            }
            throw XCTSkip("h5dump not installed (apt-get install hdf5-tools); skipping the h5dump check")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hdf5-h5dump-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var small = HDF5Writer()
        try small.addDataset("/only", shape: [3], float32: [1, 2, 3])
        var empty = HDF5Writer()
        try empty.createGroup("/nothing")
        let files: [(String, HDF5Writer)] = [("sample.h5", try Self.sample(groupSize: 300)), ("small.h5", small),
                                             ("empty.h5", empty), ("root_only.h5", HDF5Writer())]
        for (name, writer) in files {
            let path = dir.appendingPathComponent(name).path
            try writer.write(to: path)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: h5dump)
            p.arguments = [path]
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = pipe
            try p.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "h5dump \(name):\n\(output.prefix(2000))")
            XCTAssertFalse(output.contains("error"), "h5dump \(name):\n\(output.prefix(2000))")
            if name == "sample.h5" {
                XCTAssertTrue(output.contains("\"tensorflow\""), String(output.prefix(500)))
                XCTAssertTrue(output.contains("DATASET \"kernel:0\""))
            }
        }
    }
}
