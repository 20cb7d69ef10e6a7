import Foundation

/// A reuse factor as an architecture spec gives it.
public enum ArchReuse: Hashable, Sendable {
    case factor(Int)
    /// Let the reuse pass choose (`--reuse auto`).
    case auto
    /// Each matrix's reuse factor equals its input width (its recurrent one, its state width): the
    /// published hls4ml LFADS design's choice, one multiplier per output row.
    case inputWidth
}

/// A model described by its architecture alone (`lfadsc estimate --arch spec.json`): either a Keras-like layer
/// stack or an lfads-torch LFADS model by its sizes. The graph is the one the Keras or lfads-torch importer
/// would build from a file of that architecture, with synthetic dense (all non-zero) weights, so the estimate
/// pipeline prices it exactly as it would price such a file. docs/estimates.md describes the format.
public struct ArchSpec: Sendable {
    public var graph: Graph
    /// Device name (`part`), nil when the spec does not say.
    public var target: String?
    public var clockMHz: Double?
    /// Model-wide precision and strategy, and the per-layer precision, strategy and reuse the spec gives.
    public var overrides: PrecisionOverrides
    /// The model-wide reuse choice, nil when the spec does not say.
    public var reuse: ArchReuse?
    /// Reuse = input width for every layer part without its own reuse (the top-level `"reuse": "n_in"`).
    public var inputWidthReuse: [String: LayerOverride]

    /// Largest layer width, feature count or LFADS dimension.
    public static let maxWidth = 1 << 16
    /// Longest sequence.
    public static let maxSteps = 100_000
    /// Most weights the synthetic model may hold (they are materialised, 8 bytes each).
    public static let maxWeights = 20_000_000
    public static let maxLayers = 1_000

    static let commonKeys = ["name", "part", "clock_mhz", "precision", "strategy", "reuse"]

    public static func load(path: String, targets: [String] = []) throws -> ArchSpec {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(file: path, "cannot read the file") }
        return try ArchSpec(json: data, file: path, targets: targets)
    }

    /// Parses and builds. `targets` lists the device names and part numbers accepted for `part`, compared without
    /// case (empty: not checked here).
    public init(json data: Data, file: String, targets: [String] = []) throws {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) } catch {
            throw ConfigError(file: file, "not valid JSON (\(ProjectConfig.oneLine(error)))")
        }
        let root = try SpecObject(parsed, file: file, path: "")
        let isLFADS = root.has("lfads")
        try root.checkKeys(Self.commonKeys + (isLFADS ? ["lfads"] : ["input", "layers"]))
        if let t = try root.string("part") {
            guard targets.isEmpty || targets.contains(where: { $0.caseInsensitiveCompare(t) == .orderedSame }) else { throw root.fail("part", "unknown device '\(t)' (known: \(targets.joined(separator: ", ")))") }
            target = t
        }
        if let mhz = try root.number("clock_mhz") {
            guard mhz > 0, mhz <= 1000 else { throw root.fail("clock_mhz", "clock \(mhz) MHz is outside (0, 1000]") }
            clockMHz = mhz
        }
        overrides = PrecisionOverrides()
        if let p = root.values["precision"] { (overrides.defaultPrecision, overrides.fieldDefaults) = try Self.precision(p, root, "precision") }
        if let s = try root.string("strategy") { overrides.strategy = try Strategy(config: s, file: file, key: "strategy") }
        reuse = try Self.reuse(root, "reuse", allowAuto: true)
        if case .factor(let n)? = reuse { overrides.reuse = n }

        let name = try root.string("name") ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let graphName = isValidName(name) ? name : "arch"
        let layerSettings: [String: ArchLayerSettings]
        if isLFADS {
            guard let lfads = try root.object("lfads") else { throw root.fail("lfads", "expected an object") }
            graph = try ArchLFADS(lfads).build(name: graphName, file: file)
            layerSettings = [:]
        } else {
            var stack = try ArchStack(root)
            graph = try stack.build(name: graphName)
            layerSettings = stack.settings
        }
        let widths = ArchInputWidths.parts(of: graph)
        for (layer, s) in layerSettings {
            var o = LayerOverride(precision: s.precision, defaultPrecision: s.defaultPrecision, strategy: s.strategy,
                                  recurrentReuse: s.recurrentReuse)
            switch s.reuse {
            case .factor(let n)?: o.reuse = n
            case .inputWidth?:
                // Every part of the layer (both directions of a bidirectional one) gets its own widths.
                for (part, w) in widths where part == layer || part.hasPrefix(layer + ".") {
                    overrides.layers[part, default: LayerOverride()].reuse = w.reuse
                    overrides.layers[part, default: LayerOverride()].recurrentReuse = s.recurrentReuse ?? w.recurrentReuse
                }
            case .auto?, nil: break
            }
            overrides.layers[layer] = (overrides.layers[layer] ?? LayerOverride()).merging(o)
        }
        inputWidthReuse = [:]
        if reuse == .inputWidth {
            for (part, w) in widths where overrides.layer(part).reuse == nil {
                inputWidthReuse[part] = LayerOverride(reuse: w.reuse, recurrentReuse: w.recurrentReuse)
            }
        }
    }

    /// The project configuration the spec amounts to. With `modelWideReuse` false the spec's model-wide reuse
    /// is left out, so that a `--reuse` flag decides instead (per-layer reuse stays, as in lfadsc.json).
    public func projectConfig(modelWideReuse: Bool = true) -> ProjectConfig {
        var c = ProjectConfig()
        if let t = target { c.target = t }
        if let m = clockMHz { c.clockMHz = m }
        c.overrides = overrides
        if modelWideReuse {
            for (part, o) in inputWidthReuse { c.overrides.layers[part] = (c.overrides.layers[part] ?? LayerOverride()).merging(o) }
        } else {
            c.overrides.reuse = nil
        }
        return c
    }

    // MARK: shared value readers

    /// A precision: one type for every tensor, or an object of per-field types with an optional `default`.
    static func precision(_ v: Any, _ o: SpecObject, _ key: String) throws -> (FixedType?, [PrecisionField: FixedType]) {
        let path = o.key(key)
        if let s = v as? String { return (try ConfigValues.fixedType(s, file: o.file, key: path), [:]) }
        let p = try SpecObject(v, file: o.file, path: path)
        var d: FixedType?
        var fields: [PrecisionField: FixedType] = [:]
        for k in p.values.keys.sorted() {
            guard let text = try p.string(k) else { continue }
            let t = try ConfigValues.fixedType(text, file: o.file, key: p.key(k))
            if k == "default" { d = t; continue }
            guard let f = ConfigValues.field(k) else { throw p.fail(k, "unknown precision field (valid: default, \(ConfigValues.validFieldNames))") }
            fields[f] = t
        }
        return (d, fields)
    }

    static func reuse(_ o: SpecObject, _ key: String, allowAuto: Bool) throws -> ArchReuse? {
        guard let v = o.values[key] else { return nil }
        if let s = v as? String {
            switch s {
            case "auto" where allowAuto: return .auto
            case "n_in": return .inputWidth
            default:
                throw o.fail(key, "expected a positive integer, \(allowAuto ? "'auto' or " : "")'n_in', got '\(s)'")
            }
        }
        guard let n = try o.int(key, in: 1...ConfigValues.maxReuse) else { return nil }
        return .factor(n)
    }
}

/// What a spec says about one layer of a stack.
struct ArchLayerSettings {
    var precision: [PrecisionField: FixedType] = [:]
    var defaultPrecision: FixedType?
    var strategy: Strategy?
    var reuse: ArchReuse?
    var recurrentReuse: Int?
}
