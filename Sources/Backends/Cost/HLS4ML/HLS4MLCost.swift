/// Latency and resources of one HLS module of a stock hls4ml design: a layer, a GRU step, or the whole design.
public struct HLS4MLModuleCost: Hashable, Sendable {
    public var name: String
    public var latency: Int
    public var interval: Int
    public var dsp: Int
    public var bram18: Int
    public var features: HLS4MLFeatures
    /// LUT priced from HLS's own operator table rather than fitted (wide shifts and word logic; see
    /// `HLS4MLOperators`), added to the fitted features' LUT.
    public var operatorLUT = 0
    /// Register bits counted rather than fitted: the extra pipeline stage of products wider than one DSP
    /// (`HLS4MLCost.dense`), added to the fitted features' FF.
    public var pipelineFF = 0
    /// Vivado HLS mux cores this module creates (input selects at a runtime index).
    public var muxCores = 0
    /// Inputs of the last mux core this module creates (0: none).
    public var lastMuxCore = 0
    /// Inputs of the core whose LUT figure HLS gives every core of the run: the last one the run creates
    /// (`HLS4MLOperators.muxCoreLUT`). Set by `HLS4MLCost.design`; nil: this module's own last core.
    public var runMuxCore: Int?

    public init(name: String, latency: Int, interval: Int, dsp: Int, bram18: Int, features: HLS4MLFeatures,
                operatorLUT: Int = 0, pipelineFF: Int = 0) {
        self.name = name
        self.latency = latency
        self.interval = interval
        self.dsp = dsp
        self.bram18 = bram18
        self.features = features
        self.operatorLUT = operatorLUT
        self.pipelineFF = pipelineFF
    }

    public func lut(_ c: HLS4MLConstants) -> Int {
        HLS4MLOperators.plus(Self.dot(c.lut, features.lutVector), HLS4MLOperators.plus(operatorLUT, muxCoreLUT))
    }
    /// LUT HLS gives each of this module's mux cores: the figure of the run's last core (0 without cores).
    public var muxCoreLUTEach: Int { muxCores > 0 ? HLS4MLOperators.muxCoreLUT(inputs: runMuxCore ?? lastMuxCore) : 0 }
    /// LUT of the mux cores, priced from HLS's own figure rather than fitted.
    public var muxCoreLUT: Int { HLS4MLOperators.times(muxCores, muxCoreLUTEach) }
    public func ff(_ c: HLS4MLConstants) -> Int { Self.dot(c.ff, features.ffVector) + pipelineFF }
    public func resources(_ c: HLS4MLConstants) -> Resources { Resources(dsp: dsp, lut: lut(c), ff: ff(c), bram18: bram18) }

    static func dot(_ a: [Double], _ b: [Double]) -> Int {
        let v = zip(a, b).reduce(0.0) { $0 + $1.0 * $1.1 }
        return v.isFinite && v > 0 ? Int(min(v.rounded(), 1e15)) : 0
    }
}

/// The schedule and resources stock hls4ml 1.x Resource-strategy templates give (nnet_dense_resource.h,
/// nnet_recurrent.h). Facts of the templates, not fitted: dense_resource has block_factor = ⌈n_in·n_out/R⌉
/// multipliers in an R-iteration pipelined loop (II 1), weights cyclic-partitioned into block_factor banks of depth
/// R; gru_static calls the input and the recurrent product (independent, so HLS overlaps them), then 2n sigmoid and
/// n tanh lookups and three Hadamard products per unit; gru_stack calls it once per step. Fitted constants are in
/// HLS4MLConstants.fitted (docs/estimates.md, "Pricing stock hls4ml designs").
public enum HLS4MLCost {
    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? max(a, 1) : gcd(b, a % b) }

    /// DSP48E2 slices of one a×b-bit product (27×18 signed multiplier); products of at most 16 result bits
    /// (8×8) are built in LUTs, as the corpus' 8-bit designs show (no DSP in their products).
    public static func dspPerMultiply(_ a: Int, _ b: Int) -> Int {
        if a + b <= 16 { return 0 }
        let lo = min(a, b), hi = max(a, b)
        return ((lo + 17) / 18) * ((hi + 26) / 27)
    }

    /// Data bits per BRAM18 word at a given depth (512×36, 1K×18, 2K×9, 4K×4, 8K×2, 16K×1).
    static func bramWidth(depth: Int) -> Int {
        for (d, w) in [(512, 36), (1024, 18), (2048, 9), (4096, 4), (8192, 2)] where depth <= d { return w }
        return 1
    }

    /// A weight ROM of at most this many bits is kept in LUTs (corpus: 4,480-bit ROMs in LUTs, 5,760 in BRAM).
    static let romInLUTBits = 5120

    /// Whether a product's inputs pass a select stage: a mux core per multiplier (Vivado, R < n_in) or a read of
    /// the reshaped input word.
    public static func hasSelectStage(nIn: Int, reuse: Int, input: HLS4MLSequenceInput, backend: HLS4MLBackend) -> Bool {
        input == .reshaped || (reuse < nIn && !productMuxCores(nIn: nIn, reuse: reuse, multipliers: 2, input: input, backend: backend).isEmpty)
    }

    /// The mux cores Vivado HLS builds for a product with R < n_in, in the order it creates them (count, inputs);
    /// empty when it builds none (Vitis HLS, past the largest core, or R = 1 where every index is a constant). One
    /// core per multiplier, never shared. Their size depends on where the product's input lives, in Vivado HLS 2019.1
    /// and 2020.1 alike (23 public modules: benchmarks/calibration/operators.json, `mux_core_sizes`):
    /// - a partitioned argument (`.argument`: a later layer under io_parallel): every core spans 2^⌈log2(R+1)⌉
    ///   inputs (50 inputs at R = 5 → 8; 784 at R = 28 → 32; 15 at R = 3 → 4; 64 at R = 32 → 64). Where R is a power
    ///   of two the public cases all have n_in = 2R, so 2^⌈log2 n_in⌉ would fit them as well (docs/estimates.md);
    /// - a local copy (`.partitioned` or `.stream`: dense_wrapper's under io_stream, a conv kernel's buffer, a GRU's
    ///   state): the first multiplier's core spans 2^⌈log2 R⌉ inputs, every other one 2^⌈log2 n_in⌉ (144 inputs at
    ///   R = 3 → 4, then 256; 80 at R = 40 → 64, then 128).
    /// Why HLS sizes the two differently is not known. At R = 1 every index is a constant (no report has one).
    public static func productMuxCores(nIn: Int, reuse r: Int, multipliers m: Int, input: HLS4MLSequenceInput,
                                       backend: HLS4MLBackend) -> [(count: Int, inputs: Int)] {
        guard backend == .vivado, r > 1, r < nIn, m > 0, input != .reshaped else { return [] }
        if input == .argument {
            guard let inputs = muxCoreInputs(r + 1, backend) else { return [] }
            return [(m, inputs)]
        }
        guard let inputs = muxCoreInputs(nIn, backend), let first = muxCoreInputs(r, backend) else { return [] }
        return m > 1 ? [(1, first), (m - 1, inputs)] : [(1, first)]
    }

    /// Inputs of the mux core Vivado HLS builds over n values read at a runtime index (a power of two), or nil
    /// when it builds none: Vitis HLS, or past the largest core.
    static func muxCoreInputs(_ n: Int, _ backend: HLS4MLBackend) -> Int? {
        let inputs = 1 << min(62, ceilLog2(max(1, n)))
        return backend == .vivado && inputs <= HLS4MLOperators.largestMuxCore ? inputs : nil
    }

    /// A product's input-select cost: the fitted `mux` feature, LUT priced from HLS's operator table, and Vivado
    /// mux cores (priced at the run's figure, `HLS4MLOperators.muxCoreLUT`) with the inputs of the last one.
    struct InputSelect {
        var mux = 0.0, operatorLUT = 0, cores = 0, lastCore = 0

        mutating func add(cores n: Int, inputs: Int) {
            guard n > 0, inputs > 1 else { return }
            cores = HLS4MLOperators.plus(cores, n)
            lastCore = inputs
        }
    }

    /// The input selects of a dense_resource product: multiplier im reads data[(ir + R·im) mod n_in] at runtime
    /// index ir.
    /// - From the design's reshaped input port (a first layer under io_parallel): one read of the whole word per
    ///   distinct index, n_in/gcd(n_in, R) of them (R < n_in; one when R ≥ n_in); L1CaloTriggerAD's 252-input layer
    ///   at R = 3 shifts its word 84 times, a jet tagger's 16-input layer at R = 8 twice.
    /// - Otherwise, with R < n_in, Vivado HLS gives every multiplier its own mux core (`productMuxCores`), up to the
    ///   largest core; Vitis HLS (and Vivado past that core) shares one R:1 select between the multipliers whose
    ///   offsets agree mod n_in, built as R − 1 two-input selects (QuickDraw-model1: 25 shared 128:1 selects for 800
    ///   multipliers).
    /// - With R ≥ n_in one n_in:1 select serves all (under Vivado a core of exactly n_in inputs: a jet tagger's
    ///   `mux_205`, 20 inputs at R = 20); past n_in a multiplier also feeds R/n_in accumulators in turn, which Vivado
    ///   selects with one more core of R/n_in inputs, created after the input's (QuickDraw-model1's 32 → 16 layer
    ///   at R = 128: `mux_325` then `mux_42`; its 16 → 5 layer at R = 80: `mux_164` then `mux_53`).
    static func inputSelect(nIn: Int, reuse r: Int, multipliers m: Int, dataBits data: Int, accumBits: Int,
                            input: HLS4MLSequenceInput, backend: HLS4MLBackend) -> InputSelect {
        var s = InputSelect()
        s.mux = r > nIn ? Double(m) * Double(accumBits) * Double(r / nIn - 1) / 3 : 0
        if input == .reshaped {
            let word = nIn.multipliedReportingOverflow(by: data)
            let read = HLS4MLOperators.wordReadLUT(bits: word.overflow ? Int.max / 4 : word.partialValue)
            let reads = r < nIn ? nIn / gcd(nIn, r) : 1
            s.operatorLUT = HLS4MLOperators.times(reads, read)
            return s
        }
        guard r < nIn else {
            if backend == .vivado, nIn <= HLS4MLOperators.largestMuxCore {
                s.add(cores: 1, inputs: nIn)
                if r > nIn { s.add(cores: 1, inputs: min(r / nIn, HLS4MLOperators.largestMuxCore)) }
            } else {
                s.mux += Double(data) * Double(nIn - 1) / 3
            }
            return s
        }
        let cores = productMuxCores(nIn: nIn, reuse: r, multipliers: m, input: input, backend: backend)
        if !cores.isEmpty {
            for c in cores { s.add(cores: c.count, inputs: c.inputs) }
            return s
        }
        s.mux = Double(min(m, nIn / gcd(nIn, r))) * Double(data) * Double(r - 1)
        return s
    }

    /// The input reads of a gru_stack over `steps` steps: n_in reads a step at a runtime index, each a read of the
    /// reshaped input word (a first layer under io_parallel) or, from a partitioned array, a Vivado mux core over the
    /// whole array up to the largest core, else a shared select among the `steps` values it reaches (the fitted `mux`
    /// feature). Neither partitioned case is in any report yet: both are assumptions.
    static func sequenceRead(nIn: Int, steps: Int, dataBits: Int, input: HLS4MLSequenceInput,
                             backend: HLS4MLBackend) -> InputSelect {
        var s = InputSelect()
        guard steps > 1, nIn > 0, input != .stream else { return s }
        let elements = steps.multipliedReportingOverflow(by: nIn)
        guard !elements.overflow else { s.operatorLUT = Int.max / 4; return s }
        switch input {
        case .stream:
            break
        case .reshaped:
            let word = elements.partialValue.multipliedReportingOverflow(by: dataBits)
            s.operatorLUT = HLS4MLOperators.times(nIn, HLS4MLOperators.wordReadLUT(bits: word.overflow ? Int.max / 4 : word.partialValue))
        case .partitioned, .argument:
            if let inputs = muxCoreInputs(elements.partialValue, backend) {
                s.add(cores: nIn, inputs: inputs)
            } else {
                // Shared selects, as in a product: each read chooses among the `steps` values its index reaches.
                s.mux = Double(nIn) * Double(dataBits) * Double(steps - 1)
            }
        }
        return s
    }

    /// One dense_resource call (n_in → n_out, reuse R): latency R + overhead.
    public static func dense(name: String, nIn: Int, nOut: Int, reuse: Int, widths w: HLS4MLWidths, dataBits: Int? = nil,
                             input: HLS4MLSequenceInput = .partitioned, backend: HLS4MLBackend = .vivado,
                             _ c: HLS4MLConstants) -> HLS4MLModuleCost {
        let nIn = max(1, nIn), nOut = max(1, nOut)
        let products = nIn.multipliedReportingOverflow(by: nOut)
        let total = products.overflow ? Int.max / 2 : products.partialValue
        let r = min(max(1, reuse), total)
        let m = (total + r - 1) / r
        let data = dataBits ?? w.data
        let perProduct = dspPerMultiply(w.weight, data)
        let romBits = Double(total) * Double(w.weight)
        let bram = romBits <= Double(romInLUTBits) ? 0 : (m * w.weight + bramWidth(depth: r) - 1) / bramWidth(depth: r)
        var f = HLS4MLFeatures()
        f.accumulate = Double(m) * Double(w.accum)
        f.accumulatorBits = Double(nOut) * Double(w.accum)
        // Multiplier im reads data[(ir + R·im) mod n_in]: see `inputSelect`.
        let select = inputSelect(nIn: nIn, reuse: r, multipliers: m, dataBits: data, accumBits: w.accum, input: input, backend: backend)
        f.mux = select.mux
        let operatorLUT = select.operatorLUT
        f.lutMultiply = perProduct == 0 ? Double(m) * Double(w.weight) * Double(data) : 0
        f.lutProductBits = perProduct == 0 ? Double(m) * Double(w.weight + data) : 0
        f.instances = 1
        // The reuse loop is pipelined with `rewind`: HLS holds every input in registers with phi multiplexers
        // (QuickDraw-model1's 3,200-input product: 8,577 20-bit registers, 3- and 2-input multiplexers priced 15
        // and 9 LUT each whatever their width), so LUT grows with n_in and FF with n_in × data bits.
        f.inputs = Double(nIn)
        f.inputBits = Double(nIn) * Double(data)
        // A product wider than one DSP48 (a cascade of several) takes one more pipeline stage: each multiplier's
        // product and its accumulator's phi value are registered once more, accumulator-wide.
        let pipelineFF = perProduct > 1 ? HLS4MLOperators.times(m, 2 * w.accum) : 0
        let lat = r + c.denseOverhead + (hasSelectStage(nIn: nIn, reuse: r, input: input, backend: backend) ? c.selectOverhead : 0)
        var cost = HLS4MLModuleCost(name: name, latency: lat, interval: r, dsp: m * perProduct, bram18: bram, features: f,
                                    operatorLUT: operatorLUT, pipelineFF: pipelineFF)
        cost.muxCores = select.cores
        cost.lastMuxCore = select.lastCore
        return cost
    }

    /// One dense_latency call (the Latency strategy): the products by constant weights are unrolled and pipelined
    /// (II = R when R > 1); HLS drops products by zero, builds the rest as shifts and adds (DSPs only for products
    /// too wide for LUTs, at most ⌈n_in·n_out/R⌉ − ⌊zeros/R⌋ of them: the template's multiplier limit) and sums
    /// them in an adder tree of ⌈log2 n_in⌉ levels.
    public static func denseLatency(name: String, nIn: Int, nOut: Int, reuse: Int, weights: HLS4MLWeightStats?,
                                    widths w: HLS4MLWidths, _ c: HLS4MLConstants) -> HLS4MLModuleCost {
        let nIn = max(1, nIn), nOut = max(1, nOut)
        let products = nIn.multipliedReportingOverflow(by: nOut)
        let total = products.overflow ? Int.max / 2 : products.partialValue
        // Without the weights: every weight non-zero, with the signed digits of an average code (the default
        // cost model's constant-multiplier rule).
        let perWeight = max(1, Int((Double(w.weight) * CostConstants.csdDigitsPerWeightBit).rounded(.down)))
        let digits = total.multipliedReportingOverflow(by: perWeight)
        let stats = weights ?? HLS4MLWeightStats(nonzero: total, signedDigits: digits.overflow ? Int.max / 2 : digits.partialValue)
        let r = min(max(1, reuse), max(1, total))
        let zeros = max(0, total - stats.nonzero)
        let limit = max(1, (total + r - 1) / r - zeros / r)
        let perProduct = dspPerMultiply(w.weight, w.data)
        var f = HLS4MLFeatures()
        f.constantProducts = Double(stats.nonzero) * Double(w.accum)
        f.constantDigits = Double(stats.signedDigits) * Double(w.data)
        f.instances = 1
        let lat = max(1, ceilLog2(nIn) + c.latencyTreeOverhead)
        return HLS4MLModuleCost(name: name, latency: lat, interval: r, dsp: min(stats.nonzero, limit) * perProduct, bram18: 0,
                                features: f)
    }

    /// One gru_static call: both products, gate sums, activations, state update.
    public static func gruStep(name: String, nIn: Int, nState n: Int, reuseInput: Int, reuseRecurrent: Int, tables: Bool,
                               widths w: HLS4MLWidths, backend: HLS4MLBackend = .vivado, _ c: HLS4MLConstants) -> HLS4MLModuleCost {
        let x = dense(name: name, nIn: nIn, nOut: 3 * n, reuse: reuseInput, widths: w, backend: backend, c)
        let h = dense(name: name, nIn: n, nOut: 3 * n, reuse: reuseRecurrent, widths: w, dataBits: w.accum, backend: backend, c)
        let a = w.accum
        // r·(W_h h), h̃·(1−z) and z·h per unit. The template writes `1 - z` with an int literal, so the operand is
        // promoted past 32 bits and HLS narrows it only to what fits one DSP (27 bits) or one bit more than z: that
        // product is a DSP whatever the precision (one per unit in every 8- and 16-bit corpus GRU), the other two
        // follow the LUT/DSP rule.
        let hadamard = [(a, a), (max(a + 1, 27), a), (a, a)]
        var f = x.features + h.features
        f.elementwise = Double(4 * n * a)
        f.lutMultiply += hadamard.reduce(0.0) { $0 + (dspPerMultiply($1.0, $1.1) == 0 ? Double(n * $1.0 * $1.1) : 0) }
        f.lutProductBits += hadamard.reduce(0.0) { $0 + (dspPerMultiply($1.0, $1.1) == 0 ? Double(n * ($1.0 + $1.1)) : 0) }
        f.instances += 1
        var bram = x.bram18 + h.bram18
        if tables {
            // 1024-entry tables, one BRAM18 per two lookups (dual port), every unit in parallel.
            bram += (2 * n + 1) / 2 + (n + 1) / 2
            f.lookups = Double(3 * n)
        } else {
            f.elementwise += Double(3 * n * a)
        }
        let dsp = x.dsp + h.dsp + n * hadamard.reduce(0) { $0 + dspPerMultiply($1.0, $1.1) }
        let lat = max(x.latency, h.latency) - c.denseOverhead + c.stepOverhead
        // A Hadamard product wider than one DSP registers its result once more (accumulator-wide, per unit).
        let wide = hadamard.filter { dspPerMultiply($0.0, $0.1) > 1 }.count
        var cost = HLS4MLModuleCost(name: name, latency: lat, interval: lat, dsp: dsp, bram18: bram, features: f,
                                    operatorLUT: x.operatorLUT + h.operatorLUT,
                                    pipelineFF: x.pipelineFF + h.pipelineFF + HLS4MLOperators.times(wide * n, a))
        // The input product's module is synthesised before the recurrent one (configN_1, then configN_2).
        cost.muxCores = HLS4MLOperators.plus(x.muxCores, h.muxCores)
        cost.lastMuxCore = h.lastMuxCore > 0 ? h.lastMuxCore : x.lastMuxCore
        return cost
    }

    /// A layer as its top-level module; `input`: how a recurrent layer reads its sequence.
    public static func layer(_ l: HLS4MLLayer, input: HLS4MLSequenceInput = .stream, backend: HLS4MLBackend = .vivado,
                             _ c: HLS4MLConstants) -> HLS4MLModuleCost {
        switch l.kind {
        case let .dense(nIn, nOut, reuse, steps):
            // A per-step product (steps > 1) reads its step's slice, not the port word.
            var d = dense(name: l.name, nIn: nIn, nOut: nOut, reuse: reuse, widths: l.widths,
                          input: steps <= 1 ? input : .partitioned, backend: backend, c)
            if steps <= 1 { d.features.layerIO = Double(nIn + nOut) }
            if steps > 1 { d.latency = steps * (d.latency + 1) }
            d.interval = d.latency
            return d
        case let .gru(nIn, nState, ri, rr, steps, bidirectional, tables):
            let step = gruStep(name: l.name, nIn: nIn, nState: nState, reuseInput: ri, reuseRecurrent: rr, tables: tables,
                               widths: l.widths, backend: backend, c)
            var s = step
            // One step per time step, plus the input copy and the state write-back of each iteration.
            s.latency = max(1, steps) * (step.latency + 2) + 1
            if bidirectional {
                // Directions side by side; the backward one ends a step later. The corpus' bidirectional designs
                // (three builds) hold a third copy of the weight ROMs and tables.
                s.latency += step.latency + 1
                s.dsp *= 2
                s.bram18 *= 3
                s.features = s.features * 2
            }
            // The input reads of every step, once per direction.
            let read = sequenceRead(nIn: nIn, steps: steps, dataBits: l.widths.data, input: input, backend: backend)
            let directions = bidirectional ? 2 : 1
            s.operatorLUT += directions * read.operatorLUT
            s.features.mux += Double(directions) * read.mux
            // gru_stack, which holds the reads, is synthesised after its gru_static.
            s.muxCores = HLS4MLOperators.plus(HLS4MLOperators.times(directions, s.muxCores), HLS4MLOperators.times(directions, read.cores))
            if read.lastCore > 0 { s.lastMuxCore = read.lastCore }
            if bidirectional { s.pipelineFF *= 2 }
            s.interval = s.latency
            return s
        case let .denseLatency(nIn, nOut, reuse, weights):
            return denseLatency(name: l.name, nIn: nIn, nOut: nOut, reuse: reuse, weights: weights, widths: l.widths, c)
        case let .softmax(n):
            var f = HLS4MLFeatures()
            f.instances = 1
            f.lookups = Double(n + 1)
            f.elementwise = Double(2 * n * l.widths.data)
            // Max tree, subtract and exp lookup (2), sum tree, inverse lookup (2), product (1). The corpus' softmax
            // reports hold one BRAM18 per value (the exp table read by every value at once).
            let lat = 2 * ceilLog2(n) + 5
            return HLS4MLModuleCost(name: l.name, latency: lat, interval: 1, dsp: 0, bram18: n, features: f)
        case let .activation(n, table):
            var f = HLS4MLFeatures()
            f.instances = 1
            if table { f.lookups = Double(n) } else { f.reluBits = Double(n) * Double(l.widths.data) }
            return HLS4MLModuleCost(name: l.name, latency: 1, interval: 1, dsp: 0, bram18: table ? (n + 1) / 2 : 0, features: f)
        }
    }

    /// The design: layers one after another under io_parallel; under io_stream HLS's dataflow estimate overlaps
    /// them and reports the longest.
    public static func design(_ d: HLS4MLDesign, _ c: HLS4MLConstants = .fitted) -> (total: HLS4MLModuleCost, layers: [HLS4MLModuleCost]) {
        // Under io_parallel the first layer reads the design's input port, later ones the arrays the dataflow top
        // passes them (`.argument`).
        let products = d.layers.enumerated().map { i, l in
            layer(l, input: d.io == .stream ? .stream : i == 0 ? d.input : .argument, backend: d.backend, c)
        }
        let fifos = streamFIFOs(d)
        let layers = products + (fifos.map { [$0] } ?? [])
        var total = HLS4MLModuleCost(name: d.name, latency: 0, interval: 1, dsp: 0, bram18: 0, features: HLS4MLFeatures())
        for l in layers {
            // Saturating: each term is bounded by sizes read from a model file, their sum need not be.
            total.dsp = HLS4MLOperators.plus(total.dsp, l.dsp)
            total.bram18 = HLS4MLOperators.plus(total.bram18, l.bram18)
            total.features = total.features + l.features
            total.operatorLUT = HLS4MLOperators.plus(total.operatorLUT, l.operatorLUT)
            total.pipelineFF = HLS4MLOperators.plus(total.pipelineFF, l.pipelineFF)
            total.muxCores = HLS4MLOperators.plus(total.muxCores, l.muxCores)
        }
        // Vivado HLS prices every mux core of the run at the figure of the last one it creates; layers are
        // synthesised in order.
        let runCore = products.last(where: { $0.lastMuxCore > 0 })?.lastMuxCore ?? 0
        let priced = layers.map { l -> HLS4MLModuleCost in
            var l = l
            l.runMuxCore = runCore
            return l
        }
        total.lastMuxCore = runCore
        let longest = products.map(\.latency).max() ?? 0
        total.latency = d.io == .stream ? longest : products.reduce(0) { $0 + $1.latency + 1 }
        total.interval = longest + 1
        // A design of Latency-strategy products only is one pipeline (the top's PIPELINE pragma): a new input every
        // R cycles (the corpus' Latency-strategy designs report an interval of 1 and 2 at reuse 1 and 2).
        if d.io == .parallel, !d.layers.contains(where: \.kind.isResourceProduct) {
            total.interval = max(1, products.map(\.interval).max() ?? 1)
        }
        return (total, priced)
    }

    /// The FIFOs between the layers of an io_stream design, as one row: a FIFO per value of every layer output
    /// but the last (which writes the design's output port), each as deep as hls4ml declares it and as wide as
    /// the next layer's input type (`HLS4MLOperators.streamFIFO`). nil under io_parallel or without FIFOs.
    static func streamFIFOs(_ d: HLS4MLDesign) -> HLS4MLModuleCost? {
        guard d.io == .stream, d.layers.count > 1 else { return nil }
        var m = HLS4MLModuleCost(name: "stream FIFOs", latency: 0, interval: 1, dsp: 0, bram18: 0, features: HLS4MLFeatures())
        for (l, next) in zip(d.layers, d.layers.dropFirst()) {
            guard let o = l.output, o.width > 0 else { continue }
            let f = HLS4MLOperators.streamFIFO(depth: o.depth, bits: next.widths.data, backend: d.backend)
            m.bram18 = HLS4MLOperators.plus(m.bram18, HLS4MLOperators.times(o.width, f.bram18))
            m.operatorLUT = HLS4MLOperators.plus(m.operatorLUT, HLS4MLOperators.times(o.width, f.lut))
            m.pipelineFF = HLS4MLOperators.plus(m.pipelineFF, HLS4MLOperators.times(o.width, f.ff))
        }
        return m.bram18 == 0 && m.operatorLUT == 0 && m.pipelineFF == 0 ? nil : m
    }
}
