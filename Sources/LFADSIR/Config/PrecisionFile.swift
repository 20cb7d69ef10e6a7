import Foundation

/// A precision file: the type of every tensor of a quantised design, written by `compile --write-precision`
/// (e.g. after `--precision auto`) and read by `--precision-file` / lfadsc.json's `"precision_file"`, so
/// simulate, estimate, report and compile rebuild exactly those types. Its `layers` use lfadsc.json's
/// per-layer format restricted to `precision`:
///
///     {"lfadsc_precision": 1, "note": "...",
///      "layers": {"enc.forward": {"precision": {"weight": "ap_fixed<6,2,AP_RND_CONV,AP_SAT>", ...}}}}
///
/// Its entries are explicit per-layer types, so they beat lfadsc.json's and the hls4ml file's; `--set` beats them.
public struct PrecisionFile: Hashable, Sendable {
    public static let version = 1
    static let topKeys = ["lfadsc_precision", "note", "layers"]
    static let layerKeys = ["precision"]

    /// Per layer part (`enc`, `enc.forward`, `dec.factors`): per-field types and an optional layer-wide default.
    public var layers: [String: LayerOverride]
    /// Free text for people (what chose these types); not interpreted.
    public var note: String?

    public init(layers: [String: LayerOverride] = [:], note: String? = nil) {
        self.layers = layers
        self.note = note
    }

    /// Every typed tensor of a quantised graph, one explicit type each.
    public init(graph: Graph, note: String? = nil) {
        var layers: [String: LayerOverride] = [:]
        for (key, entry) in TensorInventory(graph).entries {
            guard let t = entry.type else { continue }
            layers[key.layer, default: LayerOverride()].precision[key.field] = t
        }
        self.init(layers: layers, note: note)
    }

    /// As configuration overrides (per-layer types only).
    public var overrides: PrecisionOverrides { PrecisionOverrides(layers: layers) }

    // MARK: read

    public static func load(path: String) throws -> PrecisionFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(file: path, "cannot read the precision file") }
        return try PrecisionFile(json: data, file: path)
    }

    public init(json data: Data, file: String = "<text>") throws {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data, options: []) } catch {
            throw ConfigError(file: file, "not valid JSON (\(ProjectConfig.oneLine(error)))")
        }
        let r = JSONReader(file: file)
        let top = try r.object(object, "<root>")
        try r.checkKeys(top, Self.topKeys, nil)
        guard let v = top["lfadsc_precision"] else {
            throw ConfigError(file: file, key: "lfadsc_precision", "missing (this is not an lfadsc precision file)")
        }
        let version = try r.int(v, "lfadsc_precision")
        guard version == Self.version else {
            throw ConfigError(file: file, key: "lfadsc_precision", "version \(version) is not supported (this lfadsc reads \(Self.version))")
        }
        let note = try top["note"].map { try r.string($0, "note") }
        guard let l = top["layers"] else { throw ConfigError(file: file, key: "layers", "missing") }
        var layers: [String: LayerOverride] = [:]
        for (name, entry) in try r.object(l, "layers") {
            let key = "layers.\(name)"
            guard isValidName(name) else { throw ConfigError(file: file, key: key, "not a valid layer name") }
            let o = try r.object(entry, key)
            try r.checkKeys(o, Self.layerKeys, key)
            guard let p = o["precision"] else { throw ConfigError(file: file, key: "\(key).precision", "missing") }
            var layer = LayerOverride()
            (layer.defaultPrecision, layer.precision) = try r.precision(p, "\(key).precision")
            layers[name] = layer
        }
        self.init(layers: layers, note: note)
    }

    /// Every layer part and tensor the file names exists in `graph` (the model as the quantize pass sees it:
    /// after hardware-outputs and fold-quantizers), so a file made for another model fails naming the key.
    public func check(against graph: Graph, file: String) throws {
        let keys = Array(TensorInventory(graph).entries.keys)
        for name in layers.keys.sorted() {
            // A node's entry covers its parts (`enc` for `enc.forward`), as in lfadsc.json.
            let mine = keys.filter { $0.layer == name || $0.layer.hasPrefix(name + ".") }
            guard !mine.isEmpty else {
                let parts = Set(keys.map(\.layer)).sorted().joined(separator: ", ")
                throw ConfigError(file: file, key: "layers.\(name)", "model '\(graph.name)' has no layer or part '\(name)' (it has: \(parts))")
            }
            let fields = Set(mine.map(\.field))
            for f in (layers[name]?.precision.keys.sorted() ?? []) where !fields.contains(f) {
                throw ConfigError(file: file, key: "layers.\(name).precision.\(f.rawValue)",
                                  "'\(name)' has no \(f.rawValue) tensor (it has: \(fields.sorted().map(\.rawValue).joined(separator: ", ")))")
            }
        }
    }

    // MARK: write

    /// Canonical text: sorted keys, indented, one trailing newline (write it with a temp file and a rename).
    public func jsonText() throws -> String {
        var entries: [String: Any] = [:]
        for (name, l) in layers { entries[name] = ["precision": ProjectConfig.precisionJSON(l.defaultPrecision, l.precision)] }
        var top: [String: Any] = ["lfadsc_precision": Self.version, "layers": entries]
        if let note { top["note"] = note }
        let data = try JSONSerialization.data(withJSONObject: top, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
