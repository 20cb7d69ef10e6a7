import Foundation
import LFADSIR

/// Builds the `lfadsc report` document: per-layer latency and resources after every pass, float vs
/// fixed-point traces of a few trials, and per-tensor ranges and overflow counts.
public enum ModelReport {
    public struct Inputs: Sendable {
        public var pipeline: PipelineResult
        /// Float and fixed runs on the same trials (the fixed one may be missing, with the reason).
        /// Nil for `compile --report` without data: the document then has the design sections only.
        public var float: SimulationReport?
        public var fixed: Result<SimulationReport, Error>
        public var modelPath: String
        public var dataPath: String
        public var traceTrials: Int

        public init(pipeline: PipelineResult, float: SimulationReport?, fixed: Result<SimulationReport, Error>,
                    modelPath: String, dataPath: String, traceTrials: Int = 2) {
            self.pipeline = pipeline
            self.float = float
            self.fixed = fixed
            self.modelPath = modelPath
            self.dataPath = dataPath
            self.traceTrials = traceTrials
        }
    }

    public static func document(_ inputs: Inputs) -> ReportDocument {
        let p = inputs.pipeline
        let data = inputs.float == nil ? "no data (design only)" : "data \(inputs.dataPath)"
        var doc = ReportDocument(title: "lfadsc report: \(p.graph.name)",
                                 subtitle: "model \(inputs.modelPath) · \(data) · \(p.device.name) at \(Int(p.clockMHz)) MHz")
        doc.sections.append(ReportSection("Design after each pass", passBlocks(p)))
        if let float = inputs.float {
            doc.sections.append(ReportSection("Accuracy: float vs fixed point", accuracyBlocks(inputs, float)))
            doc.sections.append(ReportSection("Per-tensor ranges and overflows (fixed point)", rangeBlocks(inputs)))
        }
        doc.sections.append(ReportSection("Chosen precisions", [.paragraph("As printed by `lfadsc compile --emit precision`."),
                                                                 .table(precisionRows(p.precisionTable))]))
        return doc
    }

    static func passBlocks(_ p: PipelineResult) -> [ReportBlock] {
        let stages = p.stages.filter { $0.estimate != nil }
        var rows = [["pass", "latency µs", "II µs", "DSP", "LUT", "FF", "BRAM18", "max %"]]
        for s in stages {
            guard let e = s.estimate else { continue }
            rows.append([s.pass, String(format: "%.2f", e.latencyMicroseconds), String(format: "%.2f", e.intervalMicroseconds),
                         "\(e.resources.dsp)", "\(e.resources.lut)", "\(e.resources.ff)", "\(e.resources.bram18)",
                         String(format: "%.1f%%", e.maxUtilization * 100)])
        }
        var blocks: [ReportBlock] = [.table(rows)]
        guard let final = p.finalEstimate else { return blocks }
        let layers = final.layers.filter { $0.latency > 0 || $0.dsp > 0 || $0.lut > 0 }.map(\.name)
        func series(_ metric: (LayerEstimate) -> Double) -> [ChartSeries] {
            stages.map { stage in
                ChartSeries(stage.pass, layers.map { name in stage.estimate?.layers.first { $0.name == name }.map(metric) ?? .nan })
            }
        }
        blocks.append(.bars(BarChart(title: "Latency per layer (cycles)", unit: "cycles", categories: layers, series: series { Double($0.latency) })))
        blocks.append(.bars(BarChart(title: "DSP per layer", unit: "DSP", categories: layers, series: series { Double($0.dsp) })))
        blocks.append(.bars(BarChart(title: "LUT per layer", unit: "LUT", categories: layers, series: series { Double($0.lut) })))
        return blocks
    }

    static func accuracyBlocks(_ inputs: Inputs, _ floatReport: SimulationReport) -> [ReportBlock] {
        let float = floatReport.outputs
        guard let floatPrimary = float.tensor(float.primary) else { return [.paragraph("The float run produced no primary output.")] }
        var blocks: [ReportBlock] = []
        let fixedPrimary: OutputTensor?
        switch inputs.fixed {
        case .success(let r):
            fixedPrimary = r.outputs.tensor(r.outputs.primary)
            if let f = fixedPrimary, f.values.count == floatPrimary.values.count {
                let deltas = zip(f.values, floatPrimary.values).map { abs($0 - $1) }
                let maxDelta = deltas.max() ?? 0, meanDelta = deltas.reduce(0, +) / Double(max(1, deltas.count))
                var rows = [["output", "trials", "max |Δ|", "mean |Δ|"],
                            [float.primary, "\(float.trials)", String(format: "%.3g", maxDelta), String(format: "%.3g", meanDelta)]]
                if let a = floatReport.nll, let b = r.nll {
                    rows[0] += ["NLL float", "NLL fixed", "increase"]
                    rows[1] += [String(format: "%.6f", a.mean), String(format: "%.6f", b.mean), String(format: "%.3f%%", (b.mean / a.mean - 1) * 100)]
                }
                blocks.append(.table(rows))
            }
        case .failure(let error):
            fixedPrimary = nil
            blocks.append(.paragraph("The bit-accurate simulation is not available for this model: \(error)"))
        }
        let shape = floatPrimary.perTrialShape
        let steps = shape.count == 2 ? shape[0] : 1, width = shape.last ?? 1
        for trial in 0..<min(inputs.traceTrials, floatPrimary.trials) {
            let a = floatPrimary.trial(trial), b = fixedPrimary?.trial(trial)
            for channel in Array(Set([0, width / 2, width - 1])).sorted() where channel < width {
                var series = [ChartSeries("float", (0..<steps).map { a[$0 * width + channel] })]
                if let b { series.append(ChartSeries("fixed point", (0..<steps).map { b[$0 * width + channel] })) }
                blocks.append(.lines(LineChart(title: "\(float.primary), trial \(trial), channel \(channel)", xLabel: "time bin",
                                               yLabel: float.primary, series: series)))
            }
        }
        if let factors = float.tensor("factors"), factors.trials > 0, factors.perTrialShape.count == 2 {
            let t = factors.perTrialShape[0], w = factors.perTrialShape[1], v = factors.trial(0)
            let series = (0..<min(w, 4)).map { f in ChartSeries("factor \(f)", (0..<t).map { v[$0 * w + f] }) }
            blocks.append(.lines(LineChart(title: "Float factors, trial 0", xLabel: "time bin", yLabel: "factor", series: series)))
        }
        return blocks
    }

    static func rangeBlocks(_ inputs: Inputs) -> [ReportBlock] {
        guard case .success(let r) = inputs.fixed, let stats = r.tensorStats else {
            return [.paragraph("No fixed-point statistics (the bit-accurate simulation did not run).")]
        }
        let sorted = stats.sorted { ($0.value.overflows, $1.key) > ($1.value.overflows, $0.key) }
        var rows = [["tensor", "overflows", "min", "max"]]
        for (name, s) in sorted {
            rows.append([name, "\(s.overflows)", String(format: "%.6g", s.minimum), String(format: "%.6g", s.maximum)])
        }
        let top = sorted.prefix(20)
        return [.bars(BarChart(title: "Overflow or saturation events per tensor (all trials)", unit: "events",
                               categories: top.map(\.key), series: [ChartSeries("overflows", top.map { Double($0.value.overflows) })])),
                .table(rows)]
    }

    static func precisionRows(_ table: String) -> [[String]] {
        // Columns start where the header's words start (the table is fixed-width; cells may contain spaces).
        let lines = table.split(separator: "\n").map { Array($0) }.filter { !$0.allSatisfy { $0 == "-" || $0 == " " } }
        guard let header = lines.first else { return [] }
        var starts: [Int] = []
        for i in header.indices where header[i] != " " && (i == 0 || header[i - 1] == " ") { starts.append(i) }
        return lines.map { line in
            starts.enumerated().map { n, start in
                let end = n + 1 < starts.count ? starts[n + 1] : line.count
                guard start < line.count else { return "" }
                return String(line[start..<min(end, line.count)]).trimmingCharacters(in: .whitespaces)
            }
        }
    }
}
