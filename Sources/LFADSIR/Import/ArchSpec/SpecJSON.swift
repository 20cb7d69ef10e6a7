import Foundation

/// One JSON object of an architecture spec with strict, typed accessors. Every error is a `ConfigError` naming
/// the spec file and the JSON path (`layers[2].units`), so a bad spec gives one line saying where and what.
struct SpecObject {
    let values: [String: Any]
    let file: String
    /// JSON path of this object ("" for the root).
    let path: String

    init(_ any: Any, file: String, path: String) throws {
        guard let o = any as? [String: Any] else {
            throw ConfigError(file: file, key: path.isEmpty ? "<root>" : path, "expected a JSON object, got \(SpecObject.kind(any))")
        }
        values = o
        self.file = file
        self.path = path
    }

    func key(_ k: String) -> String { path.isEmpty ? k : "\(path).\(k)" }
    func fail(_ k: String, _ message: String) -> ConfigError { ConfigError(file: file, key: key(k), message) }

    /// Rejects keys outside `allowed` (typos must not be silently ignored).
    func checkKeys(_ allowed: [String]) throws {
        for k in values.keys.sorted() where !allowed.contains(k) {
            throw fail(k, "unknown key (valid here: \(allowed.joined(separator: ", ")))")
        }
    }

    func has(_ k: String) -> Bool { values[k] != nil }

    func required(_ k: String) throws -> Any {
        guard let v = values[k] else { throw ConfigError(file: file, key: path.isEmpty ? "<root>" : path, "missing required key '\(k)'") }
        return v
    }

    func string(_ k: String) throws -> String? {
        guard let v = values[k] else { return nil }
        guard let s = v as? String else { throw fail(k, "expected a string, got \(Self.kind(v))") }
        return s
    }

    func bool(_ k: String) throws -> Bool? {
        guard let v = values[k] else { return nil }
        guard let n = v as? NSNumber, Self.isBool(n) else { throw fail(k, "expected true or false, got \(Self.kind(v))") }
        return n.boolValue
    }

    func number(_ k: String) throws -> Double? {
        guard let v = values[k] else { return nil }
        guard let n = v as? NSNumber, !Self.isBool(n) else { throw fail(k, "expected a number, got \(Self.kind(v))") }
        guard n.doubleValue.isFinite else { throw fail(k, "expected a finite number") }
        return n.doubleValue
    }

    /// An integer in `range`; the bounds keep every product of sizes far from overflow.
    func int(_ k: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let d = try number(k) else { return nil }
        guard d == d.rounded(), d >= Double(range.lowerBound), d <= Double(range.upperBound) else {
            throw fail(k, "expected an integer in \(range.lowerBound)...\(range.upperBound), got \(Self.spell(d))")
        }
        return Int(d)
    }

    func object(_ k: String) throws -> SpecObject? {
        guard let v = values[k] else { return nil }
        return try SpecObject(v, file: file, path: key(k))
    }

    func array(_ k: String) throws -> [Any]? {
        guard let v = values[k] else { return nil }
        guard let a = v as? [Any] else { throw fail(k, "expected a list, got \(Self.kind(v))") }
        return a
    }

    static func isBool(_ n: NSNumber) -> Bool {
        // JSONSerialization gives true/false as NSNumber of a Bool; objCType is "c" for them.
        String(cString: n.objCType) == "c" || type(of: n) != type(of: NSNumber(value: 1))
    }

    static func kind(_ v: Any) -> String {
        if v is String { return "a string" }
        if let n = v as? NSNumber { return isBool(n) ? "a boolean" : "the number \(spell(n.doubleValue))" }
        if v is [Any] { return "a list" }
        if v is [String: Any] { return "an object" }
        return "null"
    }

    static func spell(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)"
    }
}
