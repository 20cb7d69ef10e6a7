// The emitted C++ (compiled with g++ against the real ap_fixed headers) and the Swift fixed-point simulator must
// write byte-identical output files for every configuration of a mixed precision / strategy grid.
import Foundation
import XCTest
@testable import Backends
import LFADSIR

final class CsimEquivalenceTests: XCTestCase {
    static let trialsPerConfig = 20

    /// ≥ 24 configurations: widths, integer bits, rounding and overflow modes, table sizes and entry types,
    /// strategies and reuse factors, reset placement, gate order, clip, hard activations, update bias,
    /// normalised rows, learned initial states, output functions (tables, relu, hard sigmoid, quantizer).
    static func grid() -> [HWConfig] {
        var configs = [HWConfig]()
        func add(_ name: String, _ edit: (inout HWConfig) -> Void) {
            var c = HWConfig(name: name)
            c.seed = UInt64(configs.count + 1) &* 7919
            edit(&c)
            configs.append(c)
        }
        add("uniform16_6") { _ in }
        add("rnd_sat") { c in
            c.data = fx("ap_fixed<16,6,AP_RND,AP_SAT>"); c.accum = fx("ap_fixed<24,8,AP_RND,AP_SAT>"); c.state = c.data
        }
        add("rndconv_sat_resource") { c in
            c.data = fx("ap_fixed<16,6,AP_RND_CONV,AP_SAT>"); c.accum = fx("ap_fixed<20,8,AP_RND_CONV,AP_SAT>")
            c.strategy = .resource; c.reuse = 5; c.recurrentReuse = 4
        }
        add("narrow_wrap") { c in
            c.data = fx("ap_fixed<8,3>"); c.weight = fx("ap_fixed<8,2>"); c.bias = fx("ap_fixed<8,2>")
            c.accum = fx("ap_fixed<10,4>"); c.gate = fx("ap_ufixed<8,0>"); c.cand = fx("ap_fixed<8,1>"); c.state = fx("ap_fixed<8,3>")
            c.tableEntry = fx("ap_fixed<10,2>")
        }
        add("narrow_sat_overflows") { c in
            c.data = fx("ap_fixed<8,2,AP_RND,AP_SAT>"); c.weight = fx("ap_fixed<6,2,AP_RND_CONV,AP_SAT>")
            c.accum = fx("ap_fixed<8,2,AP_TRN,AP_SAT>"); c.state = fx("ap_fixed<8,2,AP_RND,AP_SAT_SYM>")
            c.input = fx("ap_fixed<8,3,AP_RND,AP_SAT>")
        }
        add("reset_before_rzh") { c in c.reset = .before; c.gateOrder = .rzh; c.clip = 0.75; c.updateBias = 1.0 }
        add("reset_before_resource") { c in
            c.reset = .before; c.strategy = .resource; c.reuse = 2; c.recurrentReuse = 2
            c.data = fx("ap_fixed<18,8,AP_RND_ZERO,AP_SAT>"); c.accum = fx("ap_fixed<26,10>")
        }
        add("hard_gates") { c in c.hard = true; c.outputFunction = .hardSigmoid }
        add("hard_gates_sat") { c in
            c.hard = true; c.outputFunction = .hardTanh
            c.gate = fx("ap_ufixed<10,1,AP_RND,AP_SAT>"); c.cand = fx("ap_fixed<10,2,AP_RND,AP_SAT>")
        }
        add("table256") { c in c.tableSize = 256; c.tableEntry = fx("ap_ufixed<12,1,AP_RND>") }
        add("table4096") { c in c.tableSize = 4096; c.tableEntry = fx("ap_fixed<20,4,AP_RND_CONV>") }
        add("exp_output") { c in
            c.outputFunction = .exp
            c.outputTable = TableSpec(size: 512, lower: -8, upper: 8, entryType: fx("ap_ufixed<18,10,AP_RND>"))
            c.data = fx("ap_fixed<20,10,AP_RND,AP_SAT>")
        }
        add("sigmoid_output_quantizer") { c in
            c.outputFunction = .sigmoid
            c.outputTable = TableSpec(size: 1024, lower: -8, upper: 8, entryType: fx("ap_fixed<18,8>"))
            c.quantizer = fx("ap_fixed<8,1,AP_RND,AP_SAT>")
        }
        add("relu_output") { c in c.outputFunction = .relu; c.quantizer = fx("ap_ufixed<6,2,AP_RND,AP_SAT>") }
        add("tanh_output") { c in
            c.outputFunction = .tanh
            c.outputTable = TableSpec(size: 128, lower: -2, upper: 2, entryType: fx("ap_fixed<12,2,AP_RND>"))
        }
        add("wide24") { c in
            c.data = fx("ap_fixed<24,8,AP_RND>"); c.weight = fx("ap_fixed<20,4,AP_RND>"); c.bias = c.weight
            c.accum = fx("ap_fixed<32,12>"); c.state = fx("ap_fixed<24,6,AP_RND>"); c.gate = fx("ap_ufixed<18,1,AP_RND>")
            c.cand = fx("ap_fixed<18,2,AP_RND>"); c.tableEntry = fx("ap_fixed<20,3,AP_RND>")
        }
        add("accum40") { c in c.accum = fx("ap_fixed<40,14>"); c.strategy = .resource; c.reuse = 3; c.recurrentReuse = 5 }
        add("latency_reuse") { c in c.strategy = .latency; c.reuse = 4; c.recurrentReuse = 2 }
        add("trn_zero_rnd_inf") { c in
            c.data = fx("ap_fixed<14,5,AP_TRN_ZERO,AP_SAT>"); c.accum = fx("ap_fixed<18,7,AP_RND_INF,AP_SAT>")
            c.state = fx("ap_fixed<14,4,AP_RND_MIN_INF,AP_SAT>")
        }
        add("wrap_sm_and_n") { c in
            c.accum = fx("ap_fixed<14,5,AP_RND,AP_WRAP_SM>"); c.data = fx("ap_fixed<12,5,AP_TRN,AP_WRAP,2>")
        }
        add("sat_zero") { c in c.accum = fx("ap_fixed<12,4,AP_RND,AP_SAT_ZERO>"); c.state = fx("ap_fixed<12,3,AP_RND,AP_SAT>") }
        add("normalized_rows_learned_h0") { c in c.normalizeRows = true; c.learnedInitial = true; c.updateBias = 0.5 }
        add("clip_tight_before") { c in c.reset = .before; c.clip = 0.25; c.hard = true; c.state = fx("ap_fixed<10,2,AP_RND,AP_SAT>") }
        add("long_sequence") { c in c.steps = 17; c.inputs = 9; c.hidden = 6; c.generator = 8; c.strategy = .resource; c.reuse = 9; c.recurrentReuse = 3 }
        add("weights_4bit") { c in
            c.weight = fx("ap_fixed<4,1,AP_RND_CONV,AP_SAT>"); c.bias = fx("ap_fixed<6,2,AP_RND,AP_SAT>")
            c.input = fx("ap_ufixed<3,3>")
        }
        add("unsigned_gates_rzh_resource") { c in
            c.gateOrder = .rzh; c.gate = fx("ap_ufixed<16,0,AP_RND_CONV,AP_SAT>"); c.strategy = .resource; c.reuse = 1
        }
        add("bigru_sequences") { c in c.sequenceEncoder = true; c.reset = .before; c.gateOrder = .rzh }
        add("bigru_sequences_resource_sat") { c in
            c.sequenceEncoder = true; c.strategy = .resource; c.reuse = 2; c.recurrentReuse = 3
            c.data = fx("ap_fixed<12,4,AP_RND,AP_SAT>"); c.state = fx("ap_fixed<12,3,AP_RND_CONV,AP_SAT>")
        }
        add("decoder_controller_ext") { c in
            c.decoder = (true, true); c.externalInputs = 2; c.strategy = .resource; c.reuse = 3; c.recurrentReuse = 2
        }
        add("decoder_bare") { c in c.decoder = (false, false); c.normalizeRows = true }
        add("decoder_controller_before_hard") { c in
            c.decoder = (true, false); c.reset = .before; c.hard = true; c.clip = 1.5; c.updateBias = 1
            c.data = fx("ap_fixed<14,5,AP_RND_CONV,AP_SAT>")
        }
        add("decoder_ext_only_sat") { c in
            c.decoder = (false, true); c.externalInputs = 3
            c.accum = fx("ap_fixed<12,4,AP_RND,AP_SAT>"); c.state = fx("ap_fixed<10,3,AP_RND,AP_SAT>")
        }
        // lfads strategy: bidirectional encoders in parallel with hoisted, spike-count input projections, the
        // generator GRU, dense layers and the decoder loop, at even and uneven reuse factors.
        add("lfads_bigru") { c in c.strategy = .lfads }
        add("lfads_bigru_seq_reuse_sat") { c in
            c.sequenceEncoder = true; c.strategy = .lfads; c.reuse = 2; c.recurrentReuse = 3; c.reset = .before
            c.data = fx("ap_fixed<12,4,AP_RND,AP_SAT>"); c.accum = fx("ap_fixed<14,5,AP_RND,AP_SAT>")
            c.state = fx("ap_fixed<12,3,AP_RND_CONV,AP_SAT>")
        }
        add("lfads_uneven_reuse_learned_clip") { c in
            c.strategy = .lfads; c.reuse = 3; c.recurrentReuse = 4; c.learnedInitial = true; c.clip = 0.5
            c.gateOrder = .rzh; c.updateBias = 1; c.hard = true
        }
        add("lfads_counts_narrow_input") { c in
            c.strategy = .lfads; c.reuse = 5; c.recurrentReuse = 1; c.input = fx("ap_ufixed<3,3>")
            c.weight = fx("ap_fixed<6,2,AP_RND_CONV,AP_SAT>"); c.accum = fx("ap_fixed<12,4,AP_TRN,AP_SAT>")
        }
        add("lfads_long_sequence_wrap") { c in
            c.steps = 17; c.inputs = 9; c.hidden = 6; c.generator = 8; c.strategy = .lfads; c.reuse = 4; c.recurrentReuse = 6
            c.accum = fx("ap_fixed<14,5,AP_RND,AP_WRAP>"); c.input = fx("ap_fixed<12,8,AP_RND,AP_SAT>")
        }
        add("lfads_decoder_controller_ext") { c in
            c.decoder = (true, true); c.externalInputs = 2; c.strategy = .lfads; c.reuse = 3; c.recurrentReuse = 2
        }
        // --outputs: decoder results that are also read inside (fan-out copies into their ports), and glue outputs
        // (an activation, the posterior-mean copy) with their own glue process per port.
        add("lfads_decoder_controller_outputs") { c in
            c.decoder = (true, true); c.externalInputs = 2; c.strategy = .lfads; c.reuse = 3; c.recurrentReuse = 2
            c.outputs = ["dec.factors", "dec.co_means", "dec.con_states"]
        }
        add("lfads_bigru_outputs") { c in
            c.strategy = .lfads; c.reuse = 2; c.recurrentReuse = 2; c.input = fx("ap_ufixed<4,4>"); c.outputs = ["g0", "rates"]
        }
        add("lfads_decoder_bare_before") { c in
            c.decoder = (false, false); c.strategy = .lfads; c.reuse = 1; c.recurrentReuse = 5; c.reset = .before
            c.normalizeRows = true
        }
        add("lfads_decoder_ext_sat") { c in
            c.decoder = (false, true); c.externalInputs = 3; c.strategy = .lfads; c.reuse = 2; c.recurrentReuse = 2
            c.accum = fx("ap_fixed<12,4,AP_RND,AP_SAT>"); c.state = fx("ap_fixed<10,3,AP_RND,AP_SAT>")
        }
        // Mixed strategies in one dataflow design: an lfads encoder (spike counts), latency and resource layers.
        add("mixed_lfads_resource_latency") { c in
            c.strategy = .resource; c.reuse = 3; c.recurrentReuse = 2; c.sequenceEncoder = true; c.input = fx("ap_ufixed<3,3>")
            c.layerStrategy = ["encoder": .lfads, "ic_mean": .latency, "factors": .latency, "encoder_seq": .latency]
        }
        // LSTM (Keras gates i, f, c, o; cell state in its own type) under latency and resource, and lfads falling
        // back to resource: sequences into a second LSTM or the last state, forward and backward.
        add("lstm_seq_latency_sigmoid") { c in c.lstm = (true, false); c.steps = 8 }
        add("lstm_last_resource_hard") { c in
            c.lstm = (false, false); c.hard = true; c.strategy = .resource; c.reuse = 3; c.recurrentReuse = 2
            c.cell = fx("ap_fixed<18,5,AP_RND,AP_SAT>")
        }
        add("lstm_backward_resource_sat") { c in
            c.lstm = (false, true); c.strategy = .resource; c.reuse = 2; c.recurrentReuse = 4
            c.data = fx("ap_fixed<10,3,AP_RND,AP_SAT>"); c.accum = fx("ap_fixed<12,4,AP_RND,AP_SAT>")
            c.state = fx("ap_fixed<10,2,AP_RND_CONV,AP_SAT>"); c.cell = fx("ap_fixed<10,2,AP_TRN,AP_SAT_SYM>")
            c.gate = fx("ap_ufixed<8,0,AP_RND,AP_SAT>"); c.tableSize = 256
        }
        add("lstm_seq_latency_reuse_wrap_hard") { c in
            c.lstm = (true, false); c.hard = true; c.lstmActivation = .hardTanh; c.strategy = .latency; c.reuse = 4; c.recurrentReuse = 2
            c.data = fx("ap_fixed<8,3>"); c.accum = fx("ap_fixed<10,4>"); c.cell = fx("ap_fixed<8,2>"); c.state = fx("ap_fixed<8,2>")
            c.outputFunction = .hardSigmoid
        }
        add("lstm_seq_resource_wide_tanh_out") { c in
            c.lstm = (true, false); c.strategy = .resource; c.reuse = 5; c.recurrentReuse = 3; c.steps = 11
            c.accum = fx("ap_fixed<32,12,AP_RND_CONV,AP_SAT>"); c.cell = fx("ap_fixed<24,8,AP_RND>"); c.tableEntry = fx("ap_fixed<20,3,AP_RND>")
            c.outputFunction = .tanh
            c.outputTable = TableSpec(size: 512, lower: -4, upper: 4, entryType: fx("ap_fixed<12,2,AP_RND>"))
        }
        add("lstm_lfads_falls_back_to_resource") { c in c.lstm = (false, false); c.strategy = .lfads; c.reuse = 2; c.recurrentReuse = 2 }
        // --outputs in a layer-by-layer (LSTM) design: the extra port is a copy after the last stage.
        add("lstm_seq_resource_outputs") { c in
            c.lstm = (true, false); c.strategy = .resource; c.reuse = 2; c.recurrentReuse = 2; c.outputs = ["lstm"]
        }
        return configs
    }

    func testGridCsimMatchesSimulatorByteForByte() throws {
        let builder = try CsimBuilder.require()
        var configs = Self.grid()
        // LFADSC_HW_GRID=name,name runs only those configurations (for debugging one failure).
        if let chosen = configs.selected(by: "LFADSC_HW_GRID") {
            configs = chosen
        } else {
            XCTAssertGreaterThanOrEqual(configs.count, 24)
        }
        let started = Date()
        let tally = Tally()
        // Two projects at a time: the machine is shared.
        let chosen = configs
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for (k, c) in chosen.enumerated() where k % 2 == worker {
                tally.add(Self.check(c, index: k, builder: builder))
            }
        }
        let (failures, compared, built, csimSeconds, simSeconds) = tally.snapshot()
        let wall = Date().timeIntervalSince(started)
        print("hw-grid: \(configs.count) configs, \(compared) trials compared, \(failures.count) failing configs, \(built) projects compiled, wall \(String(format: "%.1f", wall)) s, csim \(String(format: "%.3f", 1000 * csimSeconds / Double(max(compared, 1)))) ms/trial (incl. process start), simulator \(String(format: "%.3f", 1000 * simSeconds / Double(max(compared, 1)))) ms/trial")
        XCTAssertEqual(compared, configs.count * Self.trialsPerConfig)
        XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
    }

    /// The comparison is sensitive: a simulator whose accumulator rounds (AP_RND instead of AP_TRN) must not
    /// match the C simulation of the AP_TRN project.
    func testComparisonDetectsARoundingChange() throws {
        let builder = try CsimBuilder.require()
        let c = Self.grid()[0]
        let graph = try TestModels.lfadsLike(c)
        let trials = TestModels.trials(graph, count: Self.trialsPerConfig, seed: c.seed &+ 17)
        let files = try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "p_\(c.name)", topName: "lfads_top"))
        let csim = try builder.simulate(try builder.build(files).binary, input: TestModels.datText(graph, trials))
        var changed = c
        changed.accum = fx("ap_fixed<16,6,AP_RND>")
        let other = try FixedSimulator(graph: try TestModels.lfadsLike(changed)).runBatch(trials: trials, threads: 2)
        XCTAssertNotEqual(FixedSimulator.datText(other), csim)
        let same = try FixedSimulator(graph: graph).runBatch(trials: trials, threads: 2)
        XCTAssertEqual(FixedSimulator.datText(same), csim)
    }

    /// The same for an LSTM: a simulator keeping the cell state one fraction bit coarser than the emitted
    /// project must not match its C simulation; the LSTM's own output is compared, not only the readout.
    func testLSTMComparisonDetectsACellStateChange() throws {
        let builder = try CsimBuilder.require()
        guard let c = Self.grid().first(where: { $0.name == "lstm_seq_latency_sigmoid" }) else { return XCTFail("config missing") }
        let graph = try TestModels.graph(c)
        let trials = TestModels.trials(graph, count: Self.trialsPerConfig, seed: c.seed &+ 17)
        let files = try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "p_\(c.name)", topName: "lfads_top"))
        XCTAssertNotNil(files["firmware/layers/lfads_lstm.h"])
        let csim = try builder.simulate(try builder.build(files).binary, input: TestModels.datText(graph, trials))
        var changed = c
        changed.cell = fx("ap_fixed<15,6>")
        let other = try FixedSimulator(graph: try TestModels.graph(changed)).runBatch(trials: trials, threads: 2)
        XCTAssertNotEqual(FixedSimulator.datText(other), csim)
        let same = try FixedSimulator(graph: graph).runBatch(trials: trials, threads: 2)
        XCTAssertEqual(FixedSimulator.datText(same), csim)
    }

    /// Under lfads the spike input is read as a narrow count: a value that is not one must stop the C simulation
    /// (its product would differ from the simulator's), never produce different numbers silently.
    func testLFADSRejectsNonCountSpikes() throws {
        let builder = try CsimBuilder.require()
        guard let c = Self.grid().first(where: { $0.name == "lfads_bigru" }) else { return XCTFail("lfads_bigru missing") }
        let graph = try TestModels.graph(c)
        var trials = TestModels.trials(graph, count: 2, seed: 5)
        let files = try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "p_\(c.name)", topName: "lfads_top"))
        let binary = try builder.build(files).binary
        XCTAssertNoThrow(try builder.simulate(binary, input: TestModels.datText(graph, trials)))
        trials[1]["spikes"]?[3] = 1.5
        XCTAssertThrowsError(try builder.simulate(binary, input: TestModels.datText(graph, trials))) { e in
            XCTAssertTrue("\(e)".contains("not a spike count"), "\(e)")
        }
    }

    /// The published model's size: emission, compilation and bit-identity at scale, and the time per trial of
    /// the C simulation and of the simulator.
    func testPaperSizedModel() throws {
        try checkPaperSized(TestModels.paperSized(), label: "hw-paper")
    }

    /// The same model under the lfads strategy, at reuse factors that give several inputs per pipeline
    /// iteration (70 spikes in chunks of 5, recurrent products in chunks of 4).
    func testPaperSizedModelLFADS() throws {
        var c = TestModels.paperSized()
        c.strategy = .lfads
        c.reuse = 14
        c.recurrentReuse = 16
        try checkPaperSized(c, label: "hw-paper-lfads")
    }

    private func checkPaperSized(_ c: HWConfig, label: String) throws {
        let builder = try CsimBuilder.require()
        let started = Date()
        let graph = try TestModels.lfadsLike(c)
        let trials = TestModels.trials(graph, count: 4, seed: 99)
        let files = try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "paper", topName: "lfads_top"))
        let (binary, fresh) = try builder.build(files)
        let built = Date()
        let csim = try builder.simulate(binary, input: TestModels.datText(graph, trials))
        let simulated = Date()
        let results = try FixedSimulator(graph: graph).runBatch(trials: trials, threads: 1)
        let done = Date()
        let stats = FixedSimResult.mergedStats(results)
        let overflows = stats.values.reduce(0) { $0 + $1.overflows }
        print("\(label): compile \(fresh ? String(format: "%.1f s", built.timeIntervalSince(started)) : "cached"), csim \(String(format: "%.1f", 1000 * simulated.timeIntervalSince(built) / Double(trials.count))) ms/trial, simulator \(String(format: "%.1f", 1000 * done.timeIntervalSince(simulated) / Double(trials.count))) ms/trial, overflows \(overflows)")
        XCTAssertEqual(FixedSimulator.datText(results), csim)
    }

    struct Outcome {
        var failure: String?
        var compared = 0
        var built = false
        var csimSeconds = 0.0
        var simSeconds = 0.0
    }

    static func check(_ c: HWConfig, index k: Int, builder: CsimBuilder) -> Outcome {
        var outcome = Outcome()
        do {
            let graph = try TestModels.graph(c)
            let trials = TestModels.trials(graph, count: trialsPerConfig, seed: c.seed &+ 17)
            let files = try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "p_\(c.name)", topName: "lfads_top", outputs: c.outputs))
            let (binary, fresh) = try builder.build(files)
            let t0 = Date()
            let csim = try builder.simulate(binary, input: TestModels.datText(graph, trials))
            let t1 = Date()
            let sim = try FixedSimulator(graph: graph)
            let results = try sim.runBatch(trials: trials, threads: 1)
            let t2 = Date()
            let text = FixedSimulator.datText(results, extras: c.outputs)
            outcome.compared = trials.count
            outcome.built = fresh
            outcome.csimSeconds = t1.timeIntervalSince(t0)
            outcome.simSeconds = t2.timeIntervalSince(t1)
            if text != csim {
                let a = text.split(separator: "\n", omittingEmptySubsequences: false)
                let b = csim.split(separator: "\n", omittingEmptySubsequences: false)
                let line = Array(zip(a, b)).firstIndex { $0 != $1 } ?? min(a.count, b.count)
                let mismatched = zip(a, b).filter { $0 != $1 }.count + abs(a.count - b.count)
                outcome.failure = "\(c.name): \(mismatched) of \(trials.count) trials differ; first at trial \(line + 1)\n sim:  \(line < a.count ? String(a[line].prefix(400)) : "-")\n csim: \(line < b.count ? String(b[line].prefix(400)) : "-")"
            }
        } catch {
            outcome.failure = "\(c.name): \(error)"
        }
        return outcome
    }
}

/// Outcomes gathered from the worker threads.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var failures = [String]()
    private var compared = 0
    private var built = 0
    private var csim = 0.0
    private var sim = 0.0

    func add(_ o: CsimEquivalenceTests.Outcome) {
        lock.lock()
        defer { lock.unlock() }
        if let f = o.failure { failures.append(f) }
        compared += o.compared
        if o.built { built += 1 }
        csim += o.csimSeconds
        sim += o.simSeconds
    }

    func snapshot() -> ([String], Int, Int, Double, Double) {
        lock.lock()
        defer { lock.unlock() }
        return (failures, compared, built, csim, sim)
    }
}
