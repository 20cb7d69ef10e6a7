import XCTest
@testable import Backends
import LFADSIR

final class KernelIOTests: XCTestCase {
    /// The published template as imported (spike counts ap_ufixed<8,8>, decoder input and rates 16 bits):
    /// 146 + 146 input beats, 219 output beats, against 9,782 + 5,110 single values before.
    func testPublishedTemplateBeats() {
        let io = KernelIO(inputs: [("encoder_input", 73, 70, 8), ("decoder_input", 73, 64, 16)], output: ("NeuralDense", 73, 70, 16))
        XCTAssertEqual(io.inputs.map(\.lanes), [64, 32])
        XCTAssertEqual(io.inputs.map(\.beatsPerStep), [2, 2])
        XCTAssertEqual(io.inputs.map(\.firstBeat), [0, 146])
        XCTAssertEqual(io.output.lanes, 32)
        XCTAssertEqual(io.output.beatsPerStep, 3)
        XCTAssertEqual(io.beatsIn, 292)
        XCTAssertEqual(io.beatsOut, 219)
        // lfadsc estimate of the template under lfads at 300 MHz: latency 5,628 cycles, interval 2,411.
        XCTAssertEqual(io.latency(computeLatency: 5_628), 6_139)
        XCTAssertEqual(io.interval(computeInterval: 2_411), 2_411)
        XCTAssertEqual(io.cycles(trials: 10, computeLatency: 5_628, computeInterval: 2_411), 6_139 + 9 * 2_411)
        XCTAssertEqual(io.cycles(trials: 0, computeLatency: 5_628, computeInterval: 2_411), 0)
    }

    /// Transfer bounds the interval when compute is faster than a trial's beats.
    func testIntervalIsTheSlowestProcess() {
        let io = KernelIO(inputs: [("x", 100, 64, 16)], output: ("y", 100, 33, 16))
        XCTAssertEqual(io.beatsIn, 200)
        XCTAssertEqual(io.beatsOut, 200)
        XCTAssertEqual(io.interval(computeInterval: 50), 200)
        XCTAssertEqual(io.interval(computeInterval: 500), 500)
    }

    /// Lane counts at the edges of the type widths (1...64 bits) and a step exactly one beat wide.
    func testLaneEdges() {
        let io = KernelIO(inputs: [("a", 2, 170, 3), ("b", 2, 171, 3), ("c", 1, 9, 64), ("d", 3, 512, 1)], output: ("y", 1, 21, 24))
        XCTAssertEqual(io.inputs.map(\.lanes), [170, 170, 8, 512])
        XCTAssertEqual(io.inputs.map(\.beatsPerStep), [1, 2, 2, 1])
        XCTAssertEqual(io.inputs.map(\.firstBeat), [0, 2, 6, 8])
        XCTAssertEqual(io.beatsIn, 11)
        XCTAssertEqual(io.output.lanes, 21)
        XCTAssertEqual(io.beatsOut, 1)
    }

    /// From a plan: the template design of the cost tests (spikes as ap_fixed<16,6>: 3 beats a step).
    func testFromPlan() throws {
        let plan = try HardwarePlan.$shapesOnly.withValue(true) { try HardwarePlan(graph: try TemplateDesign.graph(strategy: .lfads)) }
        let io = KernelIO(plan: plan)
        XCTAssertEqual(io.inputs.map(\.name), ["encoder_input", "decoder_input"])
        XCTAssertEqual(io.inputs.map(\.bits), [16, 16])
        XCTAssertEqual(io.inputs.map(\.beats), [219, 146])
        XCTAssertEqual(io.output.name, "NeuralDense")
        XCTAssertEqual(io.beatsOut, 219)
    }
}
