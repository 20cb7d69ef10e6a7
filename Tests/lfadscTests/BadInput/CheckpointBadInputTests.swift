import Foundation
import XCTest
@testable import LFADSIR
@testable import lfadsc

/// Bad-input matrix for PyTorch/Lightning checkpoints: variants of the real lorenz_con_brief.ckpt, each damaged
/// in one way, through the CLI. Every case must give exit 1, one stderr line naming the file and the problem,
/// no output file and no trap.
final class CheckpointBadInputTests: XCTestCase, CLIHarness {
    struct Case {
        var name: String
        var argv: [String]
        /// Fragments the error line must contain besides the file name.
        var mentions: [String]
    }

    var scratch: URL!

    override func setUpWithError() throws { scratch = try makeScratch("ckpt-bad") }

    func file(_ name: String) -> String { scratch.appendingPathComponent(name).path }
    var checkpoint: String { path("examples/lorenz/checkpoints/lorenz_con_brief.ckpt") }
    var data: String { path("examples/lorenz/data/lorenz.h5") }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }

    /// The checkpoint's entries, edited, written back as a stored zip with correct CRCs unless `crc` overrides one.
    func rezipped(_ name: String, crc: [String: UInt32] = [:], _ edit: (inout [(name: String, data: [UInt8])]) throws -> Void) throws -> String {
        let archive = try ZipArchive(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: checkpoint))))
        var entries = try archive.entries.map { (name: $0.name, data: try archive.contents(of: $0)) }
        try edit(&entries)
        var w = ZipWriter()
        for e in entries { w.add(e.name, e.data, crc: crc[e.name]) }
        return try write(name, w.finished())
    }

    /// data.pkl with its first occurrence of `old` replaced by `new`.
    func editedPickle(_ name: String, _ old: [UInt8], _ new: [UInt8]) throws -> String {
        try rezipped(name) { entries in
            guard let i = entries.firstIndex(where: { $0.name == "archive/data.pkl" }) else { throw XCTSkip("no data.pkl") }
            var d = entries[i].data
            guard let at = (0...(d.count - old.count)).first(where: { Array(d[$0..<($0 + old.count)]) == old }) else {
                return XCTFail("pattern not in data.pkl: \(old)")
            }
            d.replaceSubrange(at..<(at + old.count), with: new)
            entries[i].data = d
        }
    }

    func simulate(_ model: String) -> [String] { ["simulate", data, "-m", model, "--float", "--trials", "0:2", "-o", file("out.h5")] }

    func cases() throws -> [Case] {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: checkpoint)))
        let ascii = { (s: String) in Array(s.utf8) }
        var cases: [Case] = []
        for fraction in [0.0, 0.1, 0.5, 0.9, 0.999] {
            let n = Int(Double(original.count) * fraction)
            cases.append(Case(name: "truncated at \(n)", argv: simulate(try write("trunc_\(n).ckpt", Array(original.prefix(n)))),
                              mentions: []))
        }
        cases.append(Case(name: "wrong CRC of data.pkl", argv: simulate(try rezipped("crc_pkl.ckpt", crc: ["archive/data.pkl": 0x1234]) { _ in }),
                          mentions: ["data.pkl", "CRC-32 mismatch"]))
        cases.append(Case(name: "wrong CRC of a storage", argv: simulate(try rezipped("crc_storage.ckpt", crc: ["archive/data/0": 7]) { _ in }),
                          mentions: ["readin.0.weight", "CRC-32 mismatch"]))
        cases.append(Case(name: "malicious global in the state_dict", argv: simulate(try editedPickle("os_system.ckpt",
                          ascii("ctorch._utils\n_rebuild_tensor_v2\n"), ascii("cos\nsystem\n"))),
                          mentions: ["readin.0.weight", "os.system", "whitelist"]))
        var evil = PickleBuilderLite()
        evil.global("posix", "system"); evil.text("echo pwned"); evil.bytes += [0x85, 0x52, 0x2E]
        cases.append(Case(name: "malicious root object", argv: simulate(try rezipped("root_system.ckpt") { e in
            e = e.map { $0.name == "archive/data.pkl" ? (name: $0.name, data: evil.bytes) : $0 } }),
                          mentions: ["posix.system", "whitelist"]))
        var huge = original
        // The central directory entry of data.pkl (the first) declares a compressed size of ~2 GiB.
        let directory = try ZipArchive(bytes: original)
        XCTAssertEqual(directory.entries.first?.name, "archive/data.pkl")
        let eocd = original.count - 22  // torch writes no archive comment
        let cd = (0..<4).reduce(0) { $0 | Int(original[eocd + 16 + $1]) << (8 * $1) }
        huge[cd + 23] = 0x7F
        cases.append(Case(name: "huge declared size", argv: simulate(try write("huge.ckpt", huge)), mentions: ["data.pkl", "outside the file"]))
        cases.append(Case(name: "wrong dtype (unsupported storage class)", argv: simulate(try editedPickle("complex.ckpt",
                          ascii("ctorch\nFloatStorage\n"), ascii("ctorch\nComplexFloatStorage\n"))),
                          mentions: ["readin.0.weight", "ComplexFloatStorage"]))
        cases.append(Case(name: "dtype that does not match the storage size", argv: simulate(try editedPickle("double.ckpt",
                          ascii("ctorch\nFloatStorage\n"), ascii("ctorch\nDoubleStorage\n"))),
                          mentions: ["readin.0.weight", "expected 1120 × 8"]))
        cases.append(Case(name: "missing data.pkl", argv: simulate(try rezipped("no_pkl.ckpt") { e in e.removeAll { $0.name.hasSuffix("data.pkl") } }),
                          mentions: ["data.pkl"]))
        cases.append(Case(name: "storage entry missing", argv: simulate(try rezipped("no_storage.ckpt") { e in e.removeAll { $0.name == "archive/data/0" } }),
                          mentions: ["readin.0.weight", "missing from the archive"]))
        cases.append(Case(name: "stride beyond the storage", argv: simulate(try editedPickle("stride.ckpt", [0x4B, 0x01, 0x85], [0x4B, 0x05, 0x85])),
                          mentions: ["readin.0.bias", "stride [5]"]))
        cases.append(Case(name: "NaN in a storage", argv: simulate(try rezipped("nan.ckpt") { e in
            if let i = e.firstIndex(where: { $0.name == "archive/data/0" }) { e[i].data.replaceSubrange(8..<12, with: [0, 0, 0xC0, 0x7F]) } }),
                          mentions: ["readin.0.weight", "element 2 is nan"]))
        cases.append(Case(name: "big-endian byteorder", argv: simulate(try rezipped("big.ckpt") { e in e.append((name: "archive/byteorder", data: ascii("big"))) }),
                          mentions: ["big-endian"]))
        cases.append(Case(name: "no state_dict", argv: simulate(try editedPickle("no_sd.ckpt", ascii("state_dict"), ascii("state_dicx"))),
                          mentions: ["no 'state_dict'"]))
        cases.append(Case(name: "no hyper_parameters", argv: simulate(try editedPickle("no_hp.ckpt", ascii("hyper_parameters"), ascii("hyper_parameterx"))),
                          mentions: ["no 'hyper_parameters'"]))
        cases.append(Case(name: "legacy torch.save format", argv: simulate(try write("legacy.ckpt", TorchCheckpoint.legacyMagic + [0x2E])),
                          mentions: ["legacy"]))
        cases.append(Case(name: "empty zip", argv: simulate(try write("empty.ckpt", ZipWriter().finished())), mentions: ["data.pkl"]))
        cases.append(Case(name: "checkpoint with --format keras", argv: simulate(checkpoint) + ["--format", "keras"],
                          mentions: ["lorenz_con_brief.ckpt", "--format keras"]))
        cases.append(Case(name: "checkpoint as spike data", argv: ["simulate", checkpoint, "-m", checkpoint, "--float", "-o", file("out.h5")],
                          mentions: ["zip archive"]))
        cases.append(Case(name: "checkpoint to inspect", argv: ["inspect", checkpoint], mentions: ["zip archive"]))
        return cases
    }

    func testEveryBadCheckpointFailsCleanly() throws {
        let all = try cases()
        XCTAssertGreaterThanOrEqual(all.count, 20)
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: scratch.path))
        for c in all {
            let (status, _, err) = run(c.argv)
            let model = c.argv.firstIndex(of: "-m").map { c.argv[$0 + 1] } ?? c.argv[1]
            let named = URL(fileURLWithPath: model).lastPathComponent
            XCTAssertEqual(status, 1, "\(c.name): \(err)")
            XCTAssertEqual(err.filter { $0 == "\n" }.count, 1, "\(c.name): expected one line, got: \(err)")
            for m in c.mentions + [named] {
                XCTAssertTrue(err.contains(m), "\(c.name): '\(err.trimmingCharacters(in: .newlines))' does not mention '\(m)'")
            }
            let now = Set(try FileManager.default.contentsOfDirectory(atPath: scratch.path))
            XCTAssertEqual(now.subtracting(before), [], "\(c.name): left output behind")
        }
    }

    /// The undamaged checkpoint passes the same command (so the cases above fail for their damage only).
    func testTheUndamagedCheckpointSimulates() throws {
        let (status, _, err) = run(simulate(try rezipped("intact.ckpt") { _ in }))
        XCTAssertEqual(status, 0, err)
    }
}

/// The few pickle opcodes the malicious-root case needs (PickleBuilder lives in LFADSIRTests).
struct PickleBuilderLite {
    var bytes: [UInt8] = [0x80, 0x02]
    mutating func global(_ module: String, _ name: String) { bytes += [0x63] + Array("\(module)\n\(name)\n".utf8) }
    mutating func text(_ s: String) {
        let u = Array(s.utf8)
        bytes += [0x58, UInt8(u.count), 0, 0, 0] + u
    }
}
