import XCTest
@testable import HDF5

/// Compares every dataset's values with the sums and first elements h5py recorded.
final class ReaderValueTests: XCTestCase {
    func testDatasetValuesMatchH5py() throws {
        var checked = 0
        for name in Fixtures.names {
            let file = try HDF5File(path: Fixtures.path(name))
            for (path, entry) in try Fixtures.values(name) {
                let d = try file.dataset(path)
                try check(d, entry, "\(name)\(path)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    func testKerasPeerValues() throws {
        guard FileManager.default.fileExists(atPath: Fixtures.kerasPeer) else {
            throw XCTSkip("peer Keras model not present at \(Fixtures.kerasPeer)")
        }
        let file = try HDF5File(path: Fixtures.kerasPeer)
        let values = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.directory.appendingPathComponent("keras_model_peer.values.json"))) as? [String: [String: Any]] ?? [:]
        XCTAssertFalse(values.isEmpty)
        for (path, entry) in values { try check(try file.dataset(path), entry, path) }
        let names = try file.group("model_weights").attribute("layer_names")?.value.stringValues
        XCTAssertEqual(names?.first, "encoder_input")
        XCTAssertEqual(names?.count, 16)
    }

    private func check(_ d: HDF5Dataset, _ entry: [String: Any], _ label: String) throws {
        if entry["null"] as? Bool == true {
            XCTAssertTrue(d.isNull, label)
            XCTAssertEqual(try d.readDoubles(), [], label)
            return
        }
        XCTAssertEqual(d.shape, entry["shape"] as? [Int], label)
        if let strings = entry["strings"] as? [String] {
            XCTAssertEqual(try d.readStrings(), strings, label)
            return
        }
        let values = try d.readDoubles()
        XCTAssertEqual(values.count, entry["count"] as? Int, label)
        let sum = Double(entry["sum"] as? String ?? "") ?? .nan
        XCTAssertEqual(values.reduce(0, +), sum, accuracy: max(1e-9, abs(sum) * 1e-12), label)
        let first = (entry["first"] as? [String] ?? []).compactMap(Double.init)
        XCTAssertEqual(Array(values.prefix(first.count)), first, label)
        if entry["integer"] as? Bool == true, case .integer(8, false, _) = d.datatype {} else if entry["integer"] as? Bool == true {
            XCTAssertEqual(try d.readInt64s().map(Double.init), values, label)
        }
        if case .float(4, _) = d.datatype {
            XCTAssertEqual(try d.readFloats().map(Double.init), values, label)
        }
        if let rows = entry["rows"] as? [Int], rows.count == 2 {
            let slice = try d.readDoubles(rows: rows[0]..<rows[1])
            let rowsSum = Double(entry["rows_sum"] as? String ?? "") ?? .nan
            XCTAssertEqual(slice.reduce(0, +), rowsSum, accuracy: max(1e-9, abs(rowsSum) * 1e-12), label + " rows")
            let rowSize = d.shape.dropFirst().reduce(1, *)
            XCTAssertEqual(slice, Array(values[(rows[0] * rowSize)..<(rows[1] * rowSize)]), label + " rows")
        }
    }

    func testTypedAccessErrors() throws {
        let file = try HDF5File(path: Fixtures.path("types_earliest"))
        XCTAssertThrowsError(try file.dataset("/types/f32").readInt64s()) { e in
            XCTAssertTrue("\(e)".contains("/types/f32"), "\(e)")
        }
        XCTAssertThrowsError(try file.dataset("/strings/vlen").readDoubles())
        XCTAssertThrowsError(try file.dataset("/types/f32").readStrings())
        XCTAssertThrowsError(try file.dataset("/types/matrix").readDoubles(rows: 3..<9))
        XCTAssertThrowsError(try file.dataset("/nope"))
        XCTAssertThrowsError(try file.group("/types/f32"))
        XCTAssertFalse(file.exists("/types/nothing"))
        XCTAssertTrue(file.exists("types/f32"))
        XCTAssertTrue(file.exists("/soft"))
        XCTAssertEqual(try file.dataset("/soft").shape, [9])
        XCTAssertEqual(try file.root.kind(of: "types"), .group)
        XCTAssertEqual(try file.group("types").kind(of: "f32"), .dataset)
        XCTAssertEqual(try file.dataset("/types/scalar").shape, [])
        XCTAssertEqual(try file.dataset("/types/scalar").readDoubles(), [3.25])
        XCTAssertEqual(try file.dataset("/types/bool").readInt64s(), [1, 0, 1, 1])
        XCTAssertTrue(try file.dataset("/types/bool").datatype.isBool)
    }

    func testAttributes() throws {
        for variant in ["types_earliest", "types_latest"] {
            let g = try HDF5File(path: Fixtures.path(variant)).group("/attrs")
            XCTAssertEqual(try g.attribute("int_scalar")?.value, .integers([-42]))
            XCTAssertEqual(try g.attribute("int_vec")?.shape, [5])
            XCTAssertEqual(try g.attribute("vstr")?.value.stringValue, "hello \"quoted\" world")
            XCTAssertEqual(try g.attribute("vstr_utf8")?.value.stringValue, "gr\u{fc}\u{df}e")
            XCTAssertEqual(try g.attribute("fixed_list")?.value, .strings(["dense", "dense_1", "gru"]))
            XCTAssertEqual(try g.attribute("f64_vec")?.value.doubleValues, [1.5, -2.25, 1e-7, 1e16, 123456789.0])
            XCTAssertEqual(try g.attribute("f16")?.value, .doubles([0.5]))
            XCTAssertEqual(try g.attribute("be_int")?.value, .integers([1, -2]))
            XCTAssertEqual(try g.attribute("empty_attr")?.isNull, true)
            XCTAssertNil(try g.attribute("absent"))
        }
        let dense = try HDF5File(path: Fixtures.path("groups_latest")).group("many_attrs")
        XCTAssertEqual(try dense.attributeNames().count, 13)
        let huge = try dense.attribute("huge")?.value.doubleValues ?? []
        XCTAssertEqual(huge.count, 9000)
        XCTAssertTrue(huge.enumerated().allSatisfy { Double($0.offset) == $0.element }, "huge attribute values differ")
        XCTAssertEqual(try dense.attribute("attr_11")?.value, .doubles([2.75]))
        let ordered = try HDF5File(path: Fixtures.path("groups_latest")).group("ordered")
        XCTAssertEqual(try ordered.memberNames(), ["alpha", "mid", "zeta"])
        XCTAssertEqual(try HDF5File(path: Fixtures.path("groups_earliest")).group("big").memberNames().count, 320)
    }

    func testFillValuesForUnallocatedChunks() throws {
        for variant in ["chunks_earliest", "chunks_latest"] {
            let file = try HDF5File(path: Fixtures.path(variant))
            XCTAssertEqual(try file.dataset("unwritten").readInt64s(), [Int64](repeating: 9, count: 10))
            let partial = try file.dataset("partial").readFloats()
            XCTAssertEqual(partial[0], 1.0)
            XCTAssertEqual(partial[8 * 6], -1.5)
            XCTAssertEqual(partial[24 * 6], 2.0)
            XCTAssertEqual(try file.dataset("partial").readDoubles(rows: 9..<11), [Double](repeating: -1.5, count: 12))
        }
    }

    func testSerialAndParallelDecodingAgree() throws {
        let serial = try HDF5File(path: Fixtures.path("chunks_latest"), options: HDF5ReadOptions(decodeThreads: 1))
        let parallel = try HDF5File(path: Fixtures.path("chunks_latest"), options: HDF5ReadOptions(decodeThreads: 4))
        for name in ["many_gzip", "gzip_shuffle", "all_filters", "big_ea"] {
            XCTAssertEqual(try serial.dataset(name).readDoubles(), try parallel.dataset(name).readDoubles(), name)
        }
    }

    func testBytesInitializerAndConcurrentReaders() throws {
        let file = try HDF5File(bytes: try Fixtures.bytes("chunks_earliest"), name: "mem.h5")
        let expected = try file.dataset("gzip_shuffle").readDoubles()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            XCTAssertEqual(try? file.dataset("gzip_shuffle").readDoubles(), expected)
        }
    }
}

extension ReaderValueTests {
    /// A row slice decodes only the chunks it needs: corrupting a chunk outside the slice
    /// leaves the slice readable while a full read reports the damage.
    func testRowSliceDecodesOnlyNeededChunks() throws {
        for variant in ["chunks_earliest", "chunks_latest"] {
            var bytes = try Fixtures.bytes(variant)
            let file = try HDF5File(bytes: bytes, name: variant)
            let d = try file.dataset("many_gzip")
            guard case .chunked(let layout) = d.storage.layout else { return XCTFail("not chunked") }
            let records = try ChunkIndexReader.records(file.core, layout, try d.storage.geometry(layout))
            XCTAssertEqual(records.count, 1250)
            let victim = try XCTUnwrap(records.first { $0.scaled == [1000, 0] })
            let at = Int(victim.address) + 2
            for k in 0..<min(8, victim.size - 2) { bytes[at + k] ^= 0x5a }
            let damaged = try HDF5File(bytes: bytes, name: variant).dataset("many_gzip")
            XCTAssertEqual(try damaged.readDoubles(rows: 0..<999), try d.readDoubles(rows: 0..<999))
            XCTAssertEqual(try damaged.readDoubles(rows: 1001..<1250), try d.readDoubles(rows: 1001..<1250))
            XCTAssertThrowsError(try damaged.readDoubles()) { e in
                XCTAssertTrue("\(e)".contains("many_gzip"), "\(e)")
            }
            XCTAssertThrowsError(try damaged.readDoubles(rows: 1000..<1001))
        }
    }
}
