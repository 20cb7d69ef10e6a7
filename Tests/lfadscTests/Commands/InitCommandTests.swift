import Foundation
import XCTest
@testable import lfadsc

/// The documented path, init → estimate → compile, gives a design that fits; the reuse-pass settings can be
/// stored by init and in lfadsc.json; explicit choices win over the defaults.
final class InitCommandTests: XCTestCase, CLIHarness {
    var scratch: URL!

    override func setUpWithError() throws { scratch = try makeScratch("init") }

    func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    func testDefaultsAreWrittenAndFit() throws {
        let config = scratch.appendingPathComponent("lfadsc.json").path
        let r = run(["init", path("examples/lorenz/models/lorenz_con.h5"), "--config", config])
        XCTAssertEqual(r.status, 0, r.err)
        let written = try json(config)
        XCTAssertEqual(written["strategy"] as? String, "lfads")
        XCTAssertEqual(written["reuse"] as? String, "auto")

        let estimate = run(["estimate", "--config", config, "--json"])
        XCTAssertEqual(estimate.status, 0, estimate.err)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(estimate.out.utf8)) as? [String: Any])
        XCTAssertEqual(object["fits"] as? Bool, true)
        XCTAssertEqual((object["stages"] as? [[String: Any]])?.last?["pass"] as? String, "reuse")

        let project = scratch.appendingPathComponent("prj").path
        let compiled = run(["compile", "--config", config, "-o", project])
        XCTAssertEqual(compiled.status, 0, compiled.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: project + "/firmware"))
    }

    /// `init --reuse auto` (the issue's failure) and the other reuse-pass flags are stored; explicit flags win.
    func testReuseFlagsAreStored() throws {
        let model = path("examples/lorenz/models/lorenz_nocon.h5")
        let config = scratch.appendingPathComponent("a.json").path
        let r = run(["init", model, "--config", config, "--reuse", "auto", "--max-utilization", "0.5", "--latency-target", "9",
                     "--strategy", "resource"])
        XCTAssertEqual(r.status, 0, r.err)
        let written = try json(config)
        XCTAssertEqual(written["reuse"] as? String, "auto")
        XCTAssertEqual(written["max_utilization"] as? Double, 0.5)
        XCTAssertEqual(written["latency_target_us"] as? Double, 9)
        XCTAssertEqual(written["strategy"] as? String, "resource")

        let fixed = scratch.appendingPathComponent("b.json").path
        XCTAssertEqual(run(["init", model, "--config", fixed, "--reuse", "4"]).status, 0)
        XCTAssertEqual(try json(fixed)["reuse"] as? Int, 4)

        for bad in [["--reuse", "0"], ["--reuse", "many"], ["--max-utilization", "2"], ["--latency-target", "-1"]] {
            let failed = run(["init", model, "--config", scratch.appendingPathComponent("c.json").path] + bad)
            XCTAssertEqual(failed.status, 2, "\(bad)")
            XCTAssertEqual(failed.err.filter { $0 == "\n" }.count, 1, failed.err)
        }
    }

    /// With an hls4ml file its strategies and reuse factors apply, so init writes no defaults over them.
    func testHLS4MLConfigKeepsItsReuse() throws {
        let yml = scratch.appendingPathComponent("h.yml").path
        try "HLSConfig:\n  Model:\n    Precision: ap_fixed<16,6>\n    ReuseFactor: 2\n    Strategy: Resource\n".write(toFile: yml, atomically: true, encoding: .utf8)
        let config = scratch.appendingPathComponent("lfadsc.json").path
        let r = run(["init", path("examples/lorenz/models/lorenz_nocon.h5"), "--config", config, "--hls4ml-config", yml])
        XCTAssertEqual(r.status, 0, r.err)
        let written = try json(config)
        XCTAssertNil(written["strategy"])
        XCTAssertNil(written["reuse"])
        let ir = run(["compile", "--config", config, "--emit", "ir", "--weights-summary"])
        XCTAssertEqual(ir.status, 0, ir.err)
        XCTAssertTrue(ir.out.contains("strategy = resource, reuse = 2"), String(ir.out.prefix(2000)))
    }

    /// lfadsc.json edited by hand: "reuse": "auto" is accepted; a bad value names the key.
    func testHandWrittenReuseAuto() throws {
        let config = scratch.appendingPathComponent("lfadsc.json").path
        let model = path("examples/lorenz/models/lorenz_nocon.h5")
        try #"{"model": "\#(model)", "strategy": "lfads", "reuse": "auto", "max_utilization": 0.6}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let r = run(["estimate", "--config", config, "--json"])
        XCTAssertEqual(r.status, 0, r.err)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let last = try XCTUnwrap((object["stages"] as? [[String: Any]])?.last)
        XCTAssertEqual(last["pass"] as? String, "reuse")
        let utilization = try XCTUnwrap(((last["estimate"] as? [String: Any])?["utilization"] as? [String: Double])?.values.max())
        XCTAssertLessThanOrEqual(utilization, 0.6)
        try #"{"model": "\#(model)", "reuse": "most"}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let bad = run(["estimate", "--config", config])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("key 'reuse': expected a positive integer or \"auto\""), bad.err)
    }
}
