// The resource and latency strategies are chunk pipelines of the one dataflow schedule (review findings F8, F9 in
// ../shared/docs/hls-structure-review.md). Each test also runs its check on the old emitter's construct, which it
// must reject.
import XCTest
@testable import Backends
import LFADSIR

final class StrategyStructureTests: XCTestCase {
    /// Every configuration struct of parameters.h with its `static const unsigned` values.
    static func configs(_ params: String) -> [String: [String: Int]] {
        var out = [String: [String: Int]]()
        for block in params.components(separatedBy: "struct ").dropFirst() {
            let name = String(block.prefix { $0 != " " })
            var values = [String: Int]()
            for line in block.components(separatedBy: "};")[0].split(separator: "\n") {
                let t = line.trimmingCharacters(in: .whitespaces)
                guard t.hasPrefix("static const unsigned ") else { continue }
                guard let eq = t.range(of: " = "), let v = Int(t[eq.upperBound...].prefix { $0.isNumber }) else { continue }
                values[String(t[t.index(t.startIndex, offsetBy: 22)..<eq.lowerBound])] = v
            }
            out[name] = values
        }
        return out
    }

    /// Distinct words of a weight array read by iteration r when element `index(o, i)` is read for every output o
    /// and every input i of chunk r, and the array is reshaped cyclic by `factor` (element e is in word e / factor).
    static func wordsPerIteration(rows: Int, columns: Int, reuse: Int, factor: Int, index: (Int, Int, Int) -> Int) -> Int {
        let chunk = (columns + reuse - 1) / reuse
        var worst = 0
        for r in 0..<reuse {
            var words = Set<Int>()
            for o in 0..<rows {
                for k in 0..<chunk where r * chunk + k < columns { words.insert(index(r, o, k) / max(1, factor)) }
            }
            worst = max(worst, words.count)
        }
        return worst
    }

    /// F8: under the resource strategy every product's weights are chunk-major and reshaped by the chunk's width,
    /// so one pipeline iteration reads one ROM word (≤ the memory's two ports). The old emitter reshaped row-major
    /// weights cyclic by the reuse factor: the template's encoder input product read 576 words per iteration.
    func testF8ResourceWeightsReadOneWordPerIteration() throws {
        let c = try XCTUnwrap(CsimEquivalenceTests.grid().first { $0.name == "bigru_sequences_resource_sat" })
        let files = try HLSProject.emit(graph: try TestModels.graph(c), options: HLSOptions(projectName: "p", topName: "lfads_top"))
        let schedule = try XCTUnwrap(files["firmware/layers/lfads_schedule.h"])
        // The access the template prints and the reshape it declares.
        XCTAssertTrue(schedule.contains("w[(r * CONFIG_T::n_out + o) * CONFIG_T::chunk + k]"))
        XCTAssertTrue(schedule.contains("ARRAY_RESHAPE variable = w cyclic factor = CONFIG_T::reshape_factor"))
        let matrices = Self.configs(files["firmware/parameters.h"] ?? "").filter { $0.value["reshape_factor"] != nil }
        XCTAssertGreaterThanOrEqual(matrices.count, 8)
        for (name, m) in matrices {
            let (rows, cols, reuse, chunk) = (m["n_out"] ?? 0, m["n_in"] ?? 0, m["reuse"] ?? 0, m["chunk"] ?? 0)
            XCTAssertGreaterThan(reuse, 1, name)
            XCTAssertEqual(m["reshape_factor"], rows * chunk, name)
            let words = Self.wordsPerIteration(rows: rows, columns: cols, reuse: reuse, factor: m["reshape_factor"] ?? 0) { r, o, k in
                (r * rows + o) * chunk + k
            }
            XCTAssertEqual(words, 1, name)
        }
        // The old construct: row-major W[o][i], ARRAY_RESHAPE cyclic factor = reuse. The template's encoder input
        // product (192 × 70 at reuse 7, as the review read it) needs hundreds of words per iteration.
        let old = Self.wordsPerIteration(rows: 192, columns: 70, reuse: 7, factor: 7) { r, o, k in o * 70 + r * 10 + k }
        XCTAssertGreaterThan(old, 2)
        XCTAssertGreaterThanOrEqual(old, 192)
    }

    /// F9: a bidirectional GRU under resource and latency is four processes of one DATAFLOW region — each direction
    /// its projection and its recurrence — with the input port read once (a fan-out copy) one step per word, and
    /// the two recurrences overlapping in time. The old top called gru_layer twice in series on the port, and the
    /// latency matvec read 70 inputs per call from it.
    func testF9BidirectionalDirectionsRunInParallelUnderEveryStrategy() throws {
        for name in ["uniform16_6", "bigru_sequences_resource_sat", "latency_reuse"] {
            let c = try XCTUnwrap(CsimEquivalenceTests.grid().first { $0.name == name })
            XCTAssertNotEqual(c.strategy, .lfads)
            let graph = try TestModels.graph(c)
            let files = try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "p", topName: "lfads_top"))
            let top = (files["firmware/lfads_top.cpp"] ?? "").components(separatedBy: "void lfads_top(").last ?? ""
            XCTAssertTrue(top.contains("LFADS_PRAGMA(HLS DATAFLOW)"), name)
            XCTAssertFalse(top.contains("gru_layer<") || top.contains("matvec<") || top.contains("for ("), name)
            let schedule = try XCTUnwrap(try HLSProject.schedule(graph: graph, clockMHz: 300))
            // The port: reshaped one step per word, read by exactly one process.
            XCTAssertTrue(top.contains("ARRAY_RESHAPE variable = v_spikes cyclic factor = \(c.inputs) dim = 1"), name)
            XCTAssertEqual(schedule.processes.filter { $0.inputs.contains("v_spikes") }.count, 1, name)
            let t = schedule.timings
            let recurrences = schedule.processes.indices.filter {
                if case .recurrence = schedule.processes[$0].work { return true } else { return false }
            }
            let encoders = recurrences.filter { schedule.processes[$0].name.contains("encoder_") && !schedule.processes[$0].name.contains("seq") }
            XCTAssertEqual(encoders.count, 2, "\(name): \(schedule.processes.map(\.name))")
            guard encoders.count == 2 else { continue }
            let (f, b) = (t[encoders[0]], t[encoders[1]])
            XCTAssertLessThan(max(f.start, b.start), min(f.end, b.end), "\(name): the directions overlap")
            XCTAssertNil(ScheduleLint.violation(schedule, try HardwarePlan(graph: graph)), name)
        }
        // The old construct in series (two recurrences, the second starting at the first's end) does not overlap.
        let series = [ProcessTiming(start: 0, end: 100), ProcessTiming(start: 100, end: 200)]
        XCTAssertFalse(max(series[0].start, series[1].start) < min(series[0].end, series[1].end))
    }

    /// The latency strategy binds its weights as partitioned constants (no ROM word, hence no reshape limit); the
    /// resource and lfads strategies reshape them into ROM words. Only lfads narrows spike counts.
    func testStrategyBindings() throws {
        for (name, strategy) in [("latency_reuse", "LFADS_LATENCY"), ("accum40", "LFADS_RESOURCE"), ("lfads_bigru", "LFADS_LFADS")] {
            let c = try XCTUnwrap(CsimEquivalenceTests.grid().first { $0.name == name })
            let files = try HLSProject.emit(graph: try TestModels.graph(c), options: HLSOptions(projectName: "p", topName: "lfads_top"))
            let params = files["firmware/parameters.h"] ?? ""
            XCTAssertTrue(params.contains("static const int strategy = \(strategy);"), name)
            for (cfg, m) in Self.configs(params) where m["reshape_factor"] != nil {
                let lanes = m["lanes"] ?? 0
                if strategy == "LFADS_LATENCY" {
                    XCTAssertEqual([m["reshape_factor"], m["partition_factor"]], [1, lanes], cfg)
                } else {
                    XCTAssertEqual([m["reshape_factor"], m["partition_factor"]], [lanes, 1], cfg)
                }
            }
            XCTAssertEqual(params.contains("static const bool counts = true;"), strategy == "LFADS_LFADS", name)
            // 16-bit operands everywhere: no product is narrow enough to be priced (and bound) as a fabric product.
            if strategy != "LFADS_LFADS" { XCTAssertFalse(params.contains("static const bool fabric = true;"), name) }
        }
        // Narrow operands (4-bit weights) are priced as fabric products under every strategy, so they are bound to
        // fabric (not left to HLS, review F12), whether or not they are spike counts.
        for strategy in [Strategy.latency, .resource] {
            var c = try XCTUnwrap(CsimEquivalenceTests.grid().first { $0.name == "weights_4bit" })
            c.strategy = strategy
            let files = try HLSProject.emit(graph: try TestModels.graph(c), options: HLSOptions(projectName: "p", topName: "lfads_top"))
            let params = files["firmware/parameters.h"] ?? ""
            XCTAssertFalse(params.contains("static const bool fabric = false;"), strategy.rawValue)
            XCTAssertTrue(params.contains("static const bool fabric = true;"), strategy.rawValue)
            XCTAssertTrue((files["firmware/layers/lfads_schedule.h"] ?? "").contains("if (CONFIG_T::fabric) {"))
        }
    }
}
