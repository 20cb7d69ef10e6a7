// A precision file written from a design with an LFADS decoder (controller, bidirectional encoders) pins
// every part's types: the pipeline rebuilds the same quantised IR from the file alone.
import Backends
import Foundation
import LFADSIR
import XCTest

final class PrecisionFileReplayTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testControllerModelReplaysFromItsPrecisionFile() throws {
        let graph = try ModelLoader.load(path: Self.root.appendingPathComponent("examples/lorenz/models/lorenz_con.h5").path)
        var o = PrecisionOverrides()
        // Types away from the defaults in the decoder's parts and the encoders (the tied results move together).
        for flag in ["decoder.controller.state=ap_fixed<14,4,AP_TRN,AP_SAT>", "ic_enc=ap_fixed<9,2>",
                     "decoder.factors.result=ap_fixed<11,4,AP_TRN,AP_SAT>", "ci_enc.forward.result=ap_fixed<11,4,AP_TRN,AP_SAT>",
                     "ci_enc.backward.result=ap_fixed<11,4,AP_TRN,AP_SAT>", "*.accum=ap_fixed<28,10>"] {
            try o.apply(flag: flag, source: "test")
        }
        func quantized(_ overrides: PrecisionOverrides) throws -> Graph {
            let r = try CompilePipeline.run(graph, config: ProjectConfig(), overrides: overrides, reuse: .configured, estimate: false)
            return try XCTUnwrap(r.stages.last { $0.pass == "quantize" }?.graph)
        }
        let original = try quantized(o)
        let text = try PrecisionFile(graph: original).jsonText()
        for part in ["decoder.generator", "decoder.controller", "decoder.co_mean", "decoder.factors", "ci_enc.forward", "ic_enc.backward"] {
            XCTAssertTrue(text.contains("\"\(part)\""), part)
        }
        let file = try PrecisionFile(json: Data(text.utf8), file: "p.json")
        let hardware = try FoldQuantizersPass().run(try HardwareOutputsPass().run(graph))
        XCTAssertNoThrow(try file.check(against: hardware, file: "p.json"))
        let replayed = try quantized(file.overrides)
        XCTAssertEqual(IRPrinter.print(replayed), IRPrinter.print(original))
        XCTAssertNotEqual(IRPrinter.print(try quantized(PrecisionOverrides())), IRPrinter.print(original))
    }
}
