// Small helpers that print C++ text: exact literals, arrays of codes, identifiers.
import Foundation
import LFADSIR

enum CppText {
    /// An exact double literal of raw · 2^-fraction (exact because emitted types have ≤ 32 bits, well under 53).
    static func literal(raw: Int64, fraction: Int) -> String {
        let s = ExactDecimal.string(raw: raw, fraction: fraction)
        return s.contains(".") ? s : s + ".0"
    }

    /// `static const T name[n] = { ... };` with the exact values of `raws` in `type`, 8 per line.
    static func array(_ typeName: String, _ name: String, _ raws: [Int64], fraction: Int) -> String {
        var lines = [String]()
        var i = 0
        while i < raws.count {
            let chunk = raws[i..<min(i + 8, raws.count)].map { literal(raw: $0, fraction: fraction) }
            lines.append("    " + chunk.joined(separator: ", ") + ",")
            i += 8
        }
        return "static const \(typeName) \(name)[\(raws.count)] = {\n" + lines.joined(separator: "\n") + "\n};\n"
    }

    /// The ROM word type of a fixed type's raw codes (see LFADS_ROM_INT in lfads_defines.h).
    static func romType(_ type: FixedType) -> String {
        type.signed ? "LFADS_ROM_INT(\(type.width))" : "LFADS_ROM_UINT(\(type.width))"
    }

    /// `#define NAME v, v, ...` over several lines: the raw codes of a table, spelled once for all its copies.
    static func rawMacro(_ name: String, _ type: FixedType, _ raws: [Int64]) -> String {
        "#define \(name) \\\n" + rawLines(type, raws).joined(separator: " \\\n")
    }

    /// Raw codes as C literals, 16 per line, each line indented and ending in a comma.
    static func rawLines(_ type: FixedType, _ raws: [Int64]) -> [String] {
        var lines = [String]()
        var i = 0
        while i < raws.count {
            let chunk = raws[i..<min(i + 16, raws.count)].map { r in
                r == Int64(Int32.min) ? "(-2147483647 - 1)" : type.signed ? String(r) : "\(r)u"
            }
            lines.append("    " + chunk.joined(separator: ", ") + ",")
            i += 16
        }
        return lines
    }

    /// `static const ROM name[n] = { raw codes };` (types have ≤ 32 bits, so every code fits an int / unsigned).
    static func rawArray(_ type: FixedType, _ name: String, _ raws: [Int64]) -> String {
        let lines = rawLines(type, raws)
        return "// \(type.description), raw codes\nstatic const \(romType(type)) \(name)[\(raws.count)] = {\n" + lines.joined(separator: "\n") + "\n};\n"
    }

    /// A C identifier from any text.
    static func identifier(_ text: String) -> String {
        let s = String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        return s.first?.isNumber == false ? s : "_" + s
    }

    static func guardName(_ file: String) -> String {
        "LFADS_" + identifier(file).uppercased() + "_"
    }

    static func header(_ file: String, _ body: String, includes: [String] = []) -> String {
        let g = guardName(file)
        let inc = includes.map { "#include \"\($0)\"\n" }.joined()
        return "#ifndef \(g)\n#define \(g)\n\n\(inc)\(inc.isEmpty ? "" : "\n")\(body)\n#endif\n"
    }

    /// The C++ that splits a `.dat` line on spaces and tabs into doubles (false on a malformed number), shared by
    /// the C-simulation testbench and the XRT host so that both accept exactly the same input.
    static let parseLine = """
    // Splits a line on spaces and tabs into doubles; false on a malformed number.
    static bool lfads_parse_line(const std::string &line, std::vector<double> &values) {
        values.clear();
        const char *p = line.c_str();
        while (*p) {
            while (*p == ' ' || *p == '\\t' || *p == '\\r') p++;
            if (!*p) break;
            char *end = 0;
            errno = 0;
            const double v = std::strtod(p, &end);
            if (end == p) return false;
            values.push_back(v);
            p = end;
            if (*p && *p != ' ' && *p != '\\t' && *p != '\\r') return false;
        }
        return true;
    }
    """
}
