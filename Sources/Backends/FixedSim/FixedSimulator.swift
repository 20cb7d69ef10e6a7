// Bit-accurate simulation of the quantised graph on raw integer codes, exactly as the emitted HLS C++
// computes it (docs/hardware-numerics.md). Inputs are cast from Double with the input type's modes.
import Dispatch
import Foundation
import LFADSIR

public struct FixedSimulator: Sendable {
    public let plan: HardwarePlan
    /// The kernels of `plan.stages` (same order), built once: their constants depend only on the plan.
    let kernels: [StageKernel]

    public init(graph: Graph) throws {
        plan = try HardwarePlan(graph: graph)
        kernels = StageKernel.build(plan)
    }

    /// Simulates one trial. `inputs` maps each graph input's name to its values, time-major; `trial` picks the
    /// trial's streams of the on-chip Gaussian source (only sampling stages read it). With N posterior samples
    /// averaged, sample s runs on streams trial·N + s and every output that depends on a sample is their average.
    public func run(inputs: [String: [Double]], trial: UInt64 = 0) throws -> FixedSimResult {
        let n = plan.posteriorSamples
        guard n > 1 else { return try runSample(inputs: inputs, trial: trial) }
        let runs = try (0..<n).map { try runSample(inputs: inputs, trial: trial &* UInt64(n) &+ UInt64($0)) }
        return PosteriorAverage(samples: n).combine(runs, sampled: Set(plan.sampledTensors.map { plan.tensors[$0].name }))
    }

    /// One sample of one trial, on streams `trial`.
    func runSample(inputs: [String: [Double]], trial: UInt64) throws -> FixedSimResult {
        precondition(!plan.isBatch && !plan.isAveraged, "FixedSimulator: a batched or averaged plan is for the printers")
        var values = [[Int64]](repeating: [], count: plan.tensors.count)
        var stats = [TensorStats](repeating: TensorStats(), count: plan.tensors.count)
        for (stage, kernel) in zip(plan.stages, kernels) {
            var overflows = 0
            let output: Int
            switch stage {
            case .input(let o):
                output = o
                let t = plan.tensors[o]
                guard let given = inputs[t.name] else { throw HardwareError.invalidInput("no values for graph input '\(t.name)'") }
                guard given.count == t.count else {
                    throw HardwareError.invalidInput("graph input '\(t.name)' needs \(t.count) values, got \(given.count)")
                }
                values[o] = given.map { v in
                    let c = t.type.cast(v)
                    if c.overflowed { overflows += 1 }
                    return c.raw
                }

            case .dense(let d):
                output = d.output
                let x = plan.tensors[d.input]
                guard case .dense(let mv) = kernel else { preconditionFailure("FixedSimulator: stage kernels out of step") }
                var acc = [Int64](repeating: 0, count: d.matrix.rows)
                var y = [Int64]()
                y.reserveCapacity(x.steps * d.matrix.rows)
                for t in 0..<x.steps {
                    mv.run(values[d.input], offset: t * x.width, into: &acc, &overflows)
                    for a in acc { y.append(d.function.apply(a, overflows: &overflows)) }
                }
                values[d.output] = y

            case .gru(let g):
                output = g.output
                let x = plan.tensors[g.input]
                guard case .gru(let gru) = kernel else { preconditionFailure("FixedSimulator: stage kernels out of step") }
                let initial: [Int64]
                switch g.initial {
                case .zeros: initial = Array(repeating: 0, count: g.hidden)
                case .learned(let v): initial = v
                case .operand(let o):
                    let q = Quantizer(fromFraction: plan.tensors[o].type.fraction, to: g.state)
                    initial = values[o].map { q.apply($0, overflows: &overflows) }
                }
                values[g.output] = gru.run(input: values[g.input], steps: x.steps, inputWidth: x.width, initial: initial, &overflows)

            case .lstm(let l):
                output = l.output
                let x = plan.tensors[l.input]
                guard case .lstm(let lstm) = kernel else { preconditionFailure("FixedSimulator: stage kernels out of step") }
                values[l.output] = lstm.run(input: values[l.input], steps: x.steps, inputWidth: x.width, &overflows)

            case .activation(let i, let o, let f):
                output = o
                values[o] = values[i].map { f.apply($0, overflows: &overflows) }

            case .concat(let inputs, let o):
                output = o
                let t = plan.tensors[o]
                var y = [Int64]()
                y.reserveCapacity(t.count)
                for s in 0..<t.steps {
                    for i in inputs {
                        let w = plan.tensors[i].width
                        y.append(contentsOf: values[i][(s * w)..<((s + 1) * w)])
                    }
                }
                values[o] = y

            case .slice(let i, let start, let o):
                output = o
                let t = plan.tensors[o]
                let w = plan.tensors[i].width
                var y = [Int64]()
                y.reserveCapacity(t.count)
                for s in 0..<t.steps { y.append(contentsOf: values[i][(s * w + start)..<(s * w + start + t.width)]) }
                values[o] = y

            case .timeShift(let i, let lag, let o):
                output = o
                let t = plan.tensors[o]
                var y = [Int64](repeating: 0, count: t.count)
                for s in 0..<t.steps {
                    let (from, overflow) = s.subtractingReportingOverflow(lag)
                    guard !overflow, from >= 0, from < t.steps else { continue }
                    for j in 0..<t.width { y[s * t.width + j] = values[i][from * t.width + j] }
                }
                values[o] = y

            case .copy(let i, let o):
                output = o
                values[o] = values[i]

            case .sample(let s):
                output = s.output
                values[s.output] = runSample(s, mean: values[s.mean], logvar: values[s.logvar], trial: trial, &overflows)

            case .average(let a):
                // Only `averaged()` plans have these, and runSample refuses them.
                output = a.output

            case .decoder(let d):
                output = d.factorsOutput
                guard case .decoder(let k) = kernel else { preconditionFailure("FixedSimulator: stage kernels out of step") }
                runDecoder(d, k, trial: trial, &values, &overflows)
            }
            stats[output].overflows += overflows
            var produced = [output]
            if case .decoder(let d) = stage {
                produced += [d.generatorStates] + [d.controllerStates, d.coMeans, d.coStds].compactMap { $0 }
            }
            for o in produced {
                // On the codes, converted once: raw·2^-f is exact (widths ≤ 48) and increasing in raw.
                guard let low = values[o].min(), let high = values[o].max() else { continue }
                let type = plan.tensors[o].type
                stats[o].minimum = min(stats[o].minimum, type.double(raw: low))
                stats[o].maximum = max(stats[o].maximum, type.double(raw: high))
            }
        }
        var outputs = [String: FixedTensor]()
        for o in plan.outputs {
            let t = plan.tensors[o]
            outputs[t.name] = FixedTensor(type: t.type, raw: values[o], steps: t.steps, width: t.width)
        }
        var named = [String: TensorStats]()
        for (i, t) in plan.tensors.enumerated() { named[t.name] = stats[i] }
        return FixedSimResult(outputs: outputs, stats: named, primary: plan.tensors[plan.outputs[0]].name)
    }

    /// The decoder loop (see DecoderStage); mirrors the loop the emitter writes into the top function.
    private func runDecoder(_ d: DecoderStage, _ k: DecoderKernels, trial: UInt64, _ values: inout [[Int64]], _ overflows: inout Int) {
        let gen = k.generator
        let h = d.generator.hidden
        let nf = d.factors.matrix.rows
        let factors = k.factors
        var acc = [Int64](repeating: 0, count: max(nf, d.coMean?.matrix.rows ?? 0))
        let g0Q = Quantizer(fromFraction: plan.tensors[d.g0].type.fraction, to: d.generator.state)
        var g = values[d.g0].map { g0Q.apply($0, overflows: &overflows) }
        var gScratch = GRUKernel.Scratch(hidden: h)
        var f = [Int64](repeating: 0, count: nf)
        func runFactors() {
            factors.run(g, offset: 0, into: &acc, &overflows)
            for k in 0..<nf { f[k] = d.factors.function.apply(acc[k], overflows: &overflows) }
        }
        runFactors()
        let genResult = Quantizer(fromFraction: d.generator.state.fraction, to: d.generator.result)
        var outF = [Int64](), outG = [Int64](), outC = [Int64](), outU = [Int64]()
        var outS = [Int64]()
        var lvAcc = [Int64](repeating: 0, count: d.coLogvar?.matrix.rows ?? 0)
        var lanes = d.coSample.map { s in
            (0..<(d.coMean?.matrix.rows ?? 0)).map { HardwareGaussian(seed: s.seed, trial: trial, lane: ControllerSample.laneBase + UInt64($0)) }
        } ?? []
        var con: (kernel: GRUKernel, mean: MatVec, state: [Int64], scratch: GRUKernel.Scratch, result: Quantizer)?
        if let c = d.controller, let ck = k.controller, let mk = k.coMean {
            let initial: [Int64]
            if case .learned(let v) = c.initial { initial = v } else { initial = Array(repeating: 0, count: c.hidden) }
            con = (ck, mk, initial,
                   GRUKernel.Scratch(hidden: c.hidden), Quantizer(fromFraction: c.state.fraction, to: c.result))
        }
        let ciWidth = d.controllerInput.map { plan.tensors[$0].width } ?? 0
        let extWidth = d.externalInput.map { plan.tensors[$0].width } ?? 0
        for t in 0..<d.steps {
            var gin = [Int64]()
            if var c = con, let m = d.coMean, let ci = d.controllerInput {
                let cin = Array(values[ci][(t * ciWidth)..<((t + 1) * ciWidth)]) + f
                c.kernel.step(cin, offset: 0, state: &c.state, &c.scratch, &overflows)
                for v in c.state { outC.append(c.result.apply(v, overflows: &overflows)) }
                c.mean.run(c.state, offset: 0, into: &acc, &overflows)
                for k in 0..<m.matrix.rows {
                    let u = m.function.apply(acc[k], overflows: &overflows)
                    outU.append(u)
                    gin.append(u)
                }
                if let lv = d.coLogvar, let lk = k.coLogvar, let std = d.coStd {
                    lk.run(c.state, offset: 0, into: &lvAcc, &overflows)
                    for j in 0..<lv.matrix.rows {
                        let sd = std.apply(lv.function.apply(lvAcc[j], overflows: &overflows), overflows: &overflows)
                        outS.append(sd)
                        guard let s = d.coSample else { continue }
                        let eps = lanes[j].next(in: s.epsilon, overflows: &overflows)
                        gin[j] = Self.sampled(mean: gin[j], meanFraction: m.function.output.fraction, std: sd, stdFraction: std.output.fraction,
                                              epsilon: eps, epsilonFraction: s.epsilon.fraction, result: s.result, &overflows)
                    }
                }
                con = c
            }
            if let e = d.externalInput { gin += values[e][(t * extWidth)..<((t + 1) * extWidth)] }
            if d.generatorPadded { gin = [0] }
            gen.step(gin, offset: 0, state: &g, &gScratch, &overflows)
            for v in g { outG.append(genResult.apply(v, overflows: &overflows)) }
            runFactors()
            outF += f
        }
        values[d.factorsOutput] = outF
        values[d.generatorStates] = outG
        if let o = d.controllerStates { values[o] = outC }
        if let o = d.coMeans { values[o] = outU }
        if let o = d.coStds { values[o] = outS }
    }

    /// Simulates many trials on `threads` threads; results are in trial order and do not depend on `threads`
    /// (each trial is independent and deterministic).
    /// Trial i of `trials` is trial `firstTrial + i` of the run (its Gaussian streams).
    public func runBatch(trials: [[String: [Double]]], firstTrial: UInt64 = 0,
                         threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> [FixedSimResult] {
        try Parallel.map(count: trials.count, threads: threads) { i in
            try run(inputs: trials[i], trial: firstTrial &+ UInt64(i))
        }.map { try $0.get() }
    }

    /// The primary output of many trials as .dat text (one line per trial).
    public static func datText(_ results: [FixedSimResult]) -> String {
        results.map { $0.primaryOutput?.text ?? "\n" }.joined()
    }

    /// The same with the outputs `extras` (value names) after the primary one on each line, as the C simulation of
    /// a design compiled with `--outputs` writes them.
    public static func datText(_ results: [FixedSimResult], extras: [String]) -> String {
        results.map { r in
            ([r.primary] + extras).compactMap { r.outputs[$0].map { String($0.text.dropLast()) } }.joined(separator: " ") + "\n"
        }.joined()
    }
}

/// The prepared kernel of one stage (`none` for stages that only move codes).
enum StageKernel: Sendable {
    case none
    case dense(MatVec)
    case gru(GRUKernel)
    case lstm(LSTMKernel)
    case decoder(DecoderKernels)

    static func build(_ plan: HardwarePlan) -> [StageKernel] {
        plan.stages.map { stage in
            switch stage {
            case .dense(let d):
                return .dense(MatVec(d.matrix, inputFraction: plan.tensors[d.input].type.fraction, accum: d.accum))
            case .gru(let g):
                return .gru(GRUKernel(g, inputFraction: plan.tensors[g.input].type.fraction))
            case .lstm(let l):
                return .lstm(LSTMKernel(l, inputFraction: plan.tensors[l.input].type.fraction))
            case .decoder(let d):
                var controller: GRUKernel?
                var coMean: MatVec?
                if let c = d.controller, let m = d.coMean {
                    controller = GRUKernel(c, inputFraction: d.factors.function.output.fraction)
                    coMean = MatVec(m.matrix, inputFraction: c.state.fraction, accum: m.accum)
                }
                return .decoder(DecoderKernels(
                    generator: GRUKernel(d.generator, inputFraction: d.generatorInputType.fraction),
                    factors: MatVec(d.factors.matrix, inputFraction: d.generator.state.fraction, accum: d.factors.accum),
                    controller: controller, coMean: coMean,
                    coLogvar: d.coLogvar.flatMap { lv in d.controller.map { MatVec(lv.matrix, inputFraction: $0.state.fraction, accum: lv.accum) } }))
            default:
                return .none
            }
        }
    }
}

struct DecoderKernels: Sendable {
    let generator: GRUKernel
    let factors: MatVec
    let controller: GRUKernel?
    let coMean: MatVec?
    let coLogvar: MatVec?
}
