import Foundation
import HDF5
import XCTest
@testable import lfadsc

/// compile → make csim (g++ + real ap_types) → the emitted C-simulation's output file must equal, byte for
/// byte, what `lfadsc simulate -o OUT.dat` writes for the same model, configuration and trials.
final class CompileCommandTests: XCTestCase, CLIHarness {
    var scratch: URL!

    override func setUpWithError() throws { scratch = try makeScratch("compile") }

    /// The ap_types headers: $AP_TYPES or .deps/ap_types (scripts/test.sh fetches them). Missing is a
    /// failure on CI and a skip elsewhere.
    func apTypes() throws -> String {
        let candidates = [ProcessInfo.processInfo.environment["AP_TYPES"], root.appendingPathComponent(".deps/ap_types").path].compactMap { $0 }
        if let dir = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/ap_fixed.h") }) { return dir }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("ap_types headers missing on CI (run .ci/fetch-ap-types.sh)")
        }
        throw XCTSkip("ap_types headers not found (set AP_TYPES or run .ci/fetch-ap-types.sh)")
    }

    func shell(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Compiles, builds the C-simulation and compares its output file with simulate's.
    func assertBitExact(model: String, data: String, trials: String = "0:20", flags: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let headers = try apTypes()
        let project = scratch.appendingPathComponent("prj-\(UUID().uuidString.prefix(8))").path
        let compiled = run(["compile", model, "-o", project] + flags)
        XCTAssertEqual(compiled.status, 0, compiled.err, file: file, line: line)
        guard compiled.status == 0 else { return }
        let make = try shell(["make", "-s", "-C", project, "csim", "AP_TYPES=\(headers)"])
        XCTAssertEqual(make.status, 0, make.output, file: file, line: line)
        guard make.status == 0 else { return }

        let inputs = scratch.appendingPathComponent("in-\(UUID().uuidString.prefix(8)).dat").path
        let fromSim = scratch.appendingPathComponent("sim-\(UUID().uuidString.prefix(8)).dat").path
        let fromCsim = scratch.appendingPathComponent("csim-\(UUID().uuidString.prefix(8)).dat").path
        // simulate writes the trials it ran as .dat, the input the C-simulation reads.
        let simulated = data.hasSuffix(".dat")
            ? run(["simulate", data, "-m", model, "-o", fromSim, "--export-inputs", inputs, "-q"] + flags)
            : run(["simulate", data, "-m", model, "--trials", trials, "-o", fromSim, "--export-inputs", inputs, "-q"] + flags)
        XCTAssertEqual(simulated.status, 0, simulated.err, file: file, line: line)
        let csim = try shell(["\(project)/csim", inputs, fromCsim])
        XCTAssertEqual(csim.status, 0, csim.output, file: file, line: line)
        let a = try String(contentsOfFile: fromSim, encoding: .utf8), b = try String(contentsOfFile: fromCsim, encoding: .utf8)
        XCTAssertFalse(a.isEmpty, file: file, line: line)
        XCTAssertTrue(a == b, "C-simulation and simulate differ for \(model) \(flags)", file: file, line: line)
    }

    /// The lfads-torch examples (full LFADS decoder loop, with and without controller), 20 trials each, in
    /// the defaults (lfads strategy, reuse pass, posterior-mean graph without ic_logvar) and in a narrower mixed
    /// configuration.
    func testLorenzCSimulationIsBitExact() throws {
        let data = path("examples/lorenz/data/lorenz.h5")
        for name in ["lorenz_nocon", "lorenz_con"] {
            let model = path("examples/lorenz/models/\(name).h5")
            try assertBitExact(model: model, data: data, flags: [])
            try assertBitExact(model: model, data: data,
                               flags: ["--strategy", "lfads", "--precision", "ap_fixed<14,5,AP_RND,AP_SAT>", "--set", "*.accum=ap_fixed<22,8>"])
        }
    }

    /// Gamma and ZeroInflatedGamma means (exp of W_a − W_b; log σ̂ table, 0/±1 combination, exp, sum) on 20
    /// trials, in the defaults and with the raw parameters as outputs: the C-simulation writes the bytes simulate
    /// writes.
    func testReconstructionCSimulationIsBitExact() throws {
        let data = path("examples/lorenz/data/lorenz.h5")
        let fixtures = "Tests/lfadscTests/Fixtures/reconstructions/"
        try assertBitExact(model: path(fixtures + "lorenz_gamma.h5"), data: data, flags: ["--reconstruction", "Gamma"])
        try assertBitExact(model: path(fixtures + "lorenz_zig.h5"), data: data, flags: [])
        // The raw readout and ZIG's [α, β, q] as extra hardware outputs (the fixed path's loss reads them).
        try assertBitExact(model: path(fixtures + "lorenz_zig.h5"), data: data, flags: ["--outputs", "readout,zig_params"])
    }

    /// A Gaussian model on real-valued data (negative and fractional, like calcium traces): its first input is a
    /// signed fractional type, not the 8-bit count type, the lfads strategy does not narrow it to counts, and the
    /// C-simulation writes the bytes simulate writes.
    func testRealValuedInputCSimulationIsBitExact() throws {
        let data = try writeCentredLorenz(in: scratch)
        let model = path("Tests/lfadscTests/Fixtures/reconstructions/lorenz_gamma.h5"), flags = ["--reconstruction", "Gaussian"]
        let ir = run(["compile", model, "--emit", "ir"] + flags)
        XCTAssertTrue(ir.out.contains("%encod_data = input() { precision = ap_fixed<16,6> }"), ir.err)
        try assertBitExact(model: model, data: data, trials: "0:3", flags: flags)
        let project = scratch.appendingPathComponent("prj-real").path
        XCTAssertEqual(run(["compile", model, "-o", project] + flags).status, 0)
        let parameters = try String(contentsOfFile: project + "/firmware/parameters.h", encoding: .utf8)
        XCTAssertTrue(parameters.contains("static const bool counts = false;"))
        XCTAssertFalse(parameters.contains("static const bool counts = true;"))
    }

    /// A per-layer strategy (--set, like lfadsc.json and hls4ml layers) reaches the IR, the estimate and the
    /// firmware, not only the precision table; the model-wide default keeps the other layers.
    func testPerLayerStrategyReachesTheDesign() throws {
        let model = path("examples/lorenz/models/lorenz_nocon.h5")
        let set = ["--set", "ic_enc.strategy=resource"]
        let ir = run(["compile", model, "--emit", "ir", "--after", "strategy", "--weights-summary"] + set)
        XCTAssertEqual(ir.status, 0, ir.err)
        // Implementations in graph order: ic_enc's two directions first.
        let strategies = ir.out.components(separatedBy: "strategy = ").dropFirst().map { String($0.prefix { $0 != "," && $0 != " " }) }
        XCTAssertEqual(Array(strategies.prefix(2)), ["resource", "resource"])
        XCTAssertGreaterThan(strategies.count, 2)
        XCTAssertTrue(strategies.dropFirst(2).allSatisfy { $0 == "lfads" }, "the default strategy elsewhere: \(strategies)")

        func project(_ flags: [String]) throws -> (estimate: String, firmware: String) {
            let dir = scratch.appendingPathComponent("prj-\(UUID().uuidString.prefix(8))")
            let r = run(["compile", model, "-o", dir.path] + flags)
            XCTAssertEqual(r.status, 0, r.err)
            var firmware = ""
            let files = FileManager.default.enumerator(at: dir.appendingPathComponent("firmware"), includingPropertiesForKeys: nil)
            while let f = files?.nextObject() as? URL { firmware += (try? String(contentsOf: f, encoding: .utf8)) ?? "" }
            return (r.out.split(separator: "\n").first { $0.hasPrefix("estimate:") }.map(String.init) ?? "", firmware)
        }
        let plain = try project([]), custom = try project(set)
        XCTAssertFalse(plain.firmware.contains("LFADS_RESOURCE;"))
        XCTAssertTrue(custom.firmware.contains("LFADS_RESOURCE;"))
        XCTAssertFalse(custom.estimate.isEmpty)
        XCTAssertNotEqual(plain.estimate, custom.estimate)
    }

    /// `--outputs factors,co_means` on the real lfads-torch checkpoint: the project's C-simulation writes the rates,
    /// the factors and the controller outputs on each line exactly as `simulate --outputs` does.
    func testOutputsCSimulationIsBitExact() throws {
        let model = path("examples/lorenz/checkpoints/lorenz_con_brief.ckpt")
        try assertBitExact(model: model, data: path("examples/lorenz/data/lorenz.h5"), flags: ["--outputs", "factors,co_means"])
        // The posterior stds of a posterior-mean design: co_stds (the controller's co_logvar product and std table,
        // kept for the output) and ic_std (sqrt(exp(ic_logvar) + ic_post_var_min) by one table).
        try assertBitExact(model: model, data: path("examples/lorenz/data/lorenz.h5"), flags: ["--outputs", "co_stds,ic_std"])
        let schedule = run(["compile", model, "--outputs", "factors,co_means", "--emit", "schedule"])
        XCTAssertEqual(schedule.status, 0, schedule.err)
        XCTAssertTrue(schedule.out.contains("process split_v_decoder_factors"), schedule.out)
        XCTAssertTrue(schedule.out.contains("channel out_decoder_co_means: port"), schedule.out)
    }

    func testTemplateCSimulationIsBitExact() throws {
        let template = try template()
        try assertBitExact(model: template.appendingPathComponent("keras_model.h5").path,
                           data: template.appendingPathComponent("tb_input_features.dat").path,
                           flags: ["--strategy", "resource", "--reuse", "70"])
    }
}
