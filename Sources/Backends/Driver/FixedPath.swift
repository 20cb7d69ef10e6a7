import LFADSIR

/// Adapter from the bit-accurate simulator to the driver's per-trial dictionaries. The graph must be
/// quantised (every node carries its precision), which `CompilePipeline` guarantees.
enum FixedPath {
    static func run(_ simulator: FixedSimulator, trials: [[String: [Double]]], threads: Int) throws -> (values: [[String: [Double]]], stats: [String: TensorStats]) {
        let results = try simulator.runBatch(trials: trials, threads: threads)
        var stats = [String: TensorStats]()
        for r in results { for (name, s) in r.stats { stats[name, default: TensorStats()].merge(s) } }
        return (results.map(\.doubles), stats)
    }
}
