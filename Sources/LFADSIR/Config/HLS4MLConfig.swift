import Foundation

/// An hls4ml configuration (the `hls4ml_config.yml` of a generated project, or a bare `HLSConfig` map) read
/// into lfadsc's overrides. hls4ml layer names are the Keras layer names, which the Keras importer keeps,
/// so `LayerName` keys map to IR node names directly. See docs/quantisation.md for the key mapping.
public struct HLS4MLConfig: Sendable {
    public var overrides: PrecisionOverrides
    /// Keys that were read but have no lfadsc meaning (Trace, BramFactor, slope/shift, ...), one line each.
    public var ignored: [String]
    public var clockPeriodNs: Double?
    public var part: String?
    public var ioType: String?
    /// hls4ml's `Backend` (Vivado, Vitis, ...), as written.
    public var backend: String?

    /// hls4ml's default lookup-table entry type.
    // Constant, valid parameters: the `try!` cannot fire.
    public static let tableDefault = try! FixedType(width: 18, integer: 8)

    public static func load(path: String) throws -> HLS4MLConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigError(file: path, "not UTF-8 text") }
        return try HLS4MLConfig(text: text, file: path)
    }

    public init(text: String, file: String = "<text>") throws {
        let root = try YAMLSubsetParser.parse(text, file: file)
        var reader = Reader(file: file)
        try reader.read(root)
        overrides = reader.overrides
        ignored = reader.ignored
        clockPeriodNs = reader.clockPeriodNs
        part = reader.part
        ioType = reader.ioType
        backend = reader.backend
    }
}

private struct Reader {
    let file: String
    var overrides = PrecisionOverrides()
    var ignored: [String] = []
    var clockPeriodNs: Double?
    var part: String?
    var ioType: String?
    var backend: String?

    init(file: String) { self.file = file }

    func fail(_ node: YAMLNode, _ key: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: node.line, key: key, message)
    }

    func map(_ node: YAMLNode, _ key: String) throws -> [(key: String, value: YAMLNode)] {
        guard let e = node.entries else { throw fail(node, key, "expected a map") }
        return e
    }

    func string(_ node: YAMLNode, _ key: String) throws -> String {
        guard let s = node.text, !node.isNull else { throw fail(node, key, "expected a value") }
        return s
    }

    func int(_ node: YAMLNode, _ key: String) throws -> Int {
        guard let s = node.text, let v = Int(s) else { throw fail(node, key, "expected an integer, got \(Self.show(node))") }
        return v
    }

    func double(_ node: YAMLNode, _ key: String) throws -> Double {
        guard let s = node.text, let v = Double(s), v.isFinite else { throw fail(node, key, "expected a number, got \(Self.show(node))") }
        return v
    }

    func fixed(_ node: YAMLNode, _ key: String) throws -> FixedType {
        try ConfigValues.fixedType(try string(node, key), file: file, line: node.line, key: key)
    }

    static func show(_ node: YAMLNode) -> String {
        switch node {
        case .scalar(let s, _, _): return "'\(s)'"
        case .map: return "a map"
        case .list: return "a list"
        }
    }

    mutating func read(_ root: YAMLNode) throws {
        let top = try map(root, "<root>")
        var hls: YAMLNode? = root["HLSConfig"]
        if hls == nil, root["Model"] != nil || root["LayerName"] != nil { hls = root }
        guard let config = hls else { throw ConfigError(file: file, line: root.line, "no HLSConfig (or Model/LayerName) section") }
        if hls != root {
            for (key, value) in top where !value.isNull {
                switch key {
                case "ClockPeriod": clockPeriodNs = try double(value, key)
                case "Part": part = try string(value, key)
                case "IOType": ioType = try string(value, key)
                case "Backend": backend = try string(value, key)
                default: break
                }
            }
        }
        overrides.fieldDefaults[.table] = HLS4MLConfig.tableDefault
        for (key, value) in try map(config, "HLSConfig") {
            switch key {
            case "Model": try readModel(value)
            case "LayerName":
                for (name, layer) in try map(value, key) { try readLayer(name, layer) }
            default: ignored.append("HLSConfig.\(key)")
            }
        }
        foldLinearLayers()
    }

    mutating func readModel(_ node: YAMLNode) throws {
        for (key, value) in try map(node, "Model") {
            let path = "Model.\(key)"
            switch key {
            case "Precision":
                if value.entries == nil {
                    overrides.defaultPrecision = try fixed(value, path)
                    continue
                }
                for (k, v) in try map(value, path) {
                    if k == "default" { overrides.defaultPrecision = try fixed(v, "\(path).\(k)"); continue }
                    if k == "maximum" { ignored.append("\(path).\(k)"); continue }
                    guard let f = ConfigValues.field(k) else {
                        throw fail(v, "\(path).\(k)", "unknown precision key (valid: default, \(ConfigValues.validFieldNames))")
                    }
                    overrides.fieldDefaults[f] = try fixed(v, "\(path).\(k)")
                }
            case "ReuseFactor": overrides.reuse = try ConfigValues.reuse(try int(value, path), file: file, line: value.line, key: path)
            case "Strategy": overrides.strategy = try Strategy(config: try string(value, path), file: file, line: value.line, key: path)
            default: ignored.append(path)
            }
        }
    }

    mutating func readLayer(_ name: String, _ node: YAMLNode) throws {
        var o = overrides.layers[name] ?? LayerOverride()
        for (key, value) in try map(node, "LayerName.\(name)") {
            let path = "LayerName.\(name).\(key)"
            switch key {
            case "Precision":
                if value.entries == nil {
                    o.defaultPrecision = try fixed(value, path)
                } else {
                    try readLayerPrecision(name, value, &o)
                }
            case "ReuseFactor": o.reuse = try ConfigValues.reuse(try int(value, path), file: file, line: value.line, key: path)
            case "recurrent_reuse_factor", "RecurrentReuseFactor":
                o.recurrentReuse = try ConfigValues.reuse(try int(value, path), file: file, line: value.line, key: path)
            case "Strategy": o.strategy = try Strategy(config: try string(value, path), file: file, line: value.line, key: path)
            case "table_size", "TableSize": o.tableSize = try ConfigValues.tableSize(try int(value, path), file: file, line: value.line, key: path)
            case "table_range":
                guard case .list(let items, _) = value else { throw fail(value, path, "expected [lower, upper]") }
                o.tableRange = try ConfigValues.tableRange(try items.map { try double($0, path) }, file: file, line: value.line, key: path)
            default: ignored.append(path)
            }
        }
        overrides.layers[name] = o
    }

    /// Per-tensor keys. `activation`/`recurrent_activation` are the QKeras quantizers' output types, which is what
    /// the published csim's gate and candidate values carry; `act`/`recr_act` (ap_fixed<16,6> in the published
    /// file, 2^-10 steps for a gate) apply only when those are absent. `state`: a bidirectional layer (one with
    /// forward_/backward_ keys) keeps h in its result type, as hls4ml's recurrent code keeps h in res_T; any
    /// other layer rounds and saturates h to the state quantizer's type. Both fit the published csim best.
    /// `forward_X`/`backward_X` go to the directions of a bidirectional layer. See docs/quantisation.md.
    mutating func readLayerPrecision(_ name: String, _ node: YAMLNode, _ o: inout LayerOverride) throws {
        var secondary: [(part: String, field: PrecisionField, type: FixedType, path: String)] = []
        var parts: [String: [PrecisionField: FixedType]] = [:]
        for (key, value) in try map(node, "LayerName.\(name).Precision") {
            let path = "LayerName.\(name).Precision.\(key)"
            var part = name
            var fieldName = key
            for direction in ["forward", "backward"] where key.hasPrefix(direction + "_") {
                part = "\(name).\(direction)"
                fieldName = String(key.dropFirst(direction.count + 1))
            }
            if fieldName == "shift" || fieldName == "slope" || fieldName == "accum_dense" || fieldName == "maximum" {
                ignored.append(path)
                continue
            }
            if fieldName == "default" {
                let t = try fixed(value, path)
                if part == name { o.defaultPrecision = t } else { overrides.layers[part, default: LayerOverride()].defaultPrecision = t }
                continue
            }
            guard let field = ConfigValues.field(fieldName) else {
                throw fail(value, path, "unknown precision key (valid: default, act, recr_act, \(ConfigValues.validFieldNames), "
                           + "and forward_/backward_ forms of them)")
            }
            let t = try fixed(value, path)
            if fieldName == "act" || fieldName == "recr_act" || fieldName == "state" {
                secondary.append((part, field, t, path))
            } else {
                parts[part, default: [:]][field] = t
            }
        }
        let bidirectional = parts.keys.contains { $0 != name }
        for s in secondary where parts[s.part]?[s.field] == nil {
            guard s.field == .state else {
                parts[s.part, default: [:]][s.field] = s.type
                continue
            }
            if bidirectional, let result = parts[s.part]?[.result] ?? parts[name]?[.result] {
                parts[s.part, default: [:]][.state] = result
                ignored.append("\(s.path) (a bidirectional layer keeps its state in the result type, \(result))")
            } else {
                parts[s.part, default: [:]][.state] = try Self.quantizerModes(s.type)
            }
        }
        for (part, fields) in parts {
            if part == name {
                o.precision.merge(fields) { _, new in new }
            } else {
                overrides.layers[part, default: LayerOverride()].precision.merge(fields) { _, new in new }
            }
        }
    }

    /// hls4ml writes a QKeras state quantizer (quantized_bits) without modes, as for weights; applied to h at
    /// run time it rounds to nearest and saturates, as QKeras does. Explicit modes are kept.
    static func quantizerModes(_ t: FixedType) throws -> FixedType {
        guard t.quantization == .trn, t.overflow == .wrap, t.saturationBits == 0 else { return t }
        return try FixedType(width: t.width, integer: t.integer, signed: t.signed, quantization: .rndConv, overflow: .sat)
    }

    /// hls4ml splits a Keras layer with a built-in linear activation into `X` and `X_linear`; in the IR they
    /// are one node, whose output is what `X_linear` produces.
    mutating func foldLinearLayers() {
        for name in overrides.layers.keys.sorted() where name.hasSuffix("_linear") {
            let base = String(name.dropLast("_linear".count))
            guard overrides.layers[base] != nil, let linear = overrides.layers[name] else { continue }
            if let r = linear.precision[.result] ?? linear.defaultPrecision {
                overrides.layers[base]?.precision[.result] = r
            }
            overrides.layers[name] = nil
            ignored.append("LayerName.\(name) (folded into \(base).result)")
        }
    }
}
