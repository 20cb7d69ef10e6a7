/// The generic attribute tree of IR text. Ops keep typed fields in memory; only the text form goes
/// through this tree, so printer and parser stay generic and each op's coding is a short function.
indirect enum Attr: Equatable {
    /// A number kept as text so integers and doubles both round-trip exactly.
    case number(String)
    case string(String)
    case ident(String)
    case fixed(FixedType)
    case tensor(String)
    case dict([AttrEntry])
    case list([Attr])
}

struct AttrEntry: Equatable {
    var key: String
    var value: Attr
}

/// A weight tensor of IR text: `tensor @name : 192x70 = [ ... ]`.
struct TensorDecl: Equatable {
    var name: String
    var shape: [Int]
    var values: [Double]
}

/// Collects attributes while encoding an op; hoists weights into named tensors.
struct AttrEncoder {
    private(set) var tensors: [TensorDecl] = []

    mutating func tensor(_ name: String, _ m: Matrix) -> Attr {
        tensors.append(TensorDecl(name: name, shape: [m.rows, m.columns], values: m.values))
        return .tensor(name)
    }

    mutating func tensor(_ name: String, _ v: [Double]) -> Attr {
        tensors.append(TensorDecl(name: name, shape: [v.count], values: v))
        return .tensor(name)
    }

    static func int(_ v: Int) -> Attr { .number(String(v)) }
    static func double(_ v: Double) -> Attr { .number(formatDouble(v)) }
    static func bool(_ v: Bool) -> Attr { .ident(v ? "true" : "false") }
}

/// Shortest text that parses back to the same Double.
func formatDouble(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    return v.description
}

func parseDouble(_ s: String) -> Double? {
    switch s {
    case "nan": return .nan
    case "inf": return .infinity
    case "-inf": return -.infinity
    default: return Double(s)
    }
}

/// Reads a dictionary attribute with typed accessors and rejects keys nobody read.
struct AttrReader {
    let what: String
    private let entries: [AttrEntry]
    private let tensors: [String: TensorDecl]
    private var used = Set<String>()

    init(_ attr: Attr, what: String, tensors: [String: TensorDecl]) throws {
        guard case .dict(let e) = attr else { throw IRError.parse("\(what): expected { ... }") }
        var seen = Set<String>()
        for entry in e where !seen.insert(entry.key).inserted { throw IRError.parse("\(what): key '\(entry.key)' given twice") }
        self.what = what
        self.entries = e
        self.tensors = tensors
    }

    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    mutating func raw(_ key: String) throws -> Attr {
        guard let e = entries.first(where: { $0.key == key }) else { throw IRError.parse("\(what): missing '\(key)'") }
        used.insert(key)
        return e.value
    }

    mutating func optional(_ key: String) -> Attr? {
        guard let e = entries.first(where: { $0.key == key }) else { return nil }
        used.insert(key)
        if case .ident("none") = e.value { return nil }
        return e.value
    }

    mutating func int(_ key: String) throws -> Int {
        guard case .number(let s) = try raw(key), let v = Int(s) else { throw IRError.parse("\(what): '\(key)' must be an integer") }
        return v
    }

    mutating func double(_ key: String) throws -> Double {
        try Self.double(try raw(key), "\(what).\(key)")
    }

    static func double(_ a: Attr, _ what: String) throws -> Double {
        switch a {
        case .number(let s): if let v = parseDouble(s) { return v }
        case .ident(let s): if let v = parseDouble(s) { return v }
        default: break
        }
        throw IRError.parse("\(what) must be a number")
    }

    mutating func optionalDouble(_ key: String) throws -> Double? {
        guard let a = optional(key) else { return nil }
        return try Self.double(a, "\(what).\(key)")
    }

    mutating func bool(_ key: String) throws -> Bool {
        switch try raw(key) {
        case .ident("true"): return true
        case .ident("false"): return false
        default: throw IRError.parse("\(what): '\(key)' must be true or false")
        }
    }

    mutating func ident(_ key: String) throws -> String {
        guard case .ident(let s) = try raw(key) else { throw IRError.parse("\(what): '\(key)' must be a name") }
        return s
    }

    mutating func enumValue<E: RawRepresentable>(_ key: String, _: E.Type) throws -> E where E.RawValue == String {
        let s = try ident(key)
        guard let v = E(rawValue: s) else { throw IRError.parse("\(what): '\(key)' has unknown value '\(s)'") }
        return v
    }

    mutating func string(_ key: String) throws -> String {
        guard case .string(let s) = try raw(key) else { throw IRError.parse("\(what): '\(key)' must be a string") }
        return s
    }

    mutating func fixed(_ key: String) throws -> FixedType {
        guard case .fixed(let t) = try raw(key) else { throw IRError.parse("\(what): '\(key)' must be a fixed-point type") }
        return t
    }

    mutating func optionalFixed(_ key: String) throws -> FixedType? {
        guard let a = optional(key) else { return nil }
        guard case .fixed(let t) = a else { throw IRError.parse("\(what): '\(key)' must be a fixed-point type or none") }
        return t
    }

    mutating func matrix(_ key: String) throws -> Matrix {
        let t = try tensorDecl(try raw(key), key)
        guard t.shape.count == 2 else { throw IRError.parse("\(what): '\(key)' must be a 2-D tensor, @\(t.name) is \(t.shape)") }
        return try Matrix(rows: t.shape[0], columns: t.shape[1], values: t.values)
    }

    mutating func vector(_ key: String) throws -> [Double] {
        let t = try tensorDecl(try raw(key), key)
        guard t.shape.count == 1 else { throw IRError.parse("\(what): '\(key)' must be a 1-D tensor, @\(t.name) is \(t.shape)") }
        return t.values
    }

    mutating func optionalVector(_ key: String) throws -> [Double]? {
        guard let a = optional(key) else { return nil }
        let t = try tensorDecl(a, key)
        guard t.shape.count == 1 else { throw IRError.parse("\(what): '\(key)' must be a 1-D tensor") }
        return t.values
    }

    mutating func dict(_ key: String) throws -> AttrReader {
        try AttrReader(try raw(key), what: "\(what).\(key)", tensors: tensors)
    }

    mutating func optionalDict(_ key: String) throws -> AttrReader? {
        guard let a = optional(key) else { return nil }
        return try AttrReader(a, what: "\(what).\(key)", tensors: tensors)
    }

    private func tensorDecl(_ a: Attr, _ key: String) throws -> TensorDecl {
        guard case .tensor(let name) = a else { throw IRError.parse("\(what): '\(key)' must be a tensor reference @name") }
        guard let t = tensors[name] else { throw IRError.parse("\(what): tensor @\(name) is not declared") }
        return t
    }

    /// Fails on keys that were present but never read (typos, attributes of another op).
    func finish() throws {
        if let extra = entries.first(where: { !used.contains($0.key) }) {
            throw IRError.parse("\(what): unknown attribute '\(extra.key)'")
        }
    }
}
