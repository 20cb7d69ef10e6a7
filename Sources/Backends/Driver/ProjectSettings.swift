import Foundation
import LFADSIR

/// `--reuse N` or `--reuse auto`.
public enum ReuseSetting: Sendable, Equatable {
    case factor(Int)
    case auto

    /// Parses the flag's text; nil for anything but a factor in 1...2^20 or `auto`.
    public init?(_ text: String) {
        if text == "auto" { self = .auto; return }
        guard let n = Int(text), n >= 1, n <= 1 << 20 else { return nil }
        self = .factor(n)
    }
}

/// Flags that override lfadsc.json; nil means "not given". The same flags mean the same on every command.
public struct SettingsFlags: Sendable {
    public var configPath: String?
    public var model: String?
    public var format: String?
    public var target: String?
    public var clockMHz: Double?
    public var output: String?
    /// A fixed-point type, or "auto" (handled by the compile driver, not stored in the config).
    public var precision: String?
    public var strategy: String?
    public var reuse: ReuseSetting?
    public var maxUtilization: Double?
    public var latencyTargetMicroseconds: Double?
    /// An lfads-torch model's reconstruction distribution (`--reconstruction`).
    public var reconstruction: String?

    public init(configPath: String? = nil, model: String? = nil, format: String? = nil, target: String? = nil, clockMHz: Double? = nil,
                output: String? = nil, precision: String? = nil, strategy: String? = nil, reuse: ReuseSetting? = nil,
                maxUtilization: Double? = nil, latencyTargetMicroseconds: Double? = nil) {
        self.configPath = configPath
        self.model = model
        self.format = format
        self.target = target
        self.clockMHz = clockMHz
        self.output = output
        self.precision = precision
        self.strategy = strategy
        self.reuse = reuse
        self.maxUtilization = maxUtilization
        self.latencyTargetMicroseconds = latencyTargetMicroseconds
    }

    public var wantsAutoPrecision: Bool { precision == "auto" }
}

/// lfadsc.json (given, or found in the working directory) with the flags applied on top.
public enum ProjectSettings {
    public static let defaultFileName = "lfadsc.json"

    public static func resolve(_ flags: SettingsFlags, workingDirectory: String = FileManager.default.currentDirectoryPath) throws -> ProjectConfig {
        var config: ProjectConfig
        if let path = flags.configPath {
            config = try ProjectConfig.load(path: path)
        } else if FileManager.default.fileExists(atPath: workingDirectory + "/" + defaultFileName) {
            config = try ProjectConfig.load(path: workingDirectory + "/" + defaultFileName)
        } else {
            config = ProjectConfig()
        }
        try apply(flags, to: &config)
        return config
    }

    public static func apply(_ flags: SettingsFlags, to config: inout ProjectConfig) throws {
        // Paths given on the command line are relative to the working directory, not to lfadsc.json.
        if let m = flags.model { config.model = absolute(m) }
        if let f = flags.format { config.format = f }
        if let r = flags.reconstruction { config.reconstruction = r }
        if let t = flags.target {
            guard Device.named(t) != nil else {
                throw ConfigError(file: "--target", "unknown device '\(t)' (known: \(Device.all.map(\.name).joined(separator: ", ")))")
            }
            config.target = t
        }
        if let c = flags.clockMHz {
            guard c > 0, c <= 1000 else { throw ConfigError(file: "--clock", "clock \(c) MHz is outside 0–1000") }
            config.clockMHz = c
        }
        if let o = flags.output { config.outputDir = absolute(o) }
        if let p = flags.precision, p != "auto" {
            do { config.overrides.defaultPrecision = try FixedType(parsing: p) } catch {
                throw ConfigError(file: "--precision", "\(error)")
            }
        }
        if let s = flags.strategy {
            guard let strategy = Strategy(rawValue: s) else {
                throw ConfigError(file: "--strategy", "unknown strategy '\(s)' (known: \(Strategy.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            config.overrides.strategy = strategy
        }
        // A reuse flag replaces whatever the file says about reuse; a latency target beats both (ReuseSearch).
        switch flags.reuse {
        case .factor(let r)?:
            guard r >= 1, r <= 1 << 20 else { throw ConfigError(file: "--reuse", "reuse factor \(r) must be 1 or more") }
            config.overrides.reuse = r
            config.reuseSearch.auto = false
            config.reuseSearch.latencyTargetMicroseconds = nil
        case .auto?:
            config.overrides.reuse = nil
            config.reuseSearch.auto = true
            config.reuseSearch.latencyTargetMicroseconds = nil
        case nil: break
        }
        if let u = flags.maxUtilization {
            config.reuseSearch.maxUtilization = try ConfigValues.maxUtilization(u, file: "--max-utilization")
        }
        if let t = flags.latencyTargetMicroseconds {
            config.reuseSearch.latencyTargetMicroseconds = try ConfigValues.latencyTarget(t, file: "--latency-target")
        }
    }

    public static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// The model path with lfadsc.json-relative paths resolved, or an error saying how to give one.
    public static func modelPath(_ config: ProjectConfig) throws -> String {
        guard let model = config.model else {
            throw ConfigError(file: defaultFileName, "no model given: pass MODEL or --model, or run 'lfadsc init MODEL'")
        }
        return config.resolve(model)
    }
}
