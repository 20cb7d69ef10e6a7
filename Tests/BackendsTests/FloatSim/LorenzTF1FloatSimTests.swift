import Foundation
import HDF5
import LFADSIR
import XCTest
import Backends

/// lorenz_con converted to TF1 `write_model_params` layout (tools/make_tf1_params.py) and imported with the
/// TF1 importer gives the same outputs as the lfads-torch import, and matches lfads-torch's reference.
final class LorenzTF1FloatSimTests: XCTestCase {
    func testTF1ConversionMatchesTorchImport() throws {
        let torchPath = LorenzFiles.model("lorenz_con"), tf1Path = LorenzFiles.model("lorenz_con_tf1")
        let tf1File = try HDF5File(path: tf1Path)
        XCTAssertTrue(LFADSTF1Importer().recognizes(tf1File))
        XCTAssertFalse(LFADSTorchImporter().recognizes(tf1File))
        XCTAssertFalse(LFADSTF1Importer().recognizes(try HDF5File(path: torchPath)))
        let tf1 = try LFADSTF1Importer().importGraph(from: tf1File, path: tf1Path)
        let torch = try LFADSTorchImporter().importGraph(from: HDF5File(path: torchPath), path: torchPath)
        XCTAssertEqual(tf1.outputs, torch.outputs)
        guard case .decoder(let d)? = tf1.node(named: "decoder")?.op else { return XCTFail("no decoder") }
        XCTAssertEqual(d.generator.gateOrder, .rzh)
        XCTAssertEqual(d.generator.updateBias, 1)
        guard case .bidirectionalGRU(let enc)? = tf1.node(named: "ic_enc")?.op else { return XCTFail("no encoder") }
        XCTAssertTrue(enc.forward.cell.fused)

        let ref = try LorenzReference("lorenz_con")
        let a = try FloatSimulator(graph: tf1).runBatch(trials: ref.inputs, threads: 2)
        let b = try FloatSimulator(graph: torch).runBatch(trials: ref.inputs, threads: 2)
        for output in torch.outputs {
            let x = a.flatMap { $0[output] ?? [] }, y = b.flatMap { $0[output] ?? [] }
            XCTAssertEqual(x.count, y.count, output)
            let dev = Deviation(x, y)
            print("tf1 vs torch import \(output): \(dev)")
            XCTAssertLessThan(dev.normwise, 1e-13, output)
            let refName = try XCTUnwrap(LorenzFloatSimTests.referenceNames[output])
            XCTAssertLessThan(Deviation(x, try ref.output(refName)).normwise, 1e-12, output)
        }
    }
}
