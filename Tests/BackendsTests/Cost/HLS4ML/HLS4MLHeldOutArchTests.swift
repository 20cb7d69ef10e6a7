import Backends
import Foundation
import LFADSIR
import XCTest

/// The held-out designs through the inputs a user has: the RNN-paper designs written as architecture specs
/// (benchmarks/calibration/heldout-arch/), and the two LFADS builds from the published QKeras model file with the
/// builds' reuse factors and precision. What `lfadsc estimate --flavor hls4ml` prices through the import, the
/// passes and the graph-to-hls4ml mapping must be, layer for layer, what the calibration check prices from the
/// held-out entry's recorded architecture: the held-out errors in docs/estimates.md are then what a user gets.
final class HLS4MLHeldOutArchTests: XCTestCase {
    /// The spec files' names (without .json): each is held-out entry `heldout-<name>-gru`.
    static func specs() throws -> [String] {
        let dir = CalibrationCorpus.directory.appendingPathComponent("heldout-arch")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
            .map { String($0.dropLast(5)) }.sorted()
    }

    func testSpecsPriceLikeTheHeldOutEntries() throws {
        let data = try Data(contentsOf: CalibrationCorpus.directory.appendingPathComponent("heldout.json"))
        let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let specs = try Self.specs()
        XCTAssertEqual(specs.count, 3, "the three RNN-paper designs")
        for name in specs {
            let entry = try XCTUnwrap(list.first { $0["id"] as? String == "heldout-\(name)-gru" }, name)
            let recorded = try XCTUnwrap(CalibrationCorpus.designOf(entry), name)
            let path = CalibrationCorpus.directory.appendingPathComponent("heldout-arch/\(name).json").path
            let spec = try ArchSpec.load(path: path, targets: Device.all.flatMap { [$0.name, $0.part] })
            let config = spec.projectConfig()
            let result = try CompilePipeline.run(spec.graph, config: config, overrides: config.overrides, estimate: false)
            let report = try HLS4MLReport(graph: result.graph, io: .parallel, backend: .vivado,
                                          inputBits: config.overrides.defaultPrecision?.width, clockMHz: result.clockMHz)
            XCTAssertEqual(result.device.name, "u250", name)
            XCTAssertEqual(result.clockMHz, 200, name)
            Self.assertSame(report, recorded, name)
        }
    }

    /// report_16bits and report_32bits are the published template (keras_model.h5, a QKeras model) built at
    /// ap_fixed<16,8> and ap_fixed<32,16> with reuse = n_in: `estimate keras_model.h5 --flavor hls4ml --io-type
    /// io_stream --strategy resource --set …reuse… --precision T` (and, at 32 bits, each layer's weight and bias
    /// set to T over the model's 16-bit QKeras quantizers, as that build's config did).
    func testPublishedModelPricesLikeTheLFADSBuilds() throws {
        let model = CalibrationCorpus.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/peers/lfads-fpga-template/keras_model.h5").path
        guard FileManager.default.fileExists(atPath: model) else { throw XCTSkip("no template model at \(model)") }
        let data = try Data(contentsOf: CalibrationCorpus.directory.appendingPathComponent("heldout.json"))
        let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let reuse = ["EncoderRNN": (70, 64), "DenseMean": (128, nil), "DecoderGRU": (64, 64), "Dense": (64, nil), "NeuralDense": (4, nil)]
        for (bits, type) in [(16, "ap_fixed<16,8>"), (32, "ap_fixed<32,16>")] {
            let name = "heldout-lfads-report_\(bits)bits"
            let entry = try XCTUnwrap(list.first { $0["id"] as? String == name })
            let recorded = try XCTUnwrap(CalibrationCorpus.designOf(entry), name)
            var config = ProjectConfig()
            config.overrides.strategy = .resource
            config.overrides.defaultPrecision = try FixedType(parsing: type)
            for (layer, (r, rr)) in reuse {
                var o = LayerOverride(reuse: r, recurrentReuse: rr)
                if bits == 32 { o.precision = [.weight: try FixedType(parsing: type), .bias: try FixedType(parsing: type)] }
                config.overrides.layers[layer] = o
            }
            let result = try CompilePipeline.run(try ModelLoader.load(path: model), config: config, overrides: config.overrides, estimate: false)
            let report = try HLS4MLReport(graph: result.graph, io: .stream, backend: .vivado, inputBits: bits, clockMHz: result.clockMHz)
            Self.assertSame(report, recorded, name)
        }
    }

    static func assertSame(_ report: HLS4MLReport, _ recorded: HLS4MLDesign, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(report.design.input, recorded.input, name, file: file, line: line)
        XCTAssertEqual(report.design.layers.map(\.kind), recorded.layers.map(\.kind), name, file: file, line: line)
        XCTAssertEqual(report.design.layers.map(\.widths), recorded.layers.map(\.widths), name, file: file, line: line)
        let mine = report.total, theirs = HLS4MLCost.design(recorded).total
        XCTAssertEqual([mine.latency, mine.dsp, mine.bram18, mine.lut(.fitted), mine.ff(.fitted)],
                       [theirs.latency, theirs.dsp, theirs.bram18, theirs.lut(.fitted), theirs.ff(.fitted)], name, file: file, line: line)
    }
}
