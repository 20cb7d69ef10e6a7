// Yosys (synth_xilinx -family xcup) on matrix units of an emitted RTL design: a unit of full-width products must
// map to exactly one DSP48E2 per product, a unit of spike-count products to none (shift-and-add in fabric) — the
// binding the schedule and the cost model assume, and a check that Yosys kept the datapath.
import Foundation
import XCTest
@testable import Backends
import LFADSIR

final class RTLSynthesisTests: XCTestCase {
    func testEmittedMatrixUnitsMapToTheExpectedDSPs() throws {
        let runner = try SynthesisRunner.require()
        defer { runner.cleanUp() }
        guard let c = CsimEquivalenceTests.grid().first(where: { $0.name == "lfads_bigru" }) else { return XCTFail("lfads_bigru missing") }
        let files = try RTLBackend.emit(graph: try TestModels.graph(c), clockMHz: 300)
        let dir = runner.root.appendingPathComponent("design")
        try ProjectWriter.write(files, to: dir.path, overwrite: true)
        // Expected counts as the generator wrote them into the plan, the smallest unit of each kind.
        var expected = [(name: String, dsp: Int, bits: Int)]()
        for line in (files["synth/plan.tcl"] ?? "").split(separator: "\n") where line.contains("expected_dsp") {
            let words = line.split(separator: " ").map(String.init)
            guard let n = words.firstIndex(of: "name"), let e = words.firstIndex(of: "expected_dsp"),
                  let dsp = Int(words[e + 1]), dsp >= 0 else { continue }
            expected.append((words[n + 1], dsp, files["rtl/\(words[n + 1]).mem"]?.count ?? .max))
        }
        let counts = expected.filter { $0.dsp == 0 }.min { $0.bits < $1.bits }
        let full = expected.filter { $0.dsp > 0 }.min { $0.bits < $1.bits }
        let units = try [XCTUnwrap(counts, "no spike-count unit"), XCTUnwrap(full, "no full-width unit")]
        for u in units {
            let (status, output) = try TestProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                ["make", "-s", "-C", dir.path, "synth/out/\(u.name)/source", "YOSYS=\(runner.wrapper.path)", "SYNTH_CACHE=\(runner.cache.path)"])
            XCTAssertEqual(status, 0, "\(u.name): \(output.suffix(3000))")
            let stat = try Data(contentsOf: dir.appendingPathComponent("synth/out/\(u.name)/stat.json"))
            let json = try JSONSerialization.jsonObject(with: stat) as? [String: Any]
            let cells = (json?["design"] as? [String: Any])?["num_cells_by_type"] as? [String: Int] ?? [:]
            XCTAssertEqual(cells["DSP48E2"] ?? 0, u.dsp, "\(u.name): DSP48E2 cells \(cells)")
            XCTAssertGreaterThan(cells.filter { $0.key.hasPrefix("LUT") }.values.reduce(0, +), 0, "\(u.name): no logic left")
            print("rtl-synth: \(u.name): DSP48E2 \(cells["DSP48E2"] ?? 0) (expected \(u.dsp)), cells \(cells.values.reduce(0, +))")
        }
    }
}
