// h5ls-like listing of every group, dataset and attribute, as text or JSON.
//
// Text format (one object per line, depth-first, members and attributes sorted by name):
//   /path group
//   /path dataset <dtype> <shape> <layout>[ chunks=[..]][ filters=a,b]
//   /path softlink <target>   |   /path externallink   |   /path other
//     @name: <dtype> <shape> = <value>
// Shapes print as [d0, d1] ([] scalar, "null" for an empty dataspace). Values print when
// short (≤ 8 elements and ≤ 80 characters), else "<n values>" / "<n chars>"; floats as
// Python's repr, strings quoted with \\ \" \n \uXXXX escapes. tools/hdf5_fixtures.py
// produces the same format from h5py, which the tests compare against.

public enum HDF5Inspector {
    public static func text(_ file: HDF5File) throws -> String {
        var lines: [String] = []
        try walk(file) { node in
            switch node {
            case .group(let path, let attrs):
                lines.append("\(path) group")
                lines += attrs.map(attributeLine)
            case .dataset(let d, let attrs):
                lines.append(datasetLine(d))
                lines += attrs.map(attributeLine)
            case .softLink(let path, let target):
                lines.append("\(path) softlink \(target)")
            case .externalLink(let path):
                lines.append("\(path) externallink")
            case .other(let path, let attrs):
                lines.append("\(path) other")
                lines += attrs.map(attributeLine)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ file: HDF5File) throws -> String {
        var nodes: [String] = []
        try walk(file) { node in
            switch node {
            case .group(let path, let attrs):
                nodes.append("{\"path\":\(JSONText.string(path)),\"kind\":\"group\",\"attributes\":\(attributesJSON(attrs))}")
            case .dataset(let d, let attrs):
                let chunks = d.chunkShape.map { "[" + $0.map(String.init).joined(separator: ",") + "]" } ?? "null"
                let filters = "[" + d.filterNames.map(JSONText.string).joined(separator: ",") + "]"
                nodes.append("{\"path\":\(JSONText.string(d.path)),\"kind\":\"dataset\",\"dtype\":\(JSONText.string(d.datatype.name)),"
                             + "\"shape\":\(shapeJSON(d.shape, null: d.isNull)),\"layout\":\(JSONText.string(d.layoutDescription)),"
                             + "\"chunks\":\(chunks),\"filters\":\(filters),\"attributes\":\(attributesJSON(attrs))}")
            case .softLink(let path, let target):
                nodes.append("{\"path\":\(JSONText.string(path)),\"kind\":\"softlink\",\"target\":\(JSONText.string(target))}")
            case .externalLink(let path):
                nodes.append("{\"path\":\(JSONText.string(path)),\"kind\":\"externallink\"}")
            case .other(let path, let attrs):
                nodes.append("{\"path\":\(JSONText.string(path)),\"kind\":\"other\",\"attributes\":\(attributesJSON(attrs))}")
            }
        }
        return "{\"file\":\(JSONText.string(file.path)),\"objects\":[\n" + nodes.joined(separator: ",\n") + "\n]}\n"
    }

    // MARK: walking

    enum Node {
        case group(String, [HDF5Attribute])
        case dataset(HDF5Dataset, [HDF5Attribute])
        case softLink(String, String)
        case externalLink(String)
        case other(String, [HDF5Attribute])
    }

    static func walk(_ file: HDF5File, _ visit: (Node) throws -> Void) throws {
        var listed: Set<UInt64> = []
        func group(_ g: HDF5Group) throws {
            try visit(.group(g.path, try g.attributes()))
            // A group reached again through another hard link (or a cycle) is listed once.
            guard listed.insert(g.address).inserted else { return }
            for link in try g.links() {
                let path = g.path == "/" ? "/" + link.name : g.path + "/" + link.name
                switch link.target {
                case .soft(let target): try visit(.softLink(path, target))
                case .external: try visit(.externalLink(path))
                case .hard(let address):
                    switch try withObject(file.path, path, { try HDF5File.kind(file.core, address) }) {
                    case .group: try group(HDF5Group(file: file, path: path, address: address))
                    case .dataset:
                        let d = try HDF5Dataset(file: file, path: path, address: address)
                        try visit(.dataset(d, try d.attributes()))
                    case .other:
                        try visit(.other(path, try HDF5Attribute.readAll(file, path, address)))
                    }
                }
            }
        }
        try group(file.root)
    }

    // MARK: text pieces

    static func shapeText(_ shape: [Int], null: Bool) -> String {
        null ? "null" : "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    static func datasetLine(_ d: HDF5Dataset) -> String {
        var line = "\(d.path) dataset \(d.datatype.name) \(shapeText(d.shape, null: d.isNull)) \(d.layoutDescription)"
        if let c = d.chunkShape {
            line += " chunks=" + shapeText(c, null: false)
            if !d.filterNames.isEmpty { line += " filters=" + d.filterNames.joined(separator: ",") }
        }
        return line
    }

    static func attributeLine(_ a: HDF5Attribute) -> String {
        "  @\(a.name): \(a.datatype.name) \(shapeText(a.shape, null: a.isNull)) = \(valueText(a))"
    }

    static func elementTexts(_ v: HDF5Value) -> [String]? {
        switch v {
        case .integers(let i): return i.map { String($0) }
        case .doubles(let d): return d.map(PythonFloat.repr)
        case .strings(let s): return s.map(quote)
        case .unsupported: return nil
        }
    }

    static func valueText(_ a: HDF5Attribute) -> String {
        if a.isNull { return "empty" }
        guard let parts = elementTexts(a.value) else {
            if case .unsupported(let what) = a.value { return "<\(what)>" }
            return "<unsupported>"
        }
        if parts.count > 8 { return "<\(parts.count) values>" }
        let scalar = a.shape.isEmpty
        let text = scalar ? (parts.first ?? "") : "[" + parts.joined(separator: ", ") + "]"
        if text.unicodeScalars.count > 80 {
            return scalar ? "<\(text.unicodeScalars.count) chars>" : "<\(parts.count) values>"
        }
        return text
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    // MARK: JSON pieces

    static func shapeJSON(_ shape: [Int], null: Bool) -> String {
        null ? "null" : "[" + shape.map(String.init).joined(separator: ",") + "]"
    }

    static func attributesJSON(_ attrs: [HDF5Attribute]) -> String {
        "[" + attrs.map { a in
            let short = !a.isNull && a.value.count <= 8 && valueText(a).first != "<"
            var value = "null"
            if short {
                switch a.value {
                case .integers(let i): value = "[" + i.map { String($0) }.joined(separator: ",") + "]"
                case .doubles(let d): value = "[" + d.map(JSONText.number).joined(separator: ",") + "]"
                case .strings(let s): value = "[" + s.map(JSONText.string).joined(separator: ",") + "]"
                case .unsupported: value = "null"
                }
            }
            return "{\"name\":\(JSONText.string(a.name)),\"dtype\":\(JSONText.string(a.datatype.name)),"
                + "\"shape\":\(shapeJSON(a.shape, null: a.isNull)),\"count\":\(a.value.count),\"value\":\(value)}"
        }.joined(separator: ",") + "]"
    }
}

enum JSONText {
    static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// JSON has no NaN or infinity: those become strings.
    static func number(_ d: Double) -> String {
        d.isFinite ? PythonFloat.repr(d) : string(PythonFloat.repr(d))
    }
}

/// Formats a Double exactly like Python's repr(float): shortest round-trip digits, fixed
/// notation for decimal exponents -4...15, otherwise d.ddde±XX.
enum PythonFloat {
    static func repr(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        var s = v.description
        var sign = ""
        if s.hasPrefix("-") { sign = "-"; s.removeFirst() }
        var mantissa = s
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(s[..<e])
            exponent = Int(s[s.index(after: e)...]) ?? 0
        }
        var intPart = mantissa, frac = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = String(mantissa[..<dot])
            frac = String(mantissa[mantissa.index(after: dot)...])
        }
        var digits = intPart + frac
        var point = intPart.count + exponent
        while digits.count > 1 && digits.hasPrefix("0") { digits.removeFirst(); point -= 1 }
        while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
        if digits == "0" { return sign + "0.0" }
        let x = point - 1
        if x >= -4 && x < 16 {
            if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
            if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) + ".0" }
            return sign + digits.prefix(point) + "." + digits.dropFirst(point)
        }
        let m = digits.count > 1 ? String(digits.prefix(1)) + "." + digits.dropFirst() : digits
        let e = String(abs(x))
        return sign + m + "e" + (x < 0 ? "-" : "+") + (e.count < 2 ? "0" + e : e)
    }
}
