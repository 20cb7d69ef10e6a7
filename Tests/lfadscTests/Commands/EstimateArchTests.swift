import Foundation
import XCTest
@testable import lfadsc

/// `estimate --arch SPEC` against `estimate MODEL` for files of the same architecture: the final estimates
/// (latency, interval, every resource, every layer's numbers) must be equal, not just close.
final class EstimateArchTests: XCTestCase, CLIHarness {
    /// The comparable part of `estimate --json`: the last stage without graph and layer names.
    struct Final: Equatable, CustomStringConvertible {
        var totals: [Int]
        var layers: [[String]]
        var description: String { "totals \(totals), \(layers.count) layers" }
    }

    func final(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Final {
        let r = run(["estimate", "--json"] + args)
        XCTAssertEqual(r.status, 0, r.err, file: file, line: line)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let stages = try XCTUnwrap(root["stages"] as? [[String: Any]])
        let e = try XCTUnwrap(stages.last?["estimate"] as? [String: Any])
        let res = try XCTUnwrap(e["resources"] as? [String: Int])
        let totals = [e["latency_cycles"] as? Int ?? -1, e["interval_cycles"] as? Int ?? -1] + ["dsp", "lut", "ff", "bram18", "uram"].map { res[$0] ?? -1 }
        let layers = try XCTUnwrap(e["layers"] as? [[String: Any]]).map { l in
            ["op", "implementation", "start", "end", "latency", "interval", "dsp", "lut", "ff", "bram18", "uram"].map { "\(l[$0] ?? "")" }
        }
        // Input nodes may sit elsewhere in the order (Keras emits an input when first needed); numbers decide.
        return Final(totals: totals, layers: layers.sorted { $0.joined(separator: ",") < $1.joined(separator: ",") })
    }

    func spec(_ json: String, in dir: URL, _ name: String = "spec.json") throws -> String {
        let p = dir.appendingPathComponent(name).path
        try json.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    /// (1) lfads-torch exports made by tools/make_sized_lfads.py vs their sizes, with and without a controller.
    func testLFADSSpecMatchesSizedExports() throws {
        let dir = try makeScratch("arch-lfads")
        let cases = [
            ("sized_lfads_controller.h5", #"{"neurons": 20, "bins": 12, "ic_enc_dim": 8, "ci_enc_dim": 6, "con_dim": 6, "co_dim": 2, "ic_dim": 8, "gen_dim": 16, "fac_dim": 4}"#),
            ("sized_lfads_plain.h5", #"{"neurons": 30, "bins": 25, "ic_enc_dim": 16, "ci_enc_dim": 0, "con_dim": 0, "co_dim": 0, "ic_dim": 8, "gen_dim": 24, "fac_dim": 6}"#),
        ]
        for (model, sizes) in cases {
            let arch = try spec(#"{"lfads": \#(sizes)}"#, in: dir)
            let file = path("Tests/lfadscTests/Fixtures/arch/\(model)")
            for flags in [[], ["--strategy", "resource", "--reuse", "3"], ["--strategy", "lfads", "--reuse", "auto"],
                          ["--precision", "ap_fixed<12,4>", "--strategy", "latency", "--reuse", "2"]] {
                XCTAssertEqual(try final(["--arch", arch] + flags), try final([file] + flags), "\(model) \(flags)")
            }
        }
        // The comparison sees architecture changes: with a 39-bit accumulator the reset-after variant's gate
        // product (on the accumulator) needs two DSP slices per unit, lfads-torch's (on the state) one.
        let wide = ["--set", "*.accum=ap_fixed<39,16>"]
        let sizes = #""neurons": 20, "bins": 12, "ic_enc_dim": 8, "ci_enc_dim": 6, "con_dim": 6, "co_dim": 2, "ic_dim": 8, "gen_dim": 16, "fac_dim": 4"#
        let before = try spec(#"{"lfads": {\#(sizes), "gru": "reset_before"}}"#, in: dir, "before.json")
        let after = try spec(#"{"lfads": {\#(sizes), "gru": "reset_after"}}"#, in: dir, "after.json")
        let file = try final([path("Tests/lfadscTests/Fixtures/arch/sized_lfads_controller.h5")] + wide)
        XCTAssertEqual(try final(["--arch", before] + wide), file)
        XCTAssertGreaterThan(try final(["--arch", after] + wide).totals[2], file.totals[2])
    }

    /// Settings inside the spec mean what the same flags mean on a model file.
    func testSpecSettingsEqualFlags() throws {
        let dir = try makeScratch("arch-settings")
        let arch = try spec(#"{"part": "u250", "clock_mhz": 250, "precision": "ap_fixed<14,5>", "strategy": "resource", "reuse": 2, "lfads": {"neurons": 20, "bins": 12, "ic_enc_dim": 8, "ci_enc_dim": 6, "con_dim": 6, "co_dim": 2, "ic_dim": 8, "gen_dim": 16, "fac_dim": 4}}"#, in: dir)
        let file = path("Tests/lfadscTests/Fixtures/arch/sized_lfads_controller.h5")
        let viaFlags = try final([file, "--target", "u250", "--clock", "250", "--precision", "ap_fixed<14,5>", "--strategy", "resource", "--reuse", "2"])
        XCTAssertEqual(try final(["--arch", arch]), viaFlags)
        // A flag beats the spec's own setting.
        XCTAssertEqual(try final(["--arch", arch, "--reuse", "3"]),
                       try final([file, "--target", "u250", "--clock", "250", "--precision", "ap_fixed<14,5>", "--strategy", "resource", "--reuse", "3"]))
        XCTAssertNotEqual(try final(["--arch", arch, "--reuse", "3"]), viaFlags)
        // The part number an hls4ml config names (any case) is the same device as its short name.
        let byPart = try spec(#"{"part": "XCU250-figd2104-2L-e", "clock_mhz": 250, "precision": "ap_fixed<14,5>", "strategy": "resource", "reuse": 2, "lfads": {"neurons": 20, "bins": 12, "ic_enc_dim": 8, "ci_enc_dim": 6, "con_dim": 6, "co_dim": 2, "ic_dim": 8, "gen_dim": 16, "fac_dim": 4}}"#, in: dir, "by-part.json")
        XCTAssertEqual(try final(["--arch", byPart]), viaFlags)
    }

    /// (2) The published template: examples/arch/lfads_template.json against keras_model.h5 with the published
    /// strategy (resource, RF = n_in), and at a uniform reuse factor.
    /// The published template's reuse factors (its hand-edited parameters.h).
    static let publishedReuse = ["--strategy", "resource", "--set", "EncoderRNN.reuse=70", "--set", "EncoderRNN.recurrent_reuse=64",
                                 "--set", "DenseMean.reuse=128", "--set", "DecoderGRU.reuse=64", "--set", "DecoderGRU.recurrent_reuse=64",
                                 "--set", "Dense.reuse=64", "--set", "NeuralDense.reuse=4"]

    func testTemplateSpecMatchesPublishedModel() throws {
        let model = try template().appendingPathComponent("keras_model.h5").path
        let arch = path("examples/arch/lfads_template.json")
        let published = Self.publishedReuse
        // The cycles are the emitted schedule's: the trained file's GRU activations carry QKeras quantizers
        // (ap_ufixed<16,0,AP_RND_CONV,AP_SAT>, ap_fixed<16,1,...>) whose rounding casts lengthen each step's gate
        // chain, and the spec names none; so the spec's cycles are a lower bound and its resources are equal.
        func same(_ spec: Final, _ file: Final, within tolerance: Double, _ line: UInt = #line) {
            XCTAssertEqual(Array(spec.totals.dropFirst(2)), Array(file.totals.dropFirst(2)), line: line)
            // Per process: kind, implementation and resources (not the start/end/latency/interval columns).
            let resources = { (f: Final) in f.layers.map { Array($0[0..<2] + $0[6...]) } }
            XCTAssertEqual(resources(spec), resources(file), line: line)
            XCTAssertLessThanOrEqual(spec.totals[0], file.totals[0], line: line)
            XCTAssertLessThan(Double(file.totals[0] - spec.totals[0]) / Double(file.totals[0]), tolerance, line: line)
        }
        let fromSpec = try final(["--arch", arch])
        same(fromSpec, try final([model] + published), within: 0.10)
        same(try final(["--arch", arch, "--reuse", "4"]), try final([model, "--strategy", "resource", "--reuse", "4"]), within: 0.25)
        // At RF 1 constant weights drop zero products; the trained file has weights its QKeras quantizers round to
        // zero, the spec assumes none: the spec's DSP count is then an upper bound, within 6 %.
        let dense = try final(["--arch", arch, "--strategy", "latency", "--reuse", "1"])
        let real = try final([model, "--strategy", "latency", "--reuse", "1"])
        XCTAssertLessThanOrEqual(dense.totals[0], real.totals[0])
        XCTAssertGreaterThan(dense.totals[2], real.totals[2])
        XCTAssertLessThan(Double(dense.totals[2]) / Double(real.totals[2]), 1.06)
    }

    /// `--flavor hls4ml` prices the same stock design from the spec as from the published file: every layer's
    /// cycles, DSP, LUT, FF and BRAM18 equal, under both IO types and both backends, at the published reuse
    /// factors and at reuse 32 (where Vivado's mux cores and Vitis' shared selects differ).
    func testTemplateSpecMatchesPublishedModelAsStockHLS4ML() throws {
        let model = try template().appendingPathComponent("keras_model.h5").path
        let arch = path("examples/arch/lfads_template.json")
        let published = Self.publishedReuse
        func stock(_ args: [String]) throws -> [[Int]] {
            let r = run(["estimate", "--json", "--flavor", "hls4ml"] + args)
            XCTAssertEqual(r.status, 0, r.err)
            let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
            let layers = try XCTUnwrap(root["layers"] as? [[String: Any]]) + [try XCTUnwrap(root["total"] as? [String: Any])]
            return layers.map { l in ["latency_cycles", "dsp", "lut", "ff", "bram18"].map { l[$0] as? Int ?? -1 } }
        }
        var luts: [String: Int] = [:]
        for io in ["io_parallel", "io_stream"] {
            for backend in ["vivado", "vitis"] {
                for flags in [published, ["--strategy", "resource", "--reuse", "32"]] {
                    let options = flags + ["--io-type", io, "--hls4ml-backend", backend]
                    let fromSpec = try stock(["--arch", arch] + options)
                    XCTAssertEqual(fromSpec, try stock([model] + options), "\(options)")
                    if flags.count == 4 { luts["\(io) \(backend)"] = fromSpec.last?[2] }
                }
            }
        }
        XCTAssertGreaterThan(luts["io_parallel vivado"] ?? 0, luts["io_parallel vitis"] ?? 0, "mux cores cost more than shared selects")
    }

    /// (3) A Keras GRU/LSTM/Dense stack written as a Keras .h5 against the same stack as a spec.
    func testKerasStackSpecMatchesKerasFile() throws {
        let dir = try makeScratch("arch-keras")
        let model = dir.appendingPathComponent("stack.h5").path
        try KerasStackFile(steps: 15, features: 6, layers: [
            .bidirectionalGRU(name: "enc", units: 12, sequences: true),
            .lstm(name: "mid", units: 10, sequences: true),
            .gru(name: "dec", units: 8, sequences: true, resetAfter: false),
            .gru(name: "last", units: 7, sequences: false, resetAfter: true),
            .dense(name: "head", units: 5, activation: "relu"),
        ]).write(to: model)
        let arch = try spec(#"""
        {"input": {"steps": 15, "features": 6}, "layers": [
          {"type": "bidirectional_gru", "units": 12, "return_sequences": true},
          {"type": "lstm", "units": 10, "return_sequences": true},
          {"type": "gru", "units": 8, "return_sequences": true, "reset_after": false},
          {"type": "gru", "units": 7},
          {"type": "dense", "units": 5, "activation": "relu"}]}
        """#, in: dir)
        for flags in [[], ["--strategy", "resource", "--reuse", "5"], ["--strategy", "lfads", "--reuse", "2"]] {
            XCTAssertEqual(try final(["--arch", arch] + flags), try final([model] + flags), "\(flags)")
        }
    }

    /// A recurrent layer's `recurrent_reuse` is hls4ml's recurrent_reuse_factor: the same as setting it by flag.
    func testRecurrentReuseKeyEqualsTheFlag() throws {
        let dir = try makeScratch("arch-recurrent-reuse")
        let base = #"{"strategy": "resource", "input": {"steps": 6, "features": 5}, "layers": [{"type": "gru", "units": 8, "reuse": 5%@}, {"type": "dense", "units": 2}]}"#
        let keyed = try spec(base.replacingOccurrences(of: "%@", with: #", "recurrent_reuse": 4"#), in: dir, "keyed.json")
        let plain = try spec(base.replacingOccurrences(of: "%@", with: ""), in: dir, "plain.json")
        XCTAssertEqual(try final(["--arch", keyed]), try final(["--arch", plain, "--set", "gru.recurrent_reuse=4"]))
        XCTAssertNotEqual(try final(["--arch", keyed]), try final(["--arch", plain]))
        func stock(_ args: [String]) throws -> [String: Int] {
            let r = run(["estimate", "--json", "--flavor", "hls4ml"] + args)
            XCTAssertEqual(r.status, 0, r.err)
            let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
            return try XCTUnwrap(root["total"] as? [String: Any]).compactMapValues { $0 as? Int }
        }
        XCTAssertEqual(try stock(["--arch", keyed]), try stock(["--arch", plain, "--set", "gru.recurrent_reuse=4"]))
        XCTAssertNotEqual(try stock(["--arch", keyed]), try stock(["--arch", plain]))
    }

    func testBadSpecsFailWithOneLineNamingFileAndPath() throws {
        let dir = try makeScratch("arch-bad")
        let lfads = #""lfads": {"neurons": 20, "bins": 12, "ic_enc_dim": 8, "ic_dim": 8, "gen_dim": 16, "fac_dim": 4}"#
        let stack = #""input": {"steps": 5, "features": 3}"#
        let cases: [(String, String)] = [
            ("{\(lfads), \"clok_mhz\": 300}", "key 'clok_mhz': unknown key"),
            (#"{"lfads": {"neurons": 20, "bins": 12, "ic_enc_dim": 8, "ic_dim": 8, "gen_dim": 16}}"#, "key 'lfads': missing required key 'fac_dim'"),
            (#"{"lfads": {"neurons": 0, "bins": 12, "ic_enc_dim": 8, "ic_dim": 8, "gen_dim": 16, "fac_dim": 4}}"#, "key 'lfads.neurons': expected an integer in 1...65536, got 0"),
            (#"{"lfads": {"neurons": -3, "bins": 12, "ic_enc_dim": 8, "ic_dim": 8, "gen_dim": 16, "fac_dim": 4}}"#, "key 'lfads.neurons'"),
            (#"{"lfads": {"neurons": 1e300, "bins": 12, "ic_enc_dim": 8, "ic_dim": 8, "gen_dim": 16, "fac_dim": 4}}"#, "key 'lfads.neurons'"),
            (#"{"lfads": {"neurons": "20", "bins": 12, "ic_enc_dim": 8, "ic_dim": 8, "gen_dim": 16, "fac_dim": 4}}"#, "key 'lfads.neurons': expected a number, got a string"),
            (#"{"lfads": {"neurons": 60000, "bins": 12, "ic_enc_dim": 60000, "ic_dim": 8, "gen_dim": 16, "fac_dim": 4}}"#, "more than the 20000000"),
            (#"{"lfads": {"neurons": 20, "bins": 12, "ic_enc_dim": 8, "ic_dim": 8, "gen_dim": 16, "fac_dim": 4, "co_dim": 2}}"#, "a controller needs"),
            ("{\(lfads), \"part\": \"u99\"}", "key 'part': unknown device 'u99'"),
            ("{\(lfads), \"precision\": \"ap_fixed<0,6>\"}", "key 'precision'"),
            ("{\(lfads), \"strategy\": \"fast\"}", "key 'strategy': unknown strategy 'fast'"),
            ("{\(lfads), \"reuse\": \"some\"}", "key 'reuse'"),
            ("{\(lfads), \"clock_mhz\": true}", "key 'clock_mhz': expected a number, got a boolean"),
            (#"{"layers": []}"#, "missing required key 'input'"),
            ("{\(stack)}", "missing required key 'layers'"),
            ("{\(stack), \"layers\": [{\"type\": \"conv\", \"units\": 3}]}", "key 'layers[0].type': unknown layer type 'conv'"),
            ("{\(stack), \"layers\": [{\"units\": 3}]}", "key 'layers[0]': missing required key 'type'"),
            ("{\(stack), \"layers\": [{\"type\": \"gru\"}]}", "key 'layers[0]': missing required key 'units'"),
            ("{\(stack), \"layers\": [{\"type\": \"dense\", \"units\": 3, \"return_sequences\": true}]}", "key 'layers[0].return_sequences': unknown key"),
            ("{\(stack), \"layers\": [{\"type\": \"gru\", \"units\": 3.5}]}", "key 'layers[0].units': expected an integer"),
            ("{\(stack), \"layers\": [{\"type\": \"gru\", \"units\": 3, \"return_sequences\": 1}]}", "key 'layers[0].return_sequences': expected true or false"),
            ("{\(stack), \"layers\": [{\"type\": \"gru\", \"units\": 3}, {\"type\": \"lstm\", \"units\": 3}]}", "key 'layers[1]': a lstm reads a sequence"),
            ("{\(stack), \"layers\": [{\"type\": \"dense\", \"units\": 3, \"activation\": \"swish\"}]}", "key 'layers[0].activation': unknown activation 'swish'"),
            ("{\(stack), \"layers\": [{\"type\": \"dense\", \"units\": 3, \"reuse\": \"auto\"}]}", "key 'layers[0].reuse'"),
            ("{\(stack), \"layers\": [{\"type\": \"dense\", \"units\": 3, \"recurrent_reuse\": 2}]}", "key 'layers[0].recurrent_reuse': unknown key"),
            ("{\(stack), \"layers\": [{\"type\": \"gru\", \"units\": 3, \"recurrent_reuse\": 0}]}", "key 'layers[0].recurrent_reuse'"),
            ("{\(stack), \"layers\": [{\"type\": \"dense\", \"units\": 3, \"name\": \"a\"}, {\"type\": \"dense\", \"units\": 3, \"name\": \"a\"}]}", "key 'layers[1].name': 'a' is used twice"),
            ("{\(stack), \"layers\": {\"type\": \"dense\"}}", "key 'layers': expected a list, got an object"),
            ("[1, 2]", "key '<root>': expected a JSON object, got a list"),
            ("{\"lfads\": ", "not valid JSON"),
        ]
        for (i, (text, expected)) in cases.enumerated() {
            let p = try spec(text, in: dir, "bad\(i).json")
            let r = run(["estimate", "--arch", p])
            XCTAssertEqual(r.status, 1, "\(text): \(r.err)")
            XCTAssertTrue(r.err.contains(p + ": "), "names the file: \(r.err)")
            XCTAssertTrue(r.err.contains(expected), "'\(r.err)' lacks '\(expected)'")
            XCTAssertEqual(r.err.split(separator: "\n").count, 1, r.err)
        }
        let missing = run(["estimate", "--arch", dir.appendingPathComponent("absent.json").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("absent.json: cannot read the file"), missing.err)
        let both = run(["estimate", "--arch", path("examples/arch/mc_maze.json"), "model.h5"])
        XCTAssertEqual(both.status, 2, both.err)
    }

    /// The shipped examples parse and estimate (at a fixed reuse: mc_maze's reuse search takes a minute in debug).
    func testExamplesEstimate() throws {
        let dir = try FileManager.default.contentsOfDirectory(atPath: path("examples/arch")).filter { $0.hasSuffix(".json") }
        XCTAssertGreaterThanOrEqual(dir.count, 3)
        for name in dir {
            let r = run(["estimate", "--arch", path("examples/arch/\(name)"), "--reuse", "8"])
            XCTAssertEqual(r.status, 0, "\(name): \(r.err)")
        }
    }
}
