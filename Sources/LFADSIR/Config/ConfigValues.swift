// Shared readers of typed configuration values, used by the JSON and the YAML front ends.

extension Strategy {
    /// Case-insensitive: `Latency`, `resource`, `lfads`.
    init(config text: String, file: String, line: Int? = nil, key: String) throws {
        guard let s = Strategy.allCases.first(where: { $0.rawValue == text.lowercased() }) else {
            throw ConfigError(file: file, line: line, key: key,
                              "unknown strategy '\(text)' (valid: \(Strategy.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = s
    }
}

public enum ConfigValues {
    static let maxReuse = 1 << 20

    static func fixedType(_ text: String, file: String, line: Int? = nil, key: String) throws -> FixedType {
        do { return try FixedType(parsing: text) } catch {
            throw ConfigError(file: file, line: line, key: key, "\(error)")
        }
    }

    static func reuse(_ value: Int, file: String, line: Int? = nil, key: String) throws -> Int {
        guard (1...maxReuse).contains(value) else {
            throw ConfigError(file: file, line: line, key: key, "reuse factor \(value) is outside 1...\(maxReuse)")
        }
        return value
    }

    public static func maxUtilization(_ value: Double, file: String, line: Int? = nil, key: String? = nil) throws -> Double {
        guard value > 0, value <= 1 else {
            throw ConfigError(file: file, line: line, key: key, "utilisation \(value) must be a fraction in (0, 1], e.g. 0.8")
        }
        return value
    }

    public static func latencyTarget(_ value: Double, file: String, line: Int? = nil, key: String? = nil) throws -> Double {
        guard value > 0, value.isFinite else { throw ConfigError(file: file, line: line, key: key, "latency target \(value) µs must be positive") }
        return value
    }

    static func tableSize(_ value: Int, file: String, line: Int? = nil, key: String) throws -> Int {
        guard value >= 2, value <= LookupTable.maximumSize, value & (value - 1) == 0 else {
            throw ConfigError(file: file, line: line, key: key,
                              "table size \(value) must be a power of two in 2...\(LookupTable.maximumSize)")
        }
        return value
    }

    static func tableRange(_ values: [Double], file: String, line: Int? = nil, key: String) throws -> ClosedRange<Double> {
        guard values.count == 2, values[0].isFinite, values[1].isFinite, values[0] < values[1] else {
            throw ConfigError(file: file, line: line, key: key, "table range must be [lower, upper] with finite lower < upper")
        }
        return values[0]...values[1]
    }

    /// The field a precision key names; `act`/`recr_act` are hls4ml's names for the GRU activation outputs.
    static func field(_ key: String) -> PrecisionField? {
        switch key {
        case "act": return .activation
        case "recr_act": return .recurrentActivation
        default: return PrecisionField(name: key)
        }
    }

    static var validFieldNames: String { PrecisionField.allCases.map(\.rawValue).joined(separator: ", ") }
}
