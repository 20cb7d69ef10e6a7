// The two simulators behind `Simulation.run`, with one interface: a block of trials in (trial-major arrays
// per model input), every graph output for them out (trial-major), plus overflow statistics on the fixed path.
import LFADSIR

/// `firstTrial` is the run's index of the block's first trial (it picks the trials' noise streams on both paths).
protocol BatchSimulator {
    func runBatch(inputs: [String: [Double]], count: Int, firstTrial: Int, threads: Int) throws -> (values: [String: [Double]], stats: [String: TensorStats]?)
}

/// The Double reference path; it takes the reader's trial-major arrays as they are.
struct FloatBatch: BatchSimulator {
    let simulator: FloatSimulator

    init(_ graph: Graph) throws { simulator = try FloatSimulator(graph: graph) }

    func runBatch(inputs: [String: [Double]], count: Int, firstTrial: Int, threads: Int) throws -> (values: [String: [Double]], stats: [String: TensorStats]?) {
        (try simulator.runBatch(inputs: inputs, count: count, firstTrial: firstTrial, threads: threads), nil)
    }
}

/// The bit-accurate path. The graph must be quantised (every node carries its precision), which
/// `CompilePipeline` guarantees.
struct FixedBatch: BatchSimulator {
    let simulator: FixedSimulator
    let outputs: [String]

    init(_ graph: Graph) throws {
        simulator = try FixedSimulator(graph: graph)
        outputs = graph.outputs
    }

    func runBatch(inputs: [String: [Double]], count: Int, firstTrial: Int, threads: Int) throws -> (values: [String: [Double]], stats: [String: TensorStats]?) {
        let trials: [[String: [Double]]] = (0..<count).map { t in
            inputs.mapValues { values in
                let n = values.count / count
                return Array(values[(t * n)..<((t + 1) * n)])
            }
        }
        let results = try simulator.runBatch(trials: trials, firstTrial: UInt64(max(0, firstTrial)), threads: threads)
        var values = [String: [Double]]()
        for value in outputs {
            var all = [Double]()
            for (t, r) in results.enumerated() {
                guard let v = r.outputs[value] else { throw IRError.invalid("simulator produced no '\(value)' for trial \(t)") }
                if t == 0 { all.reserveCapacity(v.raw.count * results.count) }
                for code in v.raw { all.append(v.type.double(raw: code)) }
            }
            values[value] = all
        }
        return (values, FixedSimResult.mergedStats(results))
    }
}
