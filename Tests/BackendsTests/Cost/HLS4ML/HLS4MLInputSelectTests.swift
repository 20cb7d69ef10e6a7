import Backends
import Foundation
import XCTest

/// How stock hls4ml designs select a product's inputs at a runtime index, per backend and input, and what the
/// operator table charges for reads of the reshaped input word (benchmarks/calibration/operators.json).
final class HLS4MLInputSelectTests: XCTestCase {
    let w16 = HLS4MLWidths(weight: 16, data: 16, accum: 16)

    func testOperatorTableMatchesItsObservations() throws {
        let url = CalibrationCorpus.directory.appendingPathComponent("operators.json")
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        for row in root["shift"] as? [[String: Any]] ?? [] {
            let bits = try XCTUnwrap(row["bits"] as? Int), lut = try XCTUnwrap(row["lut"] as? Int)
            let model = HLS4MLOperators.shiftLUT(bits)
            // A barrel shifter's n·⌈log2 n⌉/2 within 40 % of the table below its 2,171 ceiling, exact at it.
            if lut == 2171 { XCTAssertEqual(model, 2171, "\(bits) bits") } else { XCTAssertEqual(Double(model), Double(lut), accuracy: 0.4 * Double(lut), "\(bits) bits") }
        }
        for row in root["logic"] as? [[String: Any]] ?? [] {
            XCTAssertEqual(HLS4MLOperators.wordLogicLUT(try XCTUnwrap(row["bits"] as? Int)), row["lut"] as? Int)
        }
        let reads = root["word_reads"] as? [[String: Any]] ?? []
        let masked = reads.reduce(0) { $0 + ($1["masked"] as? Int ?? 0) }, total = reads.reduce(0) { $0 + ($1["reads"] as? Int ?? 0) }
        XCTAssertEqual(HLS4MLOperators.maskedReadShare, Double(masked) / Double(total), accuracy: 1e-12)
        // The fitted LUT per mux-core input bit lies inside the spread of the reports' own core figures.
        let perBit = (root["mux_cores"] as? [[String: Any]] ?? []).compactMap { m -> Double? in
            guard let n = m["inputs"] as? Int, let w = m["bits"] as? Int, let lut = m["lut"] as? Int else { return nil }
            return Double(lut) / Double(n * w)
        }
        XCTAssertGreaterThanOrEqual(perBit.count, 8)
        let fitted = HLS4MLConstants.fitted.lut[HLS4MLConstants.lutNames.firstIndex(of: "mux_cores") ?? 0]
        XCTAssertGreaterThan(fitted, perBit.min() ?? 1)
        XCTAssertLessThan(fitted, perBit.max() ?? 0)
    }

    /// R < n_in: Vivado HLS gives each multiplier its own mux core; Vitis HLS shares R:1 selects.
    func testVivadoMuxCorePerMultiplierVitisShares() {
        // 128 → 256 at R = 32: 1,024 multipliers, each reading one of 128 inputs.
        let vivado = HLS4MLCost.dense(name: "d", nIn: 128, nOut: 256, reuse: 32, widths: w16, backend: .vivado, .fitted)
        XCTAssertEqual(vivado.features.muxCoreBits, 1024 * 128 * 16)
        XCTAssertEqual(vivado.features.mux, 0)
        let vitis = HLS4MLCost.dense(name: "d", nIn: 128, nOut: 256, reuse: 32, widths: w16, backend: .vitis, .fitted)
        XCTAssertEqual(vitis.features.muxCoreBits, 0)
        XCTAssertEqual(vitis.features.mux, 4 * 16 * 31, "n_in/R = 4 shared 32:1 selects of 16 bits")
        XCTAssertGreaterThan(vivado.lut(.fitted), 5 * vitis.lut(.fitted))
        XCTAssertEqual(vivado.latency, 32 + HLS4MLConstants.fitted.denseOverhead + HLS4MLConstants.fitted.selectOverhead)
        XCTAssertEqual(vitis.latency, 32 + HLS4MLConstants.fitted.denseOverhead)
        // Cores are sized by the inputs an index can reach, a power of two: 120 inputs → 128.
        let odd = HLS4MLCost.dense(name: "d", nIn: 120, nOut: 10, reuse: 30, widths: w16, .fitted)
        XCTAssertEqual(odd.features.muxCoreBits, 40 * 128 * 16)
        // Past the largest core (256 inputs) Vivado shares selects as Vitis does; at R ≥ n_in one select serves all.
        let wide = HLS4MLCost.dense(name: "d", nIn: 3200, nOut: 32, reuse: 128, widths: w16, .fitted)
        XCTAssertEqual(wide.features.muxCoreBits, 0)
        XCTAssertEqual(wide.features.mux, 25 * 16 * 127)
        let full = HLS4MLCost.dense(name: "d", nIn: 64, nOut: 32, reuse: 64, widths: w16, .fitted)
        XCTAssertEqual(full.features.muxCoreBits, 0)
        XCTAssertEqual(full.features.mux, 16 * 63 / 3)
    }

    /// A first layer under io_parallel reads the design's input port, reshaped into one word.
    func testFirstLayerReadsTheReshapedWord() {
        // 252 inputs of 10 bits at R = 3: 84 distinct indices, each a read of the 2,520-bit word.
        let w = HLS4MLWidths(weight: 2, data: 10, accum: 20)
        let dense = HLS4MLCost.dense(name: "d", nIn: 252, nOut: 15, reuse: 3, widths: w, input: .reshaped, .fitted)
        XCTAssertEqual(dense.operatorLUT, 84 * HLS4MLOperators.wordReadLUT(bits: 2520))
        XCTAssertEqual(dense.features.muxCoreBits, 0)
        XCTAssertEqual(HLS4MLOperators.wordReadLUT(bits: 2520), 2171 + Int((HLS4MLOperators.maskedReadShare * Double(2171 + 2 * 2520)).rounded()))

        // A GRU over 20 steps of 6 inputs reads 6 elements a step from a 1,920-bit word (16-bit data).
        let gru = HLS4MLLayer(name: "g", kind: .gru(nIn: 6, nState: 20, reuseInput: 30, reuseRecurrent: 20, steps: 20,
                                                     bidirectional: false, tables: true), widths: w16)
        let first = HLS4MLCost.layer(gru, input: .reshaped, .fitted)
        let streamed = HLS4MLCost.layer(gru, input: .stream, .fitted)
        XCTAssertEqual(first.operatorLUT - streamed.operatorLUT, 6 * HLS4MLOperators.wordReadLUT(bits: 1920))
        XCTAssertEqual(first.lut(.fitted) - streamed.lut(.fitted), 6 * HLS4MLOperators.wordReadLUT(bits: 1920))
        // One step: the index is a constant, no read logic.
        let once = HLS4MLLayer(name: "g", kind: .gru(nIn: 6, nState: 20, reuseInput: 30, reuseRecurrent: 20, steps: 1,
                                                    bidirectional: false, tables: true), widths: w16)
        XCTAssertEqual(HLS4MLCost.layer(once, input: .reshaped, .fitted).operatorLUT, 0)

        // The design decides: io_parallel's first layer reads the reshaped port, io_stream's a stream, and a
        // hand-set AXI-stream port (`input: .stream`) in order.
        let parallel = HLS4MLCost.design(HLS4MLDesign(name: "p", layers: [gru], io: .parallel)).total
        let stream = HLS4MLCost.design(HLS4MLDesign(name: "s", layers: [gru], io: .stream)).total
        let axis = HLS4MLCost.design(HLS4MLDesign(name: "a", layers: [gru], io: .parallel, input: .stream)).total
        XCTAssertEqual(parallel.operatorLUT, first.operatorLUT)
        XCTAssertEqual(stream.operatorLUT, streamed.operatorLUT)
        XCTAssertEqual(axis.operatorLUT, streamed.operatorLUT)
    }

    /// Products wider than one DSP take a pipeline stage more: two accumulator-wide registers per multiplier.
    func testWideProductsRegisterOnceMore() {
        let w32 = HLS4MLWidths(weight: 32, data: 32, accum: 32)
        let d = HLS4MLCost.dense(name: "d", nIn: 64, nOut: 192, reuse: 64, widths: w32, .fitted)
        XCTAssertEqual(d.dsp, 192 * 4)
        XCTAssertEqual(d.pipelineFF, 2 * 192 * 32)
        XCTAssertEqual(HLS4MLCost.dense(name: "d", nIn: 64, nOut: 192, reuse: 64, widths: w16, .fitted).pipelineFF, 0)
        // Counted registers are added to the fitted FF, not fitted themselves.
        let plain = HLS4MLModuleCost(name: "m", latency: 1, interval: 1, dsp: 0, bram18: 0, features: d.features)
        XCTAssertEqual(d.ff(.fitted) - plain.ff(.fitted), 2 * 192 * 32)
    }
}
