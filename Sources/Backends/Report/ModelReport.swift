import Foundation
import LFADSIR

/// Builds the `lfadsc report` document for a neuroscientist: a verdict first (does it fit, how fast, what the
/// fixed point costs in bits per spike), then the data (rates vs spikes, per-neuron accuracy, factors,
/// controller outputs, ground truth), then the design's timeline and resources; details in a collapsed appendix.
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
        /// Neurons to plot; nil picks the four with the highest mean count.
        public var neurons: [Int]?
        /// Bin width in milliseconds when known (the data files lfadsc reads do not state it).
        public var binMilliseconds: Double?
        /// True rates and latents from the data file, when it has them.
        public var truth: GroundTruth?
        /// The utilisation ceiling the reuse pass aimed for (a line on the resource chart).
        public var utilizationBudget: Double?

        public init(pipeline: PipelineResult, float: SimulationReport?, fixed: Result<SimulationReport, Error>,
                    modelPath: String, dataPath: String, traceTrials: Int = 1, neurons: [Int]? = nil,
                    binMilliseconds: Double? = nil, truth: GroundTruth? = nil, utilizationBudget: Double? = nil) {
            self.pipeline = pipeline
            self.float = float
            self.fixed = fixed
            self.modelPath = modelPath
            self.dataPath = dataPath
            self.traceTrials = traceTrials
            self.neurons = neurons
            self.binMilliseconds = binMilliseconds
            self.truth = truth
            self.utilizationBudget = utilizationBudget
        }

        var fixedReport: SimulationReport? { if case .success(let r) = fixed { return r } else { return nil } }
    }

    /// Section ids, in page order (the design-only document has verdict, design and appendix).
    public static let sectionIDs = ["verdict", "rates", "accuracy", "truth", "factors", "controller", "design", "appendix"]

    public static func document(_ inputs: Inputs) -> ReportDocument {
        let p = inputs.pipeline
        let data = inputs.float == nil ? "no data (design only)" : "data \(inputs.dataPath)"
        var doc = ReportDocument(title: "lfadsc report: \(p.graph.name)",
                                 subtitle: "model \(inputs.modelPath) · \(data) · \(p.device.name), scheduled for \(SVGChart.format(p.clockMHz)) MHz")
        let meta = p.graph.metadata
        let analysis = inputs.float.map { DataAnalysis($0, fixed: inputs.fixedReport, neurons: inputs.neurons, truth: inputs.truth,
                                                       reconstruction: meta["reconstruction_kind"], meaning: meta["output_params"]) }
        doc.sections.append(ReportSection(id: "verdict", "Verdict", ReportVerdict.blocks(inputs, analysis)))
        if let analysis {
            let poisson = analysis.poisson, kind = analysis.reconstruction ?? ""
            doc.sections.append(ReportSection(id: "rates", poisson ? "Rates vs spikes" : "\(kind) means vs data", DataSections.rates(analysis, inputs)))
            doc.sections.append(ReportSection(id: "accuracy", poisson ? "Bits per spike: float vs fixed point" : "\(kind) reconstruction loss: float vs fixed point",
                                              DataSections.accuracy(analysis, inputs)))
            doc.sections.append(ReportSection(id: "truth", "Against the ground truth", DataSections.truth(analysis, inputs)))
            doc.sections.append(ReportSection(id: "factors", "Latent factors", DataSections.factors(analysis)))
            doc.sections.append(ReportSection(id: "controller", "Controller outputs and initial conditions", DataSections.controller(analysis)))
        }
        doc.sections.append(ReportSection(id: "design", "Design on the device", DesignSections.design(inputs)))
        doc.sections.append(ReportSection(id: "appendix", "Appendix", DesignSections.appendix(inputs)))
        return doc
    }

    /// The pipeline's final graph with the diagnostic tensors it still computes (factors, controller outputs,
    /// initial conditions) added as outputs, so the bit-accurate simulation returns them. The nodes and their
    /// precisions are unchanged, so the rates are bit for bit those of the emitted design.
    public static func withDiagnosticOutputs(_ graph: Graph) -> Graph {
        var g = graph
        let wanted = ["factors", "co_means", "ic_mean", "gen_init"]
        for node in graph.nodes {
            for result in node.results where wanted.contains(Simulation.outputName(result.name)) && !g.outputs.contains(result.name) {
                g.outputs.append(result.name)
            }
        }
        return g
    }

    /// For a non-Poisson model whose design drops the distribution's parameters (it outputs the means only),
    /// the configuration that also keeps them as a hardware output, so the fixed-point loss can be measured;
    /// nil when nothing is missing (Poisson, MSE, or the parameters already kept).
    public static func lossConfig(_ graph: Graph, _ config: ProjectConfig) -> ProjectConfig? {
        guard let kind = graph.metadata["reconstruction_kind"], !ReconstructionNLL.isPoisson(kind: kind),
              let name = ReconstructionNLL.parameterOutput(kind: kind), name != "output_params", !config.outputs.contains(name) else { return nil }
        var c = config
        c.outputs.append(name)
        return c
    }

    /// `fixed` with the loss of `extra` (the design with the parameters as outputs, lossConfig), taken only when
    /// its means are bit for bit those of `fixed`: the loss must describe the design the report shows.
    public static func withLoss(_ fixed: SimulationReport, from extra: Result<SimulationReport, Error>) -> SimulationReport {
        var r = fixed
        switch extra {
        case .failure(let error):
            r.reconstructionNote = "the design with the distribution's parameters as outputs did not simulate: \(error)"
        case .success(let e) where e.outputs.tensor("output_params") != fixed.outputs.tensor("output_params"):
            r.reconstructionNote = "the design with the distribution's parameters as outputs computes other means, so its loss is not this design's"
        case .success(let e):
            r.reconstructionNLL = e.reconstructionNLL
            r.reconstructionNote = e.reconstructionNote
        }
        return r
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
