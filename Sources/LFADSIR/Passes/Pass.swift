/// One step of the compile pipeline: a pure transform of the graph (no I/O, no global state), so passes
/// can be tested IR-text-in / IR-text-out and the estimator can cost the design after each of them.
public protocol Pass: Sendable {
    /// Short identifier used in `--emit ir --after NAME`, estimate tables and messages (`quantize`, `reuse`).
    var name: String { get }
    /// One line saying what the pass does.
    var summary: String { get }
    func run(_ graph: Graph) throws -> Graph
}

/// Runs passes in order, verifying the graph after each and letting the caller observe every stage.
public struct PassPipeline: Sendable {
    public var passes: [any Pass]

    public init(_ passes: [any Pass]) { self.passes = passes }

    /// `observe(passName, graph)` is called once with "import" for the input graph and once after every pass.
    public func run(_ graph: Graph, observe: (String, Graph) throws -> Void = { _, _ in }) throws -> Graph {
        try observe("import", graph)
        var current = graph
        for pass in passes {
            current = try pass.run(current)
            do { try Verifier.verify(current) } catch {
                throw IRError.invalid("after pass '\(pass.name)': \(error)")
            }
            try observe(pass.name, current)
        }
        return current
    }
}
