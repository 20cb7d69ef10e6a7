/// How a layer's matrix-vector products become hardware.
public enum Strategy: String, Sendable, CaseIterable {
    /// Fully unrolled products; one multiplier per weight divided by the reuse factor (hls4ml "Latency").
    case latency
    /// ceil(n_in·n_out / reuse) multipliers in a loop of `reuse` iterations, weights in BRAM (hls4ml "Resource").
    case resource
    /// lfadsc's own LFADS schedule: narrow spike-count products in LUTs, directions in parallel, fused gates.
    case lfads
}

/// Strategy and reuse factors of one layer: `reuse` for its input (or only) matrix, `recurrentReuse` for
/// a recurrent layer's state matrix (ignored by dense layers).
public struct Implementation: Hashable, Sendable, CustomStringConvertible {
    public var strategy: Strategy
    public var reuse: Int
    public var recurrentReuse: Int

    public init(strategy: Strategy, reuse: Int = 1, recurrentReuse: Int = 1) {
        self.strategy = strategy
        self.reuse = max(1, reuse)
        self.recurrentReuse = max(1, recurrentReuse)
    }

    public var description: String { "\(strategy.rawValue) rf=\(reuse)/\(recurrentReuse)" }
}

/// Implementations of the decoder loop's recurrent cells (its dense layers carry their own).
public struct DecoderImplementation: Hashable, Sendable {
    public var generator: Implementation
    public var controller: Implementation?

    public init(generator: Implementation, controller: Implementation? = nil) {
        self.generator = generator
        self.controller = controller
    }
}
