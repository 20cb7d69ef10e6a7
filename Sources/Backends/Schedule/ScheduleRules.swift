// The timing rules of the schedule over plain, printable quantities (widths, modes, reuse, table sizes), so that
// the builder (from the HardwarePlan) and the check that re-reads the emitted C++ (from its types and constants)
// call the same functions. Sources of each number are in DelayModel.
import LFADSIR

/// What the schedule needs of an element function: its kind, output cast and optional quantizer cast.
public struct FunctionShape: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case linear
        /// relu, hard sigmoid, hard tanh: a compare and a mux.
        case hard
        case table(size: Int)
    }
    public var kind: Kind
    public var output: FixedType
    public var quantizer: FixedType?

    public init(kind: Kind, output: FixedType, quantizer: FixedType?) {
        self.kind = kind
        self.output = output
        self.quantizer = quantizer
    }

    public init(_ f: ElementFunction) {
        switch f.kind {
        case .linear: kind = .linear
        case .relu, .hardSigmoid, .hardTanh: kind = .hard
        case .table(let t): kind = .table(size: t.size)
        }
        output = f.output
        quantizer = f.quantizer
    }

    var isTable: Bool {
        if case .table = kind { return true }
        return false
    }
}

/// The shape of one matrix as the schedule prices it.
public struct MatrixShape: Hashable, Sendable {
    public var rows: Int
    public var columns: Int
    public var reuse: Int
    public var weightBits: Int

    public init(rows: Int, columns: Int, reuse: Int, weightBits: Int) {
        self.rows = rows
        self.columns = columns
        self.reuse = max(1, reuse)
        self.weightBits = weightBits
    }

    public init(_ m: QuantizedMatrix) {
        self.init(rows: m.rows, columns: m.columns, reuse: m.reuse, weightBits: m.weightType.width)
    }

    public var chunk: Int { (columns + reuse - 1) / reuse }
}

/// Everything of a GRU cell that its step's timing depends on.
public struct CellShape: Hashable, Sendable {
    public var hidden: Int
    public var resetAfter: Bool
    /// The recurrent products: one merged 3H-row matrix (reset after), or z/r rows and h rows.
    public var recurrent: [MatrixShape]
    public var accum: FixedType
    public var state: FixedType
    public var gate: FunctionShape
    public var candidate: FunctionShape
    public var clip: Bool

    public init(hidden: Int, resetAfter: Bool, recurrent: [MatrixShape], accum: FixedType, state: FixedType,
                gate: FunctionShape, candidate: FunctionShape, clip: Bool) {
        self.hidden = hidden
        self.resetAfter = resetAfter
        self.recurrent = recurrent
        self.accum = accum
        self.state = state
        self.gate = gate
        self.candidate = candidate
        self.clip = clip
    }
}

public enum ScheduleRules {
    /// Interval and depth of one iteration of a product's pipeline.
    public struct MatVecTiming: Hashable, Sendable {
        public var ii: Int
        public var depth: Int
    }

    /// Vitis rejects aggregated stream elements wider than this.
    public static let maxStreamBits = 4_096

    /// A FIFO channel of `width` values of `bits` each per step: P values per part, K parts.
    public static func streamShape(width: Int, bits: Int) -> (perPart: Int, parts: Int) {
        let p = max(1, min(width, maxStreamBits / max(1, bits)))
        return (p, (width + p - 1) / p)
    }

    /// A fan-out copy and a glue pass read a word and write a word: two stages around their functions.
    public static let copyDepth = 2

    /// Seeding one lane of the Gaussian source: three chained SplitMix64 finalisers (trial key, lane key, the two
    /// state words side by side), each two dependent 64 × 64 products (the xor-shifts ride along).
    public static func gaussSeedDepth(_ delays: DelayModel) -> Int {
        3 * 2 * delays.productStages(aBits: 64, bBits: 64, countBits: nil)
    }

    /// One draw: the xoshiro word (two shift-adds, one stage), the priority encoder and normalising shift (one),
    /// the 496-entry ROM, the 17 × 12 interpolation product, the subtract and sign (one), the cast to ε's type.
    public static func gaussDrawStages(epsilon: FixedType, delays: DelayModel) -> Int {
        2 + DelayModel.romStages(depth: HardwareGaussian.octaves << HardwareGaussian.segmentBits)
            + delays.productStages(aBits: 17, bBits: HardwareGaussian.interpolationBits, countBits: nil) + 1
            + DelayModel.castStages(to: epsilon)
    }

    /// A sample process over `lanes` features and `steps` steps: the lanes seeded one per cycle, then one pipelined
    /// iteration per step with every lane unrolled (std from its table, ε from its source, in parallel), the
    /// product std·ε, the add and the cast to the result, between a read and a write.
    public static func sample(lanes: Int, steps: Int, std: FunctionShape, stdBits: Int, epsilon: FixedType, result: FixedType,
                              delays: DelayModel) -> [ScheduleNode] {
        let depth = copyDepth + max(functionStages(std, lanes: lanes), gaussDrawStages(epsilon: epsilon, delays: delays))
            + delays.productStages(aBits: stdBits, bBits: epsilon.width, countBits: nil) + 1 + DelayModel.castStages(to: result)
        return [gaussSeed(lanes: lanes, delays: delays),
                .pipeline(name: "sample", trips: steps, ii: max(1, tableReadCycles(std, lanes: lanes)), depth: depth)]
    }

    /// The controller's std exp(co_logvar/2) for its `lanes` outputs at once (a function call in the decoder's
    /// step), and with `epsilon`/`result` the sample co_mean + std·ε: the draw runs beside the table read, then the
    /// product, the add and the cast. One block (the step loop is not pipelined).
    public static func controllerSample(lanes: Int, std: FunctionShape, stdBits: Int, epsilon: FixedType?, result: FixedType?,
                                        delays: DelayModel) -> ScheduleNode {
        guard let epsilon, let result else { return .block(name: "co_std", depth: max(1, functionStages(std, lanes: lanes))) }
        let depth = max(functionStages(std, lanes: lanes), gaussDrawStages(epsilon: epsilon, delays: delays))
            + delays.productStages(aBits: stdBits, bBits: epsilon.width, countBits: nil) + 1 + DelayModel.castStages(to: result)
        return .block(name: "co_sample", depth: depth)
    }

    /// An average process: N·T words (sample-major) added into a T-word buffer of the sum type, one word per cycle
    /// (read, add, write: the same buffer word comes back T iterations later, so II 1 needs T ≥ 2), then T words
    /// scaled by the reciprocal and cast, one per cycle.
    public static func average(samples n: Int, steps: Int, sumBits: Int, reciprocalBits: Int, result: FixedType, delays: DelayModel) -> [ScheduleNode] {
        let ii = steps >= 2 ? 1 : 2
        return [.pipeline(name: "accumulate", trips: n * steps, ii: ii, depth: copyDepth + 1),
                .pipeline(name: "scale", trips: steps, ii: 1,
                          depth: copyDepth + delays.productStages(aBits: sumBits, bBits: reciprocalBits, countBits: nil)
                              + DelayModel.castStages(to: result))]
    }

    /// Seeding `lanes` lanes of the Gaussian source, one per cycle.
    public static func gaussSeed(lanes: Int, delays: DelayModel) -> ScheduleNode {
        .pipeline(name: "seed", trips: lanes, ii: 1, depth: gaussSeedDepth(delays))
    }

    public static func matVec(_ m: MatrixShape, accum: FixedType, inputBits: Int, countBits: Int?, delays: DelayModel) -> MatVecTiming {
        let front = DelayModel.romStages(depth: m.reuse)
            + delays.productStages(aBits: inputBits, bBits: m.weightBits, countBits: countBits)
            + DelayModel.castStages(to: accum)
        if accum.addsAssociatively {
            // A tree over the chunk's products, then one add into the accumulator (the only loop-carried step).
            return MatVecTiming(ii: 1, depth: front + delays.treeStages(terms: m.chunk, bits: accum.width) + 1)
        }
        // Saturating sums must stay a chain in input order, carried from one iteration to the next.
        let per = delays.addsPerStage(bits: accum.width, saturating: true)
        let chain = (m.chunk + per - 1) / per
        return MatVecTiming(ii: chain, depth: front + chain)
    }

    /// Copies of a function's table for `lanes` parallel reads: each copy (two ports) serves two lanes.
    public static func tableCopies(_ f: FunctionShape, lanes: Int) -> Int {
        f.isTable ? max(1, (lanes + 1) / 2) : 1
    }

    /// Cycles to read `lanes` entries of a function's table from its copies; 0 without a table.
    public static func tableReadCycles(_ f: FunctionShape, lanes: Int) -> Int {
        f.isTable ? (lanes + 2 * tableCopies(f, lanes: lanes) - 1) / (2 * tableCopies(f, lanes: lanes)) : 0
    }

    /// Stages of a function applied to `lanes` values at once: its core, its casts, and the extra cycles its table
    /// needs when more than two lanes read it.
    public static func functionStages(_ f: FunctionShape, lanes: Int) -> Int {
        let core: Int
        switch f.kind {
        case .linear: core = 0
        case .hard: core = 1
        case .table(let size): core = DelayModel.romStages(depth: size) + tableReadCycles(f, lanes: lanes) - 1
        }
        return core + DelayModel.castStages(to: f.output) + (f.quantizer.map { DelayModel.castStages(to: $0) } ?? 0)
    }

    /// A product's pipeline over `steps` steps with `tail` stages after the last chunk (activation, write) and an
    /// interval of at least `tailII` (table reads of the activation).
    public static func pipeline(_ name: String, _ m: MatrixShape, accum: FixedType, inputBits: Int, countBits: Int?,
                                steps: Int, tail: Int, tailII: Int = 1, delays: DelayModel) -> ScheduleNode {
        let t = matVec(m, accum: accum, inputBits: inputBits, countBits: countBits, delays: delays)
        return .pipeline(name: name, trips: steps * m.reuse, ii: max(t.ii, tailII), depth: t.depth + tail)
    }

    /// A dense layer's pipeline: its products, then its activation over every output and the write.
    public static func dense(_ name: String, _ m: MatrixShape, accum: FixedType, inputBits: Int, countBits: Int?, steps: Int,
                             activation: FunctionShape, delays: DelayModel) -> ScheduleNode {
        pipeline(name, m, accum: accum, inputBits: inputBits, countBits: countBits, steps: steps,
                 tail: functionStages(activation, lanes: m.rows) + 1, tailII: tableReadCycles(activation, lanes: m.rows), delays: delays)
    }

    /// One GRU step after its input projection: the recurrent product(s), then gates, candidate and update over all
    /// units at once (reset before: U_h waits for r ⊙ h).
    public static func cell(_ c: CellShape, delays: DelayModel) -> [ScheduleNode] {
        let h = c.hidden
        let sb = c.state.width
        let products = c.recurrent.enumerated().map { i, m in
            pipeline(c.recurrent.count == 1 ? "recurrent_zrh" : (i == 0 ? "recurrent_zr" : "recurrent_h"), m,
                     accum: c.accum, inputBits: sb, countBits: nil, steps: 1, tail: 0, delays: delays)
        }
        let gates = 1 + functionStages(c.gate, lanes: 2 * h)
        let gateProduct = delays.productStages(aBits: c.gate.output.width, bBits: max(c.accum.width, sb), countBits: nil)
        let update = 1 + functionStages(c.candidate, lanes: h)
            + delays.productStages(aBits: c.gate.output.width, bBits: max(c.candidate.output.width, sb), countBits: nil)
            + 1 + DelayModel.castStages(to: c.state) + (c.clip ? 1 : 0) + 1
        if c.resetAfter {
            return products + [.block(name: "gates", depth: gates + gateProduct + DelayModel.castStages(to: c.accum) + update)]
        }
        let zr = products.first.map { [$0] } ?? []
        return zr + [.block(name: "gates", depth: gates + gateProduct + DelayModel.castStages(to: c.state))]
            + products.dropFirst() + [.block(name: "update", depth: update)]
    }

    /// A recurrence process over `steps` steps: initial state, the step loop (cell, write), a final write when
    /// only the last state is kept.
    public static func recurrence(_ c: CellShape, steps: Int, returnSequences: Bool, delays: DelayModel) -> [ScheduleNode] {
        var body: [ScheduleNode] = [.block(name: "init", depth: 1),
                                    .loop(name: "step", trips: steps, body: cell(c, delays: delays) + [.block(name: "write", depth: 1)])]
        if !returnSequences { body.append(.block(name: "write", depth: 1)) }
        return body
    }
}
