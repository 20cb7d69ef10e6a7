import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A project's `lfadsc.json`: what to compile, for which board, and the precision/implementation overrides.
///
///     {"model": "lfads.h5", "format": "keras", "target": "u55c", "clock_mhz": 300, "output_dir": "build",
///      "precision": "ap_fixed<16,6>", "strategy": "resource", "reuse": 1, "table_size": 1024,
///      "hls4ml_config": "hls4ml_config.yml", "precision_file": "chosen.json",
///      "max_utilization": 0.8, "latency_target_us": 5,
///      "layers": {"enc": {"precision": {"weight": "ap_fixed<12,4>", "accum": "ap_fixed<24,10>"},
///                         "strategy": "resource", "reuse": 4}}}
///
/// `"reuse": "auto"` hands the reuse factors to the reuse pass (within `max_utilization` of the device, or
/// meeting `latency_target_us`); see `ReuseSearch`.
/// Relative paths are kept as written and resolved against the file's directory by `resolve(_:)`.
public struct ProjectConfig: Hashable, Sendable {
    public var model: String?
    /// Importer name (`keras`, `lfads-torch`, `lfads-tf1`); nil to detect from the file.
    public var format: String?
    /// `"reconstruction"`: an lfads-torch model's reconstruction distribution (`Gamma`,
    /// `ZeroInflatedGamma(gamma_loc=0.1)`, ...) when the file does not say it or says it wrongly.
    public var reconstruction: String?
    /// Board or part (`u55c`).
    public var target: String
    public var clockMHz: Double
    public var outputDir: String?
    /// An hls4ml configuration whose precisions apply under this file's own settings.
    public var hls4mlConfig: String?
    /// A precision file (`PrecisionFile`) whose per-tensor types apply over this file's own settings.
    public var precisionFile: String?
    public var overrides: PrecisionOverrides
    /// What the file says about the reuse pass (`"reuse": "auto"`, `max_utilization`, `latency_target_us`).
    public var reuseSearch: ReuseSearch
    /// `"posterior": "sample", "seed": S`: sample the posteriors with the on-chip Gaussian source seeded with S
    /// (nil: the posterior mean, LFADS' inference default).
    public var posteriorSeed: UInt64?
    /// Posterior samples averaged per trial (`"posterior": "average:N"`); 1 for "sample".
    public var posteriorSamples = 1
    /// `"outputs"`: outputs the hardware keeps, by the float path's names (`factors`, `co_means`, ...); the
    /// primary output (rates) is always kept. Empty: the primary output only.
    public var outputs: [String] = []
    /// `"trials_in_flight"`: trials one call of the hardware carries, interleaved in its recurrences (InterleavePass).
    public var trialsInFlight = 1
    /// Directory of the file this was loaded from (not saved).
    public var baseDirectory: String?

    public static let defaultTarget = "u55c"
    public static let defaultClockMHz = 300.0

    public init(model: String? = nil, format: String? = nil, target: String = ProjectConfig.defaultTarget,
                clockMHz: Double = ProjectConfig.defaultClockMHz, outputDir: String? = nil, hls4mlConfig: String? = nil,
                overrides: PrecisionOverrides = PrecisionOverrides(), reuseSearch: ReuseSearch = ReuseSearch()) {
        self.model = model
        self.format = format
        self.target = target
        self.clockMHz = clockMHz
        self.outputDir = outputDir
        self.hls4mlConfig = hls4mlConfig
        self.overrides = overrides
        self.reuseSearch = reuseSearch
    }

    static let topKeys = ["model", "format", "target", "clock_mhz", "output_dir", "hls4ml_config", "precision_file", "precision",
                          "strategy", "reuse", "table_size", "layers", "max_utilization", "latency_target_us",
                          "posterior", "seed", "outputs", "reconstruction", "trials_in_flight"]
    static let layerKeys = ["precision", "strategy", "reuse", "recurrent_reuse", "table_size", "table_range"]

    /// `path` made absolute against the config file's directory.
    public func resolve(_ path: String) -> String {
        guard !path.hasPrefix("/"), let base = baseDirectory else { return path }
        return base + "/" + path
    }

    /// The overrides to use: the hls4ml file's (if any) under this file's own, and the precision file's
    /// (if any) over both.
    public func effectiveOverrides() throws -> PrecisionOverrides {
        var o = overrides
        if let h = hls4mlConfig { o = try HLS4MLConfig.load(path: resolve(h)).overrides.merging(o) }
        if let p = precisionFile { o = o.merging(try PrecisionFile.load(path: resolve(p)).overrides) }
        return o
    }

    // MARK: load

    public static func load(path: String) throws -> ProjectConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(file: path, "cannot read the file") }
        var config = try ProjectConfig(json: data, file: path)
        let dir = (path as NSString).deletingLastPathComponent
        config.baseDirectory = dir.isEmpty ? "." : dir
        return config
    }

    public init(json data: Data, file: String = "<text>") throws {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data, options: []) } catch {
            throw ConfigError(file: file, "not valid JSON (\(Self.oneLine(error)))")
        }
        var r = JSONReader(file: file)
        self = try r.config(object)
    }

    static func oneLine(_ error: Error) -> String {
        let ns = error as NSError
        let detail = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
        return detail.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    // MARK: save

    /// The canonical JSON text (sorted keys, two-space indentation).
    public func jsonData() throws -> Data {
        var top: [String: Any] = ["target": target, "clock_mhz": clockMHz]
        if let m = model { top["model"] = m }
        if let f = format { top["format"] = f }
        if let r = reconstruction { top["reconstruction"] = r }
        if let o = outputDir { top["output_dir"] = o }
        if let h = hls4mlConfig { top["hls4ml_config"] = h }
        if let p = precisionFile { top["precision_file"] = p }
        let o = overrides
        if o.defaultPrecision != nil || !o.fieldDefaults.isEmpty {
            top["precision"] = Self.precisionJSON(o.defaultPrecision, o.fieldDefaults)
        }
        if let s = o.strategy { top["strategy"] = s.rawValue }
        if let r = o.reuse { top["reuse"] = r }
        if reuseSearch.auto { top["reuse"] = "auto" }
        if let u = reuseSearch.maxUtilization { top["max_utilization"] = u }
        if let t = reuseSearch.latencyTargetMicroseconds { top["latency_target_us"] = t }
        if let t = o.tableSize { top["table_size"] = t }
        if !outputs.isEmpty { top["outputs"] = outputs }
        if trialsInFlight != 1 { top["trials_in_flight"] = trialsInFlight }
        if let s = posteriorSeed {
            top["posterior"] = posteriorSamples > 1 ? "average:\(posteriorSamples)" : "sample"
            top["seed"] = s < 1 << 53 ? NSNumber(value: s) as Any : String(s)
        }
        if !o.layers.isEmpty {
            var layers: [String: Any] = [:]
            for (name, l) in o.layers {
                var entry: [String: Any] = [:]
                if l.defaultPrecision != nil || !l.precision.isEmpty { entry["precision"] = Self.precisionJSON(l.defaultPrecision, l.precision) }
                if let s = l.strategy { entry["strategy"] = s.rawValue }
                if let r = l.reuse { entry["reuse"] = r }
                if let r = l.recurrentReuse { entry["recurrent_reuse"] = r }
                if let t = l.tableSize { entry["table_size"] = t }
                if let r = l.tableRange { entry["table_range"] = [r.lowerBound, r.upperBound] }
                layers[name] = entry
            }
            top["layers"] = layers
        }
        return try JSONSerialization.data(withJSONObject: top, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    static func precisionJSON(_ fallback: FixedType?, _ fields: [PrecisionField: FixedType]) -> Any {
        if fields.isEmpty, let d = fallback { return d.description }
        var m: [String: String] = [:]
        if let d = fallback { m["default"] = d.description }
        for (f, t) in fields { m[f.rawValue] = t.description }
        return m
    }

    /// Writes the file through a temporary file in the same directory and a rename, so a reader never sees
    /// half a file. Refuses to replace an existing file unless `overwrite` is set.
    public func save(to path: String, overwrite: Bool = false) throws {
        if !overwrite, FileManager.default.fileExists(atPath: path) {
            throw ConfigError(file: path, "already exists (pass overwrite to replace it)")
        }
        var data = try jsonData()
        data.append(0x0A)
        let dir = (path as NSString).deletingLastPathComponent
        let temp = (dir.isEmpty ? "." : dir) + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temp, contents: data) else {
            throw ConfigError(file: path, "cannot write the temporary file \(temp)")
        }
        guard rename(temp, path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(atPath: temp)
            throw ConfigError(file: path, "cannot rename the temporary file into place (errno \(code))")
        }
    }
}

/// Reads the JSON object tree, naming the key path in every error.
struct JSONReader {
    let file: String

    func fail(_ key: String, _ message: String) -> ConfigError { ConfigError(file: file, key: key, message) }

    func string(_ v: Any, _ key: String) throws -> String {
        guard let s = v as? String else { throw fail(key, "expected a string") }
        return s
    }

    func number(_ v: Any, _ key: String) throws -> Double {
        guard !(v is String), let n = v as? NSNumber, !Self.isBool(n) else { throw fail(key, "expected a number") }
        let d = n.doubleValue
        guard d.isFinite else { throw fail(key, "expected a finite number") }
        return d
    }

    func int(_ v: Any, _ key: String) throws -> Int {
        let d = try number(v, key)
        guard d == d.rounded(), abs(d) < 1e15 else { throw fail(key, "expected an integer, got \(d)") }
        return Int(d)
    }

    /// A 64-bit seed: a JSON integer 0...2^53 (exact in a double), or a decimal string for the full range.
    func seed(_ v: Any, _ key: String) throws -> UInt64 {
        if let s = v as? String {
            guard let u = UInt64(s) else { throw fail(key, "expected an integer 0...\(UInt64.max), got \"\(s)\"") }
            return u
        }
        let i = try int(v, key)
        guard i >= 0 else { throw fail(key, "expected a non-negative integer, got \(i)") }
        return UInt64(i)
    }

    static func isBool(_ n: NSNumber) -> Bool {
        // JSONSerialization returns true/false as NSNumber of a Bool; objCType is "c" for them.
        String(cString: n.objCType) == "c" || type(of: n) != type(of: NSNumber(value: 1))
    }

    func object(_ v: Any, _ key: String) throws -> [String: Any] {
        guard let o = v as? [String: Any] else { throw fail(key, "expected an object") }
        return o
    }

    func checkKeys(_ o: [String: Any], _ valid: [String], _ where_: String?) throws {
        for k in o.keys.sorted() where !valid.contains(k) {
            let path = where_.map { "\($0).\(k)" } ?? k
            throw fail(path, "unknown key (valid: \(valid.joined(separator: ", ")))")
        }
    }

    mutating func config(_ root: Any) throws -> ProjectConfig {
        let o = try object(root, "<root>")
        try checkKeys(o, ProjectConfig.topKeys, nil)
        var c = ProjectConfig()
        if let v = o["model"] { c.model = try nonEmpty(v, "model") }
        if let v = o["format"] { c.format = try nonEmpty(v, "format") }
        if let v = o["reconstruction"] { c.reconstruction = try nonEmpty(v, "reconstruction") }
        if let v = o["target"] { c.target = try nonEmpty(v, "target") }
        if let v = o["output_dir"] { c.outputDir = try nonEmpty(v, "output_dir") }
        if let v = o["hls4ml_config"] { c.hls4mlConfig = try nonEmpty(v, "hls4ml_config") }
        if let v = o["precision_file"] { c.precisionFile = try nonEmpty(v, "precision_file") }
        if let v = o["clock_mhz"] {
            let mhz = try number(v, "clock_mhz")
            guard mhz > 0, mhz <= 1000 else { throw fail("clock_mhz", "clock \(mhz) MHz is outside (0, 1000]") }
            c.clockMHz = mhz
        }
        if let v = o["precision"] {
            let (d, fields) = try precision(v, "precision")
            c.overrides.defaultPrecision = d
            c.overrides.fieldDefaults = fields
        }
        if let v = o["strategy"] { c.overrides.strategy = try Strategy(config: try string(v, "strategy"), file: file, key: "strategy") }
        if let v = o["reuse"] {
            if let text = v as? String {
                guard text == "auto" else { throw fail("reuse", "expected a positive integer or \"auto\", got \"\(text)\"") }
                c.reuseSearch.auto = true
            } else {
                c.overrides.reuse = try ConfigValues.reuse(try int(v, "reuse"), file: file, key: "reuse")
            }
        }
        if let v = o["posterior"] {
            switch try string(v, "posterior") {
            case "mean": guard o["seed"] == nil else { throw fail("seed", "only applies to \"posterior\": \"sample\" or \"average:N\"") }
            case "sample":
                guard let s = o["seed"] else { throw fail("seed", "\"posterior\": \"sample\" needs a seed (a non-negative integer)") }
                c.posteriorSeed = try seed(s, "seed")
            case let m where m.hasPrefix("average:"):
                guard let n = Int(m.dropFirst(8)), (2...Graph.maxPosteriorSamples).contains(n) else {
                    throw fail("posterior", "\"average:N\" takes N in 2...\(Graph.maxPosteriorSamples), got \"\(m)\"")
                }
                guard let s = o["seed"] else { throw fail("seed", "\"posterior\": \"\(m)\" needs a seed (a non-negative integer)") }
                c.posteriorSeed = try seed(s, "seed")
                c.posteriorSamples = n
            case let m: throw fail("posterior", "expected \"mean\", \"sample\" or \"average:N\", got \"\(m)\"")
            }
        } else if o["seed"] != nil {
            throw fail("seed", "only applies to \"posterior\": \"sample\" or \"average:N\"")
        }
        if let v = o["trials_in_flight"] {
            let n = try int(v, "trials_in_flight")
            guard (1...Graph.maxTrialsInFlight).contains(n) else { throw fail("trials_in_flight", "expected 1...\(Graph.maxTrialsInFlight), got \(n)") }
            c.trialsInFlight = n
        }
        if let v = o["outputs"] {
            guard let names = v as? [String], names.allSatisfy({ !$0.isEmpty }) else {
                throw fail("outputs", "expected an array of output names, e.g. [\"factors\", \"co_means\"]")
            }
            c.outputs = names
        }
        if let v = o["max_utilization"] {
            c.reuseSearch.maxUtilization = try ConfigValues.maxUtilization(try number(v, "max_utilization"), file: file, key: "max_utilization")
        }
        if let v = o["latency_target_us"] {
            c.reuseSearch.latencyTargetMicroseconds = try ConfigValues.latencyTarget(try number(v, "latency_target_us"), file: file,
                                                                                     key: "latency_target_us")
        }
        if let v = o["table_size"] { c.overrides.tableSize = try ConfigValues.tableSize(try int(v, "table_size"), file: file, key: "table_size") }
        if let v = o["layers"] {
            for (name, entry) in try object(v, "layers") {
                guard isValidName(name) else { throw fail("layers.\(name)", "not a valid layer name") }
                c.overrides.layers[name] = try layer(entry, "layers.\(name)")
            }
        }
        return c
    }

    func nonEmpty(_ v: Any, _ key: String) throws -> String {
        let s = try string(v, key)
        guard !s.isEmpty else { throw fail(key, "must not be empty") }
        return s
    }

    func precision(_ v: Any, _ key: String) throws -> (FixedType?, [PrecisionField: FixedType]) {
        if let s = v as? String { return (try ConfigValues.fixedType(s, file: file, key: key), [:]) }
        let o = try object(v, key)
        var d: FixedType?
        var fields: [PrecisionField: FixedType] = [:]
        for k in o.keys.sorted() {
            let path = "\(key).\(k)"
            let text = try string(o[k] as Any, path)
            let t = try ConfigValues.fixedType(text, file: file, key: path)
            if k == "default" { d = t; continue }
            guard let f = PrecisionField(rawValue: k) else {
                throw fail(path, "unknown precision key (valid: default, \(ConfigValues.validFieldNames))")
            }
            fields[f] = t
        }
        return (d, fields)
    }

    func layer(_ v: Any, _ key: String) throws -> LayerOverride {
        let o = try object(v, key)
        try checkKeys(o, ProjectConfig.layerKeys, key)
        var l = LayerOverride()
        if let p = o["precision"] { (l.defaultPrecision, l.precision) = try precision(p, "\(key).precision") }
        if let s = o["strategy"] { l.strategy = try Strategy(config: try string(s, "\(key).strategy"), file: file, key: "\(key).strategy") }
        if let r = o["reuse"] { l.reuse = try ConfigValues.reuse(try int(r, "\(key).reuse"), file: file, key: "\(key).reuse") }
        if let r = o["recurrent_reuse"] {
            l.recurrentReuse = try ConfigValues.reuse(try int(r, "\(key).recurrent_reuse"), file: file, key: "\(key).recurrent_reuse")
        }
        if let t = o["table_size"] { l.tableSize = try ConfigValues.tableSize(try int(t, "\(key).table_size"), file: file, key: "\(key).table_size") }
        if let r = o["table_range"] {
            guard let items = r as? [Any] else { throw fail("\(key).table_range", "expected [lower, upper]") }
            l.tableRange = try ConfigValues.tableRange(try items.map { try number($0, "\(key).table_range") }, file: file, key: "\(key).table_range")
        }
        return l
    }
}
