import Foundation
import LFADSIR
import XCTest
@testable import Backends

final class ModelReportTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let model = repo.appendingPathComponent("examples/lorenz/models/lorenz_con.h5").path
    static let data = repo.appendingPathComponent("examples/lorenz/data/lorenz.h5").path

    /// Adding the diagnostic outputs must not change the design's numerics: the rates stay bit for bit the
    /// same, and the factors, controller outputs and initial conditions come back close to the float ones.
    func testDiagnosticOutputsLeaveRatesBitExact() throws {
        let graph = try ModelLoader.load(path: Self.model)
        let hardware = try CompilePipeline.run(graph, config: ProjectConfig(), estimate: false).graph
        XCTAssertEqual(hardware.outputs.count, 1, "the pipeline keeps the rates only")
        let diagnostic = ModelReport.withDiagnosticOutputs(hardware)
        XCTAssertEqual(Set(diagnostic.outputs.map(Simulation.outputName)), ["output_params", "factors", "co_means", "ic_mean", "gen_init"])
        func run(_ g: Graph, _ mode: SimulationMode) throws -> SimulationOutputs {
            try Simulation.run(SimulationRequest(graph: g, spikesPath: Self.data, trials: TrialSelection(0..<4), mode: mode, threads: 2)).outputs
        }
        let plain = try run(hardware, .fixed), rich = try run(diagnostic, .fixed), float = try run(graph, .float)
        XCTAssertEqual(plain.tensor("output_params"), rich.tensor("output_params"))
        for name in ["factors", "co_means", "ic_mean"] {
            let f = try XCTUnwrap(float.tensor(name)), x = try XCTUnwrap(rich.tensor(name), name)
            XCTAssertEqual(f.perTrialShape, x.perTrialShape, name)
            let d = zip(f.values, x.values).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(d, 0.1, "\(name): fixed differs from float by \(d)")
        }
    }

    /// The whole document for a real model and data: every section is present and has text, the chart
    /// sections have drawn SVG, all 8 factors come in float and fixed, and the latents R² is computed.
    func testLorenzDocumentHasEverySectionFilled() throws {
        let graph = try ModelLoader.load(path: Self.model)
        let pipeline = try CompilePipeline.run(graph, config: ProjectConfig())
        func run(_ g: Graph, _ mode: SimulationMode) throws -> SimulationReport {
            try Simulation.run(SimulationRequest(graph: g, spikesPath: Self.data, trials: TrialSelection(0..<6), mode: mode, threads: 2))
        }
        let float = try run(graph, .float)
        let fixed = Result { try run(ModelReport.withDiagnosticOutputs(pipeline.graph), .fixed) }
        let loaded = float.loaded
        let truth = GroundTruth.read(path: Self.data, split: loaded.split, trials: loaded.trials, totalTrials: loaded.totalTrials, bins: loaded.targets.bins)
        XCTAssertNotNil(truth.latents, "lorenz.h5 holds valid_latents")
        XCTAssertNil(truth.rates, "lorenz.h5 holds no valid_truth")
        let inputs = ModelReport.Inputs(pipeline: pipeline, float: float, fixed: fixed, modelPath: "lorenz_con.h5", dataPath: "lorenz.h5",
                                        neurons: [3, 99], truth: truth, utilizationBudget: 0.8)
        let html = HTMLRenderer.render(ModelReport.document(inputs))
        let sections = Self.sections(html)
        XCTAssertEqual(sections.map(\.id), ModelReport.sectionIDs)
        for s in sections {
            XCTAssertGreaterThan(Self.visibleText(s.body).count, 80, "section \(s.id) has (almost) no text")
        }
        for id in ["rates", "accuracy", "factors", "controller", "design"] {
            let body = try XCTUnwrap(sections.first { $0.id == id }).body
            XCTAssertTrue(body.contains("<svg "), "\(id) has no chart")
            XCTAssertTrue(Self.drawsSomething(body), "\(id): its charts draw nothing")
        }
        let factors = try XCTUnwrap(sections.first { $0.id == "factors" }).body
        for k in 0..<8 { XCTAssertTrue(factors.contains("aria-label=\"factor \(k)\""), "factor \(k)") }
        XCTAssertEqual(factors.components(separatedBy: "<title>fixed</title></path>").count - 1, 8, "a fixed-point trace per factor")
        let rates = try XCTUnwrap(sections.first { $0.id == "rates" }).body
        XCTAssertTrue(rates.contains("aria-label=\"neuron 3\""))
        XCTAssertTrue(rates.contains("neurons 99 are not in the data"))
        XCTAssertTrue(html.contains("latents from factors"))
        XCTAssertTrue(html.contains("co-bps: not computed"))
        XCTAssertTrue(html.contains("Timeline of one trial"))
        XCTAssertTrue(html.contains("<details><summary>Chosen precisions</summary>"))
        XCTAssertFalse(html.contains("<script"))
        let keep = ProcessInfo.processInfo.environment["LFADSC_REPORT_SCREENSHOT"]
        if let keep { try html.write(toFile: keep + ".html", atomically: true, encoding: .utf8) }
        let png = try HTMLRendererTests.screenshot(html, width: 1200, height: 5200, keep: keep)
        XCTAssertGreaterThan(png.distinctColours, 16, "the screenshot looks blank")
    }

    /// A non-Poisson design keeps its means only; lossConfig adds the parameters its loss needs, and withLoss takes
    /// that loss only from a run whose means are bit for bit the design's own.
    func testFixedLossComesFromTheSameMeans() throws {
        let fixtures = Self.repo.appendingPathComponent("Tests/lfadscTests/Fixtures/reconstructions")
        let poisson = try ModelLoader.load(path: Self.model)
        XCTAssertNil(ModelReport.lossConfig(poisson, ProjectConfig()))
        let gaussian = try ModelLoader.load(path: fixtures.appendingPathComponent("lorenz_gamma.h5").path, reconstruction: "Gaussian")
        let config = try XCTUnwrap(ModelReport.lossConfig(gaussian, ProjectConfig()))
        XCTAssertEqual(config.outputs, ["readout"])
        XCTAssertNil(ModelReport.lossConfig(gaussian, config), "nothing to add when the parameters are kept")

        func run(_ g: Graph, _ c: ProjectConfig) throws -> SimulationReport {
            let hardware = try CompilePipeline.run(g, config: c, estimate: false).graph
            return try Simulation.run(SimulationRequest(graph: hardware, spikesPath: Self.data, trials: TrialSelection(0..<3), mode: .fixed, threads: 2))
        }
        let plain = try run(gaussian, ProjectConfig())
        XCTAssertNil(plain.reconstructionNLL, "the means-only design returns no parameters")
        let kept = ModelReport.withLoss(plain, from: .success(try run(gaussian, config)))
        XCTAssertEqual(kept.reconstructionNLL?.name, "Gaussian")
        XCTAssertEqual(kept.outputs, plain.outputs)
        let zig = try ModelLoader.load(path: fixtures.appendingPathComponent("lorenz_zig.h5").path)
        let other = ModelReport.withLoss(plain, from: .success(try run(zig, try XCTUnwrap(ModelReport.lossConfig(zig, ProjectConfig())))))
        XCTAssertNil(other.reconstructionNLL)
        XCTAssertTrue(other.reconstructionNote?.contains("computes other means") == true, other.reconstructionNote ?? "")
    }

    static func sections(_ html: String) -> [(id: String, body: String)] {
        html.components(separatedBy: "<section id=\"").dropFirst().map { part in
            let id = String(part.prefix { $0 != "\"" })
            let body = part.components(separatedBy: "</section>").first ?? ""
            return (id, body)
        }
    }

    static func visibleText(_ html: String) -> String {
        html.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// True when some SVG draws a non-empty path, a bar with width or a point.
    static func drawsSomething(_ html: String) -> Bool {
        html.range(of: "<path d=\"M[0-9]", options: .regularExpression) != nil
            || html.range(of: "<rect x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"[1-9][0-9.]*\" height=\"[1-9]", options: .regularExpression) != nil
            || html.contains("<circle ")
    }
}
