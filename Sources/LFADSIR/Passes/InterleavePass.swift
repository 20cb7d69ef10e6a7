/// `--trials-in-flight C`: the hardware carries C trials per call. Each recurrence interleaves them step by step
/// (context c's step t + 1 issues once its step t is written back, the other contexts filling the pipeline in
/// between), so a GRU step's dependence latency is paid once per C trials; every other process walks the C trials
/// as one sequence of C·T steps. The arithmetic of a trial is unchanged (same products, same casts).
public struct InterleavePass: Pass {
    public var name: String { "interleave" }
    public var summary: String { "carry \(trials) trials per call, interleaved in the recurrences" }

    public var trials: Int

    public init(trials: Int) { self.trials = trials }

    public func run(_ graph: Graph) throws -> Graph {
        guard (1...Graph.maxTrialsInFlight).contains(trials) else {
            throw IRError.invalid("interleave: trials in flight \(trials) outside 1...\(Graph.maxTrialsInFlight)")
        }
        var g = graph
        g.trialsInFlight = trials
        return g
    }
}
