import Backends
import Foundation
import XCTest

/// Every corpus and held-out entry re-priced from its recorded architecture (docs/estimates.md, "Pricing stock
/// hls4ml designs"). The bounds below are the documented ones; a change of the model that leaves them fails.
final class HLS4MLCalibrationTests: XCTestCase {
    static let corpus = Result { try CalibrationCorpus.load("corpus.json") }
    static let heldOut = Result { try CalibrationCorpus.load("heldout.json") }

    /// Every entry names where its numbers come from: repository, a 40-hex commit and the report's path.
    func testEveryEntryHasASource() throws {
        for file in ["corpus.json", "heldout.json"] {
            let data = try Data(contentsOf: CalibrationCorpus.directory.appendingPathComponent(file))
            let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
            XCTAssertGreaterThanOrEqual(list.count, file == "corpus.json" ? 40 : 5)
            for e in list {
                let s = e["source"] as? [String: Any] ?? [:]
                let commit = s["commit"] as? String ?? ""
                XCTAssertTrue(!(s["repo"] as? String ?? "").isEmpty && !(s["path"] as? String ?? "").isEmpty
                              && commit.count == 40 && commit.allSatisfy(\.isHexDigit), "\(file): \(e["id"] ?? "?") has no full source")
            }
        }
    }

    func testHeldOutEntriesAreNotInTheCorpus() throws {
        let corpusIDs = Set(try Self.corpus.get().map(\.id))
        XCTAssertTrue(try Self.heldOut.get().allSatisfy { !corpusIDs.contains($0.id) })
        XCTAssertGreaterThan(try Self.corpus.get().filter { $0.price != nil }.count, 90, "most of the corpus must be priced")
    }

    func testCommittedConstantsAreTheFit() throws {
        let refit = CalibrationFit.fit(try Self.corpus.get())
        let c = HLS4MLConstants.fitted
        XCTAssertEqual(refit.denseOverhead, c.denseOverhead)
        XCTAssertEqual(refit.stepOverhead, c.stepOverhead)
        XCTAssertEqual(refit.latencyTreeOverhead, c.latencyTreeOverhead)
        XCTAssertEqual(refit.selectOverhead, c.selectOverhead)
        for (a, b) in zip(refit.lut + refit.ff, c.lut + c.ff) {
            XCTAssertEqual(a, b, accuracy: max(0.01 * abs(a), 1e-3), "refit \(refit.lut) \(refit.ff), committed \(c.lut) \(c.ff)")
        }
    }

    /// Leave-one-design-out: each design priced with constants fitted without it.
    func testLeaveOneDesignOutMedians() throws {
        let entries = try Self.corpus.get()
        let folds = CalibrationFit.leaveOneDesignOut(entries)
        let s = CalibrationFit.stats(entries) { folds[$0.design] ?? .fitted }
        print("leave-one-design-out: " + CalibrationFit.describe(s))
        let bounds = ["latency": 0.05, "dsp": 0.02, "bram18": 0.02, "lut": 0.15, "ff": 0.25]
        for (q, b) in bounds { XCTAssertLessThanOrEqual(try XCTUnwrap(s[q]).median, b, "\(q) leave-one-out median") }
    }

    func testInSampleMedians() throws {
        let s = CalibrationFit.stats(try Self.corpus.get()) { _ in .fitted }
        print("in-sample: " + CalibrationFit.describe(s))
        let bounds = ["latency": 0.05, "dsp": 0.02, "bram18": 0.02, "lut": 0.15, "ff": 0.25]
        for (q, b) in bounds { XCTAssertLessThanOrEqual(try XCTUnwrap(s[q]).median, b, "\(q) in-sample median") }
    }

    /// The check against held-out builds: never fitted on. Median bounds are the targets of docs/estimates.md
    /// (≤ 10 % latency, ≤ 15 % DSP and BRAM18, ≤ 30 % LUT and FF), which the model reaches.
    func testHeldOutMedians() throws {
        let held = try Self.heldOut.get()
        XCTAssertTrue(held.allSatisfy { $0.price != nil }, "every held-out entry is priced")
        let s = CalibrationFit.stats(held) { _ in .fitted }
        print("held-out: " + CalibrationFit.describe(s))
        let bounds = ["latency": 0.10, "dsp": 0.15, "bram18": 0.15, "lut": 0.30, "ff": 0.30]
        for (q, b) in bounds { XCTAssertLessThanOrEqual(try XCTUnwrap(s[q]).median, b, "\(q) held-out median") }
        // No whole design off by more than 2× on any quantity.
        for e in held where e.kind == "design" {
            for q in CalibrationEntry.quantities {
                let p = try XCTUnwrap(e.predicted(q, .fitted)), a = try XCTUnwrap(e.actual[q])
                XCTAssertTrue(p <= 2 * a && a <= 2 * p, "\(e.id) \(q): \(p) vs \(a)")
            }
        }
    }

    /// Per-entry table for the docs: HLS4ML_PRINT=1 (benchmarks/calibration/fit-hls4ml.sh).
    func testPrintTables() throws {
        guard ProcessInfo.processInfo.environment["HLS4ML_PRINT"] != nil else { throw XCTSkip("set HLS4ML_PRINT=1") }
        let entries = try Self.corpus.get(), held = try Self.heldOut.get()
        let refit = CalibrationFit.fit(entries)
        print("fit: denseOverhead \(refit.denseOverhead) stepOverhead \(refit.stepOverhead) latencyTreeOverhead \(refit.latencyTreeOverhead) selectOverhead \(refit.selectOverhead)")
        print("LUT " + zip(HLS4MLConstants.lutNames, refit.lut).map { "\($0) \(String(format: "%.4g", $1))" }.joined(separator: ", "))
        print("FF " + zip(HLS4MLConstants.ffNames, refit.ff).map { "\($0) \(String(format: "%.4g", $1))" }.joined(separator: ", "))
        let folds = CalibrationFit.leaveOneDesignOut(entries)
        func pct(_ e: CalibrationEntry, _ q: String, _ c: HLS4MLConstants) -> String {
            guard let p = e.predicted(q, c), let a = e.actual[q] else { return "—" }
            return a == 0 ? (p == 0 ? "0" : "n/a") : String(format: "%+.0f%%", (p - a) / a * 100)
        }
        print("| design | priced | latency | DSP | BRAM18 | LUT | FF | LOO LUT | LOO FF |")
        for e in entries + held where e.kind == "design" {
            guard e.price != nil else { print("| \(e.id) | no: \(e.excluded ?? "") |"); continue }
            let loo = folds[e.design] ?? .fitted
            print("| \(e.id) | yes | " + CalibrationEntry.quantities.map { pct(e, $0, .fitted) }.joined(separator: " | ")
                  + " | \(pct(e, "lut", loo)) | \(pct(e, "ff", loo)) |")
        }
        for e in entries + held where e.price != nil {
            let m = e.price!(.fitted)
            print(e.id.prefix(80), "lat \(m.latency)/\(Int(e.actual["latency"] ?? -1)) dsp \(m.dsp)/\(Int(e.actual["dsp"] ?? -1))",
                  "bram \(m.bram18)/\(Int(e.actual["bram18"] ?? -1)) lut \(m.lut(.fitted))/\(Int(e.actual["lut"] ?? -1))",
                  "ff \(m.ff(.fitted))/\(Int(e.actual["ff"] ?? -1))")
        }
        print("in-sample: " + CalibrationFit.describe(CalibrationFit.stats(entries) { _ in .fitted }))
        print("leave-one-design-out: " + CalibrationFit.describe(CalibrationFit.stats(entries) { folds[$0.design] ?? .fitted }))
        print("held-out: " + CalibrationFit.describe(CalibrationFit.stats(held) { _ in .fitted }))
        print("held-out designs: " + CalibrationFit.describe(CalibrationFit.stats(held.filter { $0.kind == "design" }) { _ in .fitted }))
    }
}
