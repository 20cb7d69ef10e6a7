/// After the reuse pass, for a backend another model prices (the Verilog of `--backend rtl`, whose resources the
/// RTL resource model gives): while that model puts the design over the ceiling, raise one reuse factor — the
/// move that saves the most of its utilisation per microsecond of latency, one legal factor or a doubling — and
/// stop as soon as it fits. The reuse pass chose for the HLS design; this only gives back what the other one needs.
public struct ReuseFitPass: Pass {
    public var name: String { "fit-\(backend)" }
    public var summary: String { "raise reuse factors until the \(backend) design fits within \(ReuseFactorPass.percent(ceiling)) of the device" }

    public var backend: String
    public var ceiling: Double
    public var cost: ReuseFactorPass.CostFunction
    /// Upper bound on moves, so a pathological cost cannot search for ever.
    public var maxMoves: Int

    public init(backend: String, ceiling: Double, maxMoves: Int = 64, cost: @escaping ReuseFactorPass.CostFunction) {
        self.backend = backend
        self.ceiling = ceiling
        self.maxMoves = maxMoves
        self.cost = cost
    }

    public func run(_ graph: Graph) throws -> Graph {
        let knobs = ReuseKnob.all(in: graph)
        var position = knobs.map { $0.position(in: graph.nodes[$0.node].op) }
        var g = graph
        var current = try cost(g)
        guard current.utilization > ceiling else { return g }
        // Fitting designs met on the way: the greedy path's end, and at every step the fastest single move that
        // fits at once (the best saving per µs can overshoot: halve every recurrent product where a cheaper
        // projection move, after a nearly free one, was enough). The fastest of them is the result.
        var fits = [(graph: Graph, latencyUs: Double, utilization: Double)]()
        var moves = 0
        while current.utilization > ceiling {
            moves += 1
            guard moves <= maxMoves else {
                if !fits.isEmpty { break }
                throw IRError.invalid("\(name): no fit within \(maxMoves) moves")
            }
            var best: (position: [Int], graph: Graph, cost: (latencyUs: Double, utilization: Double), score: Double)?
            for k in knobs.indices {
                // In a fixed order (a Set's varies between runs), so that ties resolve the same way every time.
                for target in Set(ReuseFactorPass.raise(knobs[k], from: position[k])).sorted() {
                    var p = position
                    p[k] = target
                    let candidate = ReuseKnob.apply(knobs, p, to: graph)
                    let c = try cost(candidate)
                    let saved = current.utilization - c.utilization
                    guard saved > 0, c.latencyUs.isFinite else { continue }
                    let score = saved / max(c.latencyUs - current.latencyUs, 1e-9)
                    if best.map({ score > $0.score }) ?? true { best = (p, candidate, c, score) }
                    if c.utilization <= ceiling { fits.append((candidate, c.latencyUs, c.utilization)) }
                }
            }
            guard let b = best else {
                if !fits.isEmpty { break }
                throw IRError.invalid("\(name): the \(backend) design needs \(ReuseFactorPass.percent(current.utilization)) of the device "
                                      + "and no higher reuse factor brings it under \(ReuseFactorPass.percent(ceiling))")
            }
            (position, g, current) = (b.position, b.graph, b.cost)
        }
        if current.utilization <= ceiling { fits.append((g, current.latencyUs, current.utilization)) }
        // Fastest, then least utilisation; the first met on a tie (the order is deterministic).
        var chosen = fits[0]
        for f in fits.dropFirst() where (f.latencyUs, f.utilization) < (chosen.latencyUs, chosen.utilization) { chosen = f }
        return chosen.graph
    }
}
