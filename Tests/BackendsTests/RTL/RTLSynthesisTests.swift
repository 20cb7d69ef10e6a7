// Yosys (synth_xilinx -family xcup) on matrix units of an emitted RTL design: a row lane of full-width products must
// map to exactly one DSP48E2 per product, a lane of spike-count products to none (shift-and-add in fabric) or, where
// the RTL binding put them on DSPs, one per bound product, a unit's top (ROM, input mux, control) to none — the
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
        // Emitted for a part rich in LUTs, the RTL binding keeps every spike-count product in fabric; for one rich in
        // DSPs it binds them (RTLBinding), and that lane must then take one DSP48E2 per bound product.
        var lutRich = Device.u55c, dspRich = Device.u55c
        lutRich.lut *= 1000
        dspRich.dsp *= 1000
        let files = try RTLBackend.emit(graph: try TestModels.graph(c), clockMHz: 300, device: lutRich)
        let boundFiles = try RTLBackend.emit(graph: try TestModels.graph(c), clockMHz: 300, device: dspRich)
        // Expected counts as the generator wrote them into the plan: the row lanes hold the products (a spike-count
        // lane none, a full-width lane one per product), a unit's top (ROM, input mux) none.
        func expectations(_ files: [String: String]) -> [(name: String, dsp: Int, bits: Int)] {
            var expected = [(name: String, dsp: Int, bits: Int)]()
            for line in (files["synth/plan.tcl"] ?? "").split(separator: "\n") where line.contains("expected_dsp") {
                let words = line.split(separator: " ").map(String.init)
                guard let n = words.firstIndex(of: "name"), let e = words.firstIndex(of: "expected_dsp"),
                      let dsp = Int(words[e + 1]), dsp >= 0 else { continue }
                let name = words[n + 1], top = name.hasSuffix("_lane") ? String(name.dropLast(5)) : name
                expected.append((name, dsp, files["rtl/\(top).mem"]?.count ?? .max))
            }
            return expected
        }
        let expected = expectations(files)
        let lanes = expected.filter { $0.name.hasSuffix("_lane") }
        let counts = lanes.filter { $0.dsp == 0 }.min { $0.bits < $1.bits }
        let full = lanes.filter { $0.dsp > 0 }.min { $0.bits < $1.bits }
        let top = expected.filter { !$0.name.hasSuffix("_lane") }.min { $0.bits < $1.bits }
        let units = try [XCTUnwrap(counts, "no spike-count lane"), XCTUnwrap(full, "no full-width lane"), XCTUnwrap(top, "no unit top")]
        let bound = try XCTUnwrap(expectations(boundFiles).first { $0.name == units[0].name }, "the count lane in the bound design")
        XCTAssertGreaterThan(bound.dsp, 0, "the DSP-rich part binds the count lane's products")
        for (u, design) in units.map({ ($0, files) }) + [(bound, boundFiles)] {
            let dir = runner.root.appendingPathComponent(design == files ? "design" : "bound")
            try ProjectWriter.write(design, to: dir.path, overwrite: true)
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

    /// Every unit of a small emitted design through Yosys: the DSP48E2 total must equal the estimate's (one DSP
    /// per full-width product; control arithmetic must take none the schedule does not price), every plan DSP
    /// check must pass, and the report must total the units' instances. Block RAM is the RTL resource model's, not
    /// the HLS estimate's: each cell lane registers its own activation tables (a block ROM per lane) where the HLS
    /// design shares one copy between two lanes (docs/rtl-synthesis.md).
    func testWholeDesignDSPEqualsTheEstimate() throws {
        let runner = try SynthesisRunner.require()
        defer { runner.cleanUp() }
        guard let c = CsimEquivalenceTests.grid().first(where: { $0.name == "lfads_decoder_controller_ext" }) else {
            return XCTFail("lfads_decoder_controller_ext missing")
        }
        let graph = try TestModels.graph(c)
        let files = try RTLBackend.emit(graph: graph, clockMHz: 300)
        let estimate = try CostModel(device: .u55c, clockMHz: 300).estimate(graph)
        let dir = runner.root.appendingPathComponent("design")
        try ProjectWriter.write(files, to: dir.path, overwrite: true)
        let (status, output) = try TestProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
            ["make", "-s", "-C", dir.path, "-j2", "synth", "YOSYS=\(runner.wrapper.path)", "SYNTH_CACHE=\(runner.cache.path)"])
        XCTAssertEqual(status, 0, output.suffix(3000).description)
        let report = try SynthesisReport.load(path: dir.appendingPathComponent("reports/utilization.json").path)
        XCTAssertEqual(report.dspCheckFailures, [])
        XCTAssertGreaterThan(report.units.count, 10)
        XCTAssertEqual(report.totals.dsp, estimate.resources.dsp, "Yosys DSP48E2 vs estimate")
        XCTAssertEqual(report.totals.lut, report.units.reduce(0) { $0 + $1.total.lut })
        // The RTL resource model (not calibrated on this design) against Yosys: DSP and BRAM exact, CLB LUTs and
        // FF within 15 %, and a prediction for every unit Yosys reports.
        let plan = try HardwarePlan(graph: graph)
        let schedule = try XCTUnwrap(ScheduleBuilder.build(plan, delays: DelayModel(clockMHz: 300)))
        let model = try RTLBackend.estimate(plan: plan, schedule: schedule)
        XCTAssertEqual(Set(model.units.map(\.name)), Set(report.units.map(\.name)))
        let measured = Dictionary(report.units.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for u in model.units {
            let m = measured[u.name]?.total
            print("rtl-model: \(u.name) ×\(u.instances): CLB LUT \(u.total.clbLUTs) (Yosys \(m?.clbLUTs ?? -1)), FF \(u.total.ff) (\(m?.ff ?? -1))")
        }
        let t = model.total, y = report.totals
        XCTAssertEqual(t.dsp, y.dsp, "model DSP vs Yosys")
        XCTAssertEqual(t.bram18, y.bram18, "model BRAM18 vs Yosys")
        let yLUT = y.clbLUTs
        XCTAssertEqual(Double(t.clbLUTs), Double(yLUT), accuracy: 0.15 * Double(yLUT), "model CLB LUTs vs Yosys")
        XCTAssertEqual(Double(t.ff), Double(y.ff), accuracy: 0.15 * Double(y.ff), "model FF vs Yosys")
        print("rtl-synth: \(c.name): RTL model CLB LUT \(t.clbLUTs) (Yosys \(yLUT)), FF \(t.ff) (\(y.ff)), DSP \(t.dsp) (\(y.dsp)), BRAM18 \(t.bram18) (\(y.bram18))")
        print("rtl-synth: \(c.name): \(report.units.count) units, DSP \(report.totals.dsp) (estimate \(estimate.resources.dsp)), "
              + "BRAM18 \(report.totals.bram18) (\(estimate.resources.bram18)), LUT \(report.totals.lut) (\(estimate.resources.lut)), "
              + "FF \(report.totals.ff) (\(estimate.resources.ff)), Yosys \(Int(report.yosysSeconds)) s; estimate BRAM18 by row: "
              + estimate.layers.filter { $0.resources.bram18 > 0 }.map { "\($0.name) \($0.resources.bram18)" }.joined(separator: ", "))
    }
}
