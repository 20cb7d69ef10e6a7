// Structure of an emitted project (no compiler needed); the C-simulation grid proves its numerics.
import XCTest
@testable import Backends
import LFADSIR

final class HLSProjectTests: XCTestCase {
    func testFilesAndSettings() throws {
        var c = HWConfig(name: "files")
        c.strategy = .resource
        c.reuse = 5
        let graph = try TestModels.lfadsLike(c)
        let files = try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "demo", topName: "demo_top"))
        for path in ["firmware/demo_top.cpp", "firmware/demo_top.h", "firmware/parameters.h", "firmware/types.h",
                     "firmware/lfads_defines.h", "firmware/layers/lfads_schedule.h", "tb/csim_main.cpp", "tb/lfads_print.h", "Makefile", "build_prj.tcl",
                     "kernel/demo_top_kernel.cpp", "connectivity.cfg", "host/host.cpp", "README.md"] {
            XCTAssertNotNil(files[path], path)
        }
        XCTAssertTrue(files.keys.contains { $0.hasPrefix("firmware/weights/") })
        // A dataflow design carries no layer-by-layer template (only designs with an LSTM do).
        for old in ["lfads_matvec.h", "lfads_dense.h", "lfads_gru.h"] { XCTAssertNil(files["firmware/layers/" + old], old) }
        let tcl = files["build_prj.tcl"] ?? ""
        XCTAssertTrue(tcl.contains("set_part {xcu55c-fsvh2892-2L-e}"))
        XCTAssertTrue(tcl.contains("create_clock -period 3.333"))
        let make = files["Makefile"] ?? ""
        XCTAssertTrue(make.contains("\ncsim: "))
        XCTAssertTrue(make.contains("xilinx_u55c_gen3x16_xdma_3_202210_1"))
        XCTAssertTrue(make.contains("\t$(CXX) $(CXXFLAGS)"), "recipes need tabs")
        XCTAssertTrue(make.contains("-std=c++14 -Wall -Werror -O2 -DNDEBUG"))
        let params = files["firmware/parameters.h"] ?? ""
        XCTAssertTrue(params.contains("static const unsigned reuse = 5;"))
        XCTAssertTrue(params.contains("LFADS_RESOURCE"))
        XCTAssertTrue((files["kernel/demo_top_kernel.cpp"] ?? "").contains("m_axi"))
        // Every file name is relative and free of "..".
        for path in files.keys { XCTAssertFalse(path.hasPrefix("/") || path.contains("..")) }
    }

    /// `--outputs`: the top function takes one port per extra output after `out`, in the order asked; the test
    /// bench, kernel and host follow that order; a name that is no graph output is an error, and a project
    /// without extras is unchanged by the graph's other outputs.
    func testExtraOutputPorts() throws {
        var c = HWConfig(name: "ports")
        c.strategy = .lfads
        let graph = try TestModels.lfadsLike(c)
        let files = try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "demo", topName: "demo_top", outputs: ["rates", "g0"]))
        let header = files["firmware/demo_top.h"] ?? ""
        let out = try XCTUnwrap(header.range(of: " out["))
        let rates = try XCTUnwrap(header.range(of: " out_rates["))
        let g0 = try XCTUnwrap(header.range(of: " out_g0["))
        XCTAssertTrue(out.lowerBound < rates.lowerBound && rates.lowerBound < g0.lowerBound, header)
        XCTAssertTrue((files["tb/csim_main.cpp"] ?? "").contains("demo_top(v_spikes, v_ext, out, out_rates, out_g0);"))
        XCTAssertTrue((files["kernel/demo_top_kernel.cpp"] ?? "").contains("lfads_store(y, y1, y2, out, trial);"))
        XCTAssertTrue((files["README.md"] ?? "").contains("`rates` | out"))
        XCTAssertThrowsError(try HLSProject.emit(graph: graph, options: HLSOptions(outputs: ["nope"]))) { e in
            XCTAssertTrue("\(e)".contains("'nope' is no output"), "\(e)")
        }
        let plain = try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "demo", topName: "demo_top"))
        XCTAssertFalse((plain["firmware/demo_top.h"] ?? "").contains("out_rates"))
    }

    func testWeightsArePrintedAsExactCodes() throws {
        var b = GraphBuilder(name: "w")
        let x = try b.value("x", .input(InputOp(type: .vector(width: 2), precision: fx("ap_fixed<16,6>"))))
        let p = DensePrecision(weight: fx("ap_fixed<8,2,AP_RND>"), bias: fx("ap_fixed<8,4>"), accum: fx("ap_fixed<16,6>"), result: fx("ap_fixed<16,6>"))
        let y = try b.value("d", .dense(try DenseLayer(weight: Matrix(rows: 1, columns: 2, values: [0.3, -1.99]), bias: [0.5], precision: p)), [x])
        let files = try HLSProject.emit(graph: try b.finish(outputs: [y]), options: HLSOptions())
        let w = files.first { $0.key.hasPrefix("firmware/weights/") }?.value ?? ""
        // 0.3 → round(19.2) = 19, −1.99 → round(−127.36) = −127 at 1/64; bias 0.5 → 8 at 1/16.
        XCTAssertTrue(w.contains("    19, -127,"), w)
        XCTAssertTrue(w.contains("    8,"), w)
    }

    /// The lfads strategy emits one DATAFLOW region of processes (review findings F1–F4, F12, F14): no loop in the
    /// top function, every port and channel reshaped one step per word, flattened T·R pipelines, one merged
    /// recurrent matrix per reset-after cell, spike-count products bound to fabric, literal pragma arguments.
    func testLFADSStructure() throws {
        var c = HWConfig(name: "lfads")
        c.strategy = .lfads
        c.reuse = 2
        let files = try HLSProject.emit(graph: try TestModels.lfadsLike(c), options: HLSOptions(projectName: "demo", topName: "demo_top"))
        let top = files["firmware/demo_top.cpp"] ?? ""
        XCTAssertNotNil(files["firmware/layers/lfads_schedule.h"])
        let body = top.components(separatedBy: "void demo_top(").last ?? ""
        // F1: one dataflow region, processes only (the old top ran layers and copy loops one after another).
        XCTAssertTrue(body.contains("LFADS_PRAGMA(HLS DATAFLOW)"), body)
        XCTAssertFalse(body.contains("for ("), body)
        for call in ["gru_project_seq_lfads<", "gru_recur_lfads<", "dense_seq_lfads<", "split_", "glue_"] {
            XCTAssertTrue(body.contains(call), call)
        }
        for old in ["bigru_lfads<", "gru_layer_lfads<", "gru_layer<"] { XCTAssertFalse(body.contains(old), old) }
        // F2: every array of the region and every port is reshaped (no 70-wide reads from a 2-port memory).
        //     FIFOs hold whole steps and are declared with their depth (F7: every part of a step ≤ 4,096 bits).
        let params = files["firmware/parameters.h"] ?? ""
        var fifos = 0
        for line in body.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) where line.hasSuffix("];") && !line.contains("(") {
            let name = line.split(separator: "[")[0].split(separator: " ").last.map(String.init) ?? "?"
            if line.hasPrefix("hls::stream<lfads_part<") {
                fifos += 1
                XCTAssertTrue(body.contains("STREAM variable = \(name) depth = "), name)
                let targs = line.dropFirst(23).components(separatedBy: "> > ")[0].components(separatedBy: ", ")
                let fixed: FixedType
                if targs[0].hasSuffix("::accum_t") {
                    // A projection FIFO: the accumulator type of the layer's configuration.
                    let cfg = (params.components(separatedBy: "struct \(targs[0].dropLast(9)) {").last ?? "").components(separatedBy: "};")[0]
                    let line = try XCTUnwrap(cfg.split(separator: "\n").first { $0.hasSuffix(" accum_t;") })
                    fixed = try FixedType(parsing: line.trimmingCharacters(in: .whitespaces).dropFirst(8).components(separatedBy: " accum_t;")[0])
                } else {
                    let type = try XCTUnwrap(files["firmware/types.h"]?.split(separator: "\n").first { $0.contains(" \(targs[0]);") })
                    fixed = try FixedType(parsing: String(type.dropFirst(8).components(separatedBy: " v_")[0]))
                }
                XCTAssertLessThanOrEqual(fixed.width * (Int(targs[1]) ?? 0), 4_096, line)
            } else {
                XCTAssertTrue(body.contains("ARRAY_RESHAPE variable = \(name) cyclic"), name)
            }
        }
        XCTAssertGreaterThan(fifos, 0)
        for port in ["v_spikes", "v_ext", "out"] { XCTAssertTrue(body.contains("ARRAY_RESHAPE variable = \(port) cyclic"), port) }
        XCTAssertTrue(params.contains("layers/lfads_schedule.h"))
        // Spikes are ap_fixed<16,6>: 5 integer bits without the sign; the encoder's two input kernels only.
        XCTAssertEqual(params.components(separatedBy: "static const bool counts = true;").count - 1, 2, params)
        XCTAssertTrue(params.contains("typedef ap_uint<5> count_t;"))
        // F3: reset-after cells multiply h by one 3H-row matrix (n_out = 3 × hidden).
        XCTAssertTrue(params.contains("static const unsigned n_out = \(3 * c.hidden);"), params)
        let schedule = files["firmware/layers/lfads_schedule.h"] ?? ""
        // F4: sequences are one pipeline of N_STEPS × reuse iterations with a template-constant trip count.
        XCTAssertTrue(schedule.contains("for (unsigned i = 0; i < N_STEPS * CONFIG_T::reuse; i++)"), schedule)
        // F12: spike-count products are bound to fabric.
        XCTAssertTrue(schedule.contains("BIND_OP variable = p op = mul impl = fabric"))
        for pragma in ["HLS PIPELINE II = CONFIG_T::ii", "ARRAY_RESHAPE variable = w cyclic factor = CONFIG_T::reshape_factor"] {
            XCTAssertTrue(schedule.contains(pragma), pragma)
        }
        // F14: no pragma argument is an expression (the old backward buffer had `factor = 3 * CONFIG_T::n_state`).
        XCTAssertNil(ScheduleLint.pragmaViolation(files))
        XCTAssertNotNil(ScheduleLint.pragmaViolation(["x.h": "LFADS_PRAGMA(HLS ARRAY_RESHAPE variable = ax cyclic factor = 3 * CONFIG_T::n_state)"]))
        XCTAssertNotNil(files["reports/schedule.txt"])
        // Resource and latency designs are the same dataflow schedule (F8, F9): chunk pipelines without narrow counts.
        for strategy in [Strategy.resource, .latency] {
            c.strategy = strategy
            let other = try HLSProject.emit(graph: try TestModels.lfadsLike(c), options: HLSOptions(projectName: "demo", topName: "demo_top"))
            XCTAssertNotNil(other["firmware/layers/lfads_schedule.h"])
            let otherTop = other["firmware/demo_top.cpp"] ?? ""
            XCTAssertTrue(otherTop.contains("LFADS_PRAGMA(HLS DATAFLOW)") && otherTop.contains("gru_recur_lfads<"), strategy.rawValue)
            XCTAssertFalse((other["firmware/parameters.h"] ?? "").contains("static const bool counts = true;"), strategy.rawValue)
        }
    }

    /// lfads weights are chunk-major: [reuse][rows][chunk], zero past the last column.
    func testLFADSChunkMajorWeights() throws {
        var b = GraphBuilder(name: "w")
        let x = try b.value("x", .input(InputOp(type: .vector(width: 3), precision: fx("ap_fixed<16,6>"))))
        let p = DensePrecision(weight: fx("ap_fixed<8,4>"), bias: fx("ap_fixed<8,4>"), accum: fx("ap_fixed<16,6>"), result: fx("ap_fixed<16,6>"))
        let m = try Matrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        let y = try b.value("d", .dense(try DenseLayer(weight: m, bias: [0, 0], precision: p,
                                                       implementation: Implementation(strategy: .lfads, reuse: 2))), [x])
        let files = try HLSProject.emit(graph: try b.finish(outputs: [y]), options: HLSOptions())
        let w = files.first { $0.key.hasPrefix("firmware/weights/") && $0.value.contains("_w[") }?.value ?? ""
        // Codes at 1/16: r0 = (1 2)(4 5), r1 = (3 0)(6 0).
        XCTAssertTrue(w.contains("    16, 32, 64, 80, 48, 0, 96, 0,"), w)
        XCTAssertTrue((files["firmware/parameters.h"] ?? "").contains("static const unsigned chunk = 2;"))
    }

    func testRejectsBadNamesAndMissingPrecision() throws {
        let graph = try TestModels.lfadsLike(HWConfig(name: "names"))
        XCTAssertThrowsError(try HLSProject.emit(graph: graph, options: HLSOptions(topName: "1bad")))
        XCTAssertThrowsError(try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "a b")))
        var b = GraphBuilder(name: "np")
        let x = try b.value("x", .input(InputOp(type: .vector(width: 2))))
        XCTAssertThrowsError(try HLSProject.emit(graph: try b.finish(outputs: [x]), options: HLSOptions())) { e in
            XCTAssertEqual("\(e)", "missing precision: layer 'x': input has no precision")
        }
    }
}
