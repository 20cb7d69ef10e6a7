// Designs carrying several trials per call (Graph.trialsInFlight, InterleavePass): the C-simulation of the emitted
// project must stay byte-identical to the simulator (trials grouped C at a time, the last group short), the
// schedule read back from the printed C++ must equal the estimate, and what is not built must be refused.
import Foundation
import XCTest
@testable import Backends
import LFADSIR

final class TrialsInFlightTests: XCTestCase {
    /// Grid configurations whose plan can be batched (reset-after GRUs, no decoder loop, sampling or time shift).
    static func batchable() throws -> [HWConfig] {
        try CsimEquivalenceTests.grid().filter { c in
            guard !c.name.hasPrefix("lstm") else { return false }
            var g = try TestModels.graph(c)
            g.trialsInFlight = 2
            return (try? HardwarePlan(graph: g).batched()) != nil
        }
    }

    func testBatchableConfigurationsCoverEveryStrategyAndBothDirections() throws {
        let configs = try Self.batchable()
        XCTAssertGreaterThanOrEqual(configs.count, 8, configs.map(\.name).joined(separator: ", "))
        for s in [Strategy.lfads, .resource, .latency] {
            XCTAssertTrue(configs.contains { $0.strategy == s }, "no batchable \(s) configuration")
        }
        XCTAssertTrue(configs.contains { $0.name.contains("bigru") }, "a bidirectional (backward-walking) encoder")
    }

    /// The schedule re-read from the printed C++ equals the estimate for every batchable configuration at C = 2,
    /// 3 and 5 (cycles, interval per trial, per-process ends, channels).
    func testBatchedDesignsReadBackExactly() throws {
        for c in try Self.batchable() {
            for trials in [2, 3, 5] {
                var g = try TestModels.graph(c)
                g.trialsInFlight = trials
                try ScheduleReadbackTests.check(g, label: "\(c.name) C=\(trials)", outputs: c.outputs)
                let s = try XCTUnwrap(try HLSProject.schedule(graph: g, clockMHz: 300, outputs: c.outputs))
                XCTAssertEqual(s.trialsPerCall, trials)
                XCTAssertEqual(s.intervalPerTrial, (s.interval + trials - 1) / trials)
            }
        }
    }

    /// Every interleaved recurrence meets its dependence: context c's next step issues no earlier than its last
    /// chunk's result is written ((C − 1)·S·II + II ≥ D), and uses no fewer slots than the product has chunks.
    func testSlotsMeetTheDependenceDistance() throws {
        for c in try Self.batchable() {
            let g = try TestModels.graph(c)
            let plan = try HardwarePlan.$shapesOnly.withValue(true) { try HardwarePlan(graph: g) }
            for case .gru(let gru) in plan.stages {
                for contexts in 2...6 {
                    let shape = ScheduleBuilder.cellShape(gru)
                    let t = ScheduleRules.interleaved(shape, contexts: contexts, delays: DelayModel(clockMHz: 300))
                    XCTAssertGreaterThanOrEqual((contexts - 1) * t.slots * t.ii + t.ii, t.depth, "\(c.name) C=\(contexts)")
                    XCTAssertGreaterThanOrEqual(t.slots, shape.recurrent[0].reuse)
                    // No slot to spare: one fewer would break the dependence (unless the chunks force the count).
                    if t.slots > shape.recurrent[0].reuse {
                        XCTAssertLessThan((contexts - 1) * (t.slots - 1) * t.ii + t.ii, t.depth, "\(c.name) C=\(contexts)")
                    }
                }
            }
        }
    }

    /// g++ against the real ap_fixed headers: the C simulation of the batched project equals the simulator byte for
    /// byte on 7 trials (two full calls and a short one at C = 3; one at C = 8) for a unidirectional lfads encoder,
    /// a bidirectional one (backward walk, per-trial final states), a resource and a latency design.
    func testBatchedCsimMatchesSimulatorByteForByte() throws {
        let builder = try CsimBuilder.require()
        let names = ["lfads_uneven_reuse_learned_clip", "lfads_bigru", "bigru_sequences_resource_sat", "latency_reuse"]
        let configs = try Self.batchable().filter { names.contains($0.name) }
        XCTAssertEqual(configs.count, names.count, "batchable: \(configs.map(\.name))")
        for (k, c) in configs.enumerated() {
            var g = try TestModels.graph(c)
            g.trialsInFlight = k == 0 ? 8 : 3
            let trials = TestModels.trials(g, count: 7, seed: c.seed &+ 31)
            let files = try HLSProject.emit(graph: g, options: HLSOptions(projectName: "p_\(c.name)_c\(g.trialsInFlight)", topName: "lfads_top", outputs: c.outputs))
            XCTAssertTrue(files["firmware/lfads_top.cpp"]?.contains("\(g.trialsInFlight) trials per call") ?? false)
            let csim = try builder.simulate(try builder.build(files).binary, input: TestModels.datText(g, trials))
            let sim = try FixedSimulator(graph: g).runBatch(trials: trials, threads: 2)
            XCTAssertEqual(FixedSimulator.datText(sim, extras: c.outputs), csim, "\(c.name) C=\(g.trialsInFlight)")
        }
    }

    /// The comparison sees the interleaving: a project whose recurrence read another trial's state (contexts
    /// swapped in the state index) must not match.
    func testComparisonDetectsAContextMixUp() throws {
        let builder = try CsimBuilder.require()
        let c = try XCTUnwrap(try Self.batchable().first { $0.name == "lfads_bigru" })
        var g = try TestModels.graph(c)
        g.trialsInFlight = 2
        var files = try HLSProject.emit(graph: g, options: HLSOptions(projectName: "p_mixup", topName: "lfads_top"))
        let header = try XCTUnwrap(files["firmware/layers/lfads_schedule.h"])
        let right = "lfads_chunk<typename CONFIG_T::state_t, M>(h[c], a, wzr, bzr, r);"
        XCTAssertTrue(header.contains(right))
        files["firmware/layers/lfads_schedule.h"] = header.replacingOccurrences(of: right, with: "lfads_chunk<typename CONFIG_T::state_t, M>(h[(c + 1) % C], a, wzr, bzr, r);")
        let trials = TestModels.trials(g, count: 4, seed: 3)
        let csim = try builder.simulate(try builder.build(files).binary, input: TestModels.datText(g, trials))
        let sim = try FixedSimulator(graph: g).runBatch(trials: trials, threads: 2)
        XCTAssertNotEqual(FixedSimulator.datText(sim), csim)
    }

    /// What is not built is refused with the construct named: a decoder loop, in the HLS and RTL backends and in the
    /// estimate.
    func testUnsupportedConstructsAreRefused() throws {
        let dec = try XCTUnwrap(CsimEquivalenceTests.grid().first { $0.name == "lfads_decoder_controller_ext" })
        var g = try TestModels.graph(dec)
        g.trialsInFlight = 2
        XCTAssertThrowsError(try HLSProject.emit(graph: g, options: HLSOptions())) { e in
            XCTAssertTrue("\(e)".contains("decoder") && "\(e)".contains("2 trials per call"), "\(e)")
        }
        let e = try CostModel(device: .u55c).estimate(g)
        XCTAssertFalse(e.fromEmittedSchedule)
        XCTAssertTrue(e.notes.contains { $0.contains("not emittable") && $0.contains("decoder") }, e.notes.joined(separator: "\n"))
        XCTAssertThrowsError(try RTLBackend.emit(graph: g, clockMHz: 250)) { e in
            XCTAssertTrue("\(e)".contains("decoder") && "\(e)".contains("2 trials per call"), "\(e)")
        }
    }

    /// The batched plan is never what the simulator runs: trials in flight change no number of a trial.
    func testSimulatorIgnoresTrialsInFlight() throws {
        let c = try XCTUnwrap(try Self.batchable().first { $0.name == "lfads_bigru" })
        let one = try TestModels.graph(c)
        var three = one
        three.trialsInFlight = 3
        let trials = TestModels.trials(one, count: 3, seed: 9)
        XCTAssertEqual(FixedSimulator.datText(try FixedSimulator(graph: one).runBatch(trials: trials, threads: 1)),
                       FixedSimulator.datText(try FixedSimulator(graph: three).runBatch(trials: trials, threads: 1)))
    }

    /// The Vitis kernel of a batched design moves each trial over its own beats (the host's layout is unchanged)
    /// into words t·C + k, and neither loads nor stores the missing trials of a short last call: its outputs equal
    /// the simulator's for 5 trials at C = 3 (one full call and one of two), and 0 trials give nothing.
    func testBatchedKernelMatchesSimulator() throws {
        let builder = try CsimBuilder.require()
        let c = try XCTUnwrap(try Self.batchable().first { $0.name == "lfads_bigru" })
        var g = try TestModels.graph(c)
        g.trialsInFlight = 3
        let trials = TestModels.trials(g, count: 5, seed: c.seed &+ 29)
        let files = VitisKernelTests.withKernelMain(try VitisKernelTests.project(g, c.name + "_c3"))
        XCTAssertTrue(files["kernel/lfads_top_kernel.cpp"]?.contains("(n_trials + 2) / 3") ?? false)
        let binary = try builder.build(files, target: "kernel_main").binary
        let kernel = try builder.simulate(binary, input: TestModels.datText(g, trials))
        XCTAssertEqual(kernel, FixedSimulator.datText(try FixedSimulator(graph: g).runBatch(trials: trials, threads: 1)))
        XCTAssertEqual(try builder.simulate(binary, input: ""), "")
    }

    /// IR text: `trials_in_flight C` prints only when C ≠ 1, reads back to the same graph, and bad values or a
    /// second statement are errors naming the line.
    func testIRTextCarriesTrialsInFlight() throws {
        let c = try XCTUnwrap(try Self.batchable().first)
        var g = try TestModels.graph(c)
        XCTAssertFalse(IRPrinter.print(g).contains("trials_in_flight"))
        g = try InterleavePass(trials: 4).run(g)
        let text = IRPrinter.print(g)
        XCTAssertTrue(text.contains("\ntrials_in_flight 4\n"))
        XCTAssertEqual(try IRParser.parse(text), g)
        for bad in ["trials_in_flight 0", "trials_in_flight 65", "trials_in_flight two", "trials_in_flight 2\ntrials_in_flight 2"] {
            let broken = text.replacingOccurrences(of: "trials_in_flight 4", with: bad)
            XCTAssertThrowsError(try IRParser.parse(broken), bad) { e in XCTAssertTrue("\(e)".contains("trials_in_flight"), "\(e)") }
        }
        XCTAssertThrowsError(try InterleavePass(trials: 0).run(g))
    }

    /// The published template (AE-LFADS) with 3 trials in flight through the default pipeline (lfads strategy, reuse
    /// pass within 80 %): the estimate of the emitted schedule meets the goals (≤ 20 µs per trial at the achievable
    /// clock, a trial every ≤ 5 µs, every resource ≤ 80 %), the schedule reads back from the C++, and its C
    /// simulation equals the simulator on 7 trials (two calls of 3 and one of 1).
    func testTemplateWithThreeTrialsInFlight() throws {
        let path = ScheduleReadbackTests.root.deletingLastPathComponent().appendingPathComponent("shared/peers/lfads-fpga-template/keras_model.h5").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no template model at \(path)") }
        var config = ProjectConfig()
        config.trialsInFlight = 3
        let result = try CompilePipeline.run(try ModelLoader.load(path: path), config: config, reuse: .auto(maxUtilization: 0.8), estimate: false)
        XCTAssertEqual(result.graph.trialsInFlight, 3)
        let e = try CostModel(device: .u55c, clockMHz: result.clockMHz).estimate(result.graph)
        XCTAssertTrue(e.fromEmittedSchedule)
        XCTAssertLessThanOrEqual(e.latencyMicroseconds, 20, "latency \(e.latencyCycles) cycles")
        XCTAssertLessThanOrEqual(e.intervalMicroseconds, 5, "interval \(e.intervalCycles) cycles")
        XCTAssertLessThanOrEqual(e.maxUtilization, 0.8)
        try ScheduleReadbackTests.check(result.graph, label: "template C=3", clockMHz: result.clockMHz)
        let builder = try CsimBuilder.require()
        var rng = SplitMix64(seed: 11)
        let trials: [[String: [Double]]] = (0..<7).map { _ in
            var t = [String: [Double]]()
            for v in result.graph.inputs {
                t[v.name] = (0..<v.type.elementCount).map { _ in v.name == "decoder_input" ? 0 : Double(Int.random(in: 0...3, using: &rng)) }
            }
            return t
        }
        XCTAssertEqual(result.graph.inputs.map(\.name), ["encoder_input", "decoder_input"])
        let files = try HLSProject.emit(graph: result.graph, options: HLSOptions(clockMHz: result.clockMHz, projectName: "template_c3", topName: "lfads_top"))
        let csim = try builder.simulate(try builder.build(files).binary, input: TestModels.datText(result.graph, trials))
        let sim = try FixedSimulator(graph: result.graph).runBatch(trials: trials, threads: 2)
        XCTAssertEqual(FixedSimulator.datText(sim), csim)
    }
}
