import LFADSIR

/// Adapter from the bit-accurate simulator to the driver's per-trial dictionaries.
enum FixedPath {
    static func run(graph: Graph, trials: [[String: [Double]]], threads: Int) throws -> [[String: [Double]]] {
        throw IRError.unsupported("the bit-accurate simulator is not connected in this build; use --float")
    }
}
