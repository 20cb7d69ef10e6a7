import XCTest
import LFADSIR
@testable import Backends

/// The published design is the calibration point: these bounds fail if the model regresses.
final class CalibrationTests: XCTestCase {
    func error(_ predicted: Int, _ actual: Int) -> Double { Double(predicted - actual) / Double(actual) }

    /// The published design was built layer by layer (hls4ml's templates): the calibration prices that structure,
    /// not the dataflow schedule lfadsc emits for the same graph.
    func template() throws -> DesignEstimate {
        var model = CostModel(device: .u55c, clockMHz: 300)
        model.layerByLayer = true
        return try model.estimate(TemplateDesign.graph())
    }

    func testLatencyWithinTenPercentOfThePaper() throws {
        let e = try template()
        let err = (e.latencyMicroseconds - TemplateDesign.paperMicroseconds) / TemplateDesign.paperMicroseconds
        XCTAssertLessThan(abs(err), 0.10, "latency \(e.latencyMicroseconds) µs vs \(TemplateDesign.paperMicroseconds) µs")
    }

    func testEncoderStageMatchesTheHLSCycleCount() throws {
        let e = try template()
        let encoder = try XCTUnwrap(e.layers.first { $0.name == "EncoderRNN" })
        let mid = (TemplateDesign.hlsCyclesRange.lowerBound + TemplateDesign.hlsCyclesRange.upperBound) / 2
        // The encoder (input read + 73 steps) is the design's longest dataflow stage.
        XCTAssertLessThan(abs(error(encoder.end, mid)), 0.10, "encoder ends at \(encoder.end), HLS \(TemplateDesign.hlsCyclesRange)")
        XCTAssertEqual(e.intervalCycles, e.layers.map(\.interval).max())
    }

    func testResourcesWithinBounds() throws {
        let r = try template().resources
        XCTAssertLessThan(abs(error(r.dsp, TemplateDesign.reportDSP)), 0.15, "DSP \(r.dsp)")
        XCTAssertLessThan(abs(error(r.bram18, TemplateDesign.reportBRAM18)), 0.15, "BRAM18 \(r.bram18)")
        // Not calibration targets, but guarded against drifting further than today's error.
        XCTAssertLessThan(abs(error(r.lut, TemplateDesign.reportLUT)), 0.20, "LUT \(r.lut)")
        XCTAssertLessThan(abs(error(r.ff, TemplateDesign.reportFF)), 0.20, "FF \(r.ff)")
    }

    /// Prints the calibration table and the lfads-strategy estimates quoted in docs/cost-model.md.
    func testReportForDocs() throws {
        let e = try template()
        print(e.table())
        let r = e.resources
        print(String(format: "calibration: latency %.2f us (%+.1f%%), at 200 MHz %.2f us; DSP %d (%+.1f%%) LUT %d (%+.1f%%) FF %d (%+.1f%%) BRAM18 %d (%+.1f%%)",
                     e.latencyMicroseconds, 100 * (e.latencyMicroseconds / TemplateDesign.paperMicroseconds - 1),
                     Double(e.latencyCycles) / 200, r.dsp, 100 * error(r.dsp, TemplateDesign.reportDSP),
                     r.lut, 100 * error(r.lut, TemplateDesign.reportLUT), r.ff, 100 * error(r.ff, TemplateDesign.reportFF),
                     r.bram18, 100 * error(r.bram18, TemplateDesign.reportBRAM18)))
        let model = CostModel(device: .u55c, clockMHz: 300)
        let same = try model.estimate(TemplateDesign.graph(strategy: .lfads))
        print("lfads, template reuse factors:\n" + same.table())
        let pass = ReuseFactorPass(target: .utilization(0.8)) { g in
            let e = try model.estimate(g)
            return (e.latencyMicroseconds, e.maxUtilization)
        }
        let tuned = try model.estimate(pass.run(TemplateDesign.graph(strategy: .lfads)))
        print("lfads, reuse pass at <= 80% of the U55C:\n" + tuned.table())
        let hls = try model.estimate(pass.run(TemplateDesign.graph(strategy: .resource)))
        print("resource, reuse pass at <= 80% of the U55C:\n" + hls.table())
        let lat = try model.estimate(pass.run(TemplateDesign.graph(strategy: .latency)))
        print("latency, reuse pass at <= 80% of the U55C:\n" + lat.table())
    }
}
