import Foundation
import HDF5
import XCTest
@testable import lfadsc

final class SimulateCommandTests: XCTestCase, CLIHarness {
    var scratch: URL!

    override func setUpWithError() throws { scratch = try makeScratch("simulate") }

    /// The float path through the CLI reproduces lfads-torch's posterior-mean forward of the Lorenz model.
    func testLorenzFloatMatchesLFADSTorchReference() throws {
        let out = scratch.appendingPathComponent("out.h5").path
        let r = run(["simulate", path("examples/lorenz/data/lorenz.h5"), "-m", path("examples/lorenz/models/lorenz_con.h5"),
                     "--float", "--trials", "0:20", "-o", out, "-j", "2"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("bits per spike"), r.out)
        let ours = try HDF5File(path: out), reference = try HDF5File(path: path("examples/lorenz/reference/lorenz_con_valid_ref.h5"))
        for name in ["output_params", "factors", "gen_states", "con_states", "co_means", "ic_mean", "ic_std", "gen_init"] {
            let a = try ours.dataset("/valid_\(name)").readDoubles(), b = try reference.dataset("/valid_\(name)").readDoubles()
            XCTAssertEqual(a.count, b.count, name)
            let worst = zip(a, b).map { abs($0 - $1) / max(abs($1), 1e-3) }.max() ?? .infinity
            XCTAssertLessThan(worst, 1e-9, name)
        }
    }

    /// `--outputs`: the .dat holds per trial one line, the rates then the extras in the order asked, the same
    /// values the .h5 holds one dataset each; an unknown name lists the available ones; the RTL backend refuses
    /// extras (the HLS design writes them: CompileCommandTests).
    func testOutputsFlagWritesTheChosenTensors() throws {
        let model = path("examples/lorenz/models/lorenz_con.h5"), data = path("examples/lorenz/data/lorenz.h5")
        let dat = scratch.appendingPathComponent("out.dat").path, h5 = scratch.appendingPathComponent("out.h5").path
        let common = ["simulate", data, "-m", model, "--trials", "0:3", "-j", "2", "-q", "--outputs", "rates,co_means,factors"]
        let a = run(common + ["-o", dat]), b = run(common + ["-o", h5])
        XCTAssertEqual(a.status, 0, a.err)
        XCTAssertEqual(b.status, 0, b.err)
        let file = try HDF5File(path: h5)
        let tensors = try ["output_params", "co_means", "factors"].map { try file.dataset("/valid_\($0)").readDoubles() }
        let lines = try String(contentsOfFile: dat, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        for (t, line) in lines.enumerated() {
            let expected = tensors.flatMap { v in v[(t * v.count / 3)..<((t + 1) * v.count / 3)] }
            XCTAssertEqual(line.split(separator: " ").map { Double($0) }, expected.map { Optional($0) }, "trial \(t)")
        }
        let bad = run(["simulate", data, "-m", model, "--trials", "0:1", "--outputs", "rates,factor"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.err.contains("'factor'") && bad.err.contains("available: rates, "), bad.err)
        let rtl = run(["compile", model, "--outputs", "factors", "--backend", "rtl", "-o", scratch.appendingPathComponent("prj").path])
        XCTAssertEqual(rtl.status, 2)
        XCTAssertTrue(rtl.err.contains("RTL backend writes the rates only"), rtl.err)
        XCTAssertEqual(rtl.err.split(separator: "\n").count, 1, rtl.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("prj").path))
        let estimate = run(["estimate", model, "--outputs", "factors", "--backend", "rtl"])
        XCTAssertEqual(estimate.status, 2)
        XCTAssertTrue(estimate.err.contains("RTL backend writes the rates only"), estimate.err)
    }

    /// The QKeras template through the float path reproduces the Keras predictions of the test vector.
    func testTemplateFloatMatchesKerasPredictions() throws {
        let template = try template()
        let out = scratch.appendingPathComponent("out.dat").path
        let r = run(["simulate", template.appendingPathComponent("tb_input_features.dat").path,
                     "--model", template.appendingPathComponent("keras_model.h5").path, "--float", "-o", out])
        XCTAssertEqual(r.status, 0, r.err)
        let ours = try String(contentsOfFile: out, encoding: .utf8).split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        let keras = try String(contentsOf: template.appendingPathComponent("tb_output_predictions.dat"), encoding: .utf8)
            .split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        XCTAssertEqual(ours.count, 5110)
        XCTAssertEqual(ours.count, keras.count)
        let deltas = zip(ours, keras).map { abs($0 - $1) }
        XCTAssertLessThan(deltas.max() ?? .infinity, 2e-3)
        XCTAssertLessThan(deltas.reduce(0, +) / Double(max(1, deltas.count)), 2e-4)
    }

    /// Spike data where no value is an integer is most likely rates: the warning says so, before the metrics.
    func testRatesGivenAsCountsWarnBeforeTheMetrics() throws {
        let model = path("examples/lorenz/models/lorenz_nocon.h5")
        let inputs = scratch.appendingPathComponent("in.dat").path
        let exported = run(["simulate", path("examples/lorenz/data/lorenz.h5"), "-m", model, "--float", "--trials", "0:3",
                            "--export-inputs", inputs, "-q"])
        XCTAssertEqual(exported.status, 0, exported.err)
        let rates = try String(contentsOfFile: inputs, encoding: .utf8).split(separator: "\n").map { line in
            line.split(separator: " ").map { String((Double($0) ?? 0) + 0.25) }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
        let ratesPath = scratch.appendingPathComponent("rates.dat").path
        try rates.write(toFile: ratesPath, atomically: true, encoding: .utf8)
        let r = run(["simulate", ratesPath, "-m", model, "--float"])
        XCTAssertEqual(r.status, 0, r.err)
        let lines = r.out.split(separator: "\n")
        let warning = try XCTUnwrap(lines.firstIndex { $0.contains("looks like rates, not counts") }, r.out)
        let metrics = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Poisson NLL") }, r.out)
        XCTAssertLessThan(warning, metrics)
        XCTAssertTrue(lines[warning].hasPrefix("warning: "))
    }

    /// --json prints one parseable object with the run's numbers.
    func testJSONSummary() throws {
        let r = run(["simulate", path("examples/lorenz/data/lorenz.h5"), "-m", path("examples/lorenz/models/lorenz_nocon.h5"),
                     "--float", "--trials", "0:3", "--json"])
        XCTAssertEqual(r.status, 0, r.err)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        XCTAssertEqual(object["trials"] as? Int, 3)
        XCTAssertEqual(object["bins"] as? Int, 50)
        XCTAssertEqual(object["split"] as? String, "valid")
        XCTAssertNotNil(object["bits_per_spike"] as? Double)
    }

    /// --repeat N simulates N times in one process: N timings, and the same output bytes as one run, on both paths
    /// and any thread count (the text reader and .dat writer split their work by threads too).
    func testRepeatTimesEveryRunAndKeepsTheOutput() throws {
        let template = try template()
        let spikes = template.appendingPathComponent("tb_input_features.dat").path
        let model = template.appendingPathComponent("keras_model.h5").path
        for float in [false, true] {
            let once = scratch.appendingPathComponent("once-\(float).dat").path
            let thrice = scratch.appendingPathComponent("thrice-\(float).dat").path
            let extra = float ? ["--float"] : []
            XCTAssertEqual(run(["simulate", spikes, "-m", model, "-o", once, "-j", "1"] + extra).status, 0)
            let r = run(["simulate", spikes, "-m", model, "-o", thrice, "-j", "2", "--repeat", "3", "--json"] + extra)
            XCTAssertEqual(r.status, 0, r.err)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
            let runs = try XCTUnwrap(object["simulate_seconds"] as? [Double])
            XCTAssertEqual(runs.count, 3)
            XCTAssertTrue(runs.allSatisfy { $0 > 0 }, "\(runs)")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: once)), try Data(contentsOf: URL(fileURLWithPath: thrice)))
        }
        XCTAssertEqual(run(["simulate", spikes, "-m", model, "--repeat", "0"]).status, 2)
    }

    func testBadInvocationsFailWithOneLine() throws {
        let model = path("examples/lorenz/models/lorenz_con.h5"), data = path("examples/lorenz/data/lorenz.h5")
        let existing = scratch.appendingPathComponent("exists.h5").path
        try Data([1]).write(to: URL(fileURLWithPath: existing))
        let cases: [([String], Int32)] = [
            (["simulate", data, "--float"], 2),
            (["simulate", data, "-m", model, "--float", "--trials", "x:y"], 2),
            (["simulate", data, "-m", model, "--float", "--threads", "0"], 2),
            (["simulate", data, "-m", model, "--float", "-o", existing], 1),
            (["simulate", data, "-m", data, "--float"], 1),
            (["simulate", model, "-m", model, "--float"], 1),
            (["simulate", data, "-m", model, "--float", "--trials", "5000:5001"], 1),
            (["simulate", data, "-m", model, "--float", "--format", "nonsense"], 1),
            (["simulate", data, "-m", model, "--float", "--posterior", "average:8"], 2),
            (["simulate", data, "-m", model, "--float", "--posterior", "average:1", "--seed", "1"], 2),
            (["simulate", data, "-m", model, "--float", "--posterior", "average:many", "--seed", "1"], 2),
            (["simulate", data, "-m", model, "--float", "--posterior", "median", "--seed", "1"], 2),
        ]
        for (argv, expected) in cases {
            let r = run(argv)
            XCTAssertEqual(r.status, expected, "\(argv): \(r.err)")
            XCTAssertEqual(r.err.filter { $0 == "\n" }.count, 1, "\(argv): \(r.err)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: existing)), Data([1]), "existing output untouched")
    }

    /// `--posterior average:N` through the CLI: a trial alone equals the same trial in a batch (its streams are
    /// i·N + s), the average differs from one sample and from the mean, and the float path takes it too.
    func testPosteriorAverageIsReproduciblePerTrial() throws {
        let model = path("examples/lorenz/models/lorenz_con.h5"), data = path("examples/lorenz/data/lorenz.h5")
        func lines(_ extra: [String], trials: String, float: Bool = false) throws -> [Substring] {
            let out = scratch.appendingPathComponent("p\(UUID().uuidString).dat").path
            let r = run(["simulate", data, "-m", model, "--trials", trials, "-j", "2", "-q", "-o", out] + (float ? ["--float"] : []) + extra)
            XCTAssertEqual(r.status, 0, r.err)
            return try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        }
        let average = ["--posterior", "average:4", "--seed", "9"]
        let batch = try lines(average, trials: "0:3"), alone = try lines(average, trials: "2:3")
        XCTAssertEqual(batch.count, 3)
        XCTAssertEqual(alone, [batch[2]])
        XCTAssertNotEqual(try lines(["--posterior", "sample", "--seed", "9"], trials: "0:3"), batch)
        XCTAssertNotEqual(try lines([], trials: "0:3"), batch)
        let float = try lines(average, trials: "2:3", float: true)
        XCTAssertEqual(float.count, 1)
        XCTAssertEqual(try lines(average, trials: "0:3", float: true)[2], float[0])
    }
}
