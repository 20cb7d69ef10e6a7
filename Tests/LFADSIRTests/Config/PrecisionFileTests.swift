import XCTest
@testable import LFADSIR

final class PrecisionFileTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "lfadsc-precfile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func parse(_ json: String) throws -> PrecisionFile { try PrecisionFile(json: Data(json.utf8), file: "p.json") }

    func type(_ s: String) throws -> FixedType { try FixedType(parsing: s) }

    /// Written from a quantised graph, read back: the same per-tensor types, and they rebuild the same graph.
    func testFromGraphRoundTripsAndRebuildsTheSameTypes() throws {
        var o = PrecisionOverrides()
        o.set(TensorKey("gen", .recurrentWeight), try type("ap_fixed<5,1,AP_RND_CONV,AP_SAT>"))
        o.set(TensorKey("factors", .result), try type("ap_fixed<9,3,AP_TRN,AP_SAT>"))
        let graph = try QuantizeTestGraphs.autoencoder()
        let quantized = try QuantizePass(overrides: o).run(graph)
        let file = PrecisionFile(graph: quantized, note: "test")
        XCTAssertEqual(file.layers["gen"]?.precision[.recurrentWeight]?.description, "ap_fixed<5,1,AP_RND_CONV,AP_SAT>")
        // Every typed tensor is pinned, defaults included.
        let inventory = TensorInventory(quantized)
        for (key, entry) in inventory.entries { XCTAssertEqual(file.layers[key.layer]?.precision[key.field], entry.type, "\(key)") }

        let text = try file.jsonText()
        XCTAssertTrue(text.hasSuffix("}\n"))
        let back = try parse(text)
        XCTAssertEqual(back, file)
        // The file alone, with no other configuration, gives the same quantised graph.
        XCTAssertEqual(IRPrinter.print(try QuantizePass(overrides: back.overrides).run(graph)), IRPrinter.print(quantized))
    }

    func testAcceptsALayerWideDefaultAndNoNote() throws {
        let f = try parse(#"{"lfadsc_precision": 1, "layers": {"enc": {"precision": "ap_fixed<12,4>"}}}"#)
        XCTAssertEqual(f.layers["enc"]?.defaultPrecision, try type("ap_fixed<12,4>"))
        XCTAssertNil(f.note)
    }

    func testErrorsNameTheFileAndKey() {
        let cases: [(String, String?, String)] = [
            ("not json", nil, "not valid JSON"),
            ("[1]", "<root>", "expected an object"),
            (#"{"layers": {}}"#, "lfadsc_precision", "missing"),
            (#"{"lfadsc_precision": 2, "layers": {}}"#, "lfadsc_precision", "version 2 is not supported"),
            (#"{"lfadsc_precision": "1", "layers": {}}"#, "lfadsc_precision", "expected a number"),
            (#"{"lfadsc_precision": 1}"#, "layers", "missing"),
            (#"{"lfadsc_precision": 1, "layers": {}, "model": "x"}"#, "model", "unknown key (valid: lfadsc_precision, note, layers)"),
            (#"{"lfadsc_precision": 1, "layers": {"enc": {"reuse": 2}}}"#, "layers.enc.reuse", "unknown key (valid: precision)"),
            (#"{"lfadsc_precision": 1, "layers": {"enc": {}}}"#, "layers.enc.precision", "missing"),
            (#"{"lfadsc_precision": 1, "layers": {"enc": {"precision": {"weigth": "ap_fixed<8,2>"}}}}"#,
             "layers.enc.precision.weigth", "unknown precision key"),
            (#"{"lfadsc_precision": 1, "layers": {"enc": {"precision": {"weight": "ap_fixed<8"}}}}"#, "layers.enc.precision.weight", "invalid fixed-point type"),
            (#"{"lfadsc_precision": 1, "layers": {"enc": {"precision": {"weight": 8}}}}"#, "layers.enc.precision.weight", "expected a string"),
            (#"{"lfadsc_precision": 1, "layers": {"a b": {"precision": {}}}}"#, "layers.a b", "not a valid layer name"),
            (#"{"lfadsc_precision": 1, "note": 3, "layers": {}}"#, "note", "expected a string"),
        ]
        for (json, key, fragment) in cases {
            XCTAssertThrowsError(try parse(json), json) { e in
                guard let c = e as? ConfigError else { return XCTFail("\(e)") }
                XCTAssertEqual(c.file, "p.json", json)
                XCTAssertEqual(c.key, key, "\(json): \(c)")
                XCTAssertTrue(c.message.contains(fragment), "\(json): \(c)")
                XCTAssertFalse(c.description.contains("\n"), c.description)
            }
        }
        XCTAssertThrowsError(try PrecisionFile.load(path: dir + "/missing.json")) { e in
            XCTAssertEqual("\(e)", dir + "/missing.json: cannot read the precision file")
        }
    }

    /// lfadsc.json's `precision_file` (relative to lfadsc.json) applies over its own per-layer settings and
    /// the hls4ml file's; it round-trips through save.
    func testProjectConfigPrecisionFileKey() throws {
        try #"{"lfadsc_precision": 1, "layers": {"enc": {"precision": {"weight": "ap_fixed<6,2>"}}}}"#
            .write(toFile: dir + "/chosen.json", atomically: true, encoding: .utf8)
        try #"""
        {"model": "m.h5", "precision_file": "chosen.json",
         "layers": {"enc": {"precision": {"weight": "ap_fixed<12,4>", "bias": "ap_fixed<10,3>"}, "reuse": 4}}}
        """#.write(toFile: dir + "/lfadsc.json", atomically: true, encoding: .utf8)
        let config = try ProjectConfig.load(path: dir + "/lfadsc.json")
        XCTAssertEqual(config.precisionFile, "chosen.json")
        let o = try config.effectiveOverrides()
        XCTAssertEqual(o.explicit(TensorKey("enc", .weight)), try type("ap_fixed<6,2>"))
        XCTAssertEqual(o.explicit(TensorKey("enc", .bias)), try type("ap_fixed<10,3>"))
        XCTAssertEqual(o.layers["enc"]?.reuse, 4)

        try config.save(to: dir + "/saved.json")
        XCTAssertEqual(try ProjectConfig.load(path: dir + "/saved.json").precisionFile, "chosen.json")

        var broken = config
        broken.precisionFile = "nowhere.json"
        XCTAssertThrowsError(try broken.effectiveOverrides()) { e in
            XCTAssertEqual("\(e)", dir + "/nowhere.json: cannot read the precision file")
        }
        XCTAssertThrowsError(try ProjectConfig(json: Data(#"{"precision_file": ""}"#.utf8), file: "lfadsc.json")) { e in
            XCTAssertEqual("\(e)", "lfadsc.json: key 'precision_file': must not be empty")
        }
    }
}
