import Foundation
import XCTest
import LFADSIR
@testable import Backends

/// The bit-accurate posterior sample: y = (result)(mean + std·ε) with std the exp table at logvar/2 and ε the
/// lane's draw of the on-chip source; per-trial streams; the compile pipeline's --posterior sample path.
final class SampleStageTests: XCTestCase {
    static let data = try! FixedType(width: 16, integer: 6)

    /// mean and logvar fed as inputs, so every element's expected code is computed here independently.
    static func sampleGraph(seed: UInt64, steps: Int? = nil) throws -> Graph {
        var b = GraphBuilder(name: "sample")
        let shape: ValueType = steps.map { .sequence(steps: $0, width: 6) } ?? .vector(width: 6)
        let m = try b.value("m", .input(InputOp(type: shape, precision: data)))
        let l = try b.value("l", .input(InputOp(type: shape, precision: data)))
        let s = try b.value("z", .sample(.gaussian(seed: seed)), [m, l])
        return try QuantizePass(overrides: PrecisionOverrides()).run(try b.finish(outputs: [s]))
    }

    func testSampleIsMeanPlusTableStdTimesEpsilon() throws {
        for steps in [nil, 3] {
            let graph = try Self.sampleGraph(seed: 99, steps: steps)
            guard case .sample(.gaussian(_, _, let p?)) = graph.node(named: "z")?.op, let spec = p.std.table else {
                return XCTFail("quantize gave the sample no precision")
            }
            let table = try LookupTable(function: .exp, size: spec.size, lower: spec.lower, upper: spec.upper, entryType: spec.entryType)
            let n = 6 * (steps ?? 1)
            var rng = SplitMix64(seed: 3)
            let mean = (0..<n).map { _ in Double(Int.random(in: -4000...4000, using: &rng)) / 1024 }
            let logvar = (0..<n).map { _ in Double(Int.random(in: -6000...3000, using: &rng)) / 1024 }
            let sim = try FixedSimulator(graph: graph)
            for trial: UInt64 in [0, 7] {
                let got = try sim.run(inputs: ["m": mean, "l": logvar], trial: trial).outputs["z"]
                var lanes = (0..<6).map { HardwareGaussian(seed: 99, trial: trial, lane: UInt64($0)) }
                var overflows = 0
                for i in 0..<n {
                    let lv = Self.data.cast(logvar[i]).raw
                    let entry = table.lookup(raw: lv, fraction: Self.data.fraction + 1)  // logvar/2
                    let std = p.std.result.cast(raw: entry, fraction: spec.entryType.fraction).raw
                    let eps = lanes[i % 6].next(in: p.epsilon, overflows: &overflows)
                    // Codes of at most 16 bits: the sum below is exact in Double.
                    let exact = mean[i] + Double(std) * 0x1p-10 * Double(eps) * pow(2, -Double(p.epsilon.fraction))
                    XCTAssertEqual(got?.raw[i], p.result.cast(exact).raw, "element \(i) of trial \(trial)")
                }
            }
        }
    }

    func testTrialStreamsAreIndependentOfTheBatch() throws {
        let graph = try Self.sampleGraph(seed: 5)
        let sim = try FixedSimulator(graph: graph)
        let trials = (0..<5).map { k in ["m": [Double](repeating: 0.5, count: 6), "l": [Double](repeating: Double(k) - 2, count: 6)] }
        let batch = try sim.runBatch(trials: trials, firstTrial: 20, threads: 2)
        for k in trials.indices {
            XCTAssertEqual(batch[k].outputs["z"], try sim.run(inputs: trials[k], trial: 20 + UInt64(k)).outputs["z"])
        }
        XCTAssertNotEqual(batch[0].outputs["z"], try sim.run(inputs: trials[0], trial: 21).outputs["z"])
        let reseeded = try FixedSimulator(graph: try Self.sampleGraph(seed: 6)).run(inputs: trials[0], trial: 20)
        XCTAssertNotEqual(batch[0].outputs["z"], reseeded.outputs["z"])
    }

    /// `posterior: sample` through the compile pipeline: the LFADS-like model's g0 becomes a gaussian sample with
    /// quantised types; the posterior-mean pipeline is unchanged.
    func testPipelineSamplesTheInitialCondition() throws {
        let c = CsimEquivalenceTests.grid()[0]
        let graph = try TestModels.lfadsLike(c)
        var config = ProjectConfig()
        let meanGraph = try CompilePipeline.run(graph, config: config, estimate: false).graph
        config.posteriorSeed = 11
        let sampled = try CompilePipeline.run(graph, config: config, estimate: false).graph
        guard case .sample(.gaussian(11, _, _?)) = sampled.node(named: "g0")?.op else { return XCTFail("g0 is not sampled") }
        guard case .sample(.mean) = meanGraph.node(named: "g0")?.op else { return XCTFail("g0 is not the mean") }
        let trials = TestModels.trials(graph, count: 3, seed: 4)
        let mean = FixedSimulator.datText(try FixedSimulator(graph: meanGraph).runBatch(trials: trials, threads: 1))
        let a = FixedSimulator.datText(try FixedSimulator(graph: sampled).runBatch(trials: trials, threads: 1))
        XCTAssertNotEqual(mean, a)
        XCTAssertEqual(a, FixedSimulator.datText(try FixedSimulator(graph: sampled).runBatch(trials: trials, threads: 2)))
    }

    func testConfigAndPassRejectBadSampling() throws {
        XCTAssertEqual(try ProjectConfig(json: Data(#"{"posterior": "sample", "seed": 3}"#.utf8)).posteriorSeed, 3)
        XCTAssertEqual(try ProjectConfig(json: Data(#"{"posterior": "sample", "seed": "18446744073709551615"}"#.utf8)).posteriorSeed, .max)
        XCTAssertNil(try ProjectConfig(json: Data(#"{"posterior": "mean"}"#.utf8)).posteriorSeed)
        for bad in [#"{"posterior": "sample"}"#, #"{"seed": 3}"#, #"{"posterior": "draw", "seed": 1}"#, #"{"posterior": "sample", "seed": -1}"#] {
            XCTAssertThrowsError(try ProjectConfig(json: Data(bad.utf8)), bad)
        }
        var c = ProjectConfig()
        c.posteriorSeed = 1 << 60
        XCTAssertEqual(try ProjectConfig(json: try c.jsonData()).posteriorSeed, 1 << 60)
        var b = GraphBuilder(name: "nothing")
        let x = try b.value("x", .input(InputOp(type: .vector(width: 2))))
        XCTAssertThrowsError(try PosteriorSamplePass(seed: 1).run(try b.finish(outputs: [x])))
    }
}
