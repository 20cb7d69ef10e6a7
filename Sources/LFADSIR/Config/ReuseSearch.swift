/// What a configuration says about the reuse pass (lfadsc.json `"reuse": "auto"`, `max_utilization`,
/// `latency_target_us`, or the same flags). The drivers turn it into a `ReuseChoice`: a latency target first,
/// then an explicit `auto`, then reuse factors the configuration gives itself, and otherwise the default,
/// the pass within `defaultMaxUtilization` (a design that fits is the default).
public struct ReuseSearch: Hashable, Sendable {
    /// `"reuse": "auto"` / `--reuse auto`: the pass chooses even where reuse factors are configured.
    public var auto: Bool
    /// Largest fraction of any device resource the pass may use; nil for the default.
    public var maxUtilization: Double?
    /// Meet this latency with the least hardware instead of the fastest design that fits.
    public var latencyTargetMicroseconds: Double?

    public static let defaultMaxUtilization = 0.8

    public init(auto: Bool = false, maxUtilization: Double? = nil, latencyTargetMicroseconds: Double? = nil) {
        self.auto = auto
        self.maxUtilization = maxUtilization
        self.latencyTargetMicroseconds = latencyTargetMicroseconds
    }
}

extension PrecisionOverrides {
    /// True when the configuration gives a reuse factor anywhere (model-wide or for a layer part): then the
    /// reuse pass only runs when asked for, so the configured factors are kept.
    public var hasExplicitReuse: Bool {
        reuse != nil || layers.values.contains { $0.reuse != nil || $0.recurrentReuse != nil }
    }
}
