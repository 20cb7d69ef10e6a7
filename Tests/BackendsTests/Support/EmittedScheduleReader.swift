// Re-reads an emitted HLS project (our own printer's output, so a small exact parser suffices) and rebuilds its
// schedule from what is printed: the top function's DATAFLOW processes and channel arrays, each process's loops
// from its template or function text, trip counts, II and widths from the printed configurations and types.
// Depths come from the same ScheduleRules the builder uses, fed with the printed quantities. A test compares the
// result with `lfadsc estimate`.
import Foundation
@testable import Backends
import LFADSIR

struct EmittedScheduleReader {
    enum ReadError: Error, CustomStringConvertible {
        case malformed(String)
        var description: String {
            switch self { case .malformed(let s): return "emitted project: \(s)" }
        }
    }

    /// A printed `struct NAME { ... };`: constants and typedefs, or a functor's signature and body.
    struct Struct {
        var constants: [String: String] = [:]
        var typedefs: [String: String] = [:]
        var body: [String] = []
    }

    let files: [String: String]
    let delays: DelayModel
    var types: [String: FixedType] = [:]
    var structs: [String: Struct] = [:]
    var tableSizes: [String: Int] = [:]

    init(files: [String: String], clockMHz: Double) throws {
        self.files = files
        self.delays = DelayModel(clockMHz: clockMHz)
        for line in (files["firmware/types.h"] ?? "").split(separator: "\n") where line.hasPrefix("typedef ") {
            let parts = line.dropFirst(8).split(separator: ";")[0]
            guard let space = parts.lastIndex(of: " ") else { continue }
            types[String(parts[parts.index(after: space)...])] = try FixedType(parsing: String(parts[..<space]))
        }
        try readStructs(files["firmware/parameters.h"] ?? "")
        for (path, text) in files where path.hasPrefix("firmware/weights/") {
            for line in text.split(separator: "\n") where line.hasPrefix("static const ") && line.contains("_table[") {
                // static const ROM NAME_table[N] = {
                guard let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]") else { continue }
                let name = line[..<open].split(separator: " ").last.map(String.init) ?? ""
                tableSizes[name] = Int(line[line.index(after: open)..<close])
            }
        }
    }

    mutating func readStructs(_ text: String) throws {
        var current: (String, Struct)?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("static const "), let comment = line.range(of: "  //") { line = String(line[..<comment.lowerBound]) }
            if current == nil, line.hasPrefix("struct "), line.hasSuffix("{") {
                current = (String(line.dropFirst(7).dropLast(1)).trimmingCharacters(in: .whitespaces), Struct())
                continue
            }
            guard let (name, held) = current else { continue }
            var s = held
            if raw.hasPrefix("};") {
                structs[name] = s
                current = nil
                continue
            }
            if line.hasPrefix("static const "), let eq = line.firstIndex(of: "="), !line.contains("(") {
                let key = line[..<eq].split(separator: " ").last.map(String.init) ?? ""
                let value = line[line.index(after: eq)...].split(separator: ";")[0].trimmingCharacters(in: .whitespaces)
                s.constants[key] = value
            } else if line.hasPrefix("typedef "), let semi = line.firstIndex(of: ";") {
                let decl = line[line.index(line.startIndex, offsetBy: 8)..<semi]
                guard let space = decl.lastIndex(of: " ") else { continue }
                s.typedefs[String(decl[decl.index(after: space)...])] = String(decl[..<space])
            }
            s.body.append(line)
            current = (name, s)
        }
    }

    // MARK: configurations

    func config(_ name: String) throws -> Struct {
        guard let s = structs[name] else { throw ReadError.malformed("no configuration '\(name)'") }
        return s
    }

    func int(_ s: Struct, _ key: String) throws -> Int {
        guard let v = s.constants[key], let n = Int(v) else { throw ReadError.malformed("no integer '\(key)'") }
        return n
    }

    func bool(_ s: Struct, _ key: String) throws -> Bool {
        guard let v = s.constants[key] else { throw ReadError.malformed("no flag '\(key)'") }
        return v == "true"
    }

    func fixed(_ text: String?) throws -> FixedType {
        guard let t = text else { throw ReadError.malformed("missing type") }
        if let known = types[t] { return known }
        return try FixedType(parsing: t)
    }

    /// An lfads matrix configuration: its shape, accumulator, count width and printed II.
    func matrix(_ name: String) throws -> (shape: MatrixShape, accum: FixedType, counts: Int?, ii: Int) {
        let c = try config(name)
        let shape = MatrixShape(rows: try int(c, "n_out"), columns: try int(c, "n_in"), reuse: try int(c, "reuse"),
                                weightBits: try fixed(c.typedefs["weight_t"]).width)
        let counts = try bool(c, "counts") ? try fixed(c.typedefs["count_t"]).width : nil
        return (shape, try fixed(c.typedefs["accum_t"]), counts, try int(c, "ii"))
    }

    /// A functor's shape from its printed statements.
    func function(_ name: String?) throws -> FunctionShape {
        guard let name, let s = structs[name] else { throw ReadError.malformed("no functor '\(name ?? "?")'") }
        guard let sig = s.body.first(where: { $0.hasPrefix("static void apply(") }),
              let x = sig.range(of: " &x, "), let amp = sig.range(of: " &y") else { throw ReadError.malformed("functor '\(name)' has no apply") }
        let output = try fixed(String(sig[x.upperBound..<amp.lowerBound]))
        let quantizer = try s.body.first { $0.hasSuffix("q;  // QKeras activation quantizer") }
            .map { try fixed(String($0.split(separator: " ")[0])) }
        let kind: FunctionShape.Kind
        if let t = s.body.first(where: { $0.contains("lfads_from_raw<") && $0.contains("_table_t>") }),
           let open = t.range(of: "lfads_from_raw<"), let close = t.range(of: "_t>(") {
            let table = String(t[open.upperBound..<close.lowerBound])
            guard let size = tableSizes[table] else { throw ReadError.malformed("table '\(table)' not found") }
            kind = .table(size: size)
        } else if s.body.contains(where: { $0.hasPrefix("if (x") }) {
            kind = .hard
        } else {
            kind = .linear
        }
        return FunctionShape(kind: kind, output: output, quantizer: quantizer)
    }

    func cell(_ name: String) throws -> (CellShape, steps: Int, returnSequences: Bool) {
        let c = try config(name)
        let resetAfter = try bool(c, "reset_after")
        let zr = try matrix(c.typedefs["mult_zr"] ?? "")
        let hh = try matrix(c.typedefs["mult_hh"] ?? "")
        let hidden = try int(c, "n_state")
        let merged = zr.shape.rows == 3 * hidden
        guard merged == resetAfter else { throw ReadError.malformed("\(name): recurrent matrix rows \(zr.shape.rows) do not fit reset \(resetAfter ? "after" : "before")") }
        let shape = CellShape(hidden: hidden, resetAfter: resetAfter, recurrent: merged ? [zr.shape] : [zr.shape, hh.shape],
                              accum: try fixed(c.typedefs["accum_t"]), state: try fixed(c.typedefs["state_t"]),
                              gate: try function(c.typedefs["gate_act"]), candidate: try function(c.typedefs["cand_act"]),
                              clip: try bool(c, "has_clip"))
        return (shape, try int(c, "n_steps"), try bool(c, "return_sequences"))
    }

    // MARK: C text helpers

    /// `name<T1, T2>(a, b);` → (name, [T1, T2], [a, b]).
    static func call(_ line: String) -> (name: String, targs: [String], args: [String])? {
        guard line.hasSuffix(");"), let paren = line.firstIndex(of: "(") else { return nil }
        var head = String(line[..<paren])
        var targs = [String]()
        if let lt = head.firstIndex(of: "<"), head.hasSuffix(">") {
            targs = split(String(head[head.index(after: lt)..<head.index(before: head.endIndex)]))
            head = String(head[..<lt])
        }
        guard !head.isEmpty, head.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        let inner = line[line.index(after: paren)..<line.index(line.endIndex, offsetBy: -2)]
        return (head, targs, split(String(inner)))
    }

    /// Splits on top-level commas.
    static func split(_ s: String) -> [String] {
        var out = [String](), depth = 0, cur = ""
        for ch in s {
            if ch == "<" || ch == "(" || ch == "[" { depth += 1 }
            if ch == ">" || ch == ")" || ch == "]" { depth -= 1 }
            if ch == ",", depth == 0 {
                out.append(cur.trimmingCharacters(in: .whitespaces))
                cur = ""
            } else {
                cur.append(ch)
            }
        }
        if !cur.trimmingCharacters(in: .whitespaces).isEmpty { out.append(cur.trimmingCharacters(in: .whitespaces)) }
        return out
    }

    /// The lines of a function body (between the line that opens it and its closing brace at column 0).
    static func body(of function: String, in text: String) -> [String]? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("static void \(function)(") || $0.hasPrefix("void \(function)(") }) else { return nil }
        var out = [String]()
        for line in lines[(start + 1)...] {
            if line == "}" { return out }
            out.append(line)
        }
        return nil
    }

    /// Parameters of a printed function: name and whether it is read (a const array, or a FIFO the body reads
    /// with lfads_get) or written.
    static func parameters(of function: String, in text: String) -> [(name: String, isInput: Bool)]? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("static void \(function)(") || $0.hasPrefix("void \(function)(") }),
              let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")") else { return nil }
        let body = Self.body(of: function, in: text) ?? []
        return split(String(line[line.index(after: open)..<close])).map { p in
            if p.hasPrefix("hls::stream<"), let amp = p.range(of: "(&"), let end = p[amp.upperBound...].firstIndex(of: ")") {
                let name = String(p[amp.upperBound..<end])
                return (name, body.contains { $0.contains(">(\(name), t, ") && $0.contains("lfads_get<") })
            }
            let name = p.split(separator: "[")[0].split(separator: " ").last.map(String.init) ?? ""
            return (name, p.hasPrefix("const "))
        }
    }
}
