// The synthesis plan's validation, its JSON form and the scripts emitted for it (no Yosys needed).
import Foundation
import XCTest
@testable import Backends

final class SynthesisPlanTests: XCTestCase {
    func testScriptsCarryTheUnitConfiguration() throws {
        let files = try SynthesisFlow.files(plan: SynthesisFixtures.plan())
        XCTAssertEqual(Set(files.keys), ["synth/synth.mk", "synth/plan.tcl", "synth/unit.sh", "synth/run_unit.tcl",
                                         "synth/aggregate.tcl", "synth/units/mul16.ys", "synth/units/mul16.files",
                                         "synth/units/addtree8.ys", "synth/units/addtree8.files",
                                         "synth/units/rom1k.ys", "synth/units/rom1k.files"])
        let rom = try XCTUnwrap(files["synth/units/rom1k.ys"])
        XCTAssertTrue(rom.contains("read_verilog -defer rtl/rom.v\nchparam -set DEPTH 1024 -set WIDTH 18 "
                                   + "-set INIT \"rtl/rom.memh\" rom\n"), rom)
        XCTAssertTrue(rom.contains("synth_xilinx -family xcup -flatten -noiopad -noclkbuf -nowidelut -abc9 -top rom"), rom)
        XCTAssertEqual(files["synth/units/rom1k.files"], "rtl/rom.v\nrtl/rom.memh\n")
        XCTAssertTrue(files["synth/units/addtree8.ys"]?.contains("chparam -set W 18 -set N 8 addtree\n") ?? false)
        let mk = try XCTUnwrap(files["synth/synth.mk"])
        XCTAssertTrue(mk.contains("SYNTH_UNITS := mul16 addtree8 rom1k"), mk)
        XCTAssertTrue(mk.contains("synth/out/rom1k/source: synth/units/rom1k.ys synth/units/rom1k.files rtl/rom.v rtl/rom.memh"), mk)
        XCTAssertTrue(mk.contains("\n\t@$(SYNTH_RUN) rom1k\n"), mk)
        let plan = try XCTUnwrap(files["synth/plan.tcl"])
        XCTAssertTrue(plan.contains("dsp 9024 lut 1303680 ff 2607360 bram18 4032 uram 960"), plan)
        XCTAssertTrue(plan.contains("name mul16 top mul16 instances 4 expected_dsp 1 composed 0"), plan)
        XCTAssertTrue(plan.contains("expected_dsp -1 composed 0"), plan)
        XCTAssertTrue(plan.contains("composed 1 note \"one lane's reduction, standing for a wider \\\"unit\\\"\""), plan)
        let sv = SynthesisFlow.yosysScript(.init(name: "u", sources: ["a.sv"], top: "t"))
        XCTAssertTrue(sv.contains("read_verilog -defer -sv a.sv"), sv)
    }

    func testTclQuotingNeutralisesSubstitution() {
        XCTAssertEqual(SynthesisFlow.tclQuote("a $b [c] {d} \"e\" \\f\ng"), "\"a \\$b \\[c\\] \\{d\\} \\\"e\\\" \\\\f\\ng\"")
    }

    func testPlanRoundTripsThroughJSON() throws {
        let plan = SynthesisFixtures.plan()
        let data = try JSONEncoder().encode(plan)
        XCTAssertEqual(try JSONDecoder().decode(SynthesisPlan.self, from: data), plan)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"value\":16") && text.contains("\"value\":\"rtl\\/rom.memh\""), text)
        let short = #"{"units": [{"name": "m", "sources": ["m.v"], "top": "m", "parameters": [{"name": "W", "value": 8}]}]}"#
        let u = try XCTUnwrap(try JSONDecoder().decode(SynthesisPlan.self, from: Data(short.utf8)).units.first)
        XCTAssertEqual(u, SynthesisPlan.Unit(name: "m", sources: ["m.v"], top: "m", parameters: [.init("W", .integer(8))]))
    }

    func testInvalidPlansAreRejectedWithTheUnitNamed() {
        let base = SynthesisPlan.Unit(name: "u", sources: ["rtl/u.v"], top: "u")
        func rejects(_ edit: (inout SynthesisPlan.Unit) -> Void, _ fragment: String, line: UInt = #line) {
            var u = base
            edit(&u)
            XCTAssertThrowsError(try SynthesisFlow.files(plan: SynthesisPlan(units: [u])), line: line) { e in
                let text = "\(e)"
                XCTAssertTrue(text.contains(fragment), text, line: line)
                XCTAssertTrue(text.hasPrefix("synthesis unit"), text, line: line)
            }
        }
        rejects({ $0.name = "1u" }, "identifier")
        rejects({ $0.name = "u v" }, "identifier")
        rejects({ $0.top = "a;b" }, "top")
        rejects({ $0.sources = [] }, "no Verilog sources")
        rejects({ $0.sources = ["../u.v"] }, "../u.v")
        rejects({ $0.sources = ["/abs/u.v"] }, "/abs/u.v")
        rejects({ $0.dataFiles = ["rom image.memh"] }, "rom image.memh")
        rejects({ $0.sources = ["rtl//u.v"] }, "rtl//u.v")
        rejects({ $0.instances = 0 }, "instance count 0")
        rejects({ $0.expectedDSP = -1 }, "negative")
        rejects({ $0.parameters = [.init("W", .integer(1)), .init("W", .integer(2))] }, "set twice")
        rejects({ $0.parameters = [.init("INIT", .string("a\"; exec rm"))] }, "INIT")
        XCTAssertThrowsError(try SynthesisFlow.files(plan: SynthesisPlan(units: [base, base]))) { e in
            XCTAssertTrue("\(e)".contains("appears twice"), "\(e)")
        }
        XCTAssertThrowsError(try SynthesisFlow.files(plan: SynthesisPlan(units: [])))
        XCTAssertNoThrow(try SynthesisFlow.files(plan: SynthesisPlan(units: [base])))
    }
}
