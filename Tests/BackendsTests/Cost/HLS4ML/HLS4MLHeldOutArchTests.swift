import Backends
import Foundation
import LFADSIR
import XCTest

/// The held-out RNN-paper designs written as architecture specs (benchmarks/calibration/heldout-arch/): what
/// `lfadsc estimate --arch SPEC --flavor hls4ml --io-type io_parallel` prices through the import, the passes and
/// the graph-to-hls4ml mapping must be, layer for layer, what the calibration check prices from the held-out
/// entry's recorded architecture. The held-out errors in docs/estimates.md are then what a user gets.
final class HLS4MLHeldOutArchTests: XCTestCase {
    static let specs = ["rnnpaper-toptagging", "rnnpaper-flavortagging", "rnnpaper-quickdraw"]

    func testSpecsPriceLikeTheHeldOutEntries() throws {
        let data = try Data(contentsOf: CalibrationCorpus.directory.appendingPathComponent("heldout.json"))
        let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        for name in Self.specs {
            let entry = try XCTUnwrap(list.first { $0["id"] as? String == "heldout-\(name)-gru" }, name)
            let recorded = try XCTUnwrap(CalibrationCorpus.designOf(entry), name)
            let path = CalibrationCorpus.directory.appendingPathComponent("heldout-arch/\(name).json").path
            let spec = try ArchSpec.load(path: path, targets: Device.all.flatMap { [$0.name, $0.part] })
            let config = spec.projectConfig()
            let result = try CompilePipeline.run(spec.graph, config: config, overrides: config.overrides, estimate: false)
            let report = try HLS4MLReport(graph: result.graph, io: .parallel, backend: .vivado, clockMHz: result.clockMHz)
            XCTAssertEqual(result.device.name, "u250", name)
            XCTAssertEqual(result.clockMHz, 200, name)
            XCTAssertEqual(report.design.input, recorded.input, name)
            XCTAssertEqual(report.design.layers.map(\.kind), recorded.layers.map(\.kind), name)
            XCTAssertEqual(report.design.layers.map(\.widths), recorded.layers.map(\.widths), name)
            let mine = report.total, theirs = HLS4MLCost.design(recorded).total
            XCTAssertEqual([mine.latency, mine.dsp, mine.bram18, mine.lut(.fitted), mine.ff(.fitted)],
                           [theirs.latency, theirs.dsp, theirs.bram18, theirs.lut(.fitted), theirs.ff(.fitted)], name)
        }
    }
}
