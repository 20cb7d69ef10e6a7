import Backends
import XCTest

/// The FIFOs between the layers of an io_stream design (HLS4MLCost.streamFIFOs): one per value of every layer
/// output but the last, as deep as hls4ml declares it (the output's steps), priced from the public reports' FIFO
/// tables (benchmarks/calibration/README.md, "Stream FIFOs").
final class HLS4MLStreamFIFOTests: XCTestCase {
    let w16 = HLS4MLWidths(weight: 16, data: 16, accum: 16)

    /// The LFADS autoencoder's chain: encoder state (128 values, once), g0 (64, once), decoder states (64 a step for
    /// 73 steps), factors (4 a step), rates (the design's output).
    func design(_ io: HLS4MLIOType, backend: HLS4MLBackend = .vivado, bits: Int = 16) -> HLS4MLDesign {
        let w = HLS4MLWidths(weight: bits, data: bits, accum: bits)
        let layers = [
            HLS4MLLayer(name: "enc", kind: .gru(nIn: 70, nState: 64, reuseInput: 70, reuseRecurrent: 64, steps: 73, bidirectional: true, tables: true),
                        widths: w, output: HLS4MLStreamShape(width: 128, depth: 1)),
            HLS4MLLayer(name: "g0", kind: .dense(nIn: 128, nOut: 64, reuse: 128, steps: 1), widths: w, output: HLS4MLStreamShape(width: 64, depth: 1)),
            HLS4MLLayer(name: "dec", kind: .gru(nIn: 64, nState: 64, reuseInput: 64, reuseRecurrent: 64, steps: 73, bidirectional: false, tables: true),
                        widths: w, output: HLS4MLStreamShape(width: 64, depth: 73)),
            HLS4MLLayer(name: "factors", kind: .dense(nIn: 64, nOut: 4, reuse: 64, steps: 73), widths: w, output: HLS4MLStreamShape(width: 4, depth: 73)),
            HLS4MLLayer(name: "rates", kind: .dense(nIn: 4, nOut: 70, reuse: 4, steps: 73), widths: w, output: HLS4MLStreamShape(width: 70, depth: 73)),
        ]
        return HLS4MLDesign(name: "ae", layers: layers, io: io, backend: backend)
    }

    func testVivadoFIFOsAsTheLFADSReportsHoldThem() throws {
        let (total, layers) = HLS4MLCost.design(design(.stream))
        let fifos = try XCTUnwrap(layers.last)
        XCTAssertEqual(fifos.name, "stream FIFOs")
        XCTAssertEqual(layers.count, 6, "five layers and the FIFO row")
        // lfads-ae-u50's report: depth-1 FIFOs 0 BRAM and 5 FF, depth-73 16-bit FIFOs 1 BRAM18 and 35 FF each;
        // the rates (the last layer) write the output port, no FIFO.
        XCTAssertEqual(fifos.bram18, 64 + 4)
        XCTAssertEqual(fifos.pipelineFF, (128 + 64) * 5 + (64 + 4) * 35)
        XCTAssertEqual(fifos.operatorLUT, (128 + 64) * 24 + (64 + 4) * 46)
        XCTAssertEqual(total.bram18, layers.dropLast().reduce(0) { $0 + $1.bram18 } + 68)
        XCTAssertEqual(fifos.latency, 0)
        // The design's latency is its layers', not the FIFOs'.
        XCTAssertEqual(total.latency, layers.dropLast().map(\.latency).max())
    }

    func testWidthAndToolDecideBRAM() {
        // 2019.1 QuickDraw-model1: 100 × 20 bits in two BRAM18; 2019.2 8-bit builds: 73 × 8 bits in one.
        XCTAssertEqual(HLS4MLOperators.streamFIFO(depth: 100, bits: 20, backend: .vivado).bram18, 2)
        XCTAssertEqual(HLS4MLOperators.streamFIFO(depth: 73, bits: 8, backend: .vivado).bram18, 1)
        XCTAssertEqual(HLS4MLOperators.streamFIFO(depth: 73, bits: 8, backend: .vivado).ff, 27)
        // Vitis HLS 2022.2 keeps 73 × 16 bits out of BRAM and puts 73 × 33 bits in two.
        XCTAssertEqual(HLS4MLOperators.streamFIFO(depth: 73, bits: 16, backend: .vitis).bram18, 0)
        XCTAssertEqual(HLS4MLOperators.streamFIFO(depth: 73, bits: 33, backend: .vitis).bram18, 2)
        // Sizes from a model file never trap.
        XCTAssertGreaterThan(HLS4MLOperators.streamFIFO(depth: Int.max, bits: Int.max, backend: .vitis).bram18, 0)
        XCTAssertGreaterThan(HLS4MLOperators.streamFIFO(depth: Int.max, bits: Int.max, backend: .vivado).bram18, 0)
    }

    func testNoFIFOsUnderIOParallelOrWithoutShapes() {
        XCTAssertEqual(HLS4MLCost.design(design(.parallel)).layers.count, 5)
        var bare = design(.stream)
        for i in bare.layers.indices { bare.layers[i].output = nil }
        XCTAssertEqual(HLS4MLCost.design(bare).layers.count, 5)
        XCTAssertEqual(HLS4MLCost.design(HLS4MLDesign(name: "one", layers: [bare.layers[0]], io: .stream)).layers.count, 1)
    }
}
