/// `--posterior sample --seed S`: every posterior-mean sample that still reads its logvar becomes a gaussian
/// sample mean + exp(logvar/2)·ε with ε from the on-chip source seeded with S (trial i of a run draws the same
/// ε alone or in a batch), and every decoder controller samples its output u_t the same way from co_logvar.
/// Runs before the hardware-outputs pass, which would drop the logvar operand and co_logvar.
public struct PosteriorSamplePass: Pass {
    public var name: String { "posterior-sample" }
    public var summary: String {
        samples > 1 ? "average \(samples) posterior samples (mean + exp(logvar/2)·ε, seed \(seed)) instead of taking the means"
            : "sample the posteriors (mean + exp(logvar/2)·ε, seed \(seed)) instead of taking their means"
    }

    public var seed: UInt64
    /// Samples averaged per trial (`--posterior average:N`); 1 for `--posterior sample`.
    public var samples: Int

    public init(seed: UInt64, samples: Int = 1) {
        self.seed = seed
        self.samples = samples
    }

    public func run(_ graph: Graph) throws -> Graph {
        var g = graph
        var any = false
        for i in g.nodes.indices {
            guard case .sample(.mean) = g.nodes[i].op else { continue }
            guard g.nodes[i].operands.count == 2 else {
                throw IRError.invalid("posterior-sample: sample '\(g.nodes[i].name)' has no logvar operand to sample with")
            }
            // lfads-torch samples with std = sqrt(exp(logvar) + ic_post_var_min): the floor of the posterior std
            // op on the same logvar (the importers' ic_std), else none.
            let logvar = g.nodes[i].operands[1]
            let floor = g.nodes.lazy.compactMap { n -> Double? in
                guard case .posteriorStd(let p) = n.op, n.operands.first == logvar else { return nil }
                return p.varianceFloor
            }.first ?? 0
            g.nodes[i].op = .sample(.gaussian(seed: seed, varianceFloor: floor))
            any = true
        }
        // The controller outputs u_t, where lfads-torch samples con_output inside the decoder loop.
        for i in g.nodes.indices {
            guard case .decoder(var d) = g.nodes[i].op, var c = d.controller else { continue }
            guard c.coLogvar != nil else {
                throw IRError.invalid("posterior-sample: the controller of '\(g.nodes[i].name)' has no co_logvar to sample with")
            }
            c.sampleSeed = seed
            d.controller = c
            g.nodes[i].op = .decoder(d)
            any = true
        }
        guard any else { throw IRError.invalid("posterior-sample: graph '\(graph.name)' has no posterior to sample") }
        guard (1...Graph.maxPosteriorSamples).contains(samples) else {
            throw IRError.invalid("posterior-sample: \(samples) samples outside 1...\(Graph.maxPosteriorSamples)")
        }
        g.posteriorSamples = samples
        return g
    }
}
