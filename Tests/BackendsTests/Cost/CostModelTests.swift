import XCTest
import Foundation
import LFADSIR
@testable import Backends

final class CostModelTests: XCTestCase {
    /// A small five-layer graph: spikes → GRU → dense → relu → dense, no precisions.
    static func sample(strategy: Strategy = .resource, reuse: Int = 1, recurrentReuse: Int = 1, precise: Bool = false) throws -> Graph {
        var rng = TemplateDesign.Random(state: 3)
        let impl = Implementation(strategy: strategy, reuse: reuse, recurrentReuse: recurrentReuse)
        var b = GraphBuilder(name: "sample")
        let x = try b.value("spikes", .input(InputOp(type: .sequence(steps: 50, width: 30))))
        let cell = try GRUCell(reset: .after, kernel: rng.matrix(96, 30), recurrentKernel: rng.matrix(96, 32),
                               bias: rng.vector(96), recurrentBias: rng.vector(96))
        let g = try b.value("enc", .gru(GRULayer(cell: cell, returnSequences: true,
                                                 precision: precise ? TemplateDesign.gruPrecision(accum: "ap_fixed<32,12>") : nil,
                                                 implementation: impl)), [x])
        let d = try b.value("fc", .dense(DenseLayer(weight: rng.matrix(16, 32), bias: rng.vector(16), implementation: impl)), [g])
        let a = try b.value("act", .activation(ActivationOp(Activation(.relu))), [d])
        let o = try b.value("out", .dense(DenseLayer(weight: rng.matrix(8, 16), bias: nil, implementation: impl)), [a])
        return try b.finish(outputs: [o])
    }

    func testDevicesByName() throws {
        XCTAssertEqual(Device.named("U55C")?.part, "xcu55c-fsvh2892-2L-e")
        XCTAssertEqual(Device.named("xcu50-fsvh2104-2L-e")?.name, "u50")
        XCTAssertNil(Device.named("u9000"))
        let u55c = try XCTUnwrap(Device.named("u55c"))
        XCTAssertEqual([u55c.dsp, u55c.lut, u55c.ff, u55c.bram18, u55c.uram], [9_024, 1_303_680, 2_607_360, 4_032, 960])
        XCTAssertEqual(Device.xc7vx690t.dspWide, 25)
    }

    func testDeterministic() throws {
        let m = CostModel(device: .u55c)
        let a = try m.estimate(Self.sample()), b = try m.estimate(Self.sample())
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.json(), b.json())
        XCTAssertEqual(a.table(), b.table())
    }

    func testMoreReuseMeansFewerDSPAndMoreCycles() throws {
        let m = CostModel(device: .u55c)
        for strategy in Strategy.allCases {
            var previous: DesignEstimate?
            for rf in [1, 2, 4, 8, 16] {
                let e = try m.estimate(Self.sample(strategy: strategy, reuse: rf, recurrentReuse: rf))
                if let p = previous {
                    XCTAssertLessThanOrEqual(e.resources.dsp, p.resources.dsp, "\(strategy) rf \(rf)")
                    XCTAssertLessThanOrEqual(e.resources.dsp + e.resources.lut, p.resources.dsp + p.resources.lut, "\(strategy) rf \(rf)")
                    XCTAssertGreaterThan(e.latencyCycles, p.latencyCycles, "\(strategy) rf \(rf)")
                }
                previous = e
            }
        }
        // Strictly fewer DSPs somewhere along the way for the DSP-mapped strategies.
        let lo = try m.estimate(Self.sample(reuse: 1, recurrentReuse: 1)), hi = try m.estimate(Self.sample(reuse: 16, recurrentReuse: 16))
        XCTAssertLessThan(hi.resources.dsp, lo.resources.dsp)
    }

    func testNarrowProductsUseLUTs() {
        let d = Device.u55c
        XCTAssertEqual(MultiplierCost.product(16, 3, device: d).dsp, 0)
        XCTAssertGreaterThan(MultiplierCost.product(16, 3, device: d).lut, 0)
        XCTAssertEqual(MultiplierCost.product(16, 16, device: d).dsp, 1)
        XCTAssertEqual(MultiplierCost.product(39, 16, device: d).dsp, 2)
        XCTAssertEqual(MultiplierCost.product(27, 18, device: d).dsp, 1)
        XCTAssertEqual(MultiplierCost.product(27, 19, device: d).dsp, 2)
    }

    func testSpikeCountInputsGoToLUTsUnderLFADS() throws {
        let m = CostModel(device: .u55c)
        let resource = try m.estimate(TemplateDesign.graph(strategy: .resource))
        let lfads = try m.estimate(TemplateDesign.graph(strategy: .lfads))
        // Under every strategy the design is one dataflow region: the encoder is four processes (projection and
        // recurrence per direction); the layer's operators are charged to its first one.
        let encR = resource.layers.filter { $0.name.contains("EncoderRNN") }
        let encL = lfads.layers.filter { $0.name.contains("EncoderRNN") }
        XCTAssertEqual(encL.count, 4, "\(lfads.layers.map(\.name))")
        XCTAssertEqual(encR.count, 4, "\(resource.layers.map(\.name))")
        // 2 directions × 192 input lanes leave the DSPs; the recurrent and gate products stay.
        XCTAssertEqual(encR.reduce(0) { $0 + $1.dsp } - encL.reduce(0) { $0 + $1.dsp }, 2 * 192)
        XCTAssertTrue(lfads.notes.contains { $0.contains("EncoderRNN") && $0.contains("spike counts") })
        XCTAssertFalse(lfads.notes.contains { $0.contains("DecoderGRU") && $0.contains("spike counts") })
    }

    func testMissingPrecisionIsNoted() throws {
        let e = try CostModel(device: .u55c).estimate(Self.sample())
        XCTAssertTrue(e.notes.first?.contains("assumed ap_fixed<16,6>") ?? false, "\(e.notes)")
        XCTAssertTrue(e.notes.first?.contains("enc") ?? false)
        let t = try CostModel(device: .u55c).estimate(TemplateDesign.graph())
        XCTAssertFalse(t.notes.contains { $0.contains("assumed") }, "\(t.notes)")
    }

    /// The layer-by-layer model (designs with an LSTM, and the calibration against the published design).
    func testTotalsAreSumsAndScheduleIsOrdered() throws {
        var model = CostModel(device: .u55c, clockMHz: 250)
        model.layerByLayer = true
        let e = try model.estimate(TemplateDesign.graph())
        XCTAssertFalse(e.fromEmittedSchedule)
        XCTAssertEqual(e.resources.dsp, e.layers.map(\.dsp).reduce(0, +))
        XCTAssertEqual(e.resources.bram18, e.layers.map(\.bram18).reduce(0, +))
        XCTAssertEqual(e.latencyCycles, e.layers.map(\.end).max())
        XCTAssertEqual(e.latencyMicroseconds, Double(e.latencyCycles) / 250, accuracy: 1e-9)
        let byName = Dictionary(uniqueKeysWithValues: e.layers.map { ($0.name, $0) })
        // The decoder's recurrence waits for g0; the factor layer streams behind the decoder.
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(byName["DecoderGRU"]).start, try XCTUnwrap(byName["DenseMean"]).end)
        XCTAssertLessThan(try XCTUnwrap(byName["Dense"]).start, try XCTUnwrap(byName["DecoderGRU"]).end)
    }

    func testRendering() throws {
        let e = try CostModel(device: .u55c).estimate(TemplateDesign.graph())
        let table = e.table()
        XCTAssertTrue(table.contains("EncoderRNN"))
        XCTAssertTrue(table.contains("% of u55c"))
        let json = e.json()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["latency_cycles"] as? Int, e.latencyCycles)
        XCTAssertEqual((object["layers"] as? [Any])?.count, e.layers.count)
        XCTAssertEqual((object["resources"] as? [String: Any])?["dsp"] as? Int, e.resources.dsp)
    }

    /// A resource over 100 % of the device is named (table order), listed in the JSON, and red only when asked.
    func testOverfullResourcesAreNamed() throws {
        var small = Device.u55c
        let fits = try CostModel(device: small).estimate(Self.sample())
        XCTAssertTrue(fits.fits)
        XCTAssertEqual(fits.overfull, [])
        XCTAssertEqual(fits.overfullSummary, "")
        small.dsp = max(1, fits.resources.dsp / 2)
        small.ff = max(1, fits.resources.ff / 4)
        let e = try CostModel(device: small).estimate(Self.sample())
        XCTAssertFalse(e.fits)
        XCTAssertEqual(e.overfull, ["DSP", "FF"])
        XCTAssertTrue(e.overfullSummary.hasPrefix("DSP 2"), e.overfullSummary)
        XCTAssertTrue(e.overfullSummary.contains("(\(e.resources.ff) of \(small.ff))"), e.overfullSummary)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(e.json().utf8)) as? [String: Any])
        XCTAssertEqual(object["fits"] as? Bool, false)
        XCTAssertEqual(object["overfull"] as? [String], ["DSP", "FF"])
        XCTAssertFalse(e.table().contains("\u{1B}["))
        let colored = e.table(color: true)
        let red = colored.components(separatedBy: "\u{1B}[31m").count - 1
        XCTAssertEqual(red, 2, colored)
        XCTAssertEqual(colored.replacingOccurrences(of: "\u{1B}[31m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: ""), e.table())
    }

    func testHugeDeclaredSizesThrowInsteadOfOverflowing() throws {
        var b = GraphBuilder(name: "huge")
        let x = try b.value("x", .input(InputOp(type: .sequence(steps: Int.max / 2, width: 3))))
        let y = try b.value("y", .dense(DenseLayer(weight: Matrix(zeros: 2, 3), bias: nil)), [x])
        let g = try b.finish(outputs: [y])
        XCTAssertThrowsError(try CostModel(device: .u55c).estimate(g)) { e in
            XCTAssertEqual(e as? CostModelError, .tooLarge(value: "x", type: "seq<\(Int.max / 2)x3>"))
        }
    }

    func testInvalidClockThrows() throws {
        XCTAssertThrowsError(try CostModel(device: .u55c, clockMHz: 0).estimate(Self.sample()))
        XCTAssertThrowsError(try CostModel(device: .u55c, clockMHz: .nan).estimate(Self.sample()))
    }

    /// Measures (does not assert) the time to estimate a five-layer graph; quoted in docs/cost-model.md.
    func testEstimateTimeIsReported() throws {
        let g = try Self.sample(), t = try TemplateDesign.graph()
        let m = CostModel(device: .u55c)
        let runs = 50
        let start = Date()
        for _ in 0..<runs { _ = try m.estimate(g) }
        let mid = Date()
        for _ in 0..<runs { _ = try m.estimate(t) }
        let end = Date()
        print(String(format: "estimate time: sample %.3f ms, template %.3f ms (mean of %d)",
                     mid.timeIntervalSince(start) * 1000 / Double(runs), end.timeIntervalSince(mid) * 1000 / Double(runs), runs))
    }
}

/// Ops beyond the calibration design: the LFADS decoder loop with a controller, and an LSTM.
final class CostModelOtherOpsTests: XCTestCase {
    func testDecoderLoopAndLSTMAreCosted() throws {
        var rng = TemplateDesign.Random(state: 11)
        let steps = 20, gen = 16, con = 8, factors = 4, co = 2, ci = 6
        let generator = try GRUCell(reset: .before, kernel: rng.matrix(3 * gen, co), recurrentKernel: rng.matrix(3 * gen, gen))
        let controller = try GRUCell(reset: .before, kernel: rng.matrix(3 * con, ci + factors), recurrentKernel: rng.matrix(3 * con, con))
        let decoder = try LFADSDecoderLayer(
            steps: steps, generator: generator,
            factors: DenseLayer(weight: rng.matrix(factors, gen), bias: nil),
            controller: ControllerSpec(cell: controller, initialState: Array(repeating: 0, count: con),
                                       coMean: DenseLayer(weight: rng.matrix(co, con), bias: rng.vector(co))))
        var b = GraphBuilder(name: "decoder")
        let spikes = try b.value("spikes", .input(InputOp(type: .sequence(steps: steps, width: 10))))
        let lstm = try LSTMCell(kernel: rng.matrix(4 * ci, 10), recurrentKernel: rng.matrix(4 * ci, ci), bias: nil)
        let enc = try b.value("enc", .lstm(LSTMLayer(cell: lstm, returnSequences: true)), [spikes])
        let g0 = try b.value("g0", .input(InputOp(type: .vector(width: gen))))
        let out = try b.add("dec", .decoder(decoder), [g0, enc])
        let g = try b.finish(outputs: [out[0]])

        let e = try CostModel(device: .u55c).estimate(g)
        let dec = try XCTUnwrap(e.layers.first { $0.name == "dec" })
        XCTAssertGreaterThan(dec.dsp + dec.lut, 0)
        XCTAssertGreaterThanOrEqual(dec.latency, steps)   // at least a cycle per step, serial loop
        XCTAssertGreaterThan(try XCTUnwrap(e.layers.first { $0.name == "enc" }).dsp, 0)
        XCTAssertEqual(e.latencyCycles, dec.end)
        // The loop consumes the encoder's steps: it cannot finish before the encoder's last step plus one loop step.
        XCTAssertGreaterThan(dec.end, try XCTUnwrap(e.layers.first { $0.name == "enc" }).end)
        XCTAssertGreaterThanOrEqual(dec.start, 1)
    }

    /// An LSTM is priced from its precision like a GRU of the same size with a fourth gate: more multipliers and
    /// a longer step than the GRU, the cell-state width in its registers, latency vs resource differ, and the
    /// lfads strategy is priced (and noted) as resource, which is what lowering builds.
    func testLSTMFollowsPrecisionAndStrategy() throws {
        var rng = TemplateDesign.Random(state: 5)
        let (n, h, steps) = (12, 16, 20)
        let kernel = try rng.matrix(4 * h, n), recurrent = try rng.matrix(4 * h, h)
        func estimate(_ s: Strategy, cell: String = "ap_fixed<16,6>", gru: Bool = false) throws -> (LayerEstimate, [String]) {
            let impl = Implementation(strategy: s, reuse: 4, recurrentReuse: 4)
            let t = fx("ap_fixed<16,6>")
            var b = GraphBuilder(name: "m")
            let x = try b.value("x", .input(InputOp(type: .sequence(steps: steps, width: n), precision: t)))
            let op: Op
            if gru {
                let c = try GRUCell(reset: .after, kernel: try Matrix.stacking([kernel.rows(0..<(3 * h))]),
                                    recurrentKernel: try Matrix.stacking([recurrent.rows(0..<(3 * h))]))
                op = .gru(GRULayer(cell: c, returnSequences: false, precision: GRUPrecision(
                    weight: t, recurrentWeight: t, bias: t, recurrentBias: t, accum: fx("ap_fixed<24,10>"), recurrentActivation: t,
                    activation: t, state: t, result: t), implementation: impl))
            } else {
                let c = try LSTMCell(kernel: kernel, recurrentKernel: recurrent, bias: nil)
                op = .lstm(LSTMLayer(cell: c, returnSequences: false, precision: LSTMPrecision(
                    weight: t, recurrentWeight: t, bias: t, accum: fx("ap_fixed<24,10>"), recurrentActivation: t, activation: t,
                    cellState: fx(cell), state: t, result: t), implementation: impl))
            }
            let y = try b.value("l", op, [x])
            let e = try CostModel(device: .u55c).estimate(try b.finish(outputs: [y]))
            return (try XCTUnwrap(e.layers.first { $0.name == "l" }), e.notes)
        }
        let (latency, _) = try estimate(.latency)
        let (resource, resourceNotes) = try estimate(.resource)
        let (lfads, lfadsNotes) = try estimate(.lfads)
        let (gru, _) = try estimate(.resource, gru: true)
        let (wideCell, _) = try estimate(.resource, cell: "ap_fixed<32,10>")
        XCTAssertNotEqual(latency.latency, resource.latency)
        XCTAssertGreaterThan(resource.resources.dsp + resource.resources.lut, gru.resources.dsp + gru.resources.lut)
        XCTAssertGreaterThan(resource.latency, gru.latency)
        XCTAssertGreaterThan(wideCell.resources.ff, resource.resources.ff)
        XCTAssertEqual(lfads.latency, resource.latency)
        XCTAssertEqual(lfads.resources, resource.resources)
        XCTAssertTrue(lfadsNotes.contains { $0.contains("l: the lfads strategy has no LSTM schedule") }, "\(lfadsNotes)")
        XCTAssertFalse(resourceNotes.contains { $0.contains("no LSTM schedule") }, "\(resourceNotes)")
    }
}
