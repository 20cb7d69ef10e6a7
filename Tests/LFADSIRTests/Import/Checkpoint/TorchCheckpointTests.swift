import Foundation
import HDF5
import XCTest
@testable import LFADSIR

/// The checkpoint reader on real files: two Lightning checkpoints written by lfads-torch + pytorch_lightning
/// (examples/lorenz/checkpoints, made by make_checkpoints.py) with their tools/export_lfads_torch.py exports, and
/// the dtype / view seed written by torch.save (fuzz/seeds/checkpoint/dtypes.ckpt).
final class TorchCheckpointTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let models = ["lorenz_con_brief", "lorenz_nocon_plain"]

    func path(_ relative: String) -> String { Self.repo.appendingPathComponent(relative).path }
    func checkpoint(_ name: String) -> String { path("examples/lorenz/checkpoints/\(name).ckpt") }
    func export(_ name: String) -> String { path("examples/lorenz/checkpoints/\(name).h5") }

    /// The .ckpt and its .h5 export, each under the same file name in its own directory (the IR records the
    /// file name), give the same IR text byte for byte.
    func testCheckpointAndItsExportGiveTheSameIRText() throws {
        for name in Self.models {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-ir-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            for sub in ["a", "b"] {
                try FileManager.default.createDirectory(at: scratch.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
            let a = scratch.appendingPathComponent("a/model.bin").path, b = scratch.appendingPathComponent("b/model.bin").path
            try FileManager.default.copyItem(atPath: checkpoint(name), toPath: a)
            try FileManager.default.copyItem(atPath: export(name), toPath: b)
            let fromCheckpoint = IRPrinter.print(try ModelLoader.load(path: a))
            let fromExport = IRPrinter.print(try ModelLoader.load(path: b))
            XCTAssertGreaterThan(fromCheckpoint.utf8.count, 100_000, name)
            XCTAssertTrue(fromCheckpoint == fromExport, "\(name): IR text of the .ckpt differs from its export's")
        }
    }

    /// The same model re-saved by torch 2.15 (resave_with_torch2.py: archive folder named after the file, a
    /// `byteorder` entry, `.format_version`, `.storage_alignment`) gives the same IR as the torch 1.13 export.
    func testTorch2ArchiveGivesTheSameIRText() throws {
        let ckpt = try TorchCheckpoint(path: checkpoint("lorenz_con_torch2"))
        XCTAssertEqual(ckpt.prefix, "lorenz_con_torch2")
        XCTAssertNotNil(ckpt.archive.entry("lorenz_con_torch2/byteorder"))
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-t2-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var texts: [String] = []
        for (sub, source) in [("a", checkpoint("lorenz_con_torch2")), ("b", export("lorenz_con_brief"))] {
            try FileManager.default.createDirectory(at: scratch.appendingPathComponent(sub), withIntermediateDirectories: true)
            let copy = scratch.appendingPathComponent("\(sub)/model").path
            try FileManager.default.copyItem(atPath: source, toPath: copy)
            texts.append(IRPrinter.print(try ModelLoader.load(path: copy)))
        }
        XCTAssertTrue(texts[0] == texts[1], "IR of the torch 2 re-save differs from the export's")
    }

    /// Under their own names the two IR texts differ only in the `source` line.
    func testOnlyTheSourceLineDependsOnTheFileName() throws {
        for name in Self.models {
            let c = IRPrinter.print(try ModelLoader.load(path: checkpoint(name))).split(separator: "\n")
            let h = IRPrinter.print(try ModelLoader.load(path: export(name))).split(separator: "\n")
            XCTAssertEqual(c.count, h.count)
            let differing = zip(c, h).filter { $0 != $1 }
            XCTAssertEqual(differing.map(\.0), ["meta source = \"\(name).ckpt\""], name)
            XCTAssertEqual(differing.map(\.1), ["meta source = \"\(name).h5\""], name)
        }
    }

    /// Every state_dict tensor equals the export's dataset of the same name: shape and every value.
    func testEveryTensorEqualsTheExportedDataset() throws {
        for name in Self.models {
            let ckpt = try TorchCheckpoint(path: checkpoint(name))
            let h5 = try HDF5File(path: export(name))
            XCTAssertEqual(Set(ckpt.tensorNames), Set(try h5.root.memberNames()), name)
            for key in ckpt.tensorNames {
                let t = try ckpt.tensor(key)
                let d = try h5.dataset("/" + key)
                XCTAssertEqual(t.shape, d.shape, key)
                XCTAssertEqual(t.storage.dtype, .float32, key)
                let values = try ckpt.floats(t).map(Double.init)
                XCTAssertEqual(values, d.shape.contains(0) ? [] : try d.readDoubles(), key)
            }
        }
    }

    func testHyperparametersFollowTheExporter() throws {
        let con = try TorchCheckpoint(path: checkpoint("lorenz_con_brief")).exportedHyperparameters()
        guard case .number(let gen)? = con["gen_dim"], case .string(let recon)? = con["reconstruction"],
              case .number(let clip)? = con["cell_clip"], case .number(let sessions)? = con["num_sessions"] else {
            return XCTFail("hyper_parameters lack expected values")
        }
        XCTAssertEqual(gen, 32)
        XCTAssertEqual(clip, 5)
        XCTAssertEqual(recon, "lfads_torch.modules.recons.Poisson")  // from lfadsc_modules
        XCTAssertEqual(sessions, 1)
        guard case .bool(true)? = con["variational"] else { return XCTFail("variational is not a bool") }
        // Without lfadsc_modules the reconstruction is not recoverable: the exporter's placeholder.
        let plain = try TorchCheckpoint(path: checkpoint("lorenz_nocon_plain")).exportedHyperparameters()
        guard case .string(let unknown)? = plain["reconstruction"] else { return XCTFail("no reconstruction") }
        XCTAssertTrue(unknown.hasPrefix("unknown"))
        let g = try ModelLoader.load(path: checkpoint("lorenz_nocon_plain"))
        // The importer then infers it from the readout (one output per neuron: Poisson) and says so.
        XCTAssertEqual(g.metadata["reconstruction"], "lfads_torch.modules.recons.Poisson (inferred: one readout output per neuron; MSE has the same shape)")
        XCTAssertEqual(g.metadata["importer"], "lfads-torch")
    }

    /// Objects of lfads-torch classes in hyper_parameters (priors, augmentation stacks) stay opaque: named, not run.
    func testUnknownClassesElsewhereAreKeptOpaque() throws {
        let ckpt = try TorchCheckpoint(path: checkpoint("lorenz_con_brief"))
        let hp = try XCTUnwrap(ckpt.heap.dict(try XCTUnwrap(ckpt.root["hyper_parameters"])))
        XCTAssertEqual(ckpt.heap.describe(try XCTUnwrap(hp["co_prior"])), "lfads_torch.modules.priors.AutoregressiveMultivariateNormal(...)")
        XCTAssertNotNil(ckpt.root["optimizer_states"])
    }

    /// torch.save's own encoding of every decoded dtype and of non-contiguous views.
    func testDtypesAndViewsDecodeAsTorchWroteThem() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path("fuzz/seeds/checkpoint/dtypes.ckpt"))))
        let c = try TorchCheckpoint(bytes: bytes)
        func values(_ k: String) throws -> [Float] { try c.floats(try c.tensor(k)) }
        let base = (0..<12).map { Float($0) / 8 }
        for k in ["f32", "f64", "f16", "bf16"] {
            XCTAssertEqual(try values(k), base, k)
            XCTAssertEqual(try c.tensor(k).shape, [3, 4], k)
        }
        XCTAssertEqual(try c.tensor("f16").storage.dtype, .float16)
        XCTAssertEqual(try c.tensor("bf16").storage.dtype, .bfloat16)
        XCTAssertEqual(try values("i64"), [-3, -2, -1, 0, 1, 2])
        XCTAssertEqual(try values("i32"), [0, 1, 2, 3])
        XCTAssertEqual(try values("u8"), [0, 1, 2, 3, 4])
        XCTAssertEqual(try values("bool"), [1, 0])
        // Transpose: strides (1, 4); slice [1:, 2:]: offset 6; expand: stride 0.
        XCTAssertEqual(try c.tensor("transposed").stride, [1, 4])
        XCTAssertEqual(try values("transposed"), [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11].map { Float($0) / 8 })
        XCTAssertEqual(try c.tensor("sliced").offset, 6)
        XCTAssertEqual(try values("sliced"), [6, 7, 10, 11].map { Float($0) / 8 })
        XCTAssertEqual(try c.tensor("expanded").stride, [0, 1])
        XCTAssertEqual(try values("expanded"), [1, 1, 1, 1, 1, 1])
        XCTAssertEqual(try values("empty"), [])
        XCTAssertEqual(try c.tensor("scalar").shape, [])
        XCTAssertEqual(try values("scalar"), [2.5])
        let hp = try c.exportedHyperparameters()
        guard case .string("nan")? = hp["nan"], case .number(1.5)? = hp["x"] else { return XCTFail("hyperparameter kinds") }
    }

    /// numpy scalars in hyper_parameters (numpy.core.multiarray.scalar) become the numbers the exporter's
    /// `.item()` gives; a complex one stays opaque.
    func testNumpyScalarHyperparameters() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path("fuzz/seeds/checkpoint/numpy_scalars.ckpt"))))
        let hp = try TorchCheckpoint(bytes: bytes).exportedHyperparameters()
        guard case .number(let f8)? = hp["f8"], case .number(let f4)? = hp["f4"], case .number(let i8)? = hp["i8"],
              case .number(let i4)? = hp["i4"], case .bool(let b)? = hp["b"], case .number(let u1)? = hp["u1"], case .other? = hp["c"]
        else { return XCTFail("numpy scalars not decoded: \(hp)") }
        XCTAssertEqual([f8, f4, i8, i4, u1], [0.1, 2.5, -40, 7, 200])
        XCTAssertTrue(b)
    }

    func testHalfPrecisionConversionIsExact() {
        XCTAssertEqual(TorchCheckpoint.halfToFloat(0x3C00), 1)
        XCTAssertEqual(TorchCheckpoint.halfToFloat(0xC000), -2)
        XCTAssertEqual(TorchCheckpoint.halfToFloat(0x7BFF), 65504)
        XCTAssertEqual(TorchCheckpoint.halfToFloat(0x0001), 0x1p-24)
        XCTAssertEqual(TorchCheckpoint.halfToFloat(0x8000).sign, .minus)
        XCTAssertEqual(TorchCheckpoint.halfToFloat(0x7C00), .infinity)
        XCTAssertTrue(TorchCheckpoint.halfToFloat(0x7E00).isNaN)
    }
}
