/// Chooses per-matrix reuse factors so the design meets a target: a latency budget, a device-utilisation
/// budget, or both. The cost of a candidate graph comes from an injected function (the Backends cost model;
/// LFADSIR cannot depend on Backends), so the pass itself only searches.
///
/// Search: greedy over "knobs" (one per matrix: a layer's input or recurrent reuse factor; both directions of a
/// bidirectional layer move together), each restricted to the reuse factors hls4ml accepts for that matrix.
/// 1. start fully parallel (every RF at its smallest) and repeatedly raise the knob that buys the largest
///    utilisation drop per microsecond of added latency, until the design fits the utilisation ceiling.
///    That walk can stall: raising one matrix's reuse moves its weights from registers into block RAM, so the
///    largest resource may stop falling one knob at a time. Then take the smallest uniform reuse (1, 2, 4, …
///    on every knob) that fits, and lower single knobs again while latency falls and the design still fits;
/// 2. for a latency target, check the budget, then keep raising reuse (largest saving per microsecond first)
///    while the latency stays within it, so the design uses no more of the device than the budget needs.
public struct ReuseFactorPass: Pass {
    public typealias CostFunction = @Sendable (Graph) throws -> (latencyUs: Double, utilization: Double)

    public enum Target: Hashable, Sendable {
        /// Largest utilisation fraction over all resources (e.g. 0.8).
        case utilization(Double)
        /// Latency budget in microseconds, optionally with a utilisation ceiling.
        case latency(microseconds: Double, maxUtilization: Double?)
    }

    public var name: String { "reuse" }
    public var summary: String { "choose per-layer reuse factors to meet a latency or resource budget" }

    public var target: Target
    public var cost: CostFunction
    /// Upper bound on cost evaluations, so a pathological graph cannot search for ever.
    public var maxEvaluations: Int

    public init(target: Target, maxEvaluations: Int = 20_000, cost: @escaping CostFunction) {
        self.target = target
        self.cost = cost
        self.maxEvaluations = maxEvaluations
    }

    public func run(_ graph: Graph) throws -> Graph {
        let knobs = ReuseKnob.all(in: graph)
        guard !knobs.isEmpty else { return graph }
        var evaluations = 0
        func evaluate(_ g: Graph) throws -> (latencyUs: Double, utilization: Double) {
            evaluations += 1
            guard evaluations <= maxEvaluations else { throw IRError.invalid("reuse: no solution within \(maxEvaluations) cost evaluations") }
            let c = try cost(g)
            guard c.latencyUs.isFinite, c.utilization.isFinite else { throw IRError.invalid("reuse: cost function returned a non-finite value") }
            return c
        }
        // Phase 1: from fully parallel, raise reuse where it saves the most utilisation per microsecond lost,
        // until the design fits the utilisation ceiling (none for a pure latency target).
        let ceiling: Double
        switch target {
        case .utilization(let u): ceiling = u
        case .latency(_, let u): ceiling = u ?? .infinity
        }
        let saving: (Cost, Cost) -> Double? = { old, new in
            let saved = old.utilization - new.utilization
            let lost = max(new.latencyUs - old.latencyUs, 0)
            return saved > 0 ? saved / max(lost, 1e-9) : (saved == 0 ? -lost : nil)
        }
        var (position, g, c) = try search(graph, knobs, from: knobs.map { _ in 0 }, evaluate: evaluate,
                                          done: { $0.utilization <= ceiling }, allowed: { _ in true }, score: saving,
                                          moves: raise)
        if c.utilization > ceiling {
            let (fit, lowest) = try uniformFit(graph, knobs, ceiling: ceiling, evaluate: evaluate)
            guard let fit else {
                throw IRError.invalid("reuse: utilisation \(Self.percent(min(c.utilization, lowest))) cannot be brought under \(Self.percent(ceiling))")
            }
            let faster: (Cost, Cost) -> Double? = { old, new in
                let gained = old.latencyUs - new.latencyUs
                return gained > 0 ? gained / max(new.utilization - old.utilization, 1e-9) : nil
            }
            (position, g, c) = try search(graph, knobs, from: fit, evaluate: evaluate, done: { _ in false },
                                          allowed: { $0.utilization <= ceiling }, score: faster, moves: lower)
        }
        guard case .latency(let budget, _) = target else { return g }
        guard c.latencyUs <= budget else {
            throw IRError.invalid("reuse: the fastest design that fits (\(c.latencyUs) µs) is over the \(budget) µs budget"
                                  + (ceiling.isFinite ? " at \(Self.percent(ceiling)) of the device" : ""))
        }
        // Phase 2: give back resources while the latency stays within budget.
        (position, g, c) = try search(graph, knobs, from: position, evaluate: evaluate, done: { _ in false },
                                      allowed: { $0.latencyUs <= budget && $0.utilization <= ceiling },
                                      score: { old, new in new.utilization < old.utilization ? saving(old, new) : nil },
                                      moves: raise)
        return g
    }

    /// The first uniform reuse (every knob at its first candidate ≥ 1, 2, 4, …, then all at their largest) whose
    /// design fits `ceiling`, or nil; and the lowest utilisation seen, for the error message.
    private func uniformFit(_ graph: Graph, _ knobs: [ReuseKnob], ceiling: Double,
                            evaluate: (Graph) throws -> Cost) throws -> ([Int]?, Double) {
        let largest = knobs.map { $0.candidates.last ?? 1 }.max() ?? 1
        var lowest = Double.infinity
        var rf = 1
        while true {
            let position = knobs.map { k in k.candidates.firstIndex { $0 >= rf } ?? (k.candidates.count - 1) }
            let c = try evaluate(ReuseKnob.apply(knobs, position, to: graph))
            lowest = min(lowest, c.utilization)
            if c.utilization <= ceiling { return (position, lowest) }
            if rf >= largest { return (nil, lowest) }
            rf = rf > largest / 2 ? largest : 2 * rf
        }
    }

    typealias Cost = (latencyUs: Double, utilization: Double)

    /// Greedy walk in reuse: from `start`, repeatedly take the best-scoring allowed move of one knob (`moves`:
    /// all upward or all downward) until `done` or no move is left. A nil score forbids a move; moves that save
    /// nothing score ≤ 0 and are taken only when nothing better exists (positions only move one way, so the
    /// walk ends).
    private func search(_ graph: Graph, _ knobs: [ReuseKnob], from start: [Int], evaluate: (Graph) throws -> Cost,
                        done: (Cost) -> Bool, allowed: (Cost) -> Bool, score: (Cost, Cost) -> Double?,
                        moves: (ReuseKnob, Int) -> [Int]) throws -> ([Int], Graph, Cost) {
        var position = start
        var g = ReuseKnob.apply(knobs, position, to: graph)
        var current = try evaluate(g)
        while !done(current) {
            var best: (position: [Int], graph: Graph, cost: Cost, score: Double)?
            for k in knobs.indices {
                for target in Set(moves(knobs[k], position[k])) {
                    var p = position
                    p[k] = target
                    let candidate = ReuseKnob.apply(knobs, p, to: graph)
                    let c = try evaluate(candidate)
                    guard allowed(c), let s = score(current, c) else { continue }
                    if best.map({ s > $0.score }) ?? true { best = (p, candidate, c, s) }
                }
            }
            guard let b = best else { break }
            position = b.position
            g = b.graph
            current = b.cost
        }
        return (position, g, current)
    }

    /// Higher positions of a knob: one candidate further, and the first candidate at twice the factor.
    static func raise(_ knob: ReuseKnob, from p: Int) -> [Int] {
        let c = knob.candidates
        guard p + 1 < c.count else { return [] }
        let jump = c.firstIndex { $0 >= 2 * c[p] } ?? (c.count - 1)
        return [p + 1, jump]
    }

    private func raise(_ knob: ReuseKnob, from p: Int) -> [Int] { Self.raise(knob, from: p) }

    /// Lower positions of a knob: one candidate back, and the last candidate at half the factor or less.
    private func lower(_ knob: ReuseKnob, from p: Int) -> [Int] {
        let c = knob.candidates
        guard p > 0 else { return [] }
        let jump = c.lastIndex { 2 * $0 <= c[p] } ?? 0
        return [p - 1, jump]
    }

    static func percent(_ x: Double) -> String { "\(Int((x * 1000).rounded()) / 10)%" }
}

// MARK: - legal reuse factors

/// Reuse factors hls4ml accepts for an n_in × n_out product: RF divides n_in·n_out, RF < n_in or RF is a
/// multiple of n_in, and the per-iteration block maps evenly onto the outputs
/// (ceil(n_in·n_out / min(n_in, RF)) is a multiple of n_out, or RF ≥ n_in).
public enum ReuseLegality {
    public static func isValid(nIn: Int, nOut: Int, reuse rf: Int) -> Bool {
        guard nIn > 0, nOut > 0, rf > 0 else { return false }
        let (total, overflow) = nIn.multipliedReportingOverflow(by: nOut)
        guard !overflow, rf <= total, total % rf == 0 else { return false }
        guard rf < nIn || rf % nIn == 0 else { return false }
        let m = min(nIn, rf)
        return ((total + m - 1) / m) % nOut == 0 || rf >= nIn
    }

    /// All valid reuse factors, ascending (always contains 1 and n_in·n_out).
    public static func validFactors(nIn: Int, nOut: Int) -> [Int] {
        let (total, overflow) = nIn.multipliedReportingOverflow(by: nOut)
        guard !overflow, total > 0 else { return [1] }
        var divisors = [Int]()
        var d = 1
        while d * d <= total {
            if total % d == 0 { divisors.append(d); if d != total / d { divisors.append(total / d) } }
            d += 1
        }
        return divisors.sorted().filter { isValid(nIn: nIn, nOut: nOut, reuse: $0) }
    }

    /// The nearest valid factor to `rf` (the smaller one on a tie), as hls4ml legalises a requested value.
    public static func nearestValid(nIn: Int, nOut: Int, reuse rf: Int) -> Int {
        let valid = validFactors(nIn: nIn, nOut: nOut)
        return valid.min { a, b in
            let da = abs(a - rf), db = abs(b - rf)
            return da != db ? da < db : a < b
        } ?? 1
    }
}

// MARK: - knobs

/// One reuse factor the reuse pass may change: the input or recurrent matrix of a layer.
struct ReuseKnob {
    enum Kind {
        case input, recurrent, generatorInput, generatorRecurrent, controllerInput, controllerRecurrent
        /// The decoder's own dense products: factors, and co_mean with co_logvar (they run side by side).
        case factors, coMean
    }
    var node: Int
    var kind: Kind
    var candidates: [Int]

    static func all(in graph: Graph) -> [ReuseKnob] {
        var knobs = [ReuseKnob]()
        func add(_ i: Int, _ k: Kind, _ nIn: Int, _ nOut: Int) {
            knobs.append(ReuseKnob(node: i, kind: k, candidates: ReuseLegality.validFactors(nIn: nIn, nOut: nOut)))
        }
        for (i, n) in graph.nodes.enumerated() {
            switch n.op {
            case .gru(let l):
                add(i, .input, l.cell.inputSize, 3 * l.cell.hiddenSize)
                add(i, .recurrent, l.cell.hiddenSize, 3 * l.cell.hiddenSize)
            case .bidirectionalGRU(let b):
                add(i, .input, b.forward.cell.inputSize, 3 * b.forward.cell.hiddenSize)
                add(i, .recurrent, b.forward.cell.hiddenSize, 3 * b.forward.cell.hiddenSize)
            case .lstm(let l):
                add(i, .input, l.cell.inputSize, 4 * l.cell.hiddenSize)
                add(i, .recurrent, l.cell.hiddenSize, 4 * l.cell.hiddenSize)
            case .dense(let d):
                add(i, .input, d.inputSize, d.outputSize)
            case .decoder(let d):
                add(i, .generatorInput, d.generator.inputSize, 3 * d.generator.hiddenSize)
                add(i, .generatorRecurrent, d.generator.hiddenSize, 3 * d.generator.hiddenSize)
                add(i, .factors, d.factors.inputSize, d.factors.outputSize)
                if let c = d.controller {
                    add(i, .controllerInput, c.cell.inputSize, 3 * c.cell.hiddenSize)
                    add(i, .controllerRecurrent, c.cell.hiddenSize, 3 * c.cell.hiddenSize)
                    add(i, .coMean, c.coMean.inputSize, c.coMean.outputSize)
                }
            default:
                break
            }
        }
        return knobs.filter { !$0.candidates.isEmpty }
    }

    /// The knob's position for the reuse factor `op` has now: its candidate, or the first one above it (0 when unset).
    func position(in op: Op) -> Int {
        let recurrent = kind == .recurrent || kind == .generatorRecurrent || kind == .controllerRecurrent
        func rf(_ i: Implementation?) -> Int? { recurrent ? i?.recurrentReuse : i?.reuse }
        let current: Int?
        switch op {
        case .gru(let l): current = rf(l.implementation)
        case .bidirectionalGRU(let b): current = rf(b.forward.implementation)
        case .lstm(let l): current = rf(l.implementation)
        case .dense(let d): current = rf(d.implementation)
        case .decoder(let d) where kind == .factors: current = rf(d.factors.implementation)
        case .decoder(let d) where kind == .coMean: current = rf(d.controller?.coMean.implementation)
        case .decoder(let d):
            let impl = d.implementation
            current = rf(kind == .controllerInput || kind == .controllerRecurrent ? (impl?.controller ?? impl?.generator) : impl?.generator)
        default: current = nil
        }
        guard let current else { return 0 }
        return candidates.firstIndex { $0 >= current } ?? (candidates.count - 1)
    }

    /// The graph with every knob at `position` in its candidate list.
    static func apply(_ knobs: [ReuseKnob], _ position: [Int], to graph: Graph) -> Graph {
        var g = graph
        for (k, p) in zip(knobs, position) {
            g.nodes[k.node].op = k.set(k.candidates[p], on: g.nodes[k.node].op)
        }
        return g
    }

    private func update(_ i: Implementation?, _ rf: Int, recurrent: Bool) -> Implementation {
        var impl = i ?? Implementation(strategy: .resource)
        if recurrent { impl.recurrentReuse = rf } else { impl.reuse = rf }
        return impl
    }

    func set(_ rf: Int, on op: Op) -> Op {
        let recurrent = kind == .recurrent || kind == .generatorRecurrent || kind == .controllerRecurrent
        switch op {
        case .gru(var l):
            l.implementation = update(l.implementation, rf, recurrent: recurrent)
            return .gru(l)
        case .bidirectionalGRU(var b):
            b.forward.implementation = update(b.forward.implementation, rf, recurrent: recurrent)
            b.backward.implementation = update(b.backward.implementation, rf, recurrent: recurrent)
            return .bidirectionalGRU(b)
        case .lstm(var l):
            l.implementation = update(l.implementation, rf, recurrent: recurrent)
            return .lstm(l)
        case .dense(var d):
            d.implementation = update(d.implementation, rf, recurrent: false)
            return .dense(d)
        case .decoder(var d) where kind == .factors:
            d.factors.implementation = update(d.factors.implementation, rf, recurrent: false)
            return .decoder(d)
        case .decoder(var d) where kind == .coMean:
            guard var c = d.controller else { return op }
            c.coMean.implementation = update(c.coMean.implementation, rf, recurrent: false)
            if var lv = c.coLogvar {
                lv.implementation = update(lv.implementation, rf, recurrent: false)
                c.coLogvar = lv
            }
            d.controller = c
            return .decoder(d)
        case .decoder(var d):
            var impl = d.implementation ?? DecoderImplementation(generator: Implementation(strategy: .resource))
            switch kind {
            case .controllerInput, .controllerRecurrent:
                impl.controller = update(impl.controller ?? impl.generator, rf, recurrent: recurrent)
            default:
                impl.generator = update(impl.generator, rf, recurrent: recurrent)
            }
            d.implementation = impl
            return .decoder(d)
        default:
            return op
        }
    }
}
