import Foundation
import HDF5
import XCTest
@testable import lfadsc

/// lfads-torch models trained with other reconstructions than Poisson (fixtures, and reference means from
/// lfads-torch's own LFADS.forward, by tools/make_reconstruction_fixtures.py): the float path's means equal
/// lfads-torch's, the readout
/// width decides or refuses, and the user's name (flag or lfadsc.json) settles an ambiguous readout.
final class ReconstructionCommandTests: XCTestCase, CLIHarness {
    var scratch: URL!

    override func setUpWithError() throws { scratch = try makeScratch("reconstruction") }

    var data: String { path("examples/lorenz/data/lorenz.h5") }
    func fixture(_ name: String) -> String { path("Tests/lfadscTests/Fixtures/reconstructions/\(name)") }

    /// Float means on 20 validation trials within 1e-5 relative of lfads-torch's (the reference is stored as
    /// float32, so 6e-8 is the floor); the raw readout is written too and gives the same means by the formulas.
    func testFloatMeansMatchLFADSTorch() throws {
        let reference = try HDF5File(path: fixture("reference.h5"))
        let cases: [(variant: String, model: String, flags: [String])] = [
            ("gamma", "lorenz_gamma.h5", ["--reconstruction", "Gamma"]),
            ("gaussian", "lorenz_gamma.h5", ["--reconstruction", "Gaussian"]),
            ("zig", "lorenz_zig.h5", []),
            ("zig_loc0", "lorenz_zig.h5", ["--reconstruction", "ZeroInflatedGamma(gamma_loc=0)"]),
        ]
        for c in cases {
            let out = scratch.appendingPathComponent("\(c.variant).h5").path
            let r = run(["simulate", data, "-m", fixture(c.model), "--float", "--trials", "0:20", "-o", out, "-j", "2", "-q"] + c.flags)
            XCTAssertEqual(r.status, 0, r.err)
            let file = try HDF5File(path: out)
            let ours = try file.dataset("/valid_output_params").readDoubles()
            let theirs = try reference.dataset("/valid_\(c.variant)_output_params").readDoubles()
            XCTAssertEqual(ours.count, 20 * 50 * 40, c.variant)
            XCTAssertEqual(ours.count, theirs.count, c.variant)
            let worst = zip(ours, theirs).map { abs($0 - $1) / max(abs($1), 1e-6) }.max() ?? .infinity
            XCTAssertLessThan(worst, 1e-5, c.variant)
            // The raw parameters (parameter-major per bin) through lfads-torch's formulas, restated here.
            let raw = try file.dataset("/valid_readout").readDoubles()
            let k = raw.count / ours.count
            XCTAssertEqual(k, c.model == "lorenz_zig.h5" ? 3 : 2)
            let scale = c.model == "lorenz_zig.h5" ? try HDF5File(path: fixture(c.model)).dataset("/recon.0.scale").readDoubles() : []
            let loc = c.variant == "zig" ? 0.1 : 0
            for i in stride(from: 0, to: ours.count, by: 97) {
                let bin = i / 40, j = i % 40
                func p(_ q: Int) -> Double { raw[bin * 40 * k + q * 40 + j] }
                func s(_ x: Double) -> Double { max(1 / (1 + exp(-x)), 1e-5) }
                let expected = switch c.variant {
                case "gamma": exp(p(0)) / exp(p(1))
                case "gaussian": p(0)
                default: s(p(2)) * (s(p(0)) * scale[j] / (s(p(1)) * scale[40 + j]) + loc)
                }
                XCTAssertEqual(ours[i], expected, accuracy: 1e-12 * max(1, abs(expected)), "\(c.variant) value \(i)")
            }
        }
    }

    /// The float path's reconstruction loss (mean per bin·neuron) equals lfads-torch's compute_loss on the same
    /// 20 trials; Gaussian means are no rates, so no Poisson metrics; a ZIG model also
    /// gets Poisson metrics of its means.
    func testReconstructionLossMatchesTheReference() throws {
        let reference = try HDF5File(path: fixture("reference.h5"))
        for (variant, model, flags) in [("zig", "lorenz_zig.h5", [String]()), ("gaussian", "lorenz_gamma.h5", ["--reconstruction", "Gaussian"])] {
            let r = run(["simulate", data, "-m", fixture(model), "--float", "--trials", "0:20", "-j", "2", "--json"] + flags)
            XCTAssertEqual(r.status, 0, r.err)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any], r.out)
            let ours = try XCTUnwrap(json["reconstruction_nll"] as? Double, r.out)
            let theirs = try XCTUnwrap(try reference.root.attribute("\(variant)_nll")?.value.doubleValues?.first)
            XCTAssertEqual(ours, theirs, accuracy: 1e-9 * abs(theirs), variant)
            XCTAssertEqual(json["bits_per_spike"] is NSNull, variant == "gaussian", r.out)
        }
        let gamma = run(["simulate", data, "-m", fixture("lorenz_gamma.h5"), "--reconstruction", "Gamma", "--float", "--trials", "0:2"])
        XCTAssertTrue(gamma.out.contains("Gamma NLL: undefined"), gamma.out)
    }

    /// Lightning checkpoints of lfads-torch's LFADS with its Gamma and ZeroInflatedGamma modules, as a training run
    /// leaves them: Gamma is ambiguous, ZIG is inferred but needs its gamma_loc (one line, exit 1); given it, the
    /// IR text equals the export's but for the source line, and the means are lfads-torch's.
    func testLightningCheckpointsOfGammaAndZIG() throws {
        let gamma = run(["estimate", fixture("lorenz_gamma.ckpt")])
        XCTAssertEqual(gamma.status, 1)
        XCTAssertTrue(gamma.err.contains("Gamma or Gaussian") && gamma.err.split(separator: "\n").count == 1, gamma.err)
        let bare = run(["estimate", fixture("lorenz_zig.ckpt")])
        XCTAssertEqual(bare.status, 1)
        XCTAssertTrue(bare.err.contains("gamma_loc") && bare.err.split(separator: "\n").count == 1, bare.err)

        let name = ["--reconstruction", "ZeroInflatedGamma(gamma_loc=0.1)"]
        func ir(_ model: String) -> [Substring] {
            let r = run(["compile", fixture(model), "--emit", "ir", "--after", "import"] + name)
            XCTAssertEqual(r.status, 0, r.err)
            return r.out.split(separator: "\n").filter { !$0.hasPrefix("meta source = ") }
        }
        let fromCheckpoint = ir("lorenz_zig.ckpt")
        XCTAssertGreaterThan(fromCheckpoint.count, 100)
        XCTAssertEqual(fromCheckpoint, ir("lorenz_zig.h5"))

        let out = scratch.appendingPathComponent("ckpt.h5").path
        let r = run(["simulate", data, "-m", fixture("lorenz_zig.ckpt"), "--float", "--trials", "0:20", "-o", out, "-j", "2", "-q"] + name)
        XCTAssertEqual(r.status, 0, r.err)
        let ours = try HDF5File(path: out).dataset("/valid_output_params").readDoubles()
        let theirs = try HDF5File(path: fixture("reference.h5")).dataset("/valid_zig_output_params").readDoubles()
        XCTAssertEqual(ours.count, theirs.count)
        XCTAssertLessThan(zip(ours, theirs).map { abs($0 - $1) / max(abs($1), 1e-6) }.max() ?? .infinity, 1e-5)
    }

    /// A Gaussian model is trained on real-valued data (e.g. calcium traces): negative, fractional inputs and
    /// targets are data, not bad spike counts, for it; a Poisson model still refuses them.
    func testRealValuedDataForAGaussianModel() throws {
        let centred = try writeCentredLorenz(in: scratch)
        let gaussian = run(["simulate", centred, "-m", fixture("lorenz_gamma.h5"), "--reconstruction", "Gaussian", "--float", "--json"])
        XCTAssertEqual(gaussian.status, 0, gaussian.err)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(gaussian.out.utf8)) as? [String: Any], gaussian.out)
        XCTAssertEqual(json["warnings"] as? [String], [], gaussian.out)
        XCTAssertNotNil(json["reconstruction_nll"] as? Double, "the centred recon data are the loss's targets: \(gaussian.out)")
        let poisson = run(["simulate", centred, "-m", path("examples/lorenz/models/lorenz_nocon.h5"), "--float"])
        XCTAssertEqual(poisson.status, 1)
        XCTAssertTrue(poisson.err.contains("negative spike count"), poisson.err)
    }

    /// A 2× readout without a name is Gamma or Gaussian: one line, exit 1, naming the fix; lfadsc.json's
    /// "reconstruction" settles it like the flag; a name that does not fit the readout is refused.
    func testAmbiguousReadoutNeedsAName() throws {
        let model = fixture("lorenz_gamma.h5")
        for command in [["simulate", data, "-m", model, "--trials", "0:1", "--float"], ["estimate", model], ["init", model, "--config", scratch.appendingPathComponent("x.json").path]] {
            let r = run(command)
            XCTAssertEqual(r.status, 1, "\(command[0]): \(r.err)")
            let lines = r.err.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, r.err)
            XCTAssertTrue(r.err.contains("Gamma or Gaussian") && r.err.contains("--reconstruction"), r.err)
        }
        let wrong = run(["simulate", data, "-m", model, "--trials", "0:1", "--float", "--reconstruction", "Poisson"])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.err.contains("readout has 2"), wrong.err)
        let zigWithoutLoc = run(["estimate", model, "--reconstruction", "ZeroInflatedGamma"])
        XCTAssertEqual(zigWithoutLoc.status, 1)

        // init stores the name; the project then simulates without the flag.
        let config = scratch.appendingPathComponent("lfadsc.json").path
        let initialised = run(["init", model, "--reconstruction", "Gamma", "--config", config])
        XCTAssertEqual(initialised.status, 0, initialised.err)
        XCTAssertTrue(try String(contentsOfFile: config, encoding: .utf8).contains("\"reconstruction\" : \"Gamma\""))
        let out = scratch.appendingPathComponent("out.h5").path
        let r = run(["simulate", data, "--config", config, "--trials", "0:2", "--float", "-o", out, "-q"])
        XCTAssertEqual(r.status, 0, r.err)
        // A Keras model takes no reconstruction.
        let keras = run(["estimate", path("examples/lorenz/models/lorenz_con_tf1.h5"), "--reconstruction", "Gamma"])
        XCTAssertEqual(keras.status, 1)
        XCTAssertTrue(keras.err.contains("only lfads-torch models"), keras.err)
    }
}
