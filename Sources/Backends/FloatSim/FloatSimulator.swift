import Dispatch
import Foundation
import LFADSIR

/// Double-precision reference execution of an IR graph: every op as the source framework computes it, with
/// QKeras quantizers applied where QKeras applies them (weights, biases, incoming recurrent state, activation
/// outputs). Values are row-major and time-major: seq<T×W> is T·W doubles, step t at [t·W, (t+1)·W).
public struct FloatSimulator: Sendable {
    public let graph: Graph
    private let nodes: [SimNode]

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
    }

    /// Runs one trial. `inputs` maps every input value name to its values; returns the graph's outputs.
    public func run(inputs: [String: [Double]]) throws -> [String: [Double]] {
        try run(inputs: inputs, trial: 0)
    }

    /// As `run(inputs:)`; `trial` selects the noise stream of gaussian sample ops (see GaussianSource).
    public func run(inputs: [String: [Double]], trial: Int) throws -> [String: [Double]] {
        let values = try evaluate(inputs: inputs, trial: trial)
        var out = [String: [Double]]()
        for name in graph.outputs {
            guard let v = values[name] else { throw IRError.invalid("float simulator: output '\(name)' was not computed") }
            out[name] = v
        }
        return out
    }

    /// Every value of the graph (inputs, intermediate and outputs) by name.
    public func evaluate(inputs: [String: [Double]], trial: Int = 0) throws -> [String: [Double]] {
        var values = [String: [Double]]()
        for n in nodes {
            if case .input(let type) = n.op {
                let name = n.node.name
                guard let v = inputs[name] else { throw IRError.invalid("float simulator: missing input '\(name)'") }
                guard v.count == type.elementCount else {
                    throw IRError.invalid("float simulator: input '\(name)' has \(v.count) values, expected \(type.elementCount) for \(type)")
                }
                values[name] = v
                continue
            }
            var operands = [[Double]]()
            operands.reserveCapacity(n.node.operands.count)
            for (o, t) in zip(n.node.operands, n.operandTypes) {
                guard let v = values[o], v.count == t.elementCount else {
                    throw IRError.invalid("float simulator: layer '\(n.node.name)' operand '\(o)' is missing or has the wrong size")
                }
                operands.append(v)
            }
            let results = n.evaluate(operands, trial: trial)
            for (r, v) in zip(n.node.results, results) { values[r.name] = v }
        }
        return values
    }

    /// Runs trials in parallel on `threads` workers (DispatchQueue.concurrentPerform). Each trial is computed
    /// exactly as `run(inputs:trial:)` with its index as `trial`, so results do not depend on `threads`.
    /// Throws the error of the lowest-numbered failing trial.
    public func runBatch(trials: [[String: [Double]]], threads: Int) throws -> [[String: [Double]]] {
        let count = trials.count
        let workers = max(1, min(threads, count))
        let slots = ResultSlots(count: count)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < count {
                slots.set(i, Result { try run(inputs: trials[i], trial: i) })
                i += workers
            }
        }
        return try slots.results().map { try $0.get() }
    }
}

/// Per-trial result storage written by several workers; each index is written by exactly one worker.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<[String: [Double]], Error>]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: .success([:]), count: count) }

    func set(_ i: Int, _ r: Result<[String: [Double]], Error>) {
        lock.lock()
        slots[i] = r
        lock.unlock()
    }

    func results() -> [Result<[String: [Double]], Error>] { lock.lock(); defer { lock.unlock() }; return slots }
}
