extension QuantizePass {
    /// The table of chosen types: one line per tensor (layer part, tensor, type, source, table shape), then the
    /// implementations the configuration gives and the override entries that matched no layer. Planning errors are
    /// printed as one `error:` line, so this can be shown whatever the configuration.
    public func precisionTable(_ graph: Graph) -> String {
        let plan: QuantizationPlan
        do { plan = try QuantizePass(overrides: overrides, rejectUnknownLayers: false).plan(graph) } catch {
            return "error: \(error)\n"
        }
        var rows: [[String]] = [["layer", "tensor", "type", "source", "table"]]
        for c in plan.choices {
            rows.append([c.key.layer, c.key.field.rawValue, c.type.description, c.source.rawValue, c.note ?? ""])
        }
        // Strategy and reuse are the strategy pass's; the table shows what the configuration gives for them.
        for i in StrategyPass(overrides: overrides).configuredImplementations(graph) {
            rows.append([i.layer, "implementation", i.implementation.description, i.source.rawValue, ""])
        }
        var widths = [Int](repeating: 0, count: 5)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var text = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += i == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[i] + 2 - cell.count))
            }
            text += YAMLSubsetParser.trimTrailing(line) + "\n"
        }
        if !plan.unusedOverrides.isEmpty {
            text += "unused overrides (no such layer): \(plan.unusedOverrides.joined(separator: ", "))\n"
        }
        return text
    }
}
