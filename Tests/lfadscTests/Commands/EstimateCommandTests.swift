import Foundation
import XCTest
@testable import lfadsc

/// estimate with the defaults fits every bundled model; an over-full design is marked (text, colour on a
/// terminal, JSON) and compile refuses it unless --allow-overfull.
final class EstimateCommandTests: XCTestCase, CLIHarness {
    func estimateJSON(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let r = run(["estimate"] + args + ["--json"])
        XCTAssertEqual(r.status, 0, r.err, file: file, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any], file: file, line: line)
    }

    func testDefaultsFitEveryBundledModel() throws {
        var models = ["lorenz_con", "lorenz_nocon"].map { path("examples/lorenz/models/\($0).h5") }
        if let template = try? template() { models.append(template.appendingPathComponent("keras_model.h5").path) }
        for model in models {
            let object = try estimateJSON([model])
            XCTAssertEqual(object["fits"] as? Bool, true, model)
            XCTAssertEqual(object["overfull"] as? [String], [], model)
        }
    }

    /// --backend rtl prices the Verilog with the RTL resource model: its table and JSON totals (lorenz_nocon against
    /// its Yosys run: DSP 7,264, BRAM18 328, CLB LUTs 1,222,061 = 93.7 % of the U55C), and the verdict of a design
    /// whose HLS estimate fits but whose RTL does not (lorenz_nocon by hand for the U50: its Verilog's spike-count
    /// products are shift-and-add trees, and even with the RTL binding moving some onto DSPs it needs 111 % of the
    /// DSPs and 112 % of the LUTs); compile --backend rtl then refuses it.
    func testRTLBackendPricesTheVerilog() throws {
        let model = path("examples/lorenz/models/lorenz_nocon.h5")
        let text = run(["estimate", model, "--backend", "rtl"])
        XCTAssertEqual(text.status, 0, text.err)
        for expected in ["RTL resource model", "row lane", "cell lane", "% of u55c"] {
            XCTAssertTrue(text.out.contains(expected), "missing '\(expected)' in:\n\(text.out)")
        }
        XCTAssertFalse(text.out.contains("the RTL does not fit"), text.out)
        // The reuse pass chooses for the HLS design; fit-rtl then raises reuse until the Verilog fits the budget too
        // (without it this design's Verilog took 94 % of the LUTs).
        XCTAssertTrue(text.out.contains("\nfit-rtl "), text.out)
        let object = try estimateJSON([model, "--backend", "rtl"])
        let rtl = try XCTUnwrap(object["rtl_resources"] as? [String: Any])
        let totals = try XCTUnwrap(rtl["totals"] as? [String: Int])
        XCTAssertEqual(totals["bram18"], 328)
        // Its DSPs are the scarcer resource, so the RTL binding keeps every spike-count product in fabric.
        XCTAssertEqual(rtl["count_dsp_products"] as? Int, 0)
        XCTAssertFalse(text.out.contains("RTL binding:"), text.out)
        XCTAssertLessThanOrEqual(Double(totals["clb_luts"] ?? .max), 0.8 * 1_303_680)
        XCTAssertLessThanOrEqual(Double(totals["dsp"] ?? .max), 0.8 * 9_024)
        XCTAssertEqual(rtl["overfull"] as? [String], [])
        let fitted = try estimateJSON([model, "--backend", "rtl", "--target", "u50"])
        XCTAssertEqual((fitted["rtl_resources"] as? [String: Any])?["overfull"] as? [String], [])

        // Reuse factors given by hand (no reuse pass, no fit): the HLS design fits the U50, its Verilog does not.
        let byHand = ["--reuse", "2", "--set", "ic_enc.recurrent_reuse=2", "--set", "ic_mean.reuse=8", "--set", "gen_init.reuse=8",
                      "--set", "decoder.reuse=1", "--set", "decoder.recurrent_reuse=2", "--set", "readout.reuse=1"]
        let u50 = try estimateJSON([model, "--backend", "rtl", "--target", "u50"] + byHand)
        XCTAssertEqual(u50["fits"] as? Bool, true)  // the HLS design fits the U50
        let over = ((u50["rtl_resources"] as? [String: Any])?["overfull"] as? [String]) ?? []
        XCTAssertTrue(over.contains { $0.hasPrefix("CLB LUT") } && over.contains { $0.hasPrefix("DSP") }, "\(over)")
        let scratch = try makeScratch("estimate-rtl")
        let refused = run(["compile", model, "--backend", "rtl", "--target", "u50", "-o", scratch.appendingPathComponent("p").path] + byHand)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("the RTL does not fit the u50: DSP") && refused.err.contains("CLB LUT"), refused.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("p").path))
        let forced = run(["compile", model, "--backend", "rtl", "--target", "u50", "--allow-overfull", "-o", scratch.appendingPathComponent("q").path] + byHand)
        XCTAssertEqual(forced.status, 0, forced.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("q/reports/rtl_estimate.json").path))
    }

    func testOverfullDesignIsMarked() throws {
        let model = path("examples/lorenz/models/lorenz_con.h5")
        let overfull = [model, "--strategy", "latency", "--reuse", "1"]
        let object = try estimateJSON(overfull)
        XCTAssertEqual(object["fits"] as? Bool, false)
        XCTAssertEqual((object["overfull"] as? [String])?.first, "DSP")

        let plain = run(["estimate"] + overfull)
        XCTAssertEqual(plain.status, 0, plain.err)
        XCTAssertFalse(plain.out.contains("\u{1B}["), "no colour when not a terminal")
        let warning = try XCTUnwrap(plain.out.split(separator: "\n").first { $0.hasPrefix("does not fit the u55c: DSP ") })
        XCTAssertTrue(warning.contains("--reuse auto") && warning.contains("--allow-overfull"), String(warning))

        let console = Console(capture: true, color: true)
        XCTAssertEqual(CommandLineTool.run(["estimate"] + overfull, console: console), 0)
        XCTAssertTrue(console.captured.out.contains("\u{1B}[31m"), console.captured.out)
        let fitting = Console(capture: true, color: true)
        XCTAssertEqual(CommandLineTool.run(["estimate", model], console: fitting), 0)
        XCTAssertFalse(fitting.captured.out.contains("\u{1B}[31m"), "nothing is red when the design fits")
    }

    func testCompileRefusesAnOverfullDesignUnlessAllowed() throws {
        let scratch = try makeScratch("overfull")
        let project = scratch.appendingPathComponent("prj").path
        let args = ["compile", path("examples/lorenz/models/lorenz_con.h5"), "--strategy", "latency", "--reuse", "1", "-o", project]
        let refused = run(args)
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.err.filter { $0 == "\n" }.count, 1, refused.err)
        for fragment in ["does not fit the u55c", "DSP ", " %", "--strategy lfads --reuse auto", "larger --reuse", "--allow-overfull"] {
            XCTAssertTrue(refused.err.contains(fragment), "\(fragment): \(refused.err)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: project), "nothing written")
        let allowed = run(args + ["--allow-overfull"])
        XCTAssertEqual(allowed.status, 0, allowed.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: project + "/firmware"))
    }
}
