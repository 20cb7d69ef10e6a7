import Foundation

/// The design's timeline and resources, and the collapsed appendix (passes, overflows, precisions).
enum DesignSections {
    static func design(_ inputs: ModelReport.Inputs) -> [ReportBlock] {
        guard let e = inputs.pipeline.finalEstimate else { return [.paragraph("The cost model could not estimate the final design.")] }
        var blocks: [ReportBlock] = []
        let u = e.utilization
        blocks.append(.paragraph("Share of the \(e.device.name.uppercased()) (\(e.device.part)) each resource takes. The red dashed line is the whole device; "
            + (inputs.utilizationBudget.map { "the grey one the \(Int($0 * 100)) % ceiling the reuse pass aims for, leaving room for placement and routing." } ?? "")))
        let kinds = Resources.kinds
        var limits = [ChartLimit("device capacity (100 %)", 100)]
        if let b = inputs.utilizationBudget { limits.append(ChartLimit("budget \(Int(b * 100)) %", b * 100)) }
        blocks.append(.bars(BarChart(title: "Resources of the final design", unit: "% of the device",
                                     categories: kinds.map { "\($0.name) (\(e.resources.counts[$0.key] ?? 0))" },
                                     series: [ChartSeries("utilisation", kinds.map { (u[$0.key] ?? 0) * 100 })], limits: limits)))
        let tasks = e.layers.map { GanttChart.Task(name: $0.name, start: Double($0.start), end: Double($0.end), group: $0.op) }
        blocks.append(.paragraph("When each process of the design runs within one trial (from the final estimate's schedule). Bars that overlap run at the same time: "
            + "in an LFADS design the encoders read the same input in parallel, and the generator starts once the initial condition is ready. The trial's latency is where the last bar ends ("
            + "\(e.latencyCycles) cycles); the longest bar (\(e.intervalCycles) cycles) sets how often a new trial can start."))
        blocks.append(.gantt(GanttChart(title: "Timeline of one trial", unit: "clock cycles", tasks: tasks,
                                        secondaryUnit: String(format: "µs at %.0f MHz", e.effectiveClockMHz), secondaryScale: 1 / e.effectiveClockMHz)))
        var rows = [["layer", "op", "implementation", "start", "end", "latency", "interval", "DSP", "LUT", "FF", "BRAM18", "URAM"]]
        for l in e.layers {
            rows.append([l.name, l.op, l.implementation, "\(l.start)", "\(l.end)", "\(l.latency)", "\(l.interval)",
                         "\(l.dsp)", "\(l.lut)", "\(l.ff)", "\(l.bram18)", "\(l.uram)"])
        }
        blocks.append(.appendix("Per-layer table (cycles and resources)", [.table(rows)]))
        if !e.notes.isEmpty { blocks.append(.paragraph("Estimate notes: " + e.notes.joined(separator: "; "))) }
        return blocks
    }

    static func appendix(_ inputs: ModelReport.Inputs) -> [ReportBlock] {
        let p = inputs.pipeline
        var rows = [["pass", "latency µs", "interval µs", "DSP", "LUT", "FF", "BRAM18", "max %"]]
        for s in p.stages {
            guard let e = s.estimate else { continue }
            rows.append([s.pass, String(format: "%.2f", e.latencyMicroseconds), String(format: "%.2f", e.intervalMicroseconds),
                         "\(e.resources.dsp)", "\(e.resources.lut)", "\(e.resources.ff)", "\(e.resources.bram18)",
                         String(format: "%.1f%%", e.maxUtilization * 100)])
        }
        var blocks: [ReportBlock] = [.paragraph("Details for the hardware engineer: how each compiler pass changed the design, fixed-point overflows per tensor, and the precision of every tensor.")]
        blocks.append(.appendix("Design after each pass", [.paragraph("The estimate after every pass of the pipeline (import → quantize → strategy → reuse); the last row is the design above."), .table(rows)]))
        blocks.append(.appendix("Fixed-point overflows and ranges per tensor", overflowBlocks(inputs)))
        blocks.append(.appendix("Chosen precisions", [.paragraph("As printed by `lfadsc compile --emit precision`."), .table(ModelReport.precisionRows(p.precisionTable))]))
        return blocks
    }

    static func overflowBlocks(_ inputs: ModelReport.Inputs) -> [ReportBlock] {
        guard case .success(let r) = inputs.fixed, let stats = r.tensorStats else {
            return [.paragraph("No fixed-point statistics (the bit-accurate simulation did not run).")]
        }
        let sorted = stats.sorted { ($0.value.overflows, $1.key) > ($1.value.overflows, $0.key) }
        var blocks: [ReportBlock] = []
        let hit = sorted.filter { $0.value.overflows > 0 }.prefix(20)
        if hit.isEmpty {
            blocks.append(.paragraph("No tensor overflowed or saturated in the \(r.outputs.trials) simulated trial(s)."))
        } else {
            blocks.append(.bars(BarChart(title: "Overflow or saturation events per tensor (all trials)", unit: "events",
                                         categories: hit.map(\.key), series: [ChartSeries("overflows", hit.map { Double($0.value.overflows) })])))
        }
        var rows = [["tensor", "overflows", "min", "max"]]
        for (name, s) in sorted { rows.append([name, "\(s.overflows)", String(format: "%.6g", s.minimum), String(format: "%.6g", s.maximum)]) }
        blocks.append(.table(rows))
        return blocks
    }
}
