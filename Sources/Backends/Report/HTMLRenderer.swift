import Foundation

/// Turns a `ReportDocument` into one self-contained HTML file: inline CSS and SVG, no scripts, no fetches.
public enum HTMLRenderer {
    public static func render(_ document: ReportDocument) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>\(SVGChart.escape(document.title))</title>
        <style>
        body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1150px; line-height: 1.4; }
        h1 { font-size: 22px; margin-bottom: 2px; } h2 { font-size: 17px; border-bottom: 1px solid #ccc; margin-top: 30px; }
        .sub { color: #666; margin-top: 0; }
        p { max-width: 900px; font-size: 14px; }
        table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
        th, td { border: 1px solid #ccc; padding: 3px 8px; } th { background: #f0f0f0; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
        svg { display: block; margin: 10px 0; font-family: sans-serif; }
        .grid { display: flex; flex-wrap: wrap; gap: 4px 18px; } .grid svg { margin: 4px 0; }
        .verdict { border: 2px solid #888; border-radius: 6px; padding: 8px 14px; background: #fafafa; }
        .verdict ul { list-style: none; padding-left: 0; margin: 4px 0; } .verdict li { margin: 5px 0; font-size: 14px; }
        .verdict .mark { display: inline-block; width: 64px; font-weight: bold; }
        .good .mark { color: #007a4d; } .warning .mark { color: #a86200; } .bad .mark { color: #c00000; } .info .mark { color: #555; }
        details { margin: 14px 0; } summary { cursor: pointer; font-weight: bold; }
        </style></head><body>
        <h1>\(SVGChart.escape(document.title))</h1>
        <p class="sub">\(SVGChart.escape(document.subtitle))</p>

        """
        for section in document.sections {
            html += "<section id=\"\(SVGChart.escape(section.id))\">\n<h2>\(SVGChart.escape(section.heading))</h2>\n"
            for block in section.blocks { html += render(block) }
            html += "</section>\n"
        }
        return html + "</body></html>\n"
    }

    static func render(_ block: ReportBlock) -> String {
        switch block {
        case .paragraph(let text): return "<p>\(SVGChart.escape(text))</p>\n"
        case .bars(let chart): return SVGChart.bars(chart)
        case .lines(let chart): return SVGChart.lines(chart)
        case .scatter(let chart): return SVGChart.scatter(chart)
        case .gantt(let chart): return SVGChart.gantt(chart)
        case .raster(let chart): return SVGChart.raster(chart)
        case .grid(let blocks): return "<div class=\"grid\">\n" + blocks.map(render).joined() + "</div>\n"
        case .appendix(let summary, let blocks):
            return "<details><summary>\(SVGChart.escape(summary))</summary>\n" + blocks.map(render).joined() + "</details>\n"
        case .verdict(let lines):
            let marks: [VerdictLine.Level: String] = [.good: "OK", .warning: "CHECK", .bad: "NO", .info: "NOTE"]
            return "<div class=\"verdict\"><ul>\n" + lines.map {
                "<li class=\"\($0.level.rawValue)\"><span class=\"mark\">\(marks[$0.level] ?? "")</span>\(SVGChart.escape($0.text))</li>\n"
            }.joined() + "</ul></div>\n"
        case .table(let rows):
            guard let head = rows.first else { return "" }
            var html = "<table><tr>" + head.map { "<th>\(SVGChart.escape($0))</th>" }.joined() + "</tr>\n"
            for row in rows.dropFirst() {
                html += "<tr>" + row.map { cell in
                    let numeric = Double(cell.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: ",", with: "")
                        .trimmingCharacters(in: .whitespaces)) != nil
                    return "<td\(numeric ? " class=\"n\"" : "")>\(SVGChart.escape(cell))</td>"
                }.joined() + "</tr>\n"
            }
            return html + "</table>\n"
        }
    }
}
