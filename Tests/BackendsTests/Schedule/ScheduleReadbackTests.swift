// `lfadsc estimate` must equal the schedule recomputed from the emitted C++ (issue: the emitted design must be
// the estimated design): cycles and interval exactly, process by process, and the channel buffers.
import Foundation
import XCTest
@testable import Backends
import LFADSIR

final class ScheduleReadbackTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Emits the project, reads its schedule back and compares it with the estimate of the same graph.
    func check(_ graph: Graph, label: String, clockMHz: Double = 300, outputs: [String] = [],
               file: StaticString = #filePath, line: UInt = #line) throws {
        try Self.check(graph, label: label, clockMHz: clockMHz, outputs: outputs, file: file, line: line)
    }

    static func check(_ graph: Graph, label: String, clockMHz: Double = 300, outputs: [String] = [],
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let files = try HLSProject.emit(graph: graph, options: HLSOptions(clockMHz: clockMHz, projectName: "p", topName: "lfads_top", outputs: outputs))
        let read = try EmittedScheduleReader(files: files, clockMHz: clockMHz).schedule()
        let estimate = try CostModel(device: .u55c, clockMHz: clockMHz, outputs: outputs).estimate(graph)
        XCTAssertTrue(estimate.fromEmittedSchedule, "\(label): the estimate does not come from the emitted schedule", file: file, line: line)
        XCTAssertEqual(read.latency, estimate.latencyCycles, "\(label): latency read back from the C++ vs estimate", file: file, line: line)
        XCTAssertEqual(read.intervalPerTrial, estimate.intervalCycles, "\(label): interval per trial read back vs estimate", file: file, line: line)
        XCTAssertEqual(read.processes.map(\.latency), estimate.layers.map(\.latency), "\(label): per-process cycles", file: file, line: line)
        XCTAssertEqual(read.timings.map(\.end), estimate.layers.map(\.end), "\(label): per-process end times", file: file, line: line)
        let readBuffers = read.channels.map(CostModel.channelResources).reduce(Resources(), +)
        let built = try XCTUnwrap(HLSProject.schedule(graph: graph, clockMHz: clockMHz, outputs: outputs))
        let builtBuffers = built.channels.map(CostModel.channelResources).reduce(Resources(), +)
        XCTAssertEqual(readBuffers, builtBuffers, "\(label): channel buffers read back vs schedule", file: file, line: line)
        XCTAssertEqual(read.channels.map(\.name), built.channels.map(\.name), "\(label): channels", file: file, line: line)
        XCTAssertGreaterThan(read.latency, 0, file: file, line: line)
    }

    /// Every lfads configuration of the C-simulation grid (bidirectional encoders, reset before/after, saturating
    /// and wrap-around accumulators, uneven reuse, narrow counts, decoders with controller and external inputs).
    func testGridConfigurationsReadBackExactly() throws {
        let configs = CsimEquivalenceTests.grid().filter { $0.strategy == .lfads && !$0.name.hasPrefix("lstm") }
        XCTAssertGreaterThanOrEqual(configs.count, 8)
        XCTAssertTrue(configs.contains { !$0.outputs.isEmpty }, "a configuration with --outputs")
        for c in configs { try check(try TestModels.graph(c), label: c.name, outputs: c.outputs) }
        // Another clock changes depths; the read-back must follow.
        if let c = configs.first { try check(try TestModels.graph(c), label: c.name + "@200MHz", clockMHz: 200) }
    }

    /// The resource and latency configurations of the grid and the mixed one (every strategy is a chunk pipeline
    /// of the same schedule now; only LSTM designs are printed layer by layer, with an intent estimate).
    func testResourceLatencyAndMixedConfigurationsReadBackExactly() throws {
        let configs = CsimEquivalenceTests.grid().filter { $0.strategy != .lfads && !$0.name.hasPrefix("lstm") }
        XCTAssertTrue(configs.contains { $0.strategy == .resource } && configs.contains { $0.strategy == .latency })
        XCTAssertTrue(configs.contains { !$0.layerStrategy.isEmpty }, "a mixed configuration")
        for c in configs { try check(try TestModels.graph(c), label: c.name) }
        if let c = configs.first(where: { $0.strategy == .resource }) {
            try check(try TestModels.graph(c), label: c.name + "@200MHz", clockMHz: 200)
        }
    }

    /// LSTM designs are the one construct still printed layer by layer: their estimate stays labelled intent.
    func testLSTMDesignsStayIntent() throws {
        let c = try XCTUnwrap(CsimEquivalenceTests.grid().first { $0.name.hasPrefix("lstm") })
        let e = try CostModel(device: .u55c).estimate(try TestModels.graph(c))
        XCTAssertFalse(e.fromEmittedSchedule)
        XCTAssertNil(try HLSProject.schedule(graph: try TestModels.graph(c), clockMHz: 300))
    }

    /// The published template under `--strategy resource` and `--strategy latency` with the reuse pass.
    func testTemplateUnderResourceAndLatencyReadsBackExactly() throws {
        let template = Self.root.deletingLastPathComponent().appendingPathComponent("shared/peers/lfads-fpga-template/keras_model.h5").path
        guard FileManager.default.fileExists(atPath: template) else { throw XCTSkip("no template model at \(template)") }
        let graph = try ModelLoader.load(path: template)
        for strategy in [Strategy.resource, .latency] {
            var config = ProjectConfig()
            config.overrides.strategy = strategy
            let result = try CompilePipeline.run(graph, config: config, reuse: .auto(maxUtilization: 0.8), estimate: false)
            try check(result.graph, label: "template \(strategy.rawValue)")
        }
    }

    /// The published template and both Lorenz models, through the default pipeline (lfads strategy, reuse pass).
    func testRealModelsReadBackExactly() throws {
        var models = ["examples/lorenz/models/lorenz_con.h5", "examples/lorenz/models/lorenz_nocon.h5"].map { Self.root.appendingPathComponent($0).path }
        let template = Self.root.deletingLastPathComponent().appendingPathComponent("shared/peers/lfads-fpga-template/keras_model.h5").path
        if FileManager.default.fileExists(atPath: template) { models.append(template) }
        for path in models {
            let graph = try ModelLoader.load(path: path)
            var config = ProjectConfig()
            config.overrides.strategy = .lfads
            let result = try CompilePipeline.run(graph, config: config, reuse: .auto(maxUtilization: 0.8), estimate: false)
            try check(result.graph, label: URL(fileURLWithPath: path).lastPathComponent)
        }
    }

    /// The Gamma and ZeroInflatedGamma readouts (tests' fixtures), through the default pipeline.
    func testReconstructionDesignsReadBackExactly() throws {
        let fixtures = Self.root.appendingPathComponent("Tests/lfadscTests/Fixtures/reconstructions")
        for (file, name) in [("lorenz_gamma.h5", "Gamma"), ("lorenz_zig.h5", nil)] {
            let graph = try ModelLoader.load(path: fixtures.appendingPathComponent(file).path, reconstruction: name)
            var config = ProjectConfig()
            config.overrides.strategy = .lfads
            let result = try CompilePipeline.run(graph, config: config, reuse: .auto(maxUtilization: 0.8), estimate: false)
            try check(result.graph, label: file)
            // ZIG's 0/±1 combination layers are 2-bit products in fabric: no DSP.
            let combination = try CostModel(device: .u55c).estimate(result.graph).layers.filter {
                $0.name.hasSuffix("zig_parts") || ($0.name.hasSuffix("output_params") && name == nil)
            }
            XCTAssertEqual(combination.count, name == nil ? 2 : 0, file)
            XCTAssertEqual(combination.map(\.dsp), combination.map { _ in 0 }, file)
        }
    }

    /// lorenz_con with `--outputs factors,co_means,gen_states`: the printed design with its extra ports reads back
    /// to the estimate, and the estimate prices them (the fan-out copy of the factors lengthens the path to the
    /// rates, its registers and the extra output beats are charged) against the same graph emitted with rates only.
    func testExtraOutputsReadBackAndArePriced() throws {
        let graph = try ModelLoader.load(path: Self.root.appendingPathComponent("examples/lorenz/models/lorenz_con.h5").path)
        var config = ProjectConfig()
        config.overrides.strategy = .lfads
        config.outputs = ["factors", "co_means", "gen_states"]
        let extras = try HardwareOutputSelection.values(for: config.outputs, in: graph)
        XCTAssertEqual(extras.count, 3)
        let result = try CompilePipeline.run(graph, config: config, reuse: .auto(maxUtilization: 0.8), estimate: false)
        try check(result.graph, label: "lorenz_con --outputs", outputs: extras)
        let with = try CostModel(device: .u55c, outputs: extras).estimate(result.graph)
        let without = try CostModel(device: .u55c).estimate(result.graph)
        XCTAssertTrue(with.fromEmittedSchedule)
        XCTAssertGreaterThan(with.latencyCycles, without.latencyCycles, "the factors' fan-out copy is on the path to the rates")
        XCTAssertGreaterThan(with.resources.ff, without.resources.ff)
        XCTAssertGreaterThan(with.kernelBeatsOut ?? 0, without.kernelBeatsOut ?? 0)
        let schedule = try XCTUnwrap(HLSProject.schedule(graph: result.graph, clockMHz: 300, outputs: extras))
        XCTAssertEqual(schedule.channels.filter { $0.kind == .port && $0.name.hasPrefix("out") }.count, 4)
        XCTAssertNil(ScheduleLint.violation(schedule, try HardwarePlan(graph: result.graph).emitting(extras)))
    }

    /// A design that samples its initial condition (--posterior sample): the sample process reads back too.
    func testSamplingDesignReadsBackExactly() throws {
        for c in CsimEquivalenceTests.grid().filter({ $0.name.hasPrefix("lfads_bigru") || $0.name == "bigru_sequences_resource_sat" }) {
            let graph = try TestModels.sampling(try TestModels.graph(c), seed: 9)
            let files = try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "p", topName: "lfads_top"))
            XCTAssertTrue(files["firmware/lfads_top.cpp"]?.contains("static void sample_") == true, c.name)
            try check(graph, label: c.name + "+sample")
            // A wrong printed II of the sample loop is caught.
            var wrong = files
            wrong["firmware/lfads_top.cpp"] = files["firmware/lfads_top.cpp"]?.replacingOccurrences(
                of: "    for (unsigned t = 0; t < 1; t++) {\n        LFADS_PRAGMA(HLS PIPELINE II = 1)",
                with: "    for (unsigned t = 0; t < 1; t++) {\n        LFADS_PRAGMA(HLS PIPELINE II = 2)")
            XCTAssertNotEqual(wrong, files)
            XCTAssertThrowsError(try EmittedScheduleReader(files: wrong, clockMHz: 300).schedule()) { e in
                XCTAssertTrue("\(e)".contains("sample process: printed II 2"), "\(e)")
            }
        }
    }

    /// The check can fail: a printed II that disagrees with the rules is caught.
    func testReaderRejectsAWrongPrintedII() throws {
        let c = try XCTUnwrap(CsimEquivalenceTests.grid().first { $0.name == "lfads_bigru" })
        var files = try HLSProject.emit(graph: try TestModels.graph(c), options: HLSOptions(projectName: "p", topName: "lfads_top"))
        files["firmware/parameters.h"] = files["firmware/parameters.h"]?.replacingOccurrences(of: "static const unsigned ii = 1;", with: "static const unsigned ii = 3;")
        XCTAssertThrowsError(try EmittedScheduleReader(files: files, clockMHz: 300).schedule()) { e in
            XCTAssertTrue("\(e)".contains("printed II 3"), "\(e)")
        }
    }
}
