// Bit-accurate simulation of the quantised graph on raw integer codes, exactly as the emitted HLS C++
// computes it (docs/hardware-numerics.md). Inputs are cast from Double with the input type's modes.
import Dispatch
import Foundation
import LFADSIR

public struct FixedSimulator: Sendable {
    public let plan: HardwarePlan

    public init(graph: Graph) throws {
        plan = try HardwarePlan(graph: graph)
    }

    /// Simulates one trial. `inputs` maps each graph input's name to its values, time-major.
    public func run(inputs: [String: [Double]]) throws -> FixedSimResult {
        var values = [[Int64]](repeating: [], count: plan.tensors.count)
        var stats = [TensorStats](repeating: TensorStats(), count: plan.tensors.count)
        for stage in plan.stages {
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
                let mv = MatVec(d.matrix, inputFraction: x.type.fraction, accum: d.accum)
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
                let kernel = GRUKernel(g, inputFraction: x.type.fraction)
                let initial: [Int64]
                switch g.initial {
                case .zeros: initial = Array(repeating: 0, count: g.hidden)
                case .learned(let v): initial = v
                case .operand(let o):
                    let q = Quantizer(fromFraction: plan.tensors[o].type.fraction, to: g.state)
                    initial = values[o].map { q.apply($0, overflows: &overflows) }
                }
                values[g.output] = kernel.run(input: values[g.input], steps: x.steps, inputWidth: x.width, initial: initial, &overflows)

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
                    let from = s - lag
                    guard from >= 0, from < t.steps else { continue }
                    for j in 0..<t.width { y[s * t.width + j] = values[i][from * t.width + j] }
                }
                values[o] = y

            case .copy(let i, let o):
                output = o
                values[o] = values[i]
            }
            let type = plan.tensors[output].type
            stats[output].overflows += overflows
            for v in values[output] {
                let d = type.double(raw: v)
                stats[output].minimum = min(stats[output].minimum, d)
                stats[output].maximum = max(stats[output].maximum, d)
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

    /// Simulates many trials on `threads` threads; results are in trial order and do not depend on `threads`
    /// (each trial is independent and deterministic).
    public func runBatch(trials: [[String: [Double]]], threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> [FixedSimResult] {
        let n = trials.count
        let workers = max(1, min(threads, n))
        let box = ResultBox(count: n)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < n {
                box.set(i, Result { try run(inputs: trials[i]) })
                i += workers
            }
        }
        return try box.values().map { try $0.get() }
    }

    /// The primary output of many trials as .dat text (one line per trial).
    public static func datText(_ results: [FixedSimResult]) -> String {
        results.map { $0.primaryOutput?.text ?? "\n" }.joined()
    }
}

/// Per-trial result slots written from several threads.
private final class ResultBox: @unchecked Sendable {
    private var slots: [Result<FixedSimResult, Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<FixedSimResult, Error>) {
        lock.lock()
        slots[i] = r
        lock.unlock()
    }
    func values() -> [Result<FixedSimResult, Error>] {
        slots.map { $0 ?? .failure(HardwareError.invalidInput("trial not simulated")) }
    }
}
