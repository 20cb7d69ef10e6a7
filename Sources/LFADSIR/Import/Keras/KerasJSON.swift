import Foundation

/// Where a problem was found: the file and a path inside it (`model_config/layers[3]`, `model_weights/X/kernel:0`).
/// Every importer error goes through `fail` so messages read "<file>: <path>: problem".
struct KerasSite {
    let file: String
    let path: String

    func child(_ component: String) -> KerasSite { KerasSite(file: file, path: path.isEmpty ? component : "\(path)/\(component)") }
    func fail(_ problem: String) -> IRError { .importFailed("\(file): \(path): \(problem)") }
}

/// A JSON object from the model config with checked, typed accessors (JSONSerialization gives `Any`).
struct KerasObject {
    let values: [String: Any]
    let site: KerasSite

    init(_ values: [String: Any], site: KerasSite) {
        self.values = values
        self.site = site
    }

    init(any: Any?, site: KerasSite) throws {
        guard let d = any as? [String: Any] else { throw site.fail("expected a JSON object") }
        self.init(d, site: site)
    }

    /// The value for `key`, nil when absent or JSON null.
    func raw(_ key: String) -> Any? {
        guard let v = values[key], !isJSONNull(v) else { return nil }
        return v
    }

    func string(_ key: String) throws -> String {
        guard let s = raw(key) as? String else { throw site.fail("'\(key)' must be a string") }
        return s
    }

    func optionalString(_ key: String) throws -> String? {
        guard let v = raw(key) else { return nil }
        guard let s = v as? String else { throw site.fail("'\(key)' must be a string") }
        return s
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let v = raw(key) else { return fallback }
        guard let n = v as? NSNumber, n.doubleValue == 0 || n.doubleValue == 1 else { throw site.fail("'\(key)' must be true or false") }
        return n.doubleValue == 1
    }

    func optionalInt(_ key: String) throws -> Int? {
        guard let v = raw(key) else { return nil }
        guard let i = KerasObject.integer(v) else { throw site.fail("'\(key)' must be an integer") }
        return i
    }

    func int(_ key: String) throws -> Int {
        guard let i = try optionalInt(key) else { throw site.fail("'\(key)' is missing") }
        return i
    }

    func object(_ key: String) throws -> KerasObject {
        try KerasObject(any: raw(key), site: site.child(key))
    }

    func array(_ key: String) throws -> [Any] {
        guard let a = raw(key) as? [Any] else { throw site.fail("'\(key)' must be a list") }
        return a
    }

    /// An integral JSON number that fits an Int (no trap on 1e300).
    static func integer(_ v: Any) -> Int? {
        guard let n = v as? NSNumber else { return nil }
        let d = n.doubleValue
        guard d.isFinite, d == d.rounded(), abs(d) < 1e15 else { return nil }
        return Int(d)
    }
}

/// Whether a JSONSerialization value is JSON null. Compares the dynamic type: `v is NSNull` on a nested
/// Swift dictionary bridges the whole dictionary to NSDictionary first (most of an import's time).
func isJSONNull(_ v: Any) -> Bool { ObjectIdentifier(type(of: v)) == ObjectIdentifier(NSNull.self) }

/// Parses the model_config attribute text.
func parseKerasJSON(_ text: String, site: KerasSite) throws -> KerasObject {
    let parsed: Any
    do { parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
        throw site.fail("not valid JSON")
    }
    return try KerasObject(any: parsed, site: site)
}
