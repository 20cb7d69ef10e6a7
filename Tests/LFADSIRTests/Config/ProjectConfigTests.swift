import XCTest
@testable import LFADSIR

final class ProjectConfigTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "lfadsc-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func parse(_ json: String) throws -> ProjectConfig { try ProjectConfig(json: Data(json.utf8), file: "lfadsc.json") }

    func expect(_ json: String, key: String?, _ fragment: String, line: UInt = #line) {
        XCTAssertThrowsError(try parse(json), line: line) { e in
            guard let c = e as? ConfigError else { return XCTFail("\(e)", line: line) }
            XCTAssertEqual(c.file, "lfadsc.json", line: line)
            XCTAssertEqual(c.key, key, c.description, line: line)
            XCTAssertTrue(c.message.contains(fragment), c.description, line: line)
        }
    }

    static let full = """
    {"model": "model.h5", "format": "keras", "reconstruction": "ZeroInflatedGamma(gamma_loc=0.1)", "target": "u55c", "clock_mhz": 250, "output_dir": "build",
     "precision": {"default": "ap_fixed<16,6>", "accum": "ap_fixed<24,10>"}, "strategy": "Resource", "reuse": 2,
     "table_size": 2048, "hls4ml_config": "h.yml",
     "layers": {"enc": {"precision": {"weight": "ap_fixed<12,4>", "accum": "ap_fixed<20,8>"}, "strategy": "latency", "reuse": 4,
                        "recurrent_reuse": 8, "table_size": 512},
                "rates": {"precision": "ap_fixed<18,8>", "table_range": [-12, 4]}}}
    """

    func testReadsEveryKey() throws {
        let c = try parse(Self.full)
        XCTAssertEqual(c.model, "model.h5")
        XCTAssertEqual(c.format, "keras")
        XCTAssertEqual(c.reconstruction, "ZeroInflatedGamma(gamma_loc=0.1)")
        XCTAssertEqual(c.target, "u55c")
        XCTAssertEqual(c.clockMHz, 250)
        XCTAssertEqual(c.outputDir, "build")
        XCTAssertEqual(c.hls4mlConfig, "h.yml")
        XCTAssertEqual(c.overrides.defaultPrecision?.description, "ap_fixed<16,6>")
        XCTAssertEqual(c.overrides.fieldDefaults[.accum]?.description, "ap_fixed<24,10>")
        XCTAssertEqual(c.overrides.strategy, .resource)
        XCTAssertEqual(c.overrides.reuse, 2)
        XCTAssertEqual(c.overrides.tableSize, 2048)
        let enc = try XCTUnwrap(c.overrides.layers["enc"])
        XCTAssertEqual(enc.precision[.weight]?.description, "ap_fixed<12,4>")
        XCTAssertEqual(enc.precision[.accum]?.description, "ap_fixed<20,8>")
        XCTAssertEqual(enc.strategy, .latency)
        XCTAssertEqual(enc.reuse, 4)
        XCTAssertEqual(enc.recurrentReuse, 8)
        XCTAssertEqual(enc.tableSize, 512)
        XCTAssertEqual(c.overrides.layers["rates"]?.defaultPrecision?.description, "ap_fixed<18,8>")
        XCTAssertEqual(c.overrides.layers["rates"]?.tableRange, -12...4)
        let defaults = try parse("{}")
        XCTAssertEqual(defaults.target, "u55c")
        XCTAssertEqual(defaults.clockMHz, 300)
        XCTAssertNil(defaults.model)
    }

    func testSaveLoadRoundTripAndRefusalToOverwrite() throws {
        let c = try parse(Self.full)
        let path = dir + "/lfadsc.json"
        try c.save(to: path)
        var back = try ProjectConfig.load(path: path)
        XCTAssertEqual(back.baseDirectory, dir)
        XCTAssertEqual(back.resolve("model.h5"), dir + "/model.h5")
        XCTAssertEqual(back.resolve("/abs/m.h5"), "/abs/m.h5")
        back.baseDirectory = nil
        XCTAssertEqual(back, c)
        XCTAssertThrowsError(try c.save(to: path)) { XCTAssertTrue("\($0)".contains("already exists"), "\($0)") }
        var changed = c
        changed.clockMHz = 200
        try changed.save(to: path, overwrite: true)
        XCTAssertEqual(try ProjectConfig.load(path: path).clockMHz, 200)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir)
        XCTAssertEqual(leftovers, ["lfadsc.json"], "no temporary file left behind")
        // The canonical text is stable.
        XCTAssertEqual(try changed.jsonData(), try ProjectConfig.load(path: path).jsonData())
        XCTAssertThrowsError(try c.save(to: dir + "/missing/dir/lfadsc.json")) { XCTAssertTrue($0 is ConfigError) }
    }

    /// The reuse-pass settings the CLI has (`--reuse auto`, `--max-utilization`, `--latency-target`) are valid
    /// in the file and survive a save/load; "reuse": N and "auto" are alternatives.
    func testOutputsRoundTripAndMustBeNames() throws {
        let c = try parse(#"{"model": "m.h5", "outputs": ["factors", "co_means"]}"#)
        XCTAssertEqual(c.outputs, ["factors", "co_means"])
        try c.save(to: dir + "/lfadsc.json")
        var back = try ProjectConfig.load(path: dir + "/lfadsc.json")
        back.baseDirectory = nil
        XCTAssertEqual(back, c)
        XCTAssertEqual(try parse(#"{"model": "m.h5"}"#).outputs, [])
        for bad in [#"{"outputs": "factors"}"#, #"{"outputs": [1]}"#, #"{"outputs": [""]}"#] {
            XCTAssertThrowsError(try parse(bad), bad) { XCTAssertTrue("\($0)".contains("outputs"), "\($0)") }
        }
    }

    func testReuseSearchKeysRoundTrip() throws {
        let c = try parse(#"{"model": "m.h5", "strategy": "lfads", "reuse": "auto", "max_utilization": 0.6, "latency_target_us": 7.5}"#)
        XCTAssertEqual(c.reuseSearch, ReuseSearch(auto: true, maxUtilization: 0.6, latencyTargetMicroseconds: 7.5))
        XCTAssertNil(c.overrides.reuse)
        XCTAssertEqual(c.overrides.strategy, .lfads)
        try c.save(to: dir + "/lfadsc.json")
        let text = try String(contentsOfFile: dir + "/lfadsc.json", encoding: .utf8)
        XCTAssertTrue(text.contains(#""reuse" : "auto""#), text)
        var back = try ProjectConfig.load(path: dir + "/lfadsc.json")
        back.baseDirectory = nil
        XCTAssertEqual(back, c)
        let numeric = try parse(#"{"reuse": 4}"#)
        XCTAssertEqual(numeric.reuseSearch, ReuseSearch())
        XCTAssertEqual(numeric.overrides.reuse, 4)
    }

    func testEffectiveOverridesLayerTheHLS4MLFileUnderTheConfig() throws {
        try "HLSConfig:\n  Model:\n    Precision: ap_fixed<14,4>\n    ReuseFactor: 8\n  LayerName:\n    enc:\n      Precision:\n        weight: ap_fixed<10,2>\n        bias: ap_fixed<10,3>\n"
            .write(toFile: dir + "/h.yml", atomically: true, encoding: .utf8)
        try Data(Self.full.utf8).write(to: URL(fileURLWithPath: dir + "/lfadsc.json"))
        let o = try ProjectConfig.load(path: dir + "/lfadsc.json").effectiveOverrides()
        XCTAssertEqual(o.defaultPrecision?.description, "ap_fixed<16,6>", "the project file wins")
        XCTAssertEqual(o.reuse, 2)
        XCTAssertEqual(o.layers["enc"]?.precision[.weight]?.description, "ap_fixed<12,4>")
        XCTAssertEqual(o.layers["enc"]?.precision[.bias]?.description, "ap_fixed<10,3>", "hls4ml fills what the project leaves")
    }

    func testErrorsNameTheKey() {
        expect(#"{"modle": "x"}"#, key: "modle", "valid: model, format")
        expect(#"{"layers": {"enc": {"reuse_factor": 2}}}"#, key: "layers.enc.reuse_factor", "valid: precision, strategy, reuse")
        expect(#"{"precision": "ap_fixed<70,6>"}"#, key: "precision", "width 70")
        expect(#"{"precision": {"wieght": "ap_fixed<8,2>"}}"#, key: "precision.wieght", "unknown precision key")
        expect(#"{"layers": {"enc": {"precision": {"weight": 3}}}}"#, key: "layers.enc.precision.weight", "expected a string")
        expect(#"{"reuse": 2.5}"#, key: "reuse", "expected an integer")
        expect(#"{"reuse": "2"}"#, key: "reuse", #"expected a positive integer or "auto", got "2""#)
        expect(#"{"reuse": "Auto"}"#, key: "reuse", "expected a positive integer or")
        expect(#"{"max_utilization": 1.5}"#, key: "max_utilization", "must be a fraction in (0, 1]")
        expect(#"{"max_utilization": 0}"#, key: "max_utilization", "must be a fraction in (0, 1]")
        expect(#"{"max_utilization": "80%"}"#, key: "max_utilization", "expected a number")
        expect(#"{"latency_target_us": -1}"#, key: "latency_target_us", "must be positive")
        expect(#"{"reuse": true}"#, key: "reuse", "expected a number")
        expect(#"{"reuse": 1e300}"#, key: "reuse", "expected an integer")
        expect(#"{"clock_mhz": -5}"#, key: "clock_mhz", "outside")
        expect(#"{"strategy": "fast"}"#, key: "strategy", "unknown strategy")
        expect(#"{"table_size": 1000}"#, key: "table_size", "power of two")
        expect(#"{"layers": {"enc": {"table_range": [4, -4]}}}"#, key: "layers.enc.table_range", "lower < upper")
        expect(#"{"layers": {"bad name": {}}}"#, key: "layers.bad name", "not a valid layer name")
        expect(#"{"model": ""}"#, key: "model", "must not be empty")
        expect(#"[1, 2]"#, key: "<root>", "expected an object")
        XCTAssertThrowsError(try parse("{\"model\": ")) { e in
            XCTAssertTrue("\(e)".hasPrefix("lfadsc.json: not valid JSON"), "\(e)")
            XCTAssertFalse("\(e)".contains("\n"))
            if ProcessInfo.processInfo.environment["LFADSC_PRINT_TABLE"] != nil { print("\(e)") }
        }
        XCTAssertThrowsError(try ProjectConfig.load(path: dir + "/none.json")) { XCTAssertEqual("\($0)", dir + "/none.json: cannot read the file") }
    }

    /// Random byte edits of a valid file: loading returns or throws a ConfigError, never traps.
    func testMalformedInputsNeverTrap() {
        var state: UInt64 = 0x2545F4914F6CDD1D
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        let base = Array(Self.full.utf8)
        let bytes: [UInt8] = Array("{}[]\",:0-.e ntfu\\x".utf8) + [0, 0xFF]
        var accepted = 0, rejected = 0
        for _ in 0..<2000 {
            var b = base
            for _ in 0..<(1 + Int(next() % 4)) {
                let pos = Int(next() % UInt64(b.count))
                if next() % 2 == 0 { b[pos] = bytes[Int(next() % UInt64(bytes.count))] } else { b.remove(at: pos) }
            }
            do { _ = try ProjectConfig(json: Data(b), file: "f"); accepted += 1 } catch is ConfigError { rejected += 1 } catch {
                XCTFail("unexpected error type \(error)")
            }
        }
        XCTAssertGreaterThan(rejected, 0)
        XCTAssertGreaterThan(accepted, 0)
    }

    /// `"trials_in_flight"`: read, written back, and out-of-range values refused with the key named.
    func testTrialsInFlight() throws {
        XCTAssertEqual(try parse("{}").trialsInFlight, 1)
        let c = try parse(#"{"trials_in_flight": 3}"#)
        XCTAssertEqual(c.trialsInFlight, 3)
        XCTAssertEqual(try ProjectConfig(json: try c.jsonData(), file: "lfadsc.json").trialsInFlight, 3)
        XCTAssertFalse(String(decoding: try parse("{}").jsonData(), as: UTF8.self).contains("trials_in_flight"))
        expect(#"{"trials_in_flight": 0}"#, key: "trials_in_flight", "1...64")
        expect(#"{"trials_in_flight": 65}"#, key: "trials_in_flight", "1...64")
    }

    /// "posterior": "mean", "sample" or "average:N" with "seed"; average:N round-trips and is checked.
    func testPosteriorModes() throws {
        let mean = try parse("{}")
        XCTAssertNil(mean.posteriorSeed)
        XCTAssertEqual(mean.posteriorSamples, 1)
        let sample = try parse(#"{"posterior": "sample", "seed": 3}"#)
        XCTAssertEqual(sample.posteriorSeed, 3)
        XCTAssertEqual(sample.posteriorSamples, 1)
        let average = try parse(#"{"posterior": "average:8", "seed": 3}"#)
        XCTAssertEqual(average.posteriorSeed, 3)
        XCTAssertEqual(average.posteriorSamples, 8)
        let again = try ProjectConfig(json: try average.jsonData(), file: "lfadsc.json")
        XCTAssertEqual(again.posteriorSamples, 8)
        XCTAssertEqual(again.posteriorSeed, 3)
        XCTAssertTrue(String(decoding: try average.jsonData(), as: UTF8.self).contains("average:8"))
        expect(#"{"posterior": "average:8"}"#, key: "seed", "needs a seed")
        expect(#"{"posterior": "average:1", "seed": 1}"#, key: "posterior", "2...1024")
        expect(#"{"posterior": "average:x", "seed": 1}"#, key: "posterior", "2...1024")
        expect(#"{"posterior": "average:1025", "seed": 1}"#, key: "posterior", "2...1024")
        expect(#"{"posterior": "median", "seed": 1}"#, key: "posterior", "average:N")
    }
}
