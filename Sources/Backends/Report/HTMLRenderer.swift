import Foundation

/// Turns a `ReportDocument` into one self-contained HTML file: inline CSS and SVG, no scripts, no fetches.
public enum HTMLRenderer {
    public static func render(_ document: ReportDocument) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>\(SVGChart.escape(document.title))</title>
        <style>
        body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1100px; }
        h1 { font-size: 22px; margin-bottom: 2px; } h2 { font-size: 17px; border-bottom: 1px solid #ccc; margin-top: 28px; }
        .sub { color: #666; margin-top: 0; }
        table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
        th, td { border: 1px solid #ccc; padding: 3px 8px; } th { background: #f0f0f0; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
        svg { display: block; margin: 10px 0; font-family: sans-serif; }
        </style></head><body>
        <h1>\(SVGChart.escape(document.title))</h1>
        <p class="sub">\(SVGChart.escape(document.subtitle))</p>

        """
        for section in document.sections {
            html += "<h2>\(SVGChart.escape(section.heading))</h2>\n"
            for block in section.blocks { html += render(block) }
        }
        return html + "</body></html>\n"
    }

    static func render(_ block: ReportBlock) -> String {
        switch block {
        case .paragraph(let text): return "<p>\(SVGChart.escape(text))</p>\n"
        case .bars(let chart): return SVGChart.bars(chart)
        case .lines(let chart): return SVGChart.lines(chart)
        case .table(let rows):
            guard let head = rows.first else { return "" }
            var html = "<table><tr>" + head.map { "<th>\(SVGChart.escape($0))</th>" }.joined() + "</tr>\n"
            for row in rows.dropFirst() {
                html += "<tr>" + row.map { cell in
                    let numeric = Double(cell.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: ",", with: "")) != nil
                    return "<td\(numeric ? " class=\"n\"" : "")>\(SVGChart.escape(cell))</td>"
                }.joined() + "</tr>\n"
            }
            return html + "</table>\n"
        }
    }
}
