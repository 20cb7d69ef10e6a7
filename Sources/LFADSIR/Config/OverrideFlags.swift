/// Command-line overrides, one `NAME=VALUE` assignment each (the CLI's `--set` values):
///
///     enc.weight=ap_fixed<12,4>         a tensor of a layer (or part: enc.forward.weight)
///     enc=ap_fixed<16,6>                every tensor of a layer
///     *=ap_fixed<16,6>                  the model-wide default;  *.accum=ap_fixed<24,10>  a model-wide field
///     enc.reuse=4  enc.recurrent_reuse=8  enc.strategy=resource  enc.table_size=512
///     *.reuse=2  *.strategy=latency  *.table_size=2048
///
/// The last dot-separated component is read as a field or setting name when it is one; otherwise the whole
/// name is a layer. Flags are applied after the configuration files, so they win.
extension PrecisionOverrides {
    static let settingNames = ["reuse", "recurrent_reuse", "strategy", "table_size"]

    public mutating func apply(flag: String, source: String = "<flags>") throws {
        guard let eq = flag.firstIndex(of: "=") else {
            throw ConfigError(file: source, key: flag, "expected NAME=VALUE")
        }
        let name = String(flag[..<eq])
        let value = String(flag[flag.index(after: eq)...])
        guard !name.isEmpty, !value.isEmpty else { throw ConfigError(file: source, key: flag, "expected NAME=VALUE") }
        var layer = name
        var member: String? = nil
        if let dot = name.lastIndex(of: ".") {
            let last = String(name[name.index(after: dot)...])
            if PrecisionField(rawValue: last) != nil || Self.settingNames.contains(last) {
                layer = String(name[..<dot])
                member = last
            }
        }
        let model = layer == "*"
        guard model || isValidName(layer) else { throw ConfigError(file: source, key: name, "'\(layer)' is not a valid layer name") }
        func int() throws -> Int {
            guard let v = Int(value) else { throw ConfigError(file: source, key: name, "expected an integer, got '\(value)'") }
            return v
        }
        switch member {
        case nil:
            let t = try ConfigValues.fixedType(value, file: source, key: name)
            if model { defaultPrecision = t } else { layers[layer, default: LayerOverride()].defaultPrecision = t }
        case "reuse":
            let r = try ConfigValues.reuse(try int(), file: source, key: name)
            if model { reuse = r } else { layers[layer, default: LayerOverride()].reuse = r }
        case "recurrent_reuse":
            guard !model else { throw ConfigError(file: source, key: name, "recurrent_reuse is a per-layer setting") }
            layers[layer, default: LayerOverride()].recurrentReuse = try ConfigValues.reuse(try int(), file: source, key: name)
        case "strategy":
            let s = try Strategy(config: value, file: source, key: name)
            if model { strategy = s } else { layers[layer, default: LayerOverride()].strategy = s }
        case "table_size":
            let n = try ConfigValues.tableSize(try int(), file: source, key: name)
            if model { tableSize = n } else { layers[layer, default: LayerOverride()].tableSize = n }
        case let field?:
            guard let f = PrecisionField(rawValue: field) else { throw ConfigError(file: source, key: name, "unknown field") }
            let t = try ConfigValues.fixedType(value, file: source, key: name)
            if model { fieldDefaults[f] = t } else { layers[layer, default: LayerOverride()].precision[f] = t }
        }
    }
}
