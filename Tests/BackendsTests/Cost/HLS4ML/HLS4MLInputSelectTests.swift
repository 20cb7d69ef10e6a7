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
        // Every mux core of a run shows one figure, that of the last core the run creates, which follows that core's
        // inputs: the price per input is the median over the runs, and every run is within 16 % of it (8 inputs: 38
        // against 33).
        // Pipelined cores (a 2.5 ns clock: 3 or 4 stages) cost more and are left out.
        let runs = (root["mux_core_runs"] as? [[String: Any]] ?? []).filter { ($0["core_stages"] as? [Int]) == [1] }
        XCTAssertGreaterThanOrEqual(runs.count, 24)
        var perInput: [Double] = []
        for run in runs {
            let last = try XCTUnwrap(run["last_core"] as? [String: Any]), n = try XCTUnwrap(last["inputs"] as? Int)
            let lut = try XCTUnwrap(run["lut"] as? Int)
            XCTAssertNotNil(run["source"], "\(run)")
            XCTAssertEqual(run["figures"] as? [Int], [lut], "one figure for every core of the run")
            perInput.append(Double(lut) / Double(n))
            XCTAssertEqual(Double(HLS4MLOperators.muxCoreLUT(inputs: n)), Double(lut), accuracy: 0.16 * Double(lut), "\(run["source"] ?? "")")
        }
        XCTAssertEqual(HLS4MLOperators.muxCoreLUTPerInput, HLS4MLFit.median(perInput) ?? 0, accuracy: 0.05)
        // The same inputs at different widths show the same figure (10 inputs at 8, 14, 16 and 18 bits on the
        // 2019.2 and 2020.1 builds; 32 at 5, 15 and 16 bits).
        for inputs in [10, 32] {
            let figures = Set(runs.filter { (($0["last_core"] as? [String: Any])?["inputs"] as? Int) == inputs
                && !(($0["tool"] as? String) ?? "").hasSuffix("2019.1") }.compactMap { $0["lut"] as? Int })
            let widths = Set(runs.compactMap { r -> Int? in
                guard let c = r["last_core"] as? [String: Any], c["inputs"] as? Int == inputs else { return nil }
                return c["bits"] as? Int
            })
            XCTAssertEqual(figures.count, 1, "\(inputs) inputs")
            XCTAssertGreaterThan(widths.count, 1, "\(inputs) inputs")
        }
    }

    /// The cores of every recorded public module, in the order HLS creates them, are the ones the model builds.
    func testMuxCoreSizesMatchTheirObservations() throws {
        let url = CalibrationCorpus.directory.appendingPathComponent("operators.json")
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let rows = try XCTUnwrap(root["mux_core_sizes"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(rows.count, 23)
        var inputs = Set<String>()
        for row in rows {
            let nIn = try XCTUnwrap(row["n_in"] as? Int), nOut = try XCTUnwrap(row["n_out"] as? Int)
            let r = try XCTUnwrap(row["reuse"] as? Int), kind = try XCTUnwrap(row["input"] as? String)
            let observed = try XCTUnwrap(row["cores"] as? [[Int]])
            XCTAssertNotNil(row["source"])
            XCTAssertLessThan(r, nIn)
            inputs.insert(kind)
            // A local copy is `.partitioned` (a GRU's state) or `.stream` (dense_wrapper's copy under io_stream).
            let inputs: [HLS4MLSequenceInput] = kind == "argument" ? [.argument] : [.partitioned, .stream]
            for input in inputs {
                let model = HLS4MLCost.productMuxCores(nIn: nIn, reuse: r, multipliers: nIn * nOut / r, input: input, backend: .vivado)
                XCTAssertEqual(model.map { [$0.count, $0.inputs] }, observed, "\(input) \(row["source"] ?? "")")
            }
            let input = inputs[0]
            // One core per multiplier: block_factor of them.
            XCTAssertEqual(observed.reduce(0) { $0 + $1[0] }, nIn * nOut / r)
            let dense = HLS4MLCost.dense(name: "d", nIn: nIn, nOut: nOut, reuse: r, widths: w16, input: input, .fitted)
            XCTAssertEqual(dense.muxCores, nIn * nOut / r)
            XCTAssertEqual(dense.lastMuxCore, observed.last?[1])
        }
        XCTAssertEqual(inputs, ["argument", "local"])
        // The two rules part ways: 128 inputs at R = 32 give 64-input cores as an argument, 128-input ones locally.
        XCTAssertEqual(HLS4MLCost.dense(name: "d", nIn: 128, nOut: 5, reuse: 32, widths: w16, input: .argument, .fitted).lastMuxCore, 64)
        XCTAssertEqual(HLS4MLCost.dense(name: "d", nIn: 128, nOut: 5, reuse: 32, widths: w16, input: .partitioned, .fitted).lastMuxCore, 128)
        // R = 1: every index is a constant, no core.
        XCTAssertTrue(HLS4MLCost.productMuxCores(nIn: 16, reuse: 1, multipliers: 64, input: .argument, backend: .vivado).isEmpty)
        XCTAssertTrue(HLS4MLCost.productMuxCores(nIn: 128, reuse: 32, multipliers: 20, input: .argument, backend: .vitis).isEmpty)
    }

    /// R < n_in: Vivado HLS gives each multiplier its own mux core; Vitis HLS shares R:1 selects.
    func testVivadoMuxCorePerMultiplierVitisShares() {
        // 128 → 256 at R = 32: 1,024 multipliers, each reading one of 128 inputs.
        let vivado = HLS4MLCost.dense(name: "d", nIn: 128, nOut: 256, reuse: 32, widths: w16, backend: .vivado, .fitted)
        XCTAssertEqual(vivado.muxCores, 1024)
        XCTAssertEqual(vivado.lastMuxCore, 128)
        XCTAssertEqual(vivado.muxCoreLUT, 1024 * HLS4MLOperators.muxCoreLUT(inputs: 128))
        XCTAssertEqual(vivado.features.mux, 0)
        let vitis = HLS4MLCost.dense(name: "d", nIn: 128, nOut: 256, reuse: 32, widths: w16, backend: .vitis, .fitted)
        XCTAssertEqual(vitis.muxCores, 0)
        XCTAssertEqual(vitis.features.mux, 4 * 16 * 31, "n_in/R = 4 shared 32:1 selects of 16 bits")
        XCTAssertGreaterThan(vivado.lut(.fitted), 5 * vitis.lut(.fitted))
        XCTAssertEqual(vivado.latency, 32 + HLS4MLConstants.fitted.denseOverhead + HLS4MLConstants.fitted.selectOverhead)
        XCTAssertEqual(vitis.latency, 32 + HLS4MLConstants.fitted.denseOverhead)
        // Cores are sized by the inputs an index can reach, a power of two: 120 inputs → 128.
        let odd = HLS4MLCost.dense(name: "d", nIn: 120, nOut: 10, reuse: 30, widths: w16, .fitted)
        XCTAssertEqual(odd.muxCores, 40)
        XCTAssertEqual(odd.lastMuxCore, 128)
        // Past the largest core (256 inputs) Vivado shares selects as Vitis does; at R ≥ n_in one select serves all.
        let wide = HLS4MLCost.dense(name: "d", nIn: 3200, nOut: 32, reuse: 128, widths: w16, .fitted)
        XCTAssertEqual(wide.muxCores, 0)
        XCTAssertEqual(wide.features.mux, 25 * 16 * 127)
        let full = HLS4MLCost.dense(name: "d", nIn: 64, nOut: 32, reuse: 64, widths: w16, .fitted)
        XCTAssertEqual(full.muxCores, 1)
        XCTAssertEqual(full.lastMuxCore, 64)
        XCTAssertEqual(full.features.mux, 0)
        let fullVitis = HLS4MLCost.dense(name: "d", nIn: 64, nOut: 32, reuse: 64, widths: w16, backend: .vitis, .fitted)
        XCTAssertEqual(fullVitis.muxCores, 0)
        XCTAssertEqual(fullVitis.features.mux, 16 * 63 / 3)
        // Past n_in the accumulators are selected too, by a core of R/n_in inputs created after the input's.
        let past = HLS4MLCost.dense(name: "d", nIn: 16, nOut: 5, reuse: 80, widths: w16, .fitted)
        XCTAssertEqual(past.muxCores, 2)
        XCTAssertEqual(past.lastMuxCore, 5)
    }

    /// A first layer under io_parallel reads the design's input port, reshaped into one word.
    func testFirstLayerReadsTheReshapedWord() {
        // 252 inputs of 10 bits at R = 3: 84 distinct indices, each a read of the 2,520-bit word.
        let w = HLS4MLWidths(weight: 2, data: 10, accum: 20)
        let dense = HLS4MLCost.dense(name: "d", nIn: 252, nOut: 15, reuse: 3, widths: w, input: .reshaped, .fitted)
        XCTAssertEqual(dense.operatorLUT, 84 * HLS4MLOperators.wordReadLUT(bits: 2520))
        XCTAssertEqual(dense.muxCores, 0)
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

    /// Vivado HLS prices every mux core of a run at the figure of the last core the run creates: a design's last
    /// layer with cores sets the price of every layer's cores.
    func testEveryCoreTakesTheRunsLastFigure() {
        // (Inputs from a local partitioned array, not the reshaped port.) 128 → 64 at R = 32: 256 cores, one of 32
        // inputs then 255 of 128;
        // then 64 → 3 at R = 192 (past n_in): a 64-input core for the input, then a 3-input one for the
        // accumulators, the last the run creates.
        let first = HLS4MLLayer(name: "a", kind: .dense(nIn: 128, nOut: 64, reuse: 32, steps: 1), widths: w16)
        let last = HLS4MLLayer(name: "b", kind: .dense(nIn: 64, nOut: 3, reuse: 192, steps: 1), widths: w16)
        let (total, layers) = HLS4MLCost.design(HLS4MLDesign(name: "d", layers: [first, last], io: .parallel, input: .partitioned, backend: .vivado))
        XCTAssertEqual(layers.map(\.muxCores), [256, 2])
        XCTAssertEqual(layers.map(\.lastMuxCore), [128, 3])
        XCTAssertEqual(total.muxCores, 258)
        XCTAssertEqual(total.lastMuxCore, 3)
        XCTAssertEqual(layers[0].muxCoreLUT, 256 * HLS4MLOperators.muxCoreLUT(inputs: 3))
        XCTAssertEqual(total.muxCoreLUT, 258 * HLS4MLOperators.muxCoreLUT(inputs: 3))
        // Priced alone, the first layer's cores take its own last core's figure.
        let alone = HLS4MLCost.layer(first, input: .partitioned, .fitted)
        XCTAssertEqual(alone.muxCoreLUT, 256 * HLS4MLOperators.muxCoreLUT(inputs: 128))
        XCTAssertEqual(alone.lut(.fitted) - layers[0].lut(.fitted), alone.muxCoreLUT - layers[0].muxCoreLUT)
        // Reversed, the 128-input product is the last layer. It reads its input as an argument from the dataflow
        // top, so its cores span 2^⌈log2(R+1)⌉ = 64 inputs, and every core of the run costs that figure.
        let (reversed, reversedLayers) = HLS4MLCost.design(HLS4MLDesign(name: "r", layers: [last, first], io: .parallel, input: .partitioned, backend: .vivado))
        XCTAssertEqual(reversedLayers.map(\.lastMuxCore), [3, 64])
        XCTAssertEqual(reversed.muxCoreLUT, 258 * HLS4MLOperators.muxCoreLUT(inputs: 64))
        // Vitis HLS builds no cores.
        let (vitis, _) = HLS4MLCost.design(HLS4MLDesign(name: "v", layers: [first, last], io: .parallel, input: .partitioned, backend: .vitis))
        XCTAssertEqual(vitis.muxCores, 0)
    }
}
