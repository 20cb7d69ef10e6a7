import Foundation
import HDF5
import XCTest
@testable import lfadsc

/// End-to-end bad-input matrix (issue 9): every case runs through the CLI and must give one stderr line
/// naming the file or object, the documented exit status, no output file, and no trap.
final class BadInputMatrixTests: XCTestCase, CLIHarness {
    struct Case {
        var name: String
        var argv: [String]
        var status: Int32
        /// A fragment the error line must contain (file name, tensor name or the problem).
        var mentions: String
    }

    var scratch: URL!

    override func setUpWithError() throws { scratch = try makeScratch("bad") }

    func file(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    var model: String { path("examples/lorenz/models/lorenz_nocon.h5") }
    var data: String { path("examples/lorenz/data/lorenz.h5") }

    /// Rewrites the flat lfads-torch export with one change, as float32 datasets plus the root attributes.
    func mutatedModel(_ name: String, _ mutate: (inout [(String, [Int], [Double])], inout [String: HDF5Value]) -> Void) throws -> String {
        let source = try HDF5File(path: model)
        var tensors: [(String, [Int], [Double])] = []
        for member in try source.root.memberNames() {
            let d = try source.root.dataset(member)
            tensors.append((member, d.shape, try d.readDoubles()))
        }
        var attributes = [String: HDF5Value]()
        for a in try source.root.attributes() { attributes[a.name] = a.value }
        mutate(&tensors, &attributes)
        var writer = HDF5Writer()
        for (path, shape, values) in tensors { try writer.addDataset("/" + path, shape: shape, float32: values.map(Float.init)) }
        for (key, value) in attributes { try writer.setAttribute("/", key, value) }
        let path = file(name)
        try writer.write(to: path)
        return path
    }

    func spikes(_ name: String, shape: [Int], values: (Int) -> Double, key: String = "valid_encod_data") throws -> String {
        var writer = HDF5Writer()
        let count = shape.reduce(1, *)
        try writer.addDataset("/" + key, shape: shape, float64: (0..<count).map(values))
        let path = file(name)
        try writer.write(to: path)
        return path
    }

    func text(_ name: String, _ contents: String) throws -> String {
        let path = file(name)
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func bytes(_ name: String, _ contents: [UInt8]) throws -> String {
        let path = file(name)
        try Data(contents).write(to: URL(fileURLWithPath: path))
        return path
    }

    func simulate(_ spikes: String, model: String? = nil, _ extra: [String] = []) -> [String] {
        ["simulate", spikes, "-m", model ?? self.model, "--float", "-o", file("out.h5")] + extra
    }

    func cases() throws -> [Case] {
        var cases: [Case] = []
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: model)))

        // Model files: HDF5 structure.
        for fraction in [0.0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99] {
            let n = Int(Double(original.count) * fraction)
            let path = try bytes("truncated_\(n).h5", Array(original.prefix(n)))
            cases.append(Case(name: "model truncated at \(n) bytes", argv: simulate(data, model: path), status: 1, mentions: "truncated_\(n).h5"))
        }
        var badSignature = original
        badSignature[1] ^= 0xFF
        cases.append(Case(name: "bad signature", argv: simulate(data, model: try bytes("badsig.h5", badSignature)), status: 1, mentions: "badsig.h5"))
        cases.append(Case(name: "text as model", argv: simulate(data, model: try text("garbage.h5", "hello")), status: 1, mentions: "garbage.h5"))
        cases.append(Case(name: "model is a directory", argv: simulate(data, model: scratch.path), status: 1, mentions: scratch.lastPathComponent))
        cases.append(Case(name: "model missing", argv: simulate(data, model: file("missing.h5")), status: 1, mentions: "missing.h5"))
        cases.append(Case(name: "spike file as model", argv: simulate(data, model: data), status: 1, mentions: "lorenz.h5"))

        // Model files: tensors and hyperparameters.
        let target = "decoder.rnn.cell.gen_cell.weight_hh"
        cases.append(Case(name: "NaN weight", argv: simulate(data, model: try mutatedModel("nan.h5") { t, _ in
            if let i = t.firstIndex(where: { $0.0 == target }) { t[i].2[3] = .nan } }), status: 1, mentions: target))
        cases.append(Case(name: "Inf weight", argv: simulate(data, model: try mutatedModel("inf.h5") { t, _ in
            if let i = t.firstIndex(where: { $0.0 == target }) { t[i].2[0] = -.infinity } }), status: 1, mentions: target))
        cases.append(Case(name: "missing tensor", argv: simulate(data, model: try mutatedModel("missing_tensor.h5") { t, _ in
            t.removeAll { $0.0 == target } }), status: 1, mentions: target))
        cases.append(Case(name: "wrong-shape tensor", argv: simulate(data, model: try mutatedModel("shape.h5") { t, _ in
            if let i = t.firstIndex(where: { $0.0 == target }) { t[i].1 = [t[i].1[0] * t[i].1[1]] } }), status: 1, mentions: target))
        cases.append(Case(name: "bad hparams JSON", argv: simulate(data, model: try mutatedModel("json.h5") { _, a in
            a["hparams"] = .strings(["{\"encod_data_dim\": 40,"]) }), status: 1, mentions: "hparams"))
        cases.append(Case(name: "hparams missing", argv: simulate(data, model: try mutatedModel("nohparams.h5") { _, a in
            a["hparams"] = nil }), status: 1, mentions: "hparams"))

        // Reconstructions (docs/data-formats.md): an ambiguous, mismatched, unknown or incomplete name; bad scales.
        let zig = path("Tests/lfadscTests/Fixtures/reconstructions/lorenz_zig.h5")
        cases.append(Case(name: "ambiguous 2x readout", argv: simulate(data, model: path("Tests/lfadscTests/Fixtures/reconstructions/lorenz_gamma.h5")),
                          status: 1, mentions: "Gamma or Gaussian"))
        cases.append(Case(name: "reconstruction does not fit the readout", argv: simulate(data, model: nil, ["--reconstruction", "Gamma"]),
                          status: 1, mentions: "readout has 1"))
        cases.append(Case(name: "unknown reconstruction", argv: simulate(data, model: nil, ["--reconstruction", "Binomial"]), status: 1, mentions: "Binomial"))
        cases.append(Case(name: "ZIG without gamma_loc", argv: simulate(data, model: zig, ["--reconstruction", "ZeroInflatedGamma"]),
                          status: 1, mentions: "gamma_loc"))
        cases.append(Case(name: "ZIG scale not positive", argv: simulate(data, model: try mutatedModel("zig_scale.h5") { t, a in
            t.removeAll { $0.0.hasPrefix("readout.0.") }
            t.append(("readout.0.weight", [120, 8], [Double](repeating: 0.1, count: 960)))
            t.append(("recon.0.scale", [2, 40], [Double](repeating: 1, count: 79) + [-1]))
            a["hparams"] = .strings([(a["hparams"]?.stringValue ?? "").replacingOccurrences(of: "lfads_torch.modules.recons.Poisson", with: "ZeroInflatedGamma(gamma_loc=0)")])
        }), status: 1, mentions: "recon.0.scale"))

        // Spike data.
        cases.append(Case(name: "neuron count differs", argv: simulate(try spikes("n39.h5", shape: [3, 50, 39]) { Double($0 % 3) }), status: 1, mentions: "n39.h5"))
        cases.append(Case(name: "length differs", argv: simulate(try spikes("t49.h5", shape: [3, 49, 40]) { Double($0 % 3) }), status: 1, mentions: "t49.h5"))
        cases.append(Case(name: "negative counts", argv: simulate(try spikes("neg.h5", shape: [2, 50, 40]) { $0 == 17 ? -1 : 0 }), status: 1, mentions: "neg.h5"))
        cases.append(Case(name: "NaN counts", argv: simulate(try spikes("nanspk.h5", shape: [2, 50, 40]) { $0 == 5 ? .nan : 1 }), status: 1, mentions: "nanspk.h5"))
        cases.append(Case(name: "zero trials", argv: simulate(try spikes("empty.h5", shape: [0, 50, 40]) { _ in 0 }), status: 1, mentions: "empty.h5"))
        cases.append(Case(name: "rank 2 data", argv: simulate(try spikes("rank2.h5", shape: [50, 40]) { _ in 0 }), status: 1, mentions: "rank2.h5"))
        cases.append(Case(name: "trials out of range", argv: simulate(data, model: nil, ["--trials", "79:200"]), status: 1, mentions: "lorenz.h5"))
        cases.append(Case(name: "unknown dataset key", argv: simulate(data, model: nil, ["--dataset", "nope"]), status: 1, mentions: "nope"))
        cases.append(Case(name: ".dat short line", argv: simulate(try text("short.dat", "1 2 3\n")), status: 1, mentions: "short.dat"))
        let row = Array(repeating: "0", count: 50 * 40)
        cases.append(Case(name: ".dat garbage token", argv: simulate(try text("token.dat", (row.dropLast() + ["x1"]).joined(separator: " ") + "\n")), status: 1, mentions: "token.dat"))
        cases.append(Case(name: ".dat empty", argv: simulate(try text("blank.dat", "")), status: 1, mentions: "blank.dat"))
        cases.append(Case(name: "spike file missing", argv: simulate(file("nospikes.h5")), status: 1, mentions: "nospikes.h5"))

        // Outputs.
        let existing = try text("exists.h5", "keep me")
        cases.append(Case(name: "existing output without --force", argv: ["simulate", data, "-m", model, "--float", "--trials", "0:1", "-o", existing], status: 1, mentions: "exists.h5"))
        cases.append(Case(name: "full disk", argv: ["simulate", data, "-m", model, "--float", "--trials", "0:1", "-o", "/dev/full"], status: 1, mentions: "/dev/full"))
        cases.append(Case(name: "output directory missing", argv: ["simulate", data, "-m", model, "--float", "--trials", "0:1", "-o", file("no/such/dir/out.h5")], status: 1, mentions: "does not exist"))
        cases.append(Case(name: "output is a directory", argv: ["simulate", data, "-m", model, "--float", "--trials", "0:1", "-o", scratch.path], status: 1, mentions: "directory"))
        cases.append(Case(name: "output under a file", argv: ["simulate", data, "-m", model, "--float", "--trials", "0:1", "-o", existing + "/out.h5"], status: 1, mentions: "exists.h5"))

        // Flags.
        cases.append(Case(name: "bad --trials", argv: simulate(data, model: nil, ["--trials", "a:b"]), status: 2, mentions: "--trials"))
        cases.append(Case(name: "--threads 0", argv: simulate(data, model: nil, ["--threads", "0"]), status: 2, mentions: "--threads"))
        cases.append(Case(name: "unknown flag", argv: simulate(data, model: nil, ["--frobnicate"]), status: 2, mentions: "--frobnicate"))
        cases.append(Case(name: "missing --model", argv: ["simulate", data, "--float"], status: 2, mentions: "--model"))
        cases.append(Case(name: "unknown --format", argv: simulate(data, model: nil, ["--format", "onnx"]), status: 1, mentions: "onnx"))
        cases.append(Case(name: "unknown command", argv: ["simulat"], status: 2, mentions: "simulat"))
        return cases
    }

    func testEveryBadInputFailsCleanly() throws {
        let all = try cases()
        XCTAssertGreaterThanOrEqual(all.count, 40)
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: scratch.path))
        for c in all {
            let (status, _, err) = run(c.argv)
            XCTAssertEqual(status, c.status, "\(c.name): \(err)")
            XCTAssertEqual(err.filter { $0 == "\n" }.count, 1, "\(c.name): expected one line, got: \(err)")
            XCTAssertTrue(err.contains(c.mentions), "\(c.name): '\(err.trimmingCharacters(in: .newlines))' does not mention '\(c.mentions)'")
            let now = Set(try FileManager.default.contentsOfDirectory(atPath: scratch.path))
            XCTAssertEqual(now.subtracting(before), [], "\(c.name): left output behind")
        }
        XCTAssertEqual(try String(contentsOfFile: file("exists.h5"), encoding: .utf8), "keep me")
    }
}
