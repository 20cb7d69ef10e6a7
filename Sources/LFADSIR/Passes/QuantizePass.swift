/// Gives every node a complete hardware precision (every field of its precision struct, input types, table
/// shapes). Strategy and reuse factors are the strategy pass's (and the reuse pass's for `--reuse auto`).
///
/// Each tensor's type is the first of: a per-layer override (the part's own entry, then the node's) >
/// the type already on the node > the layer's QKeras quantizer > the model-wide configuration (per field,
/// then the default; tables only per field) > the built-in default. See docs/quantisation.md.
public struct QuantizePass: Pass {
    public let name = "quantize"
    public let summary = "choose every tensor's fixed-point type: overrides > IR > QKeras quantizers > config > defaults"
    public var overrides: PrecisionOverrides
    /// Throw when an override names a layer the graph does not have (off for hls4ml files, whose extra
    /// entries such as input layers of other models are harmless).
    public var rejectUnknownLayers: Bool

    public init(overrides: PrecisionOverrides = PrecisionOverrides(), rejectUnknownLayers: Bool = true) {
        self.overrides = overrides
        self.rejectUnknownLayers = rejectUnknownLayers
    }

    public func run(_ graph: Graph) throws -> Graph { try plan(graph).graph }

    /// The quantised graph with every decision and the override entries that matched nothing.
    public func plan(_ graph: Graph) throws -> QuantizationPlan {
        var r = QuantizeResolver(overrides: overrides)
        r.spikeInput = graph.countInput
        var out = graph
        for i in out.nodes.indices {
            out.nodes[i].op = try r.assign(out.nodes[i].name, out.nodes[i].op)
        }
        let known = r.partNames
        let unused = overrides.layers.keys.filter { !known.contains($0) }.sorted()
        if rejectUnknownLayers, let first = unused.first {
            throw IRError.invalid("quantize: the configuration names layer '\(first)', which graph '\(graph.name)' does not have "
                                  + "(layers: \(known.sorted().joined(separator: ", ")))")
        }
        return QuantizationPlan(graph: out, choices: r.choices, unusedOverrides: unused)
    }
}

public struct QuantizationPlan: Sendable {
    public var graph: Graph
    public var choices: [PrecisionChoice]
    public var unusedOverrides: [String]

    public func choice(_ key: TensorKey) -> PrecisionChoice? { choices.first { $0.key == key } }
}

/// Walks the ops, resolving each tensor from the sources in priority order and recording the decision.
struct QuantizeResolver {
    let overrides: PrecisionOverrides
    var choices: [PrecisionChoice] = []
    var partNames = Set<String>()
    /// The graph's first input carries spike counts (the convention of the data reader, the cost model and
    /// the lfads strategy): small non-negative integers, typed as a saturating unsigned integer.
    var spikeInput: String?

    init(overrides: PrecisionOverrides) { self.overrides = overrides }

    mutating func assign(_ name: String, _ op: Op) throws -> Op {
        partNames.insert(name)
        switch op {
        case .input(var i):
            // Spike counts are integers: a model-wide data type (hls4ml's ap_fixed<16,6> wraps at 32) must not
            // apply to them, so the count type ranks with the IR's own types, below per-layer overrides.
            i.precision = pick(name, .result, ir: i.precision, qkeras: nil, counts: name == spikeInput)
            return .input(i)
        case .gru(var g):
            g.precision = try gru(name, g.cell, g.precision)
            return .gru(g)
        case .bidirectionalGRU(var b):
            for (part, keyPath) in [("forward", \BidirectionalGRULayer.forward), ("backward", \BidirectionalGRULayer.backward)] {
                let p = "\(name).\(part)"
                partNames.insert(p)
                var layer = b[keyPath: keyPath]
                layer.precision = try gru(p, layer.cell, layer.precision)
                b[keyPath: keyPath] = layer
            }
            return .bidirectionalGRU(b)
        case .dense(var d):
            d = try dense(name, d)
            return .dense(d)
        case .activation(var a):
            a.precision = try element(name, a.activation.function.quantizeTableFunction, qkeras: a.activation.quantizer, ir: a.precision)
            return .activation(a)
        case .posteriorStd(var p):
            // sqrt(exp(logvar) + floor) needs e^x: one exp table.
            p.precision = try element(name, .exp, qkeras: nil, ir: p.precision)
            return .posteriorStd(p)
        case .decoder(var d):
            let g = "\(name).generator"
            partNames.insert(g)
            let generator = try gru(g, d.generator, d.precision?.generator)
            var controller: GRUPrecision?
            if var c = d.controller {
                let cp = "\(name).controller"
                partNames.insert(cp)
                controller = try gru(cp, c.cell, d.precision?.controller)
                c.coMean = try dense("\(name).co_mean", c.coMean)
                if let lv = c.coLogvar { c.coLogvar = try dense("\(name).co_logvar", lv) }
                d.controller = c
            }
            // exp(co_logvar/2) (co_stds, and the sample's std when the controller samples).
            var coSample: SamplePrecision?
            if d.controller?.coLogvar != nil {
                let sp = "\(name).co_sample"
                partNames.insert(sp)
                coSample = try samplePrecision(sp, ir: d.precision?.coSample)
            }
            d.factors = try dense("\(name).factors", d.factors)
            d.precision = DecoderPrecision(generator: generator, controller: controller, coSample: coSample)
            return .decoder(d)
        case .lstm(var l):
            l.precision = try lstm(name, l.cell, l.precision)
            return .lstm(l)
        case .sample(.gaussian(let seed, let floor, let ir)):
            return .sample(.gaussian(seed: seed, varianceFloor: floor, precision: try samplePrecision(name, ir: ir)))
        case .concat, .slice, .timeShift, .sample:
            return op
        }
    }

    /// Types of mean + exp(logvar/2)·ε: exp(logvar/2) is one exp table read at logvar/2 (range as for any exp
    /// table: what the entry type holds).
    mutating func samplePrecision(_ name: String, ir: SamplePrecision?) throws -> SamplePrecision {
        let index = choices.count
        let entry = pick(name, .table, ir: ir?.std.table?.entryType, qkeras: nil)
        let table = try self.table(name, .exp, entry: entry, ir: ir?.std.table, allowRange: true)
        choices[index].note = "exp(logvar/2): " + Self.describe(.exp, table)
        let std = ElementPrecision(result: pick(name, .std, ir: ir?.std.result, qkeras: nil), table: table)
        return SamplePrecision(std: std, epsilon: pick(name, .epsilon, ir: ir?.epsilon, qkeras: nil),
                               result: pick(name, .result, ir: ir?.result, qkeras: nil))
    }

    // MARK: sources

    /// The first source that says something: override > IR > QKeras > config > built-in.
    mutating func pick(_ part: String, _ field: PrecisionField, ir: FixedType?, qkeras: FixedType?, note: String? = nil,
                       counts: Bool = false) -> FixedType {
        let key = TensorKey(part, field)
        let (type, source): (FixedType, PrecisionSource)
        if let t = explicit(key) {
            (type, source) = (t, .override)
        } else if let t = ir {
            (type, source) = (t, .ir)
        } else if let t = qkeras {
            (type, source) = (t, .qkeras)
        } else if counts {
            (type, source) = (QuantizeDefaults.spikeCount, .spikeCounts)
        } else if let t = overrides.fieldDefaults[field] ?? (field == .table ? nil : overrides.defaultPrecision) {
            (type, source) = (t, .config)
        } else {
            (type, source) = (Self.builtin(field), .builtin)
        }
        choices.append(PrecisionChoice(key: key, type: type, source: source, note: note))
        return type
    }

    /// Per-layer settings; a layer-wide default does not reach table entries (they are not data tensors).
    func explicit(_ key: TensorKey) -> FixedType? {
        if key.field == .table {
            for name in PrecisionOverrides.lookupNames(key.layer) {
                if let t = overrides.layers[name]?.precision[.table] { return t }
            }
            return nil
        }
        return overrides.explicit(key)
    }

    static func builtin(_ field: PrecisionField) -> FixedType {
        switch field {
        case .accum: return QuantizeDefaults.accum
        case .table: return QuantizeDefaults.tableEntry
        default: return QuantizeDefaults.tensor
        }
    }

    // MARK: layers

    mutating func gru(_ part: String, _ cell: GRUCell, _ ir: GRUPrecision?) throws -> GRUPrecision {
        let q = cell.quantizers
        var p = GRUPrecision(
            weight: pick(part, .weight, ir: ir?.weight, qkeras: q.kernel),
            recurrentWeight: pick(part, .recurrentWeight, ir: ir?.recurrentWeight, qkeras: q.recurrentKernel),
            bias: pick(part, .bias, ir: ir?.bias, qkeras: q.bias),
            recurrentBias: pick(part, .recurrentBias, ir: ir?.recurrentBias, qkeras: q.bias),
            accum: pick(part, .accum, ir: ir?.accum, qkeras: nil),
            recurrentActivation: pick(part, .recurrentActivation, ir: ir?.recurrentActivation, qkeras: cell.recurrentActivation.quantizer),
            activation: pick(part, .activation, ir: ir?.activation, qkeras: cell.activation.quantizer),
            state: pick(part, .state, ir: ir?.state, qkeras: q.state),
            result: pick(part, .result, ir: ir?.result, qkeras: nil))
        (p.sigmoidTable, p.tanhTable) = try recurrentTables(part, cell.recurrentActivation, cell.activation,
                                                            sigmoid: ir?.sigmoidTable, tanh: ir?.tanhTable)
        return p
    }

    /// Like a GRU, plus the cell state c; the bias has no recurrent twin (Keras LSTMs have one bias).
    mutating func lstm(_ part: String, _ cell: LSTMCell, _ ir: LSTMPrecision?) throws -> LSTMPrecision {
        var p = LSTMPrecision(
            weight: pick(part, .weight, ir: ir?.weight, qkeras: nil),
            recurrentWeight: pick(part, .recurrentWeight, ir: ir?.recurrentWeight, qkeras: nil),
            bias: pick(part, .bias, ir: ir?.bias, qkeras: nil),
            accum: pick(part, .accum, ir: ir?.accum, qkeras: nil),
            recurrentActivation: pick(part, .recurrentActivation, ir: ir?.recurrentActivation, qkeras: cell.recurrentActivation.quantizer),
            activation: pick(part, .activation, ir: ir?.activation, qkeras: cell.activation.quantizer),
            cellState: pick(part, .cellState, ir: ir?.cellState, qkeras: nil),
            state: pick(part, .state, ir: ir?.state, qkeras: nil),
            result: pick(part, .result, ir: ir?.result, qkeras: nil))
        (p.sigmoidTable, p.tanhTable) = try recurrentTables(part, cell.recurrentActivation, cell.activation,
                                                            sigmoid: ir?.sigmoidTable, tanh: ir?.tanhTable)
        return p
    }

    /// A recurrent cell's sigmoid table (gates are the true sigmoid) and tanh table (activation is the true tanh),
    /// sharing one entry type.
    mutating func recurrentTables(_ part: String, _ gate: Activation, _ activation: Activation, sigmoid: TableSpec?,
                                  tanh: TableSpec?) throws -> (TableSpec?, TableSpec?) {
        let needsSigmoid = gate.function == .sigmoid
        let needsTanh = activation.function == .tanh
        guard needsSigmoid || needsTanh else { return (nil, nil) }
        let index = choices.count
        let entry = pick(part, .table, ir: sigmoid?.entryType ?? tanh?.entryType, qkeras: nil)
        var notes: [String] = []
        var tables: (TableSpec?, TableSpec?) = (nil, nil)
        if needsSigmoid {
            tables.0 = try table(part, .sigmoid, entry: entry, ir: sigmoid, allowRange: false)
            notes.append(Self.describe(.sigmoid, tables.0))
        }
        if needsTanh {
            tables.1 = try table(part, .tanh, entry: entry, ir: tanh, allowRange: false)
            notes.append(Self.describe(.tanh, tables.1))
        }
        choices[index].note = notes.joined(separator: ", ")
        return tables
    }

    mutating func dense(_ part: String, _ d: DenseLayer) throws -> DenseLayer {
        partNames.insert(part)
        var out = d
        let ir = d.precision
        var p = DensePrecision(
            weight: pick(part, .weight, ir: ir?.weight, qkeras: d.quantizers.kernel),
            bias: pick(part, .bias, ir: ir?.bias, qkeras: d.quantizers.bias),
            accum: pick(part, .accum, ir: ir?.accum, qkeras: nil),
            result: pick(part, .result, ir: ir?.result, qkeras: d.activation.quantizer))
        if let f = d.activation.function.quantizeTableFunction {
            let index = choices.count
            let entry = pick(part, .table, ir: ir?.table?.entryType, qkeras: nil)
            p.table = try table(part, f, entry: entry, ir: ir?.table, allowRange: true)
            choices[index].note = Self.describe(f, p.table)
        }
        out.precision = p
        return out
    }

    mutating func element(_ part: String, _ function: TableFunction?, qkeras: FixedType?, ir: ElementPrecision?) throws -> ElementPrecision {
        var p = ElementPrecision(result: pick(part, .result, ir: ir?.result, qkeras: qkeras))
        if let f = function {
            let index = choices.count
            let entry = pick(part, .table, ir: ir?.table?.entryType, qkeras: nil)
            p.table = try table(part, f, entry: entry, ir: ir?.table, allowRange: true)
            choices[index].note = Self.describe(f, p.table)
        }
        return p
    }

    /// Size: layer override > IR > config > 1,024. Range: layer override (single-table layers only) > IR >
    /// the function's default (sigmoid [−8, 8), tanh [−4, 4)) > for exp the range the entry type can hold.
    func table(_ part: String, _ f: TableFunction, entry: FixedType, ir: TableSpec?, allowRange: Bool) throws -> TableSpec {
        let layer = overrides.layer(part)
        let size = layer.tableSize ?? ir?.size ?? overrides.tableSize ?? QuantizeDefaults.tableSize
        var bounds: (lower: Double, upper: Double)
        if allowRange, let r = layer.tableRange {
            bounds = (r.lowerBound, r.upperBound)
        } else if let t = ir {
            bounds = (t.lower, t.upper)
        } else {
            bounds = LookupTable.defaultBounds(for: f) ?? QuantizeDefaults.expRange(entry: entry, size: size)
        }
        do {
            _ = try LookupTable(function: f, size: size, lower: bounds.lower, upper: bounds.upper, entryType: entry)
        } catch {
            throw IRError.invalid("quantize: layer '\(part)': \(error)")
        }
        return TableSpec(size: size, lower: bounds.lower, upper: bounds.upper, entryType: entry)
    }

    static func describe(_ f: TableFunction, _ t: TableSpec?) -> String {
        guard let t else { return f.rawValue }
        return "\(f.rawValue) \(t.size) [\(number(t.lower)), \(number(t.upper)))"
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}

extension ActivationFunction {
    /// The lookup table this function is computed with, if any (hard variants are a shift and a clamp).
    var quantizeTableFunction: TableFunction? {
        switch self {
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        case .exp: return .exp
        case .logSigmoidFloor: return .logSigmoidFloor
        case .linear, .relu, .softmax, .hardSigmoid, .hardTanh, .kerasHardSigmoid: return nil
        }
    }
}

extension Graph {
    /// The input that carries spike counts (the data reader's, the quantiser's, the cost model's and the lfads
    /// strategy's convention): the first, unless the model reconstructs another distribution than Poisson. An
    /// lfads-torch Gaussian, MSE, Gamma or ZeroInflatedGamma model is trained on real-valued data (e.g. calcium
    /// traces), which may be fractional or negative.
    public var countInput: String? {
        let kind = metadata["reconstruction_kind"]
        return kind == nil || kind == "Poisson" || kind == "PoissonBPS" ? inputs.first?.name : nil
    }
}
