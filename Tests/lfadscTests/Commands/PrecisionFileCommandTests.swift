import Foundation
import XCTest
@testable import lfadsc

/// `compile --precision auto --write-precision FILE` and `--precision-file FILE`: the saved choice rebuilds the
/// auto-quantised design exactly (IR text after quantize, simulate output), on every command.
final class PrecisionFileCommandTests: XCTestCase, CLIHarness {
    var scratch: URL!

    override func setUpWithError() throws { scratch = try makeScratch("precfile") }

    func file(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    /// A tiny GRU → linear Dense model (log-rates) and 6 trials of small spike counts: the auto search on it
    /// takes about a second in a debug build.
    func tinyModel() throws -> (model: String, spikes: String) {
        let model = file("tiny.h5"), spikes = file("spikes.dat")
        try KerasStackFile(steps: 8, features: 3, layers: [
            .gru(name: "enc", units: 4, sequences: true, resetAfter: true),
            .dense(name: "logrates", units: 3, activation: "linear"),
        ]).write(to: model)
        var seed: UInt64 = 7
        let lines = (0..<6).map { _ in
            (0..<24).map { _ -> String in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return "\((seed >> 33) % 3)"
            }.joined(separator: " ")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: spikes, atomically: true, encoding: .utf8)
        return (model, spikes)
    }

    func autoFlags(_ spikes: String) -> [String] {
        ["--precision", "auto", "--calibrate", spikes, "--calibration-trials", "0:3", "--held-out-trials", "3:6", "-j", "2"]
    }

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func testAutoChoiceReplaysExactlyOnEveryCommand() throws {
        let (model, spikes) = try tinyModel()
        // On a (pretend) terminal: a live progress line on stderr, then the closing line.
        let console = Console(capture: true, errIsTerminal: true)
        let status = CommandLineTool.run(["compile", model] + autoFlags(spikes)
                                         + ["--write-precision", file("chosen.json"), "--emit", "ir", "--after", "quantize", "-o", file("auto.lfadsir")],
                                         console: console)
        XCTAssertEqual(status, 0, console.captured.err)
        let err = console.captured.err
        XCTAssertTrue(err.contains("\rauto precision: candidate "), err)
        XCTAssertTrue(err.contains(" elapsed, ETA "), err)
        XCTAssertTrue(err.hasSuffix("% of the 16-bit weight bits\u{1B}[K\n"), err)
        XCTAssertEqual(err.components(separatedBy: "\n").count, 2, "one line, rewritten in place: \(err)")
        let chosen = try text(file("chosen.json"))
        XCTAssertTrue(chosen.contains("\"lfadsc_precision\" : 1"), chosen)
        XCTAssertTrue(chosen.contains("chosen by lfadsc compile --precision auto"), chosen)
        // The search narrowed something: otherwise the replay below could pass with the file ignored.
        XCTAssertTrue(chosen.contains("AP_RND_CONV,AP_SAT"), chosen)

        // compile: the IR after quantize is the same text.
        let replay = run(["compile", model, "--precision-file", file("chosen.json"), "--emit", "ir", "--after", "quantize",
                          "-o", file("replay.lfadsir")])
        XCTAssertEqual(replay.status, 0, replay.err)
        XCTAssertEqual(try text(file("replay.lfadsir")), try text(file("auto.lfadsir")))
        let plain = run(["compile", model, "--emit", "ir", "--after", "quantize", "-o", file("plain.lfadsir")])
        XCTAssertEqual(plain.status, 0, plain.err)
        XCTAssertNotEqual(try text(file("plain.lfadsir")), try text(file("auto.lfadsir")))

        // The same from lfadsc.json's "precision_file" (relative to lfadsc.json).
        try #"{"model": "tiny.h5", "precision_file": "chosen.json"}"#.write(toFile: file("lfadsc.json"), atomically: true, encoding: .utf8)
        let viaConfig = run(["compile", "-c", file("lfadsc.json"), "--emit", "ir", "--after", "quantize", "-o", file("config.lfadsir")])
        XCTAssertEqual(viaConfig.status, 0, viaConfig.err)
        XCTAssertEqual(try text(file("config.lfadsir")), try text(file("auto.lfadsir")))

        // simulate: the model with the precision file gives the bits of the auto-quantised IR.
        let a = run(["simulate", spikes, "-m", model, "--precision-file", file("chosen.json"), "-o", file("a.dat"), "-q"])
        let b = run(["simulate", spikes, "-m", file("auto.lfadsir"), "-o", file("b.dat"), "-q"])
        XCTAssertEqual(a.status, 0, a.err)
        XCTAssertEqual(b.status, 0, b.err)
        XCTAssertFalse(try text(file("a.dat")).isEmpty)
        XCTAssertEqual(try text(file("a.dat")), try text(file("b.dat")))

        // estimate and report take it too; from quantize on, estimate prices what the auto-quantised IR gives.
        let estimate = run(["estimate", model, "--precision-file", file("chosen.json"), "--json"])
        let estimateIR = run(["estimate", file("auto.lfadsir"), "--json"])
        XCTAssertEqual(estimate.status, 0, estimate.err)
        XCTAssertEqual(try stages(estimate.out, from: "quantize"), try stages(estimateIR.out, from: "quantize"))
        let report = run(["report", "-m", model, "--precision-file", file("chosen.json"), "--data", spikes, "-o", file("r.html")])
        XCTAssertEqual(report.status, 0, report.err)
        XCTAssertTrue(try text(file("r.html")).contains("AP_RND_CONV"))
    }

    /// The `estimate --json` stages from the named pass on (before quantize an IR file already carries types).
    func stages(_ json: String, from pass: String) throws -> NSArray {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let all = object?["stages"] as? [[String: Any]] ?? []
        guard let start = all.firstIndex(where: { $0["pass"] as? String == pass }) else { XCTFail("no pass \(pass)"); return [] }
        return Array(all[start...]) as NSArray
    }

    /// Not a terminal: only the closing line; -q: nothing at all. The choice is the same either way.
    func testProgressIsOneLineWithoutTerminalAndNothingWhenQuiet() throws {
        let (model, spikes) = try tinyModel()
        let plain = run(["compile", model] + autoFlags(spikes) + ["--emit", "precision", "--write-precision", file("p1.json")])
        XCTAssertEqual(plain.status, 0, plain.err)
        XCTAssertFalse(plain.err.contains("\r"))
        XCTAssertTrue(plain.err.hasPrefix("auto precision: ") && plain.err.filter { $0 == "\n" }.count == 1, plain.err)
        XCTAssertTrue(plain.out.contains("evaluations"), plain.out)

        let quiet = run(["compile", model] + autoFlags(spikes) + ["-q", "--emit", "ir", "-o", file("q.lfadsir"), "--write-precision", file("p2.json")])
        XCTAssertEqual(quiet.status, 0, quiet.err)
        XCTAssertEqual(quiet.err, "")
        XCTAssertEqual(quiet.out, "")
        XCTAssertEqual(try text(file("p1.json")), try text(file("p2.json")))
    }

    func testWritePrecisionNeverOverwritesWithoutForce() throws {
        let (model, spikes) = try tinyModel()
        try "keep".write(toFile: file("chosen.json"), atomically: true, encoding: .utf8)
        // Refused before the search runs.
        let refused = run(["compile", model] + autoFlags(spikes) + ["--emit", "precision", "--write-precision", file("chosen.json")])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains(file("chosen.json")), refused.err)
        XCTAssertFalse(refused.err.contains("auto precision:"), refused.err)
        XCTAssertEqual(try text(file("chosen.json")), "keep")
        // Without auto it pins the configuration's types; --force replaces the file, leaving no temporary behind.
        let forced = run(["compile", model, "--set", "enc.weight=ap_fixed<7,2>", "--emit", "precision", "--write-precision", file("chosen.json"), "--force"])
        XCTAssertEqual(forced.status, 0, forced.err)
        XCTAssertTrue(try text(file("chosen.json")).contains("\"weight\" : \"ap_fixed<7,2>\""))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix(".") }, [])
    }

    /// A file naming a tensor the model lacks, or malformed, stops every command with one line naming the file
    /// (and the key); --precision auto with --precision-file is a usage error.
    func testBadPrecisionFilesFailWithOneLine() throws {
        let (model, spikes) = try tinyModel()
        let cases: [(String, String)] = [
            (#"{"lfadsc_precision": 1, "layers": {"enc": {"precision": {"weight": "ap_fixd<8,2>"}}}}"#, "key 'layers.enc.precision.weight'"),
            (#"{"lfadsc_precision": 1, "layers": {"enc": {"strategy": "lfads"}}}"#, "key 'layers.enc.strategy': unknown key (valid: precision)"),
            (#"{"layers": {}}"#, "key 'lfadsc_precision': missing"),
            ("{", "not valid JSON"),
            (#"{"lfadsc_precision": 1, "layers": {"nosuch": {"precision": {"weight": "ap_fixed<8,2>"}}}}"#,
             "key 'layers.nosuch': model 'stack' has no layer or part 'nosuch' (it has: enc, enc_input, logrates)"),
            (#"{"lfadsc_precision": 1, "layers": {"logrates": {"precision": {"table": "ap_fixed<8,2>"}}}}"#,
             "key 'layers.logrates.precision.table': 'logrates' has no table tensor (it has: weight, bias, accum, result)"),
        ]
        for (n, (json, fragment)) in cases.enumerated() {
            let path = file("bad\(n).json")
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            for args in [["estimate", model], ["simulate", spikes, "-m", model, "-q"], ["compile", model, "--emit", "precision"],
                         ["report", "-m", model, "--data", spikes, "-o", file("r\(n).html")]] {
                let r = run(args + ["--precision-file", path])
                XCTAssertEqual(r.status, 1, "\(args) \(json): \(r.err)")
                XCTAssertTrue(r.err.contains(fragment), "\(args): \(r.err)")
                XCTAssertEqual(r.err.filter { $0 == "\n" }.count, 1, r.err)
                XCTAssertTrue(r.err.contains(path + ": "), r.err)
            }
        }
        let missing = run(["estimate", model, "--precision-file", file("none.json")])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains(file("none.json") + ": cannot read the precision file"), missing.err)
        let both = run(["compile", model] + autoFlags(spikes) + ["--precision-file", file("bad0.json")])
        XCTAssertEqual(both.status, 2, both.err)
        XCTAssertTrue(both.err.contains("drop --precision-file"), both.err)
    }
}
