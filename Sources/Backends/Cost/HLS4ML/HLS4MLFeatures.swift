/// The structural quantities LUT and FF are priced from (fitted per unit by HLS4MLFit), summed over a module.
public struct HLS4MLFeatures: Hashable, Sendable {
    /// Σ multipliers × accumulator bits: the adders (LUT).
    public var accumulate = 0.0
    /// Input-select multiplexers in LUT6 (a k:1 mux of one bit ≈ (k−1)/3 LUTs), plus accumulator selection when
    /// the reuse factor exceeds n_in.
    public var mux = 0.0
    /// Σ a·b over products small enough for LUTs.
    public var lutMultiply = 0.0
    /// Element-wise logic bits (GRU gate additions and products, relu-like activations): their LUT, and the
    /// registers of a GRU's per-unit values, accumulator-wide (the corpus' 8-bit gru_static holds 5,005 register
    /// bits where its 16-bit twin holds 7,186).
    public var elementwise = 0.0
    /// Table lookups (sigmoid/tanh/softmax), one address path each.
    public var lookups = 0.0
    /// Module instances (control state machine, pipeline control).
    public var instances = 0.0
    /// Σ n_in over products: HLS keeps every input of a rewound reuse loop in a register fed by phi multiplexers,
    /// which it prices per multiplexer, not per bit.
    public var inputs = 0.0
    /// Σ n_in × data bits over products: those input registers.
    public var inputBits = 0.0
    /// Σ (n_in + n_out) over Dense layers called as a layer (their wrapper copies inputs and results).
    public var layerIO = 0.0
    /// Σ non-zero constant weights × accumulator bits over Latency-strategy products: the adder tree and its
    /// pipeline registers.
    public var constantProducts = 0.0
    /// Σ signed digits of the non-zero constant weights × data bits: the shifts and adds of the constant products.
    public var constantDigits = 0.0
    /// Σ n_out × accumulator bits over Resource-strategy products: the accumulator registers (one per output,
    /// however many multipliers feed it).
    public var accumulatorBits = 0.0
    /// Σ product bits over products built in LUTs: HLS registers each one (a DSP keeps its own product register;
    /// the corpus' 8-bit gru_static registers 63 14-bit products, its 16-bit twin none).
    public var lutProductBits = 0.0
    /// Σ n × data bits over relu-like activation layers: a compare and an output select and cast per value (LUT),
    /// and the output registers when HLS gives the layer a cycle (FF; the corpus' relu modules at 3.33 ns).
    public var reluBits = 0.0

    public init() {}

    public static func + (a: Self, b: Self) -> Self {
        var r = a
        r.accumulate += b.accumulate; r.mux += b.mux; r.lutMultiply += b.lutMultiply
        r.elementwise += b.elementwise; r.lookups += b.lookups; r.instances += b.instances
        r.inputs += b.inputs; r.inputBits += b.inputBits; r.layerIO += b.layerIO
        r.constantProducts += b.constantProducts; r.constantDigits += b.constantDigits
        r.accumulatorBits += b.accumulatorBits; r.lutProductBits += b.lutProductBits
        r.reluBits += b.reluBits
        return r
    }

    public static func * (a: Self, n: Double) -> Self {
        var r = a
        r.accumulate *= n; r.mux *= n; r.lutMultiply *= n; r.elementwise *= n; r.lookups *= n; r.instances *= n
        r.inputs *= n; r.inputBits *= n; r.layerIO *= n; r.constantProducts *= n; r.constantDigits *= n
        r.accumulatorBits *= n; r.lutProductBits *= n; r.reluBits *= n
        return r
    }

    /// Feature vectors of the two fitted quantities, in the order of HLS4MLConstants' coefficients.
    public var lutVector: [Double] {
        [accumulate, mux, lutMultiply, elementwise, instances, inputs, layerIO, constantProducts, constantDigits, reluBits]
    }
    public var ffVector: [Double] { [accumulatorBits, lookups, instances, inputBits, constantProducts, elementwise, lutProductBits, reluBits] }
}

/// The fitted constants: cycles beyond the reuse loop, and LUT/FF per unit of each feature.
public struct HLS4MLConstants: Hashable, Sendable {
    /// Cycles of a dense_resource call beyond its `reuse` loop iterations (pipeline fill, bias, result write).
    public var denseOverhead: Int
    /// Cycles of one gru_static step beyond its longer product (gate sums, activations, state update).
    public var stepOverhead: Int
    /// Cycles a product spends beyond `denseOverhead` when its inputs pass a mux core per multiplier or a read of
    /// the reshaped input word (`HLS4MLCost.hasSelectStage`).
    public var selectOverhead: Int
    /// Cycles of a dense_latency call beyond the ⌈log2 n_in⌉ levels of its adder tree.
    public var latencyTreeOverhead: Int
    /// LUT per unit of each feature of `lutVector` (names: `lutNames`).
    public var lut: [Double]
    /// FF per unit of each feature of `ffVector` (names: `ffNames`).
    public var ff: [Double]

    public init(denseOverhead: Int, stepOverhead: Int, latencyTreeOverhead: Int = 0, selectOverhead: Int = 0, lut: [Double],
                ff: [Double]) {
        self.denseOverhead = denseOverhead
        self.stepOverhead = stepOverhead
        self.latencyTreeOverhead = latencyTreeOverhead
        self.selectOverhead = selectOverhead
        self.lut = lut
        self.ff = ff
    }

    public static let lutNames = ["accumulate", "mux", "lut_multiply", "elementwise", "instances", "inputs", "layer_io",
                                  "constant_products", "constant_digits", "relu_bits"]
    public static let ffNames = ["accumulators", "lookups", "instances", "input_bits", "constant_products", "elementwise", "lut_products", "relu_bits"]
}
