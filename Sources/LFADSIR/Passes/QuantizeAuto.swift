import Foundation

/// Automatic precision search, written against closures so it can drive the float and bit-accurate
/// simulators (or anything else that measures a graph).
///
/// 1. Integer bits from ranges: the smallest signed I with −2^(I−1) ≤ min and max < 2^(I−1), plus `marginBits`.
/// 2. Start every searched tensor at `startFraction` fraction bits (capped so W ≤ `maxWidth`); the NLL there
///    must already be within tolerance.
/// 3. Greedy reduction: tensors in order of cost per bit (weights × count, multiplier inputs, table entries;
///    see `TensorInventory`), most expensive first, ties by key; for each, the fewest fraction bits (binary
///    search down to `minFraction`, assuming NLL grows as bits are removed) that keep
///    NLL ≤ floatNLL + maxIncrease·|floatNLL| with the other tensors as they stand. Passes repeat until
///    nothing changes (at most `maxPasses`). Deterministic: no randomness, fixed order.
///
/// Tensors named by `base` overrides are explicit choices and are not searched; tensors without a range
/// keep what the quantisation pass gives them.
public struct AutoPrecision {
    public var rangeProvider: (Graph) throws -> [TensorKey: ClosedRange<Double>]
    public var nll: (Graph) throws -> Double
    public var floatNLL: Double
    /// Allowed relative NLL increase over the float model (0.005 = 0.5 %).
    public var maxIncrease: Double
    public var marginBits = 1
    public var startFraction = 16
    public var minFraction = 0
    public var maxWidth = 32
    public var maxPasses = 3
    /// Passed to the quantisation pass (turn off when `base` comes from an hls4ml file naming extra layers).
    public var rejectUnknownLayers = true
    public var base: PrecisionOverrides
    /// Tensors that must share one type (follower → leader, chains allowed), e.g. the two directions of a
    /// bidirectional GRU whose results are concatenated: a follower is not searched and gets its leader's
    /// type. A tied group with an explicit (`base`) member is not searched: all of it gets that type.
    public var ties: [TensorKey: TensorKey] = [:]
    /// Called after every NLL evaluation (and once before the first) on the search's thread.
    public var progress: ((Progress) -> Void)?

    /// Where the search stands: `evaluations` of an estimated `estimatedTotal` (the binary searches still to run,
    /// at most ⌈log2(candidates)⌉ each, assuming every remaining pass runs), `seconds` since the search began.
    public struct Progress: Sendable, Equatable {
        public var evaluations: Int
        public var estimatedTotal: Int
        public var pass: Int
        public var passes: Int
        public var seconds: Double

        public init(evaluations: Int, estimatedTotal: Int, pass: Int, passes: Int, seconds: Double) {
            self.evaluations = evaluations
            self.estimatedTotal = estimatedTotal
            self.pass = pass
            self.passes = passes
            self.seconds = seconds
        }
    }

    public init(rangeProvider: @escaping (Graph) throws -> [TensorKey: ClosedRange<Double>],
                nll: @escaping (Graph) throws -> Double, floatNLL: Double, maxIncrease: Double = 0.005,
                base: PrecisionOverrides = PrecisionOverrides()) {
        self.rangeProvider = rangeProvider
        self.nll = nll
        self.floatNLL = floatNLL
        self.maxIncrease = maxIncrease
        self.base = base
    }

    public struct Result {
        /// `base` plus one entry per searched tensor; feed it to `QuantizePass`.
        public var overrides: PrecisionOverrides
        public var graph: Graph
        public var chosen: [TensorKey: FixedType]
        public var nll: Double
        public var limit: Double
        /// Σ cost × width over the searched tensors, at the start and at the end.
        public var startCost: Int
        public var finalCost: Int
        public var evaluations: Int
    }

    /// Integer bits (sign included) a signed type needs to hold every value of `range`.
    public static func integerBits(for range: ClosedRange<Double>) -> Int {
        var i = -32
        while i < 60 {
            let half = pow(2, Double(i - 1))
            if -half <= range.lowerBound && range.upperBound < half { return i }
            i += 1
        }
        return 60
    }

    /// Rounding and overflow of a searched type: parameters and table entries are quantised offline, so
    /// they round and saturate for free; accumulators keep hls4ml's truncate/wrap (saturating a wide sum
    /// costs logic on the critical path); activations, states and results truncate and saturate so an
    /// out-of-range value clips instead of wrapping.
    static func modes(_ field: PrecisionField) -> (Quantization, Overflow) {
        switch field {
        case .weight, .recurrentWeight, .bias, .recurrentBias, .table: return (.rndConv, .sat)
        case .accum: return (.trn, .wrap)
        case .recurrentActivation, .activation, .state, .cellState, .result, .std: return (.trn, .sat)
        case .epsilon: return (.rnd, .sat)  // truncating ε would bias every sample by half an LSB
        }
    }

    /// Evaluations a binary search over fraction bits lo...hi takes at most.
    static func steps(_ lo: Int, _ hi: Int) -> Int {
        var n = Swift.max(hi - lo + 1, 1), s = 0
        while n > 1 { n = (n + 1) / 2; s += 1 }
        return s
    }

    public func run(_ graph: Graph) throws -> Result {
        let started = Date()
        guard floatNLL.isFinite, maxIncrease >= 0, maxIncrease.isFinite else {
            throw IRError.invalid("auto precision: float NLL \(floatNLL) and tolerance \(maxIncrease) must be finite, tolerance ≥ 0")
        }
        let limit = floatNLL + maxIncrease * Swift.max(abs(floatNLL), 1e-12)
        let ranges = try rangeProvider(graph)
        let inventory = TensorInventory(graph)
        for key in ranges.keys.sorted() where inventory.entries[key] == nil {
            throw IRError.invalid("auto precision: range given for '\(key)', which is not a tensor of graph '\(graph.name)'")
        }
        // Each tied group: its root (the leader no tie names as a follower) and members, and the explicit type
        // that pins it (the root's, else the first member's that has one).
        func root(_ key: TensorKey) -> TensorKey {
            var k = key, hops = 0
            while let l = ties[k], hops <= ties.count { k = l; hops += 1 }
            return k
        }
        var members: [TensorKey: [TensorKey]] = [:]
        for follower in ties.keys.sorted() { members[root(follower), default: []].append(follower) }
        var pinned: [TensorKey: FixedType] = [:]
        for (r, followers) in members {
            if let t = ([r] + followers).lazy.compactMap({ base.explicit($0) }).first { pinned[r] = t }
        }
        var integer: [TensorKey: Int] = [:]
        for (key, r) in ranges where base.explicit(key) == nil && ties[key] == nil && pinned[key] == nil {
            guard r.lowerBound.isFinite, r.upperBound.isFinite else { throw IRError.invalid("auto precision: range of '\(key)' is not finite") }
            // An all-zero tensor would ask for very negative I; −8 is already far below any LSB in use.
            integer[key] = Swift.max(-8, Swift.min(Self.integerBits(for: r) + marginBits, maxWidth - 1))
        }
        let order = integer.keys.sorted { a, b in
            let (ca, cb) = (inventory.cost(a), inventory.cost(b))
            return ca != cb ? ca > cb : a < b
        }
        var fraction: [TensorKey: Int] = [:]
        for key in order {
            let i = integer[key] ?? 0
            fraction[key] = Swift.max(Swift.min(startFraction, maxWidth - i), 1 - i)
        }

        var evaluations = 0
        let passes = Swift.max(maxPasses, 1)
        // The search's position for the progress estimate: pass, tensor index in `order`, its open interval.
        var at = (pass: 0, index: 0, lo: 0, hi: 0)
        func lowest(_ key: TensorKey) -> Int { Swift.max(minFraction, 1 - (integer[key] ?? 0)) }
        func report() {
            guard let progress else { return }
            let full = order.reduce(0) { $0 + Self.steps(lowest($1), fraction[$1] ?? 0) }
            let rest = order.indices.dropFirst(at.index + 1).reduce(0) { $0 + Self.steps(lowest(order[$1]), fraction[order[$1]] ?? 0) }
            let open = at.pass == 0 ? full : Self.steps(at.lo, at.hi) + rest
            let later = (passes - Swift.max(at.pass, 1)) * full
            progress(Progress(evaluations: evaluations, estimatedTotal: evaluations + open + later + (evaluations == 0 ? 1 : 0),
                              pass: at.pass, passes: passes, seconds: Date().timeIntervalSince(started)))
        }
        func build(_ f: [TensorKey: Int]) throws -> (PrecisionOverrides, [TensorKey: FixedType]) {
            var o = base
            var chosen: [TensorKey: FixedType] = [:]
            for key in order {
                let i = integer[key] ?? 1
                let (q, v) = Self.modes(key.field)
                let t = try FixedType(width: i + (f[key] ?? 0), integer: i, quantization: q, overflow: v)
                o.set(key, t)
                chosen[key] = t
            }
            for r in members.keys.sorted() {
                guard let t = pinned[r] ?? chosen[r] else { continue }
                for key in [r] + (members[r] ?? []) where base.explicit(key) == nil && chosen[key] == nil {
                    o.set(key, t)
                    chosen[key] = t
                }
            }
            return (o, chosen)
        }
        func measure(_ f: [TensorKey: Int]) throws -> Double {
            evaluations += 1
            let (o, _) = try build(f)
            let value = try nll(try QuantizePass(overrides: o, rejectUnknownLayers: rejectUnknownLayers).run(graph))
            return value.isNaN ? .infinity : value
        }

        report()
        var current = try measure(fraction)
        report()
        guard current <= limit else {
            throw IRError.invalid("auto precision: NLL \(current) at \(startFraction) fraction bits already exceeds the limit \(limit)")
        }
        func cost(_ f: [TensorKey: Int]) -> Int {
            order.reduce(0) { $0 &+ inventory.cost($1) &* ((integer[$1] ?? 0) + (f[$1] ?? 0)) }
        }
        let startCost = cost(fraction)
        for pass in 1...passes {
            var changed = false
            for (index, key) in order.enumerated() {
                guard let now = fraction[key], let i = integer[key] else { continue }
                var lo = Swift.max(minFraction, 1 - i)
                var hi = now
                var best = current
                at = (pass, index, lo, hi)
                while lo < hi {
                    let mid = lo + (hi - lo) / 2
                    var trial = fraction
                    trial[key] = mid
                    let value = try measure(trial)
                    if value <= limit { hi = mid; best = value } else { lo = mid + 1 }
                    at.lo = lo
                    at.hi = hi
                    report()
                }
                if hi < now {
                    fraction[key] = hi
                    current = best
                    changed = true
                }
            }
            if !changed { break }
        }
        progress?(Progress(evaluations: evaluations, estimatedTotal: evaluations, pass: at.pass, passes: passes,
                           seconds: Date().timeIntervalSince(started)))
        let (overrides, chosen) = try build(fraction)
        let finalGraph = try QuantizePass(overrides: overrides, rejectUnknownLayers: rejectUnknownLayers).run(graph)
        return Result(overrides: overrides, graph: finalGraph, chosen: chosen, nll: current, limit: limit,
                      startCost: startCost, finalCost: cost(fraction), evaluations: evaluations)
    }
}
