// Runs the emitted synthesis flow with the real Yosys on three small modules: figures, instance scaling,
// the content cache and the analytic DSP check. Skipped without yosys locally, required on CI.
import Foundation
import XCTest
@testable import Backends

final class SynthesisFlowTests: XCTestCase {
    func testFlowCountsCachesAndChecksDSPs() throws {
        let runner = try SynthesisRunner.require()
        defer { runner.cleanUp() }

        // 1. Everything synthesised.
        let first = try runner.synth(try SynthesisFixtures.project(SynthesisFixtures.plan()), in: "first")
        XCTAssertEqual(first.status, 0, first.output)
        let report = try SynthesisReport.load(path: first.dir.appendingPathComponent("reports/utilization.json").path)
        XCTAssertEqual(first.calls.filter { $0.contains("run_unit.tcl") }.count, 3, first.calls.joined(separator: "\n"))
        XCTAssertTrue(report.tool.hasPrefix("Yosys"), report.tool)
        XCTAssertEqual(report.device.dsp, Device.u55c.dsp)
        XCTAssertEqual(report.units.map(\.name), ["mul16", "addtree8", "rom1k"])
        XCTAssertEqual(report.units.map(\.cached), [false, false, false])
        let unit = Dictionary(uniqueKeysWithValues: report.units.map { ($0.name, $0) })
        let mul = try XCTUnwrap(unit["mul16"]), tree = try XCTUnwrap(unit["addtree8"]), rom = try XCTUnwrap(unit["rom1k"])
        XCTAssertEqual(mul.cells["DSP48E2"], 1)
        XCTAssertEqual(mul.cells["FDRE"], 32)                    // the 2W-bit product register: W = 16 took effect
        XCTAssertEqual(mul.perInstance.dsp, 1)
        XCTAssertEqual(mul.dspCheck, "pass")
        XCTAssertEqual(tree.perInstance.dsp, 0)
        XCTAssertGreaterThan(tree.perInstance.lut, 0)
        XCTAssertGreaterThan(tree.perInstance.carry, 0)
        XCTAssertGreaterThan(tree.depth.levels, tree.depth.lutLevels)   // carries count as levels, not as LUTs
        XCTAssertGreaterThan(tree.depth.lutLevels, 0)
        XCTAssertEqual(rom.cells["RAMB18E2"], 1)                 // 1024 × 18 bits: one block RAM
        XCTAssertEqual(rom.perInstance.bram18, 1)
        XCTAssertEqual(report.percent["bram18"] ?? -1, 100.0 * 2 / Double(Device.u55c.bram18), accuracy: 0.006)
        XCTAssertNil(rom.dspCheck)
        XCTAssertEqual(report.composedUnits, ["addtree8"])
        for u in report.units {
            XCTAssertEqual(u.total, u.perInstance.scaled(u.instances), u.name)
            XCTAssertEqual(u.perInstance.lut, u.cells.filter { $0.key.hasPrefix("LUT") }.values.reduce(0, +), u.name)
            XCTAssertGreaterThan(u.yosysSeconds, 0)
        }
        let sum = report.units.map(\.total).reduce(SynthesisReport.Resources.zero) { $0.adding($1) }
        XCTAssertEqual(report.totals, sum)
        XCTAssertEqual(report.percent["dsp"] ?? -1, 100.0 * 4 / Double(Device.u55c.dsp), accuracy: 0.006)
        let deepest = try XCTUnwrap(report.deepestPath)
        XCTAssertEqual(deepest.levels, report.units.map(\.depth.levels).max())
        XCTAssertTrue(report.dspCheckFailures.isEmpty)

        // 2. A fresh project with the same contents: every unit from the cache, no synthesis.
        let second = try runner.synth(try SynthesisFixtures.project(SynthesisFixtures.plan()), in: "second")
        XCTAssertEqual(second.status, 0, second.output)
        XCTAssertFalse(second.calls.contains { $0.contains("run_unit.tcl") }, second.calls.joined(separator: "\n"))
        XCTAssertLessThan(second.seconds, 2.0)
        var again = try SynthesisReport.load(path: second.dir.appendingPathComponent("reports/utilization.json").path)
        XCTAssertEqual(again.units.map(\.cached), [true, true, true])
        for i in again.units.indices { again.units[i].cached = false }
        XCTAssertEqual(again, report)

        // 3. A wrong analytic DSP count fails loudly (and again on the next make); a changed ROM image is
        // synthesised anew while the unchanged modules stay cached; a combinational loop is flagged.
        var plan = SynthesisFixtures.plan(expectedMultiplyDSP: 2)
        plan.units.append(.init(name: "loop", sources: ["rtl/loop.v"], top: "loop"))
        let wrong = try SynthesisFixtures.project(plan, romImage: SynthesisFixtures.romImage(seed: 0x85EB_CA6B))
        let third = try runner.synth(wrong, in: "third")
        XCTAssertNotEqual(third.status, 0)
        XCTAssertTrue(third.output.contains("DSP CHECK FAILED: mul16: expected 2 DSP48E2 per instance, Yosys kept 1"), third.output)
        XCTAssertEqual(third.calls.filter { $0.contains("run_unit.tcl") }.count, 2, third.calls.joined(separator: "\n"))
        let reports = third.dir.appendingPathComponent("reports")
        XCTAssertFalse(FileManager.default.fileExists(atPath: reports.appendingPathComponent("utilization.json").path))
        let failed = try SynthesisReport.load(path: reports.appendingPathComponent("utilization.failed.json").path)
        XCTAssertEqual(failed.units.first?.dspCheck, "fail")
        XCTAssertEqual(failed.dspCheckFailures.count, 1)
        XCTAssertEqual(failed.units.map(\.cached), [true, true, false, false])
        XCTAssertEqual(failed.units.map(\.depth.loop), [false, false, false, true])
        let rerun = try runner.synth(wrong, in: "third")
        XCTAssertNotEqual(rerun.status, 0, "a failed DSP check must not leave an up-to-date report behind")
    }

    func testYosysFailureNamesTheUnitAndItsLog() throws {
        let runner = try SynthesisRunner.require()
        defer { runner.cleanUp() }
        let plan = SynthesisPlan(units: [.init(name: "broken", sources: ["rtl/broken.v"], top: "broken")])
        var files = try SynthesisFlow.files(plan: plan)
        files["rtl/broken.v"] = "module broken (input wire a, output wire y);\n    assign y = a +;\nendmodule\n"
        files["Makefile"] = "include synth/synth.mk\n"
        let run = try runner.synth(files, in: "broken")
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.output.contains("synth: broken: yosys failed; see synth/logs/broken.log"), run.output)
        let log = try String(contentsOf: run.dir.appendingPathComponent("synth/logs/broken.log"), encoding: .utf8)
        XCTAssertTrue(log.contains("syntax error"), log)
        XCTAssertFalse(FileManager.default.fileExists(atPath: run.dir.appendingPathComponent("synth/out/broken").path))
    }
}

extension SynthesisReport.Resources {
    static let zero = Self(dsp: 0, lut: 0, ff: 0, carry: 0, muxf: 0, bram18: 0, uram: 0, lutram: 0, srl: 0, lutramLuts: 0)

    func scaled(_ n: Int) -> Self {
        Self(dsp: dsp * n, lut: lut * n, ff: ff * n, carry: carry * n, muxf: muxf * n, bram18: bram18 * n,
             uram: uram * n, lutram: lutram * n, srl: srl * n, lutramLuts: lutramLuts.map { $0 * n })
    }

    func adding(_ o: Self) -> Self {
        Self(dsp: dsp + o.dsp, lut: lut + o.lut, ff: ff + o.ff, carry: carry + o.carry, muxf: muxf + o.muxf,
             bram18: bram18 + o.bram18, uram: uram + o.uram, lutram: lutram + o.lutram, srl: srl + o.srl,
             lutramLuts: (lutramLuts ?? 0) + (o.lutramLuts ?? 0))
    }
}
