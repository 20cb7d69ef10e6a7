// The Verilog of designs carrying several trials per call (interleaved recurrences, RTLInterleavedRecurrence), run
// cycle-accurately in Verilator: output byte-identical to the simulator (trials grouped C per call, the last call
// short), and every cycle the schedule gives — the call's latency, each process's end, the interval between calls —
// measured exactly.
import Foundation
import XCTest
@testable import Backends
import LFADSIR

final class RTLTrialsInFlightTests: XCTestCase {
    func testInterleavedVerilogMatchesSimulatorAndSchedule() throws {
        let verilator = try VerilatorRunner.require()
        // A bidirectional lfads encoder (backward walk, per-trial final states into a dense), a unidirectional one
        // with uneven reuse and a learned initial state, a resource design with saturating sums (II > 1 products).
        let cases = [("lfads_bigru", 3), ("lfads_uneven_reuse_learned_clip", 2), ("bigru_sequences_resource_sat", 3)]
        var failures = [String]()
        for (name, contexts) in cases {
            let c = try XCTUnwrap(CsimEquivalenceTests.grid().first { $0.name == name }, name)
            var graph = try TestModels.graph(c)
            graph.trialsInFlight = contexts
            let clock = 300.0
            let files = try RTLBackend.emit(graph: graph, clockMHz: clock)
            let schedule = try XCTUnwrap(ScheduleBuilder.build(try HardwarePlan(graph: graph).batched(), delays: DelayModel(clockMHz: clock)))
            XCTAssertEqual(schedule.trialsPerCall, contexts)
            // 7 trials: calls of C, the last one short (the testbench zero-fills it).
            let trials = TestModels.trials(graph, count: 7, seed: c.seed &+ 41)
            let run = try verilator.run(files, input: TestModels.datText(graph, trials), label: "\(name)_c\(contexts)")
            let expected = FixedSimulator.datText(try FixedSimulator(graph: graph).runBatch(trials: trials, threads: 2))
            if run.output != expected { failures.append("\(name) C=\(contexts): Verilator output differs from simulate") }
            failures += run.scheduleMismatches(schedule, calls: (trials.count + contexts - 1) / contexts, label: "\(name) C=\(contexts)")
            print("rtl-trials-in-flight: \(name) C=\(contexts): latency \(run.latencies.first ?? -1) (schedule \(schedule.latency)), interval per call \(run.interval ?? -1) (schedule \(schedule.interval), \(schedule.intervalPerTrial) per trial)")
        }
        XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
    }
}
