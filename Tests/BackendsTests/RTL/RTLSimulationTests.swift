// The RTL backend's Verilog, run cycle-accurately in Verilator on the grid's trials: its output text must equal
// the simulator's byte for byte, and its measured latency (clock edges from start to done) must equal the
// schedule's latency — the number `lfadsc estimate` prints — exactly.
import Foundation
import XCTest
@testable import Backends
import LFADSIR

final class RTLSimulationTests: XCTestCase {
    static let trials = 8

    /// The lfads-strategy configurations of the C-simulation grid (no sampling, no LSTM: no RTL form yet), and one
    /// resource and one latency configuration (the same chunk pipelines; full-width products, no spike counts).
    static func configs() -> [HWConfig] {
        CsimEquivalenceTests.grid().filter {
            $0.lstm == nil && $0.outputs.isEmpty && ($0.strategy == .lfads || ["rndconv_sat_resource", "latency_reuse"].contains($0.name))
        }
    }

    func testGridVerilatorMatchesSimulatorAndSchedule() throws {
        let verilator = try VerilatorRunner.require()
        // LFADSC_RTL_GRID=name,name runs only those configurations.
        let configs = Self.configs().selected(by: "LFADSC_RTL_GRID") ?? Self.configs()
        XCTAssertFalse(configs.isEmpty)
        var failures = [String]()
        for c in configs {
            let graph = try TestModels.graph(c)
            let clock = 300.0
            let files = try RTLBackend.emit(graph: graph, clockMHz: clock)
            let schedule = try XCTUnwrap(ScheduleBuilder.build(try HardwarePlan(graph: graph), delays: DelayModel(clockMHz: clock)))
            let trials = TestModels.trials(graph, count: Self.trials, seed: c.seed &+ 17)
            let run = try verilator.run(files, input: TestModels.datText(graph, trials), label: c.name)
            let expected = FixedSimulator.datText(try FixedSimulator(graph: graph).runBatch(trials: trials, threads: 2))
            if run.output != expected {
                // Both texts kept for a look (the first differing value is in the message).
                let keep = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-rtl-mismatch-\(c.name)")
                try? FileManager.default.createDirectory(at: keep, withIntermediateDirectories: true)
                try? run.output.write(to: keep.appendingPathComponent("verilator.dat"), atomically: true, encoding: .utf8)
                try? expected.write(to: keep.appendingPathComponent("simulate.dat"), atomically: true, encoding: .utf8)
                let a = run.output.split(whereSeparator: { $0 == " " || $0 == "\n" }), b = expected.split(whereSeparator: { $0 == " " || $0 == "\n" })
                let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
                failures.append("\(c.name): Verilator output differs from simulate at value \(i): \(i < a.count ? String(a[i]) : "-") vs \(i < b.count ? String(b[i]) : "-") (\(keep.path))")
            }
            // The comparison can fail: a simulator whose accumulator rounds must not match this Verilog.
            if c.name == "lfads_bigru" {
                var changed = c
                changed.accum = fx("ap_fixed<16,6,AP_RND>")
                let other = FixedSimulator.datText(try FixedSimulator(graph: try TestModels.graph(changed)).runBatch(trials: trials, threads: 2))
                if other == run.output { failures.append("\(c.name): a rounding accumulator's simulation matches the Verilog too") }
            }
            // Streamed trials (the testbench checks their outputs equal the one-at-a-time ones, or fails): the measured
            // interval is the schedule's (its slowest process) when every channel is a ping-pong pair.
            failures += run.scheduleMismatches(schedule, calls: Self.trials, label: c.name)
            print("rtl-grid: \(c.name): measured \(run.latencies.first ?? -1) cycles, schedule \(schedule.latency); interval measured \(run.interval ?? -1), schedule \(schedule.interval); build \(String(format: "%.1f", run.buildSeconds)) s")
        }
        XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
    }

    /// The RTL binding's `*` form in a whole design: a grid configuration with spike-count inputs emitted for a part
    /// rich in DSPs, so every count product a row may bind is on a DSP48E2 — Verilator's output must still equal the
    /// simulator's byte for byte and its cycles the schedule's.
    func testBoundCountProductsKeepBitsAndCycles() throws {
        let verilator = try VerilatorRunner.require()
        var dspRich = Device.u55c
        dspRich.dsp *= 1000
        let clock = 300.0
        for c in Self.configs() where c.strategy == .lfads {
            let graph = try TestModels.graph(c)
            let files = try RTLBackend.emit(graph: graph, clockMHz: clock, device: dspRich)
            guard try XCTUnwrap(files["rtl/lfads_lanes.v"]).contains("_product_dsp(") else { continue }
            XCTAssertFalse(try XCTUnwrap(RTLBackend.emit(graph: graph, clockMHz: clock, device: .u55c)["rtl/lfads_lanes.v"]) == files["rtl/lfads_lanes.v"],
                           "\(c.name): the DSP-rich part's binding must differ from the U55C's")
            let schedule = try XCTUnwrap(ScheduleBuilder.build(try HardwarePlan(graph: graph), delays: DelayModel(clockMHz: clock)))
            let trials = TestModels.trials(graph, count: Self.trials, seed: c.seed &+ 29)
            let run = try verilator.run(files, input: TestModels.datText(graph, trials), label: c.name + "-bound")
            let expected = FixedSimulator.datText(try FixedSimulator(graph: graph).runBatch(trials: trials, threads: 2))
            XCTAssertEqual(run.output, expected, "\(c.name): the bound Verilog's output differs from simulate")
            let mismatches = run.scheduleMismatches(schedule, calls: Self.trials, label: c.name + "-bound")
            XCTAssertTrue(mismatches.isEmpty, mismatches.joined(separator: "\n"))
            print("rtl-bound: \(c.name): measured \(run.latencies.first ?? -1) cycles, schedule \(schedule.latency)")
            return
        }
        XCTFail("no lfads grid configuration reads spike counts that a row may bind")
    }
}
