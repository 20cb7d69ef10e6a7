/// A design as stock hls4ml 1.x would generate it (Resource strategy, nnet_utils templates), described by the
/// few numbers its cost depends on. Built from an IR graph (HLS4MLFromGraph) or from a calibration-corpus entry.
public enum HLS4MLIOType: String, Sendable, CaseIterable {
    case parallel = "io_parallel"
    case stream = "io_stream"
}

/// hls4ml's backend, i.e. the HLS tool the design is built with: `Vivado` (Vivado HLS 2019.2/2020.1, hls4ml's
/// default) or `Vitis` (Vitis HLS). They bind a reuse loop's input selects differently (`HLS4MLCost.dense`).
public enum HLS4MLBackend: String, Sendable, CaseIterable {
    case vivado
    case vitis
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
    /// `dense_latency` n_in → n_out (the Latency strategy): every product by its constant weight, unrolled;
    /// `weights` counts what the constants leave (nil: every weight non-zero, a third of its bits non-zero digits).
    case denseLatency(nIn: Int, nOut: Int, reuse: Int, weights: HLS4MLWeightStats?)
    /// A separate activation layer on n values (`table`: sigmoid/tanh lookups; else relu-like logic).
    case activation(n: Int, table: Bool)
    /// softmax (hls4ml's `softmax_stable`) over n values: max tree, exp lookups, sum tree, one inverse lookup.
    case softmax(n: Int)
}

extension HLS4MLLayerKind {
    /// A product built by a Resource-strategy template (a reuse loop over weights in memory).
    public var isResourceProduct: Bool {
        switch self {
        case .dense, .gru: return true
        case .denseLatency, .activation, .softmax: return false
        }
    }
}

/// What a Latency-strategy product's constant weights leave after quantisation: HLS drops a product by zero and
/// builds one by a constant as shifts and adds, one per non-zero digit of the weight's canonical signed-digit form.
public struct HLS4MLWeightStats: Hashable, Sendable {
    public var nonzero: Int
    /// Σ over non-zero weights of their canonical signed-digit (non-adjacent form) digit count.
    public var signedDigits: Int

    public init(nonzero: Int, signedDigits: Int) {
        self.nonzero = max(0, nonzero)
        self.signedDigits = max(0, signedDigits)
    }

    /// Statistics of weights as raw integer codes.
    public init(codes: [Int64]) {
        var nz = 0, digits = 0
        for c in codes where c != 0 {
            nz += 1
            digits += Self.signedDigits(c)
        }
        self.init(nonzero: nz, signedDigits: digits)
    }

    /// Non-zero digits of the non-adjacent form of v (the fewest ±2^k terms that sum to v).
    public static func signedDigits(_ v: Int64) -> Int {
        var x = v.magnitude, n = 0
        while x != 0 {
            if x & 1 == 1 {
                n += 1
                // A run of ones (…11) is cheaper as 2^(k+1) − 1: step up instead of down.
                if x & 3 == 3 { x = x &+ 1 } else { x -= 1 }
            }
            x >>= 1
        }
        return n
    }
}

public struct HLS4MLLayer: Hashable, Sendable {
    public var name: String
    public var kind: HLS4MLLayerKind
    public var widths: HLS4MLWidths
    /// The layer's output as an io_stream design carries it (nil: not known, no FIFO priced).
    public var output: HLS4MLStreamShape?

    public init(name: String, kind: HLS4MLLayerKind, widths: HLS4MLWidths, output: HLS4MLStreamShape? = nil) {
        self.name = name
        self.kind = kind
        self.widths = widths
        self.output = output
    }
}

/// A layer output under io_stream: `width` values a write (hls4ml gives each its own FIFO), `depth` writes a call
/// (the sequence length of a sequence output, 1 for a vector), which is the depth hls4ml declares.
public struct HLS4MLStreamShape: Hashable, Sendable {
    public var width: Int
    public var depth: Int

    public init(width: Int, depth: Int) {
        self.width = width
        self.depth = depth
    }
}

public struct HLS4MLDesign: Hashable, Sendable {
    public var name: String
    public var layers: [HLS4MLLayer]
    public var io: HLS4MLIOType
    /// How the design's input port is read: stock hls4ml reshapes it into one word under io_parallel (`.reshaped`);
    /// a hand-set AXI-stream port (`.stream`) is read in order.
    public var input: HLS4MLSequenceInput
    public var backend: HLS4MLBackend

    public init(name: String, layers: [HLS4MLLayer], io: HLS4MLIOType, input: HLS4MLSequenceInput? = nil,
                backend: HLS4MLBackend = .vivado) {
        self.name = name
        self.layers = layers
        self.io = io
        self.input = input ?? (io == .stream ? .stream : .reshaped)
        self.backend = backend
    }
}

/// Where a layer reads its input at a runtime index (a gru_stack's step t reads `data[j + t·n_in]`, a
/// dense_resource's multiplier reads `data[(ir + R·im) mod n_in]`).
public enum HLS4MLSequenceInput: Hashable, Sendable {
    /// From a stream (io_stream, or a hand-set AXI-stream port): in order, no indexing.
    case stream
    /// From the design's input port under io_parallel, which hls4ml reshapes into one word
    /// (`ARRAY_RESHAPE complete`): each read is a variable part-select of the whole word.
    case reshaped
    /// From a completely partitioned local array (a GRU's state inside gru_static; a per-step product's slice): each
    /// read is a multiplexer over it. (dense_wrapper's copy of a stream word under io_stream is reached through
    /// `.stream` and sized the same way.)
    case partitioned
    /// From a completely partitioned array passed in as the function's argument (a later layer under io_parallel,
    /// whose input is a channel of the dataflow top): each element is a port of its own; each read is a multiplexer.
    case argument
}
