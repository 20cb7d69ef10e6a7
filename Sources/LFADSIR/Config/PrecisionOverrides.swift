/// One hardware tensor of a layer part, named as in hls4ml's per-layer `Precision` maps.
/// GRU parts use all fields but `table` is shared by the sigmoid and tanh tables; dense parts use weight, bias,
/// accum, result and table; element-wise ops use result and table; inputs use result.
public enum PrecisionField: String, Sendable, CaseIterable, Comparable {
    case weight
    case recurrentWeight = "recurrent_weight"
    case bias
    case recurrentBias = "recurrent_bias"
    case accum
    case recurrentActivation = "recurrent_activation"
    case activation
    case state
    /// An LSTM's cell state c (its hidden state h is `state`).
    case cellState = "cell_state"
    case result
    /// Entry type of the layer's lookup tables.
    case table
    /// A posterior sample's noise ε (from the on-chip Gaussian source) and its standard deviation exp(logvar/2).
    case epsilon
    case std

    public static func < (a: Self, b: Self) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }

    /// Accepts the canonical names plus the camel-case Swift spellings (`recurrentWeight`).
    public init?(name: String) {
        if let f = PrecisionField(rawValue: name) { self = f; return }
        guard let f = PrecisionField.allCases.first(where: { "\($0)" == name }) else { return nil }
        self = f
    }

    /// Parameters stored in ROM, quantised once offline.
    public var isParameter: Bool { self == .weight || self == .recurrentWeight || self == .bias || self == .recurrentBias }
}

/// A tensor of the graph: the layer part (`enc`, `enc.forward`, `dec.generator`, `dec.factors`) and the field.
public struct TensorKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var layer: String
    public var field: PrecisionField

    public init(_ layer: String, _ field: PrecisionField) {
        self.layer = layer
        self.field = field
    }

    public static func < (a: Self, b: Self) -> Bool { (a.layer, a.field) < (b.layer, b.field) }
    public var description: String { "\(layer).\(field.rawValue)" }
}

/// What the configuration says about one layer (or one part of a layer: `enc.forward`, `dec.factors`).
public struct LayerOverride: Hashable, Sendable {
    /// Per-tensor types; these beat every other source.
    public var precision: [PrecisionField: FixedType]
    /// A type for every tensor of the layer not named in `precision` (hls4ml's scalar `Precision:`).
    public var defaultPrecision: FixedType?
    public var strategy: Strategy?
    public var reuse: Int?
    public var recurrentReuse: Int?
    public var tableSize: Int?
    /// Input range [lower, upper) of the layer's tables (needed for exp; overrides the sigmoid/tanh defaults).
    public var tableRange: ClosedRange<Double>?

    public init(precision: [PrecisionField: FixedType] = [:], defaultPrecision: FixedType? = nil, strategy: Strategy? = nil,
                reuse: Int? = nil, recurrentReuse: Int? = nil, tableSize: Int? = nil, tableRange: ClosedRange<Double>? = nil) {
        self.precision = precision
        self.defaultPrecision = defaultPrecision
        self.strategy = strategy
        self.reuse = reuse
        self.recurrentReuse = recurrentReuse
        self.tableSize = tableSize
        self.tableRange = tableRange
    }

    public var isEmpty: Bool { self == LayerOverride() }

    /// `other`'s settings win where both say something.
    public func merging(_ other: LayerOverride) -> LayerOverride {
        LayerOverride(precision: precision.merging(other.precision) { _, new in new },
                      defaultPrecision: other.defaultPrecision ?? defaultPrecision,
                      strategy: other.strategy ?? strategy, reuse: other.reuse ?? reuse,
                      recurrentReuse: other.recurrentReuse ?? recurrentReuse,
                      tableSize: other.tableSize ?? tableSize, tableRange: other.tableRange ?? tableRange)
    }
}

/// Everything a configuration (lfadsc.json, an hls4ml YAML, flags) says about precisions and implementation.
/// Layer keys are IR node names, or `node.part` for a part of a composite node (see docs/quantisation.md).
public struct PrecisionOverrides: Hashable, Sendable {
    /// Model-wide type for every tensor without a more specific source (hls4ml `Model: Precision`).
    public var defaultPrecision: FixedType?
    /// Model-wide type per field; beats `defaultPrecision` (e.g. a wider `accum`).
    public var fieldDefaults: [PrecisionField: FixedType]
    public var strategy: Strategy?
    public var reuse: Int?
    public var tableSize: Int?
    public var layers: [String: LayerOverride]

    public init(defaultPrecision: FixedType? = nil, fieldDefaults: [PrecisionField: FixedType] = [:], strategy: Strategy? = nil,
                reuse: Int? = nil, tableSize: Int? = nil, layers: [String: LayerOverride] = [:]) {
        self.defaultPrecision = defaultPrecision
        self.fieldDefaults = fieldDefaults
        self.strategy = strategy
        self.reuse = reuse
        self.tableSize = tableSize
        self.layers = layers
    }

    /// `other` wins where both say something (e.g. flags over lfadsc.json over an hls4ml file).
    public func merging(_ other: PrecisionOverrides) -> PrecisionOverrides {
        var out = self
        out.defaultPrecision = other.defaultPrecision ?? defaultPrecision
        out.fieldDefaults.merge(other.fieldDefaults) { _, new in new }
        out.strategy = other.strategy ?? strategy
        out.reuse = other.reuse ?? reuse
        out.tableSize = other.tableSize ?? tableSize
        for (name, o) in other.layers { out.layers[name] = (layers[name] ?? LayerOverride()).merging(o) }
        return out
    }

    /// Sets one tensor's type (used by the automatic precision search).
    public mutating func set(_ key: TensorKey, _ type: FixedType) {
        layers[key.layer, default: LayerOverride()].precision[key.field] = type
    }

    /// The explicit per-layer type of a tensor, if the configuration names it: the part's own entry first, then
    /// the node's (`enc.forward` falls back to `enc`), each with its field before its layer-wide default.
    public func explicit(_ key: TensorKey) -> FixedType? {
        for name in Self.lookupNames(key.layer) {
            guard let o = layers[name] else { continue }
            if let t = o.precision[key.field] ?? o.defaultPrecision { return t }
        }
        return nil
    }

    /// The merged layer settings for a part: the node's entry overlaid by the part's.
    public func layer(_ part: String) -> LayerOverride {
        Self.lookupNames(part).reversed().reduce(LayerOverride()) { acc, name in layers[name].map { acc.merging($0) } ?? acc }
    }

    /// `a.b.c` → [`a.b.c`, `a.b`, `a`]: most specific first.
    static func lookupNames(_ part: String) -> [String] {
        var names = [part]
        var current = Substring(part)
        while let dot = current.lastIndex(of: ".") {
            current = current[..<dot]
            names.append(String(current))
        }
        return names
    }
}
