/// Fixed-width text tables for the command line: every column as wide as its widest cell, text columns padded on
/// the right, numbers on the left, two spaces between columns.
public enum TextTable {
    /// The rows as aligned lines; the first `textColumns` columns are left-aligned, the rest right-aligned.
    public static func lines(_ rows: [[String]], textColumns: Int = 1) -> [String] {
        var widths = [Int]()
        for r in rows {
            for (i, c) in r.enumerated() {
                if i < widths.count { widths[i] = max(widths[i], c.count) } else { widths.append(c.count) }
            }
        }
        return rows.map { r in
            r.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return i < textColumns ? c + pad : pad + c
            }.joined(separator: "  ")
        }
    }

    /// A rule under a header: dashes as wide as each column of `rows`.
    public static func rule(_ rows: [[String]]) -> String {
        var widths = [Int]()
        for r in rows {
            for (i, c) in r.enumerated() {
                if i < widths.count { widths[i] = max(widths[i], c.count) } else { widths.append(c.count) }
            }
        }
        return widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    }
}
