import XCTest
@testable import LFADSIR

/// The reuse and strategy passes on their own, with an analytic cost standing in for the Backends model.
final class ReuseFactorPassTests: XCTestCase {
    static func graph() throws -> Graph {
        var b = GraphBuilder(name: "two_dense")
        let x = try b.value("x", .input(InputOp(type: .sequence(steps: 10, width: 8))))
        let h = try b.value("h", .dense(DenseLayer(weight: Matrix(zeros: 16, 8), bias: nil)), [x])
        let cell = try GRUCell(reset: .after, kernel: Matrix(zeros: 12, 16), recurrentKernel: Matrix(zeros: 12, 4))
        let g = try b.value("g", .gru(GRULayer(cell: cell, returnSequences: true)), [h])
        return try b.finish(outputs: [g])
    }

    /// Multipliers = Σ ceil(n_in·n_out/RF) over the device's 200; latency = Σ RF per step (a toy stand-in).
    static let toyCost: ReuseFactorPass.CostFunction = { g in
        var mults = 0, cycles = 0
        for n in g.nodes {
            switch n.op {
            case .dense(let d):
                let rf = d.implementation?.reuse ?? 1
                mults += (d.inputSize * d.outputSize + rf - 1) / rf
                cycles += rf
            case .gru(let l):
                let rf = l.implementation?.reuse ?? 1, rr = l.implementation?.recurrentReuse ?? 1
                mults += (l.cell.inputSize * 3 * l.cell.hiddenSize + rf - 1) / rf + (l.cell.hiddenSize * 3 * l.cell.hiddenSize + rr - 1) / rr
                cycles += 10 * max(rf, rr)
            default: break
            }
        }
        return (Double(cycles), Double(mults) / 200)
    }

    func reuse(_ g: Graph) -> [Int] { Self.reuse(g) }

    static func reuse(_ g: Graph) -> [Int] {
        g.nodes.compactMap { n -> [Int]? in
            switch n.op {
            case .dense(let d): return [d.implementation?.reuse ?? 1]
            case .gru(let l): return [l.implementation?.reuse ?? 1, l.implementation?.recurrentReuse ?? 1]
            default: return nil
            }
        }.flatMap { $0 }
    }

    func testUtilizationTargetIsMet() throws {
        let g = try Self.graph()
        XCTAssertGreaterThan(try Self.toyCost(g).utilization, 0.5)
        let out = try ReuseFactorPass(target: .utilization(0.5), cost: Self.toyCost).run(g)
        try Verifier.verify(out)
        XCTAssertLessThanOrEqual(try Self.toyCost(out).utilization, 0.5)
        for ((n, nOut), rf) in zip([(8, 16), (16, 12), (4, 12)], reuse(out)) {
            XCTAssertTrue(ReuseLegality.isValid(nIn: n, nOut: nOut, reuse: rf), "rf \(rf) for \(n)x\(nOut)")
        }
    }

    func testLatencyTargetIsMetAndResourcesGivenBack() throws {
        let g = try Self.graph()
        let out = try ReuseFactorPass(target: .latency(microseconds: 60, maxUtilization: 1.0), cost: Self.toyCost).run(g)
        let c = try Self.toyCost(out)
        XCTAssertLessThanOrEqual(c.latencyUs, 60)
        // Phase 2 raised reuse beyond the fully parallel start.
        XCTAssertLessThan(c.utilization, try Self.toyCost(ReuseFactorPass(target: .utilization(10), cost: Self.toyCost).run(g)).utilization)
    }

    func testUnreachableTargetsThrow() throws {
        let g = try Self.graph()
        XCTAssertThrowsError(try ReuseFactorPass(target: .utilization(0.001), cost: Self.toyCost).run(g))
        XCTAssertThrowsError(try ReuseFactorPass(target: .latency(microseconds: 1, maxUtilization: nil), cost: Self.toyCost).run(g))
        let nan: ReuseFactorPass.CostFunction = { _ in (.nan, 0) }
        XCTAssertThrowsError(try ReuseFactorPass(target: .utilization(0.5), cost: nan).run(g))
    }

    /// A resource with a hump (block RAM that grows, then packs again as reuse rises) stops the one-knob-at-a-time
    /// walk below the ceiling's reach; the uniform fallback jumps over the hump and still finds a fitting design.
    func testStalledWalkFallsBackToUniformReuse() throws {
        var b = GraphBuilder(name: "one_dense")
        let x = try b.value("x", .input(InputOp(type: .vector(width: 8))))
        let y = try b.value("y", .dense(DenseLayer(weight: Matrix(zeros: 16, 8), bias: nil)), [x])
        let g = try b.finish(outputs: [y])
        let hump: ReuseFactorPass.CostFunction = { g in
            guard case .dense(let d) = g.nodes[1].op else { return (0, 0) }
            let rf = d.implementation?.reuse ?? 1
            let multipliers = 1.28 / Double(rf)
            let bram: Double = switch rf { case 1: 0; case 2: 0.9; case 4: 1.0; case 8: 1.1; default: 0.1 }
            return (Double(rf), max(multipliers, bram))
        }
        let out = try ReuseFactorPass(target: .utilization(0.8), cost: hump).run(g)
        guard case .dense(let d) = out.nodes[1].op else { return XCTFail("dense expected") }
        XCTAssertEqual(d.implementation?.reuse, 16, "the smallest reuse past the hump")
        XCTAssertLessThanOrEqual(try hump(out).utilization, 0.8)
    }

    /// The LFADS decoder's own dense products (factors, co_mean with co_logvar) are knobs too: left fully
    /// parallel they would bound the design's size from below.
    func testDecoderDenseProductsAreKnobs() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let graph = try ModelLoader.load(path: repo.appendingPathComponent("examples/lorenz/models/lorenz_con.h5").path)
        let knobs = ReuseKnob.all(in: graph)
        XCTAssertTrue(knobs.contains { $0.kind == .factors })
        XCTAssertTrue(knobs.contains { $0.kind == .coMean })
        let position = knobs.map { $0.candidates.count - 1 }  // every product fully serial
        let out = ReuseKnob.apply(knobs, position, to: graph)
        guard let decoder = out.nodes.first(where: { if case .decoder = $0.op { true } else { false } }),
              case .decoder(let d) = decoder.op, let c = d.controller else { return XCTFail("decoder with controller expected") }
        XCTAssertEqual(d.factors.implementation?.reuse, d.factors.inputSize * d.factors.outputSize)
        XCTAssertEqual(c.coMean.implementation?.reuse, c.coMean.inputSize * c.coMean.outputSize)
        if let lv = c.coLogvar { XCTAssertEqual(lv.implementation?.reuse, c.coMean.implementation?.reuse) }
    }

    func testLegalReuseFactorsFollowHls4mlRules() {
        // The published design's choices are legal: RF = n_in for each GRU matrix and dense layer.
        XCTAssertTrue(ReuseLegality.isValid(nIn: 70, nOut: 192, reuse: 70))
        XCTAssertTrue(ReuseLegality.isValid(nIn: 64, nOut: 192, reuse: 64))
        XCTAssertTrue(ReuseLegality.isValid(nIn: 128, nOut: 64, reuse: 128))
        XCTAssertTrue(ReuseLegality.isValid(nIn: 4, nOut: 70, reuse: 4))
        XCTAssertFalse(ReuseLegality.isValid(nIn: 70, nOut: 192, reuse: 71))   // does not divide
        XCTAssertFalse(ReuseLegality.isValid(nIn: 70, nOut: 192, reuse: 96))   // ≥ n_in but not a multiple
        let valid = ReuseLegality.validFactors(nIn: 70, nOut: 192)
        XCTAssertEqual(valid.first, 1)
        XCTAssertEqual(valid.last, 70 * 192)
        XCTAssertEqual(ReuseLegality.nearestValid(nIn: 70, nOut: 192, reuse: 71), 70)
        XCTAssertFalse(ReuseLegality.isValid(nIn: 0, nOut: 3, reuse: 1))
        XCTAssertFalse(ReuseLegality.isValid(nIn: Int.max, nOut: 3, reuse: 1))
    }

    func testStrategyPassSetsDefaultsAndOverrides() throws {
        var g = try Self.graph()
        g = try ReuseFactorPass(target: .utilization(0.5), cost: Self.toyCost).run(g)
        let before = reuse(g)
        let out = try StrategyPass(default: .latency, perLayer: ["g": .lfads]).run(g)
        guard case .dense(let d) = out.nodes[1].op, case .gru(let l) = out.nodes[2].op else { return XCTFail("ops changed") }
        XCTAssertEqual(d.implementation?.strategy, .latency)
        XCTAssertEqual(l.implementation?.strategy, .lfads)
        XCTAssertEqual(reuse(out), before, "reuse factors are kept")
        XCTAssertEqual(StrategyPass().name, "strategy")
        XCTAssertEqual(ReuseFactorPass(target: .utilization(1), cost: Self.toyCost).name, "reuse")
        XCTAssertThrowsError(try StrategyPass(perLayer: ["nope": .latency]).run(g))
        XCTAssertThrowsError(try StrategyPass(perLayer: ["x": .latency]).run(g))
        // Pipeline use: verifies after each pass.
        let piped = try PassPipeline([StrategyPass(default: .resource), ReuseFactorPass(target: .utilization(0.5), cost: Self.toyCost)]).run(try Self.graph())
        XCTAssertLessThanOrEqual(try Self.toyCost(piped).utilization, 0.5)
    }
}
