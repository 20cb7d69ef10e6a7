import Foundation
import LFADSIR

/// Double-precision reference execution of an IR graph: every op as the source framework computes it, with
/// QKeras quantizers applied where QKeras applies them (weights, biases, incoming recurrent state, activation
/// outputs). Values are row-major and time-major: seq<T×W> is T·W doubles, step t at [t·W, (t+1)·W).
public struct FloatSimulator: Sendable {
    public let graph: Graph
    private let nodes: [SimNode]
    /// Outputs averaged over `graph.posteriorSamples` samples (those that depend on a sample).
    private let sampledOutputs: Set<String>

    public init(graph: Graph) throws {
        try Verifier.verify(graph)
        self.graph = graph
        let types = graph.valueTypes
        nodes = try graph.nodes.map { node in
            let operandTypes = try node.operands.map { o -> ValueType in
                guard let t = types[o] else { throw IRError.invalid("float simulator: layer '\(node.name)' uses unknown value '\(o)'") }
                return t
            }
            return try SimNode(node: node, operandTypes: operandTypes)
        }
        sampledOutputs = graph.sampledValues.intersection(graph.outputs)
    }

    /// Trials evaluated together by `runBatch`: enough rows for the GEMM kernel to reuse each weight many times,
    /// few enough that a block's per-step state stays in the L1/L2 caches.
    static let blockSize = 32

    /// Runs one trial. `inputs` maps every input value name to its values; returns the graph's outputs.
    public func run(inputs: [String: [Double]]) throws -> [String: [Double]] {
        try run(inputs: inputs, trial: 0)
    }

    /// As `run(inputs:)`; `trial` selects the noise stream of gaussian sample ops (see GaussianSource).
    /// With N posterior samples averaged, sample s of the trial draws stream trial·N + s.
    public func run(inputs: [String: [Double]], trial: Int) throws -> [String: [Double]] {
        let n = graph.posteriorSamples
        let values = try evaluateBlock(gather(Array(repeating: inputs, count: n)), count: n, firstTrial: trial &* n, pool: ArrayPool())
        var out = [String: [Double]]()
        for name in graph.outputs { out[name] = averaged(name, try output(name, of: values), samples: n) }
        return out
    }

    /// An output of N sample rows as one trial's: the mean of the rows when it depends on a sample, else row 0
    /// (every row is the same).
    private func averaged(_ name: String, _ rows: [Double], samples n: Int) -> [Double] {
        guard n > 1 else { return rows }
        let per = rows.count / n
        guard sampledOutputs.contains(name) else { return Array(rows[0..<per]) }
        var mean = [Double](repeating: 0, count: per)
        for s in 0..<n { for i in 0..<per { mean[i] += rows[s * per + i] } }
        return mean.map { $0 / Double(n) }
    }

    /// Every value of the graph (inputs, intermediate and outputs) by name.
    public func evaluate(inputs: [String: [Double]], trial: Int = 0) throws -> [String: [Double]] {
        try evaluateBlock(gather([inputs]), count: 1, firstTrial: trial, pool: ArrayPool())
    }

    /// Runs trials in parallel on `threads` workers; see `runBatch(inputs:count:threads:)`.
    /// Throws the error of the lowest-numbered trial with a missing or wrongly sized input.
    public func runBatch(trials: [[String: [Double]]], threads: Int) throws -> [[String: [Double]]] {
        let all = try runBatch(inputs: gather(trials), count: trials.count, threads: threads)
        var out = [[String: [Double]]](repeating: [:], count: trials.count)
        for (name, v) in all {
            let per = trials.isEmpty ? 0 : v.count / trials.count
            for t in trials.indices { out[t][name] = Array(v[(t * per)..<((t + 1) * per)]) }
        }
        return out
    }

    /// Runs `count` trials given trial-major (`inputs[name]` holds count × elementCount values, trial t's at
    /// [t·elementCount, (t+1)·elementCount)) and returns every graph output the same way.
    ///
    /// Trials run in blocks of up to `blockSize` consecutive trials, each block on one of `threads` workers
    /// (DispatchQueue.concurrentPerform); a block advances all its trials together, so every layer step is a
    /// small matrix-matrix product. Trial t uses noise stream firstTrial + t (the run's index of the trial, so a
    /// trial draws the same noise alone or in any batch). The kernels give a trial the same bits in any block, so
    /// results depend neither on `threads` nor on the blocking, and equal `run(inputs:trial:)`.
    public func runBatch(inputs: [String: [Double]], count: Int, firstTrial: Int = 0, threads: Int) throws -> [String: [Double]] {
        for n in nodes {
            guard case .input(let type) = n.op else { continue }
            guard let v = inputs[n.node.name] else { throw IRError.invalid("float simulator: missing input '\(n.node.name)'") }
            guard v.count == count * type.elementCount else {
                throw IRError.invalid("float simulator: input '\(n.node.name)' has \(v.count) values, expected \(count) trials of \(type.elementCount) for \(type)")
            }
        }
        var out = [String: [Double]]()
        guard count > 0 else {
            for name in graph.outputs { out[name] = [] }
            return out
        }
        let workers = max(1, min(threads, count))
        // Small batches are cut so that every worker gets a block.
        let size = max(1, min(Self.blockSize, (count + workers - 1) / workers))
        let blocks = (count + size - 1) / size
        let types = graph.valueTypes
        let widths = graph.outputs.map { types[$0]?.elementCount ?? 0 }
        // Each block writes its rows of every output in place: no per-block arrays to concatenate afterwards.
        let arrays = try withOutputBuffers(widths.map { $0 * count }[...], []) { buffers in
            let targets = OutputTargets(buffers)
            let done = Parallel.map(count: blocks, threads: workers, state: { ArrayPool() }) { k, pool in
                try runBlock((k * size)..<min(count, (k + 1) * size), firstTrial: firstTrial, inputs: inputs, into: targets, widths: widths, pool: pool)
            }
            for r in done { try r.get() }
        }
        for (name, a) in zip(graph.outputs, arrays) { out[name] = a }
        return out
    }

    /// One block of `runBatch`: the trials in `range`, whose output rows go to `targets` (`widths` values per
    /// trial and output, in graph output order). All its arrays come from and go back to the worker's pool.
    private func runBlock(_ range: Range<Int>, firstTrial: Int, inputs: [String: [Double]], into targets: OutputTargets, widths: [Int],
                          pool: ArrayPool) throws {
        let n = graph.posteriorSamples
        if n > 1 {
            // Each trial is a block of its N samples (streams trial·N + s), averaged into its row.
            for r in range {
                var trial = [String: [Double]]()
                for node in nodes {
                    guard case .input(let type) = node.op, let v = inputs[node.node.name] else { continue }
                    trial[node.node.name] = Array(v[(r * type.elementCount)..<((r + 1) * type.elementCount)])
                }
                let out = try run(inputs: trial, trial: firstTrial + r)
                for (i, name) in graph.outputs.enumerated() {
                    let v = try output(name, of: out)
                    precondition(v.count == widths[i], "float simulator: output '\(name)' has the wrong size")
                    v.withUnsafeBufferPointer { src in
                        if let s = src.baseAddress { (targets.pointers[i] + r * widths[i]).update(from: s, count: v.count) }
                    }
                }
            }
            return
        }
        var block = [String: [Double]]()
        for n in nodes {
            guard case .input(let type) = n.op, let v = inputs[n.node.name] else { continue }
            let per = type.elementCount
            var b = pool.take(range.count * per)
            b.withUnsafeMutableBufferPointer { d in _ = d.update(from: v[(range.lowerBound * per)..<(range.upperBound * per)]) }
            block[n.node.name] = b
        }
        var values = try evaluateBlock(block, count: range.count, firstTrial: firstTrial + range.lowerBound, pool: pool)
        block = [:]
        defer {
            let arrays = Array(values.values)
            values = [:]  // so that the pool holds the only reference to each array
            pool.recycle(all: arrays)
        }
        for (i, name) in graph.outputs.enumerated() {
            let v = try output(name, of: values)
            precondition(v.count == range.count * widths[i], "float simulator: output '\(name)' has the wrong size")
            v.withUnsafeBufferPointer { src in
                if let s = src.baseAddress { (targets.pointers[i] + range.lowerBound * widths[i]).update(from: s, count: v.count) }
            }
        }
    }

    /// Creates arrays of the given sizes and lets `body` fill them through pointers (all elements, unless it
    /// throws); one level of recursion per array keeps every buffer alive while `body` runs.
    private func withOutputBuffers(_ sizes: ArraySlice<Int>, _ pointers: [UnsafeMutablePointer<Double>],
                                   _ body: ([UnsafeMutablePointer<Double>]) throws -> Void) throws -> [[Double]] {
        guard let first = sizes.first else {
            try body(pointers)
            return []
        }
        var rest = [[Double]]()
        let array = try [Double](unsafeUninitializedCapacity: max(first, 1)) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            rest = try withOutputBuffers(sizes.dropFirst(), pointers + [base], body)
            initialized = first
        }
        return [array] + rest
    }

    private func output(_ name: String, of values: [String: [Double]]) throws -> [Double] {
        guard let v = values[name] else { throw IRError.invalid("float simulator: output '\(name)' was not computed") }
        return v
    }

    /// Per-trial inputs as trial-major arrays per input name, checked trial by trial.
    private func gather(_ trials: [[String: [Double]]]) throws -> [String: [Double]] {
        var out = [String: [Double]]()
        for n in nodes {
            guard case .input(let type) = n.op else { continue }
            let name = n.node.name
            var all = [Double]()
            all.reserveCapacity(trials.count * type.elementCount)
            for inputs in trials {
                guard let v = inputs[name] else { throw IRError.invalid("float simulator: missing input '\(name)'") }
                guard v.count == type.elementCount else {
                    throw IRError.invalid("float simulator: input '\(name)' has \(v.count) values, expected \(type.elementCount) for \(type)")
                }
                all += v
            }
            out[name] = all
        }
        return out
    }

    /// Every value of the graph for a block of `count` trials, each value holding the trials one after the
    /// other; `inputs` are the block's input values in that layout (sizes already checked).
    private func evaluateBlock(_ inputs: [String: [Double]], count: Int, firstTrial: Int, pool: ArrayPool) throws -> [String: [Double]] {
        var values = [String: [Double]]()
        for n in nodes {
            if case .input = n.op {
                values[n.node.name] = inputs[n.node.name]
                continue
            }
            var operands = [[Double]]()
            operands.reserveCapacity(n.node.operands.count)
            for (o, t) in zip(n.node.operands, n.operandTypes) {
                guard let v = values[o], v.count == count * t.elementCount else {
                    throw IRError.invalid("float simulator: layer '\(n.node.name)' operand '\(o)' is missing or has the wrong size")
                }
                operands.append(v)
            }
            let results = n.evaluate(operands, trials: count, firstTrial: firstTrial, pool: pool)
            for (r, v) in zip(n.node.results, results) { values[r.name] = v }
        }
        return values
    }
}

/// Where the workers write the outputs (pointers into arrays that outlive the parallel section); every block
/// writes its own rows only.
private struct OutputTargets: @unchecked Sendable {
    let pointers: [UnsafeMutablePointer<Double>]
    init(_ pointers: [UnsafeMutablePointer<Double>]) { self.pointers = pointers }
}
