import XCTest
@testable import LFADSIR

/// `--posterior sample` / `average:N` on the IR: which ops sample, what the text says, what is refused.
final class PosteriorSamplePassTests: XCTestCase {
    /// The tiny lfads-torch model with a controller: the initial condition and the controller output both sample,
    /// average:N is a graph statement, and the IR text prints and parses back to the same graph.
    func testSamplesTheInitialConditionAndTheControllerOutput() throws {
        let g = try LFADSTorchTinyModel(controller: true).importGraph()
        XCTAssertTrue(g.sampledValues.isEmpty)
        let out = try PosteriorSamplePass(seed: 42, samples: 8).run(g)
        XCTAssertEqual(out.posteriorSamples, 8)
        guard case .sample(.gaussian(let seed, let floor, _))? = out.node(named: "ic_sample")?.op else { return XCTFail("no gaussian sample") }
        XCTAssertEqual(seed, 42)
        // The floor of the importer's ic_std on the same logvar (lfads-torch's ic_post_var_min).
        XCTAssertEqual(floor, 1e-4)
        guard case .decoder(let d)? = out.node(named: "decoder")?.op else { return XCTFail("no decoder") }
        XCTAssertEqual(d.controller?.sampleSeed, 42)
        // Everything after the sample depends on the noise; the encoders do not.
        XCTAssertTrue(out.sampledValues.contains("output_params"))
        XCTAssertTrue(out.sampledValues.contains("decoder.co_means"))
        XCTAssertFalse(out.sampledValues.contains("ic_mean"))
        let text = IRPrinter.print(out)
        XCTAssertTrue(text.contains("\nposterior_samples 8\n"), text)
        XCTAssertTrue(text.contains("sample_seed = 42"), text)
        XCTAssertTrue(text.contains("variance_floor = 0.0001"), text)
        XCTAssertEqual(try IRParser.parse(text), out)
        // One sample: no statement.
        XCTAssertFalse(IRPrinter.print(try PosteriorSamplePass(seed: 42).run(g)).contains("posterior_samples"))
    }

    /// The hardware-outputs pass keeps co_logvar for a sampling controller (and drops it for the mean).
    func testSamplingKeepsTheControllerLogvar() throws {
        let g = try LFADSTorchTinyModel(controller: true).importGraph()
        func coLogvar(_ graph: Graph) -> Bool {
            guard case .decoder(let d)? = graph.node(named: "decoder")?.op else { return false }
            return d.controller?.coLogvar != nil
        }
        XCTAssertFalse(coLogvar(try HardwareOutputsPass().run(g)))
        XCTAssertTrue(coLogvar(try HardwareOutputsPass().run(try PosteriorSamplePass(seed: 1).run(g))))
    }

    func testRefusals() throws {
        let g = try LFADSTorchTinyModel(controller: true).importGraph()
        XCTAssertThrowsError(try PosteriorSamplePass(seed: 1, samples: 0).run(g))
        XCTAssertThrowsError(try PosteriorSamplePass(seed: 1, samples: Graph.maxPosteriorSamples + 1).run(g))
        // A sampled controller without co_logvar, and averaging with nothing that samples.
        var bad = try PosteriorSamplePass(seed: 1).run(g)
        let text = IRPrinter.print(bad)
        let statement = try XCTUnwrap(text.range(of: "\n%"))
        for n in ["0", "1025", "x"] {
            let broken = text.replacingCharacters(in: statement, with: "\nposterior_samples \(n)\n%")
            XCTAssertThrowsError(try IRParser.parse(broken), n) { e in XCTAssertTrue("\(e)".contains("posterior_samples"), "\(e)") }
        }
        var mean = g
        mean.posteriorSamples = 4
        XCTAssertThrowsError(try Verifier.verify(mean)) { e in XCTAssertTrue("\(e)".contains("nothing samples"), "\(e)") }
        guard let k = bad.nodes.firstIndex(where: { $0.name == "decoder" }), case .decoder(var d) = bad.nodes[k].op else { return XCTFail() }
        d.controller?.coLogvar = nil
        XCTAssertThrowsError(try d.validate()) { e in XCTAssertTrue("\(e)".contains("co_logvar"), "\(e)") }
        bad.nodes[k].op = .decoder(d)
        XCTAssertThrowsError(try Verifier.verify(bad))
    }
}
