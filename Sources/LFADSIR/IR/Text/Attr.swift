/// The generic attribute tree of IR text. Ops keep typed fields in memory; only the text form goes
/// through this tree, so printer and parser stay generic and each op's coding is a short function.
indirect enum Attr: Equatable {
    /// A bare token: a number (kept as text so integers and doubles round-trip exactly) or a name.
    case word(String)
    case string(String)
    case fixed(FixedType)
    /// A reference to a `tensor @name` block.
    case tensor(String)
    case dict([AttrEntry])
}

/// A position in IR text, 1-based; line 0 means "made by the printer, not read".
struct SourceLoc: Equatable {
    var line: Int
    var column: Int
    static let none = SourceLoc(line: 0, column: 0)
}

struct AttrEntry: Equatable {
    var key: String
    var value: Attr
    var loc: SourceLoc = .none
}

/// A failure while reading IR text, at a position; the parser turns it into `IRError.parse`.
struct TextError: Error {
    var message: String
    var loc: SourceLoc
    init(_ message: String, _ loc: SourceLoc) {
        self.message = message
        self.loc = loc
    }
}

/// A weight tensor of IR text: `tensor @name : 192x70 = [ ... ]`. `shape` has one or two dimensions.
struct TensorDecl {
    var name: String
    var shape: [Int]
    var values: [Double]
    var loc: SourceLoc = .none
}

/// Limits on sizes read from text, so a typo cannot make the parser allocate gigabytes or overflow later arithmetic.
enum TextLimits {
    static let maxElements = 100_000_000
    static let maxTableSize = 1 << 24
    static let maxNesting = 32
}

/// Shortest text that parses back to the same Double (non-finite values print but never parse).
func formatDouble(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    return v.description
}

/// A finite Double from its text, or nil.
func parseFiniteDouble(_ s: String) -> Double? {
    guard let first = s.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return nil }
    guard let v = Double(s), v.isFinite else { return nil }
    return v
}

/// Collects attributes while encoding an op; hoists weights into named tensors.
/// Tensor names are `node.path`; a clash (a node named `a.forward` next to a bigru `a`) gets a `$n` suffix.
struct AttrEncoder {
    private(set) var tensors: [TensorDecl] = []
    private var taken = Set<String>()

    private mutating func unique(_ name: String) -> String {
        var candidate = name
        var n = 2
        while taken.contains(candidate) {
            candidate = "\(name)$\(n)"
            n += 1
        }
        taken.insert(candidate)
        return candidate
    }

    mutating func tensor(_ name: String, _ m: Matrix) -> Attr {
        let n = unique(name)
        tensors.append(TensorDecl(name: n, shape: [m.rows, m.columns], values: m.values))
        return .tensor(n)
    }

    mutating func tensor(_ name: String, _ v: [Double]) -> Attr {
        let n = unique(name)
        tensors.append(TensorDecl(name: n, shape: [v.count], values: v))
        return .tensor(n)
    }

    static func int(_ v: Int) -> Attr { .word(String(v)) }
    static func double(_ v: Double) -> Attr { .word(formatDouble(v)) }
    static func bool(_ v: Bool) -> Attr { .word(v ? "true" : "false") }
}

/// Declared tensors and which of them some attribute used (an unused tensor is an error: likely a typo).
/// A class so the nested readers of one file share the marks.
final class TensorTable {
    private(set) var decls: [String: TensorDecl] = [:]
    private(set) var order: [String] = []
    private(set) var used = Set<String>()

    func declare(_ t: TensorDecl) throws {
        guard decls[t.name] == nil else { throw TextError("tensor @\(t.name) is declared twice", t.loc) }
        decls[t.name] = t
        order.append(t.name)
    }

    func use(_ name: String) -> TensorDecl? {
        used.insert(name)
        return decls[name]
    }

    var firstUnused: TensorDecl? { order.first { !used.contains($0) }.flatMap { decls[$0] } }
}

/// Reads a dictionary attribute with typed accessors and rejects keys nobody read.
struct AttrReader {
    /// Dotted path of this dictionary inside the op's attributes ("" at the top).
    let path: String
    let loc: SourceLoc
    private let entries: [AttrEntry]
    private let tensors: TensorTable
    private var used = Set<String>()

    init(_ attr: Attr, path: String, loc: SourceLoc, tensors: TensorTable) throws {
        guard case .dict(let e) = attr else { throw TextError("'\(path)' must be a dictionary { ... }", loc) }
        var seen = Set<String>()
        for entry in e where !seen.insert(entry.key).inserted {
            throw TextError("attribute '\(Self.join(path, entry.key))' is given twice", entry.loc)
        }
        self.path = path
        self.loc = loc
        self.entries = e
        self.tensors = tensors
    }

    private static func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : "\(a).\(b)" }
    func name(_ key: String) -> String { Self.join(path, key) }

    private func entry(_ key: String) -> AttrEntry? { entries.first { $0.key == key } }
    func loc(of key: String) -> SourceLoc { entry(key)?.loc ?? loc }
    func fail(_ key: String, _ problem: String) -> TextError { TextError("attribute '\(name(key))' \(problem)", loc(of: key)) }

    /// Optional keys are simply absent when the field is nil (the printer omits them).
    func has(_ key: String) -> Bool { entry(key) != nil }

    mutating func raw(_ key: String) throws -> Attr {
        guard let e = entry(key) else { throw TextError("missing attribute '\(name(key))'", loc) }
        used.insert(key)
        return e.value
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        guard let v = Self.int(try raw(key), range) else {
            throw fail(key, "must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }

    static func int(_ a: Attr, _ range: ClosedRange<Int>) -> Int? {
        guard case .word(let s) = a, let v = Int(s), range.contains(v) else { return nil }
        return v
    }

    mutating func uint64(_ key: String) throws -> UInt64 {
        guard case .word(let s) = try raw(key), let v = UInt64(s) else { throw fail(key, "must be an unsigned 64-bit integer") }
        return v
    }

    mutating func double(_ key: String) throws -> Double {
        guard case .word(let s) = try raw(key), let v = parseFiniteDouble(s) else { throw fail(key, "must be a finite number") }
        return v
    }

    mutating func optionalDouble(_ key: String) throws -> Double? {
        guard has(key) else { return nil }
        return try double(key)
    }

    /// Fields whose initialiser has a default may be left out of hand-written text (the printer always writes them).
    mutating func bool(_ key: String, default value: Bool) throws -> Bool { has(key) ? try bool(key) : value }
    mutating func double(_ key: String, default value: Double) throws -> Double { has(key) ? try double(key) : value }
    mutating func int(_ key: String, in range: ClosedRange<Int>, default value: Int) throws -> Int {
        has(key) ? try int(key, in: range) : value
    }

    mutating func bool(_ key: String) throws -> Bool {
        switch try raw(key) {
        case .word("true"): return true
        case .word("false"): return false
        default: throw fail(key, "must be true or false")
        }
    }

    mutating func word(_ key: String) throws -> String {
        guard case .word(let s) = try raw(key) else { throw fail(key, "must be a bare word") }
        return s
    }

    mutating func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws -> E where E.RawValue == String {
        let s = try word(key)
        guard let v = E(rawValue: s) else {
            throw fail(key, "has unknown value '\(s)' (expected \(E.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return v
    }

    mutating func string(_ key: String) throws -> String {
        guard case .string(let s) = try raw(key) else { throw fail(key, "must be a quoted string") }
        return s
    }

    mutating func fixed(_ key: String) throws -> FixedType {
        guard case .fixed(let t) = try raw(key) else { throw fail(key, "must be a fixed-point type such as ap_fixed<16,6>") }
        return t
    }

    mutating func optionalFixed(_ key: String) throws -> FixedType? {
        guard has(key) else { return nil }
        return try fixed(key)
    }

    mutating func matrix(_ key: String) throws -> Matrix {
        let t = try tensorDecl(key)
        guard t.shape.count == 2 else { throw fail(key, "must be a 2-D tensor, @\(t.name) is \(t.shape.map(String.init).joined(separator: "x"))") }
        do { return try Matrix(rows: t.shape[0], columns: t.shape[1], values: t.values) } catch { throw fail(key, "\(error)") }
    }

    mutating func vector(_ key: String) throws -> [Double] {
        let t = try tensorDecl(key)
        guard t.shape.count == 1 else { throw fail(key, "must be a 1-D tensor, @\(t.name) is \(t.shape.map(String.init).joined(separator: "x"))") }
        return t.values
    }

    mutating func optionalVector(_ key: String) throws -> [Double]? {
        guard has(key) else { return nil }
        return try vector(key)
    }

    mutating func dict(_ key: String) throws -> AttrReader {
        let a = try raw(key)
        return try AttrReader(a, path: name(key), loc: loc(of: key), tensors: tensors)
    }

    mutating func optionalDict(_ key: String) throws -> AttrReader? {
        guard has(key) else { return nil }
        return try dict(key)
    }

    private mutating func tensorDecl(_ key: String) throws -> TensorDecl {
        guard case .tensor(let name) = try raw(key) else { throw fail(key, "must be a tensor reference @name") }
        guard let t = tensors.use(name) else { throw fail(key, "refers to tensor @\(name), which is not declared") }
        return t
    }

    /// Fails on keys that were present but never read (typos, attributes of another op).
    func finish() throws {
        if let extra = entries.first(where: { !used.contains($0.key) }) {
            throw TextError("unknown attribute '\(name(extra.key))'", extra.loc)
        }
    }
}
