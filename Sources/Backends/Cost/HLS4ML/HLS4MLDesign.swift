/// A design as stock hls4ml 1.x would generate it (Resource strategy, nnet_utils templates), described by the
/// few numbers its cost depends on. Built from an IR graph (HLS4MLFromGraph) or from a calibration-corpus entry.
public enum HLS4MLIOType: String, Sendable, CaseIterable {
    case parallel = "io_parallel"
    case stream = "io_stream"
}

/// Operand widths in bits: weights, the data (layer input) and the accumulator (`accum_t`).
public struct HLS4MLWidths: Hashable, Sendable {
    public var weight: Int
    public var data: Int
    public var accum: Int

    public init(weight: Int, data: Int, accum: Int) {
        self.weight = max(1, weight)
        self.data = max(1, data)
        self.accum = max(1, accum)
    }
}

public enum HLS4MLLayerKind: Hashable, Sendable {
    /// `dense_resource` n_in → n_out with reuse factor `reuse`, applied at `steps` positions one after another
    /// (1: a vector; a pointwise Conv1D or a per-step Dense over a sequence: its length).
    case dense(nIn: Int, nOut: Int, reuse: Int, steps: Int)
    /// `gru_stack` over `steps` steps (both directions run side by side when `bidirectional`); `tables`: sigmoid/tanh
    /// as lookup tables (false: hard sigmoid/tanh, plain logic).
    case gru(nIn: Int, nState: Int, reuseInput: Int, reuseRecurrent: Int, steps: Int, bidirectional: Bool, tables: Bool)
    /// A separate activation layer on n values (`table`: sigmoid/tanh/softmax lookups; else relu-like logic).
    case activation(n: Int, table: Bool)
}

public struct HLS4MLLayer: Hashable, Sendable {
    public var name: String
    public var kind: HLS4MLLayerKind
    public var widths: HLS4MLWidths

    public init(name: String, kind: HLS4MLLayerKind, widths: HLS4MLWidths) {
        self.name = name
        self.kind = kind
        self.widths = widths
    }
}

public struct HLS4MLDesign: Hashable, Sendable {
    public var name: String
    public var layers: [HLS4MLLayer]
    public var io: HLS4MLIOType

    public init(name: String, layers: [HLS4MLLayer], io: HLS4MLIOType) {
        self.name = name
        self.layers = layers
        self.io = io
    }
}
