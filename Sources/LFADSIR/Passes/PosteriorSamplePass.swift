/// `--posterior sample --seed S`: every posterior-mean sample that still reads its logvar becomes a gaussian
/// sample mean + exp(logvar/2)·ε with ε from the on-chip source seeded with S (trial i of a run draws the same
/// ε alone or in a batch). Runs before the hardware-outputs pass, which would drop the logvar operand.
public struct PosteriorSamplePass: Pass {
    public var name: String { "posterior-sample" }
    public var summary: String { "sample the posteriors (mean + exp(logvar/2)·ε, seed \(seed)) instead of taking their means" }

    public var seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    public func run(_ graph: Graph) throws -> Graph {
        var g = graph
        var any = false
        for i in g.nodes.indices {
            guard case .sample(.mean) = g.nodes[i].op else { continue }
            guard g.nodes[i].operands.count == 2 else {
                throw IRError.invalid("posterior-sample: sample '\(g.nodes[i].name)' has no logvar operand to sample with")
            }
            g.nodes[i].op = .sample(.gaussian(seed: seed))
            any = true
        }
        guard any else { throw IRError.invalid("posterior-sample: graph '\(graph.name)' has no posterior to sample") }
        return g
    }
}
