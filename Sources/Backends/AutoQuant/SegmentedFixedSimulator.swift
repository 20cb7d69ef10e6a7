// Bit-accurate simulation of the part of a quantised graph that a set of outputs needs. When the hardware
// plan lowers all of it, that plan alone runs. Otherwise (LFADS decoder ops, which the hardware plan did not
// lower when this was written) the graph is cut at every decoder; the pieces
// between decoders run on FixedSimulator (exactly the emitted HLS arithmetic) and the decoders on
// FixedDecoder (the same kernels). Values cross a cut as exact decimals of their codes, re-read by an input
// node of the same type, so the cut itself changes no bit.
import Dispatch
import Foundation
import LFADSIR

public struct SegmentedFixedSimulator: Sendable {
    enum Piece: Sendable {
        /// A sub-graph run by FixedSimulator; `inputs` are the values it reads from earlier pieces or the graph.
        case plan(FixedSimulator, inputs: [String], outputs: [String])
        case decoder(FixedDecoder, operands: [String], g0Type: FixedType, results: [String])
    }

    let pieces: [Piece]
    public let outputs: [String]
    /// Fixed-point type of every value a piece produces (and of the graph inputs).
    public let types: [String: FixedType]

    /// `outputs`: the values to compute (default: the graph's primary output).
    public init(graph: Graph, outputs: [String]? = nil) throws {
        let wanted = outputs ?? graph.primaryOutput.map { [$0] } ?? []
        guard !wanted.isEmpty else { throw HardwareError.invalidInput("graph '\(graph.name)' has no outputs") }
        self.outputs = wanted
        let nodes = Self.needed(graph, wanted)
        // When the hardware plan lowers every needed node (decoders included, once it does), it alone is used.
        if let whole = try? FixedSimulator(graph: Graph(name: graph.name, nodes: nodes, outputs: wanted, metadata: graph.metadata)) {
            pieces = [.plan(whole, inputs: whole.plan.inputs.map { whole.plan.tensors[$0].name }, outputs: wanted)]
            types = Dictionary(whole.plan.tensors.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
            return
        }
        // Values used by a later piece or asked for: they leave the piece they are computed in.
        var usedLater = Set(wanted)
        for n in nodes { usedLater.formUnion(n.operands) }

        var types = [String: FixedType]()
        var pieces = [Piece]()
        var current = [Node]()
        func flush() throws {
            guard !current.isEmpty else { return }
            let produced = Set(current.flatMap { $0.results.map(\.name) })
            var inputNodes = [Node]()
            var inputNames = [String]()
            var seen = Set<String>()
            let valueTypes = graph.valueTypes
            for n in current {
                for o in n.operands where !produced.contains(o) && !seen.contains(o) {
                    seen.insert(o)
                    guard let shape = valueTypes[o], let type = types[o] else {
                        throw HardwareError.unsupported("value '\(o)' is used before it is computed")
                    }
                    inputNodes.append(Node(name: o, op: .input(InputOp(type: shape, precision: type)), operands: [], results: [Value(name: o, type: shape)]))
                    inputNames.append(o)
                }
            }
            let outs = current.flatMap { $0.results.map(\.name) }.filter { usedLater.contains($0) }
            let sub = Graph(name: graph.name, nodes: inputNodes + current, outputs: outs, metadata: graph.metadata)
            let sim = try FixedSimulator(graph: sub)
            for t in sim.plan.tensors where produced.contains(t.name) { types[t.name] = t.type }
            pieces.append(.plan(sim, inputs: inputNames, outputs: outs))
            current = []
        }
        for n in nodes {
            if case .input(let i) = n.op {
                guard let p = i.precision else { throw HardwareError.missingPrecision("layer '\(n.name)': input has no precision") }
                if let r = n.results.first { types[r.name] = p }
                current.append(n)
                continue
            }
            guard case .decoder(let d) = n.op else { current.append(n); continue }
            try flush()
            let operandTypes = try n.operands.map { o -> FixedType in
                guard let t = types[o] else { throw HardwareError.unsupported("layer '\(n.name)': operand '\(o)' has no type") }
                return t
            }
            let decoder = try FixedDecoder(d, name: n.name, operandTypes: operandTypes)
            let names = n.results.map(\.name)
            for (name, t) in zip(names, decoder.resultTypes) { types[name] = t }
            if let missing = names.dropFirst(decoder.resultTypes.count).first(where: { usedLater.contains($0) }) {
                throw HardwareError.unsupported("layer '\(n.name)': result '\(missing)' (co_stds) is not simulated in fixed point")
            }
            pieces.append(.decoder(decoder, operands: n.operands, g0Type: operandTypes[0], results: Array(names.prefix(decoder.resultTypes.count))))
        }
        try flush()
        self.pieces = pieces
        self.types = types
    }

    /// The nodes `outputs` depend on, in graph order (posterior_std and other diagnostic outputs are left out).
    public static func needed(_ graph: Graph, _ outputs: [String]) -> [Node] {
        var producer = [String: Int]()
        for (i, n) in graph.nodes.enumerated() { for r in n.results { producer[r.name] = i } }
        var keep = Set<Int>()
        var stack = outputs.compactMap { producer[$0] }
        while let i = stack.popLast() {
            guard keep.insert(i).inserted else { continue }
            // The posterior-mean sample reads only its mean, but the graph stays well-formed (the verifier
            // checks both operands), so the logvar layer is kept; posterior_std, an output only, is not.
            stack += graph.nodes[i].operands.compactMap { producer[$0] }
        }
        return graph.nodes.enumerated().filter { keep.contains($0.offset) }.map(\.element)
    }

    public struct TrialResult: Sendable {
        /// The requested outputs as values.
        public var outputs: [String: [Double]]
        /// Range and overflow count of every value computed (plan tensor names; decoder results by value name).
        public var stats: [String: TensorStats]
    }

    /// One trial: `inputs` maps each graph input's name to its values, time-major.
    public func run(inputs: [String: [Double]]) throws -> TrialResult {
        var values = inputs
        var stats = [String: TensorStats]()
        for piece in pieces {
            switch piece {
            case .plan(let sim, let names, let outs):
                var given = [String: [Double]]()
                for i in sim.plan.inputs {
                    let name = sim.plan.tensors[i].name
                    guard let v = values[name] else { throw HardwareError.invalidInput("no values for '\(name)'") }
                    given[name] = v
                }
                _ = names
                let r = try sim.run(inputs: given)
                for (k, s) in r.stats { stats[k, default: TensorStats()].merge(s) }
                for o in outs {
                    guard let t = r.outputs[o] else { throw HardwareError.invalidInput("piece produced no '\(o)'") }
                    values[o] = t.doubles
                }
            case .decoder(let d, let operands, let g0Type, let results):
                var codes = [[Int64]]()
                for o in operands {
                    guard let v = values[o], let t = types[o] else { throw HardwareError.invalidInput("no values for decoder operand '\(o)'") }
                    codes.append(v.map { t.cast($0).raw })
                }
                let expected = [d.generator.stage.hidden] + (d.controller != nil ? [d.steps * d.ciWidth] : []) + (d.extWidth > 0 ? [d.steps * d.extWidth] : [])
                guard codes.map(\.count) == expected else {
                    throw HardwareError.invalidInput("decoder operands have \(codes.map(\.count)) values, expected \(expected)")
                }
                var overflows = 0
                let out = d.run(codes, g0Type: g0Type, overflows: &overflows)
                for (i, (name, raw)) in zip(results, out).enumerated() {
                    let type = d.resultTypes[i]
                    let v = raw.map { type.double(raw: $0) }
                    var s = TensorStats()
                    s.overflows = i == 0 ? overflows : 0
                    for x in v { s.minimum = Swift.min(s.minimum, x); s.maximum = Swift.max(s.maximum, x) }
                    stats[name, default: TensorStats()].merge(s)
                    values[name] = v
                }
            }
        }
        var out = [String: [Double]]()
        for o in outputs {
            guard let v = values[o] else { throw HardwareError.invalidInput("output '\(o)' was not computed") }
            out[o] = v
        }
        return TrialResult(outputs: out, stats: stats)
    }

    /// Trials on `threads` workers; results in trial order, independent of `threads`.
    public func runBatch(trials: [[String: [Double]]], threads: Int) throws -> [TrialResult] {
        let n = trials.count
        let workers = Swift.max(1, Swift.min(threads, n))
        let slots = Slots(count: n)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < n {
                slots.set(i, Result { try run(inputs: trials[i]) })
                i += workers
            }
        }
        return try slots.all().map { try $0.get() }
    }
}

private final class Slots: @unchecked Sendable {
    private var slots: [Result<SegmentedFixedSimulator.TrialResult, Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<SegmentedFixedSimulator.TrialResult, Error>) { lock.lock(); slots[i] = r; lock.unlock() }
    func all() -> [Result<SegmentedFixedSimulator.TrialResult, Error>] {
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0 ?? .failure(HardwareError.invalidInput("trial not simulated")) }
    }
}
