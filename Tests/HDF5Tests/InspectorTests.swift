import XCTest
@testable import HDF5

final class InspectorTests: XCTestCase {
    func testTextMatchesH5pyListing() throws {
        for name in Fixtures.names {
            let file = try HDF5File(path: Fixtures.path(name))
            let expected = try Fixtures.text(name + ".expected.txt")
            let actual = try HDF5Inspector.text(file)
            if actual != expected {
                let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
                let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
                let i = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
                XCTFail("\(name): first difference at line \(i + 1):\n  ours:  \(i < a.count ? a[i] : "<end>")\n  h5py:  \(i < e.count ? e[i] : "<end>")")
            }
        }
    }

    func testKerasPeerModelListing() throws {
        guard FileManager.default.fileExists(atPath: Fixtures.kerasPeer) else {
            throw XCTSkip("peer Keras model not present at \(Fixtures.kerasPeer)")
        }
        let file = try HDF5File(path: Fixtures.kerasPeer)
        XCTAssertEqual(try HDF5Inspector.text(file), try Fixtures.text("keras_model_peer.expected.txt"))
    }

    func testJSONIsValidAndComplete() throws {
        for name in Fixtures.names {
            let file = try HDF5File(path: Fixtures.path(name))
            let json = try HDF5Inspector.json(file)
            let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            let objects = parsed?["objects"] as? [[String: Any]] ?? []
            let textLines = try HDF5Inspector.text(file).split(separator: "\n").filter { !$0.hasPrefix("  @") }
            XCTAssertEqual(objects.count, textLines.count, name)
            XCTAssertEqual(objects.first?["path"] as? String, "/")
        }
    }

    func testPythonFloatRepr() {
        let cases: [(Double, String)] = [(1.0, "1.0"), (0.1, "0.1"), (1e-7, "1e-07"), (1e16, "1e+16"), (1e15, "1000000000000000.0"),
                                         (123456789.0, "123456789.0"), (0.0001, "0.0001"), (0.00001, "1e-05"), (-2.5, "-2.5"),
                                         (-0.0, "-0.0"), (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
                                         (Double(Float(0.1)), "0.10000000149011612"), (12345678901234567.0, "1.2345678901234568e+16")]
        for (v, s) in cases { XCTAssertEqual(PythonFloat.repr(v), s) }
    }
}

extension InspectorTests {
    /// Local differential check: LFADSC_EXTRA_FIXTURES=DIR compares every DIR/X.h5 with the
    /// listing DIR/X.expected.txt written by tools/hdf5_fixtures.py's `listing` (and reads all).
    func testExtraFixtureDirectory() throws {
        guard let dir = ProcessInfo.processInfo.environment["LFADSC_EXTRA_FIXTURES"] else {
            throw XCTSkip("set LFADSC_EXTRA_FIXTURES to compare a directory of h5py files")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".h5") }.sorted()
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let path = dir + "/" + name
            let expected = try String(contentsOfFile: String(path.dropLast(3)) + ".expected.txt", encoding: .utf8)
            let file = try HDF5File(path: path)
            XCTAssertEqual(try HDF5Inspector.text(file), expected, name)
            XCTAssertNoThrow(try readEverything(file), name)
        }
    }
}

extension InspectorTests {
    /// Pins the JSON layout (key order, null handling) that `lfadsc inspect --json` prints.
    func testJSONFormatIsStable() throws {
        var w = HDF5Writer()
        try w.addDataset("/g/x", shape: [2, 3], float32: [1, 2, 3, 4, 5, 6], chunks: [1, 3], deflateLevel: 4)
        try w.setAttribute("/g/x", "units", .strings(["mV"]))
        try w.setAttribute("/", "n", .integers([3]))
        try w.setAttribute("/", "long", .doubles((0..<9).map(Double.init)))
        let json = try HDF5Inspector.json(try HDF5File(bytes: try w.bytes(), name: "mem.h5"))
        let expected = """
        {"file":"mem.h5","objects":[
        {"path":"/","kind":"group","attributes":[{"name":"long","dtype":"float64","shape":[9],"count":9,"value":null},\
        {"name":"n","dtype":"int64","shape":[],"count":1,"value":[3]}]},
        {"path":"/g","kind":"group","attributes":[]},
        {"path":"/g/x","kind":"dataset","dtype":"float32","shape":[2,3],"layout":"chunked","chunks":[1,3],\
        "filters":["deflate(4)"],"attributes":[{"name":"units","dtype":"vlstring(utf-8)","shape":[],"count":1,"value":["mV"]}]}
        ]}

        """
        XCTAssertEqual(json, expected)
        XCTAssertEqual(try HDF5Inspector.text(try HDF5File(bytes: try w.bytes(), name: "mem.h5")), """
        / group
          @long: float64 [9] = <9 values>
          @n: int64 [] = 3
        /g group
        /g/x dataset float32 [2, 3] chunked chunks=[1, 3] filters=deflate(4)
          @units: vlstring(utf-8) [] = "mV"

        """)
    }
}
