import Foundation
import HDF5
import XCTest
@testable import LFADSIR

/// TF1 importer: structure of the converted Lorenz model and errors on edited copies of it.
final class TF1ImporterTests: XCTestCase {
    static let modelPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/lorenz/models/lorenz_con_tf1.h5").path

    /// The model's tensors and hparams text, to be edited and rewritten.
    struct Copy {
        var tensors: [String: (shape: [Int], values: [Double])] = [:]
        var hparams: String?
        let name = "edited_tf1.h5"

        init() throws {
            let f = try HDF5File(path: TF1ImporterTests.modelPath)
            for n in try f.root.memberNames() {
                let d = try f.dataset(n)
                tensors[n] = (d.shape, try d.readDoubles())
            }
            hparams = try f.root.attribute("hparams")?.value.stringValue
        }

        func importGraph(_ importer: LFADSTF1Importer = LFADSTF1Importer()) throws -> Graph {
            var w = HDF5Writer()
            for (n, t) in tensors.sorted(by: { $0.key < $1.key }) { try w.addDataset("/" + n, shape: t.shape, float64: t.values) }
            if let hparams { try w.setAttribute("/", "hparams", .strings([hparams])) }
            return try importer.importGraph(from: HDF5File(bytes: w.bytes(), name: name), path: name)
        }
    }

    func assertFails(_ copy: Copy, _ importer: LFADSTF1Importer = LFADSTF1Importer(), mentions: [String],
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try copy.importGraph(importer), file: file, line: line) { error in
            guard case IRError.importFailed(let m) = error else { return XCTFail("unexpected \(error)", file: file, line: line) }
            for s in [copy.name] + mentions { XCTAssertTrue(m.contains(s), "'\(m)' does not mention '\(s)'", file: file, line: line) }
        }
    }

    func testStructure() throws {
        let g = try Copy().importGraph()
        XCTAssertEqual(g.inputs.map(\.type), [.sequence(steps: 50, width: 40)])
        XCTAssertEqual(g.metadata["dataset"], "lorenz")
        guard case .decoder(let d)? = g.node(named: "decoder")?.op, let con = d.controller else { return XCTFail("no controller") }
        XCTAssertNil(d.generator.bias)  // GenGRU input matrices have no bias
        XCTAssertEqual(d.generator.recurrentBias?.count, 96)
        XCTAssertEqual(con.cell.inputSize, 2 * 16 + 8)
        XCTAssertEqual(d.generator.clip, 5)
    }

    func testSettingsComeFromDefaultsWhenTheFileHasNoHparams() throws {
        var c = try Copy()
        c.hparams = nil
        assertFails(c, mentions: ["num_steps"])
        let g = try c.importGraph(LFADSTF1Importer(settings: TF1Settings(numSteps: 30, controllerInputLag: 2)))
        XCTAssertEqual(g.inputs.first?.type, .sequence(steps: 30, width: 40))
        guard case .timeShift(let lag)? = g.node(named: "ci_fwd_lag")?.op else { return XCTFail("no lag") }
        XCTAssertEqual(lag, 2)
    }

    func testErrorsNameFileAndTensor() throws {
        let base = try Copy()
        var missing = base
        missing.tensors["LFADS_con_GenGRU_Candidate_rh_2_c_b:0"] = nil
        assertFails(missing, mentions: ["LFADS_con_GenGRU_Candidate_rh_2_c_b:0", "missing"])
        var shape = base
        shape.tensors["LFADS_z_ic_enc_2_post_g0_logvar_W:0"] = ([12, 48], [Double](repeating: 0, count: 576))
        assertFails(shape, mentions: ["LFADS_z_ic_enc_2_post_g0_logvar_W:0", "[12, 48]", "[48, 12]"])
        var nan = base
        nan.tensors["LFADS_ic_enc_fwd_GRU_Gates_xh_2_ru_W:0"]?.values[5] = .nan
        assertFails(nan, mentions: ["LFADS_ic_enc_fwd_GRU_Gates_xh_2_ru_W:0", "element 5"])
        var noReadout = base
        noReadout.tensors["LFADS_glm_fac_2_logrates_lorenz_W:0"] = nil
        assertFails(noReadout, mentions: ["LFADS_glm_fac_2_logrates_", "missing"])
        var twoSessions = base
        twoSessions.tensors["LFADS_glm_fac_2_logrates_other_W:0"] = base.tensors["LFADS_glm_fac_2_logrates_lorenz_W:0"]
        assertFails(twoSessions, mentions: ["multi-session"])
    }

    func testBadHparams() throws {
        var c = try Copy()
        c.hparams = "{\"num_steps\": 50"
        assertFails(c, mentions: ["hparams", "JSON"])
        c.hparams = "{\"num_steps\": 50.5}"
        assertFails(c, mentions: ["hparams", "num_steps"])
        c.hparams = "{\"num_steps\": 50, \"output_dist\": \"gaussian\"}"
        assertFails(c, mentions: ["output_dist"])
        c.hparams = "{\"num_steps\": 50, \"do_causal_controller\": true}"
        assertFails(c, mentions: ["do_causal_controller"])
        c.hparams = "{\"num_steps\": 50, \"cell_clip_value\": -1}"
        assertFails(c, mentions: ["cell_clip_value"])
    }
}
