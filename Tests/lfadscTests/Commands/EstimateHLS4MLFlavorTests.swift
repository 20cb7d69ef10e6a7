import Backends
import Foundation
import LFADSIR
import XCTest
@testable import lfadsc

/// `estimate --flavor hls4ml`: the graph priced as stock hls4ml would build it (Backends/Cost/HLS4ML).
final class EstimateHLS4MLFlavorTests: XCTestCase, CLIHarness {
    /// The hls4ml RNN paper's QuickDraw GRU model (held-out report, Vivado HLS 2019.2: 4,308 cycles, 4,041 DSP,
    /// 1,820 BRAM18, 1,218,611 LUT, 155,795 FF with GRU input reuse 24), here at reuse 32 everywhere.
    static let quickdraw = #"""
    {"precision": "ap_fixed<16,6>", "strategy": "resource", "reuse": 32, "part": "u250", "clock_mhz": 200,
     "input": {"steps": 100, "features": 3},
     "layers": [{"type": "gru", "units": 128}, {"type": "dense", "units": 256, "activation": "relu"},
                {"type": "dense", "units": 128, "activation": "relu"}, {"type": "dense", "units": 5, "activation": "softmax"}]}
    """#

    func testQuickDrawStructureAndJSON() throws {
        let dir = try makeScratch("hls4ml-flavor")
        let spec = dir.appendingPathComponent("qd.json").path
        try Self.quickdraw.write(toFile: spec, atomically: true, encoding: .utf8)
        let r = run(["estimate", "--arch", spec, "--flavor", "hls4ml", "--json"])
        XCTAssertEqual(r.status, 0, r.err)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        XCTAssertEqual(root["io_type"] as? String, "io_parallel")
        let total = try XCTUnwrap(root["total"] as? [String: Any])
        // Multipliers: GRU ⌈3·384/32⌉ + 128·384/32 + 3·128 Hadamard, dense 1024 + 1024 + 20; 16-bit: one DSP each.
        XCTAssertEqual(total["dsp"] as? Int, 36 + 1536 + 384 + 1024 + 1024 + 20)
        // Weight banks 36·16 bits wide: 16 + 683 + 456 + 456 + 9, tables 192, softmax one per value.
        XCTAssertEqual(total["bram18"] as? Int, 16 + 683 + 192 + 456 + 456 + 9 + 5)
        let cycles = try XCTUnwrap(total["latency_cycles"] as? Int)
        XCTAssertEqual(Double(cycles), 4308, accuracy: 4308 * 0.10, "the held-out report's latency")
        XCTAssertEqual((root["layers"] as? [Any])?.count, 7, "gru, three dense, their activations")
        XCTAssertEqual(root["backend"] as? String, "vivado", "hls4ml's default backend")
        // Vivado HLS gives each of the 3,604 multipliers of the reuse-32 products (R < n_in) its own mux core, and the
        // GRU's input product (R = 24 > 3 inputs) one for its input and one for its accumulators; HLS prices them all
        // at the figure of the last core it creates, the output layer's. That layer reads its input as an argument
        // from the dataflow top, so its cores span 2^⌈log2(32+1)⌉ = 64 inputs (the GRU's recurrent product, reading
        // its local state, gets 128-input ones).
        let cores = try XCTUnwrap(root["mux_cores"] as? [String: Any])
        XCTAssertEqual(cores["count"] as? Int, 1536 + 1024 + 1024 + 20 + 2)
        XCTAssertEqual(cores["last_core_inputs"] as? Int, 64)
        XCTAssertEqual(cores["lut_each"] as? Int, HLS4MLOperators.muxCoreLUT(inputs: 64))
        // The held-out report: 1.22 M LUT, 0.98 M of it in its 3,606 cores at 273 each (its last core has 64 inputs);
        // 155.8 k FF.
        let lut = try XCTUnwrap(total["lut"] as? Int), ff = try XCTUnwrap(total["ff"] as? Int)
        XCTAssertEqual(Double(lut), 1_218_611, accuracy: 1_218_611 * 0.3)
        XCTAssertGreaterThan(ff, 155_795 / 2)
        XCTAssertLessThan(ff, 155_795 * 2)
        // Vitis HLS shares one R:1 select between multipliers that read the same inputs: far fewer LUT.
        let vitis = run(["estimate", "--arch", spec, "--flavor", "hls4ml", "--hls4ml-backend", "vitis", "--json"])
        XCTAssertEqual(vitis.status, 0, vitis.err)
        let vitisRoot = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(vitis.out.utf8)) as? [String: Any])
        let vitisLUT = try XCTUnwrap((vitisRoot["total"] as? [String: Any])?["lut"] as? Int)
        XCTAssertLessThan(vitisLUT * 3, lut)

        let text = run(["estimate", "--arch", spec, "--flavor", "hls4ml", "--io-type", "io_stream"])
        XCTAssertEqual(text.status, 0, text.err)
        XCTAssertTrue(text.out.contains("stock hls4ml (Resource strategy, io_stream, Vivado backend)"), text.out)
    }

    /// The held-out RNN-paper designs as specs (benchmarks/calibration/heldout-arch/): the command prices each as
    /// the library does from the same spec, which BackendsTests/HLS4MLHeldOutArchTests holds equal to the held-out
    /// check of docs/estimates.md.
    func testHeldOutSpecsThroughTheCommand() throws {
        let dir = path("benchmarks/calibration/heldout-arch")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }
        XCTAssertEqual(names.count, 3, "the three RNN-paper designs")
        for name in names {
            let spec = dir + "/" + name
            let r = run(["estimate", "--arch", spec, "--flavor", "hls4ml", "--io-type", "io_parallel", "--hls4ml-backend", "vivado", "--json"])
            XCTAssertEqual(r.status, 0, r.err)
            let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
            let total = try XCTUnwrap(root["total"] as? [String: Any])
            let arch = try ArchSpec.load(path: spec, targets: Device.all.flatMap { [$0.name, $0.part] })
            let config = arch.projectConfig()
            let result = try CompilePipeline.run(arch.graph, config: config, overrides: config.overrides, estimate: false)
            let t = try HLS4MLReport(graph: result.graph, io: .parallel, backend: .vivado, inputBits: config.overrides.defaultPrecision?.width,
                                     clockMHz: result.clockMHz).total
            XCTAssertEqual(["latency_cycles", "dsp", "bram18", "lut", "ff"].map { total[$0] as? Int },
                           [t.latency, t.dsp, t.bram18, t.lut(.fitted), t.ff(.fitted)], name)
        }
    }

    /// hls4ml's default strategy: Dense layers set to latency are dense_latency, priced from their weights
    /// (here the spec's synthetic dense weights); the GRU stays Resource.
    func testLatencyStrategyDenseLayers() throws {
        let dir = try makeScratch("hls4ml-flavor-latency")
        let spec = dir.appendingPathComponent("mlp.json").path
        try #"""
        {"precision": "ap_fixed<8,2>", "strategy": "latency", "reuse": 1, "input": {"features": 16},
         "layers": [{"type": "dense", "units": 64, "activation": "relu"}, {"type": "dense", "units": 32, "activation": "relu"},
                    {"type": "dense", "units": 5, "activation": "softmax"}]}
        """#.write(toFile: spec, atomically: true, encoding: .utf8)
        let r = run(["estimate", "--arch", spec, "--flavor", "hls4ml", "--json"])
        XCTAssertEqual(r.status, 0, r.err)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let total = try XCTUnwrap(root["total"] as? [String: Any])
        XCTAssertEqual(total["dsp"] as? Int, 0, "8×8 constant products are LUTs")
        XCTAssertEqual(total["bram18"] as? Int, 5, "no weight ROM; the softmax's exp table once per value")
        let cycles = try XCTUnwrap(total["latency_cycles"] as? Int)
        XCTAssertLessThan(cycles, 40, "unrolled: adder trees, not reuse loops")
        let text = run(["estimate", "--arch", spec, "--flavor", "hls4ml"])
        XCTAssertTrue(text.out.contains("stock hls4ml (Latency strategy, io_parallel, Vivado backend)"), text.out)
    }

    func testBadFlavorAndUnsupportedLayersFailWithOneLine() throws {
        let dir = try makeScratch("hls4ml-flavor-bad")
        let spec = dir.appendingPathComponent("lstm.json").path
        try #"{"input": {"steps": 5, "features": 3}, "layers": [{"type": "lstm", "units": 4}]}"#
            .write(toFile: spec, atomically: true, encoding: .utf8)
        let lstm = run(["estimate", "--arch", spec, "--flavor", "hls4ml"])
        XCTAssertEqual(lstm.status, 1)
        XCTAssertTrue(lstm.err.contains("no stock-hls4ml template"), lstm.err)
        XCTAssertEqual(lstm.err.split(separator: "\n").count, 1, lstm.err)
        let flavor = run(["estimate", "--arch", spec, "--flavor", "vivado"])
        XCTAssertEqual(flavor.status, 2, flavor.err)
        let io = run(["estimate", "--arch", spec, "--flavor", "hls4ml", "--io-type", "io_serial"])
        XCTAssertNotEqual(io.status, 0, io.err)
        let backend = run(["estimate", "--arch", spec, "--flavor", "hls4ml", "--hls4ml-backend", "quartus"])
        XCTAssertEqual(backend.status, 2, backend.err)
        XCTAssertTrue(backend.err.contains("--hls4ml-backend must be vivado or vitis"), backend.err)
        // An IO type from the hls4ml config is blamed on the config file, not on a flag the user did not pass.
        let dense = dir.appendingPathComponent("dense.json").path
        try #"{"input": {"features": 3}, "layers": [{"type": "dense", "units": 4}]}"#.write(toFile: dense, atomically: true, encoding: .utf8)
        let yml = dir.appendingPathComponent("fork.yml").path
        try "IOType: io_array_stream\nHLSConfig:\n  Model:\n    ReuseFactor: 1\n".write(toFile: yml, atomically: true, encoding: .utf8)
        let fork = run(["estimate", "--arch", dense, "--flavor", "hls4ml", "--hls4ml-config", yml])
        XCTAssertEqual(fork.status, 1, fork.err)
        // So is a Backend no template models; Vitis from the config is used.
        let quartus = dir.appendingPathComponent("quartus.yml").path
        try "Backend: Quartus\nHLSConfig:\n  Model:\n    ReuseFactor: 1\n".write(toFile: quartus, atomically: true, encoding: .utf8)
        let q = run(["estimate", "--arch", dense, "--flavor", "hls4ml", "--hls4ml-config", quartus])
        XCTAssertEqual(q.status, 1, q.err)
        XCTAssertTrue(q.err.contains("quartus.yml") && q.err.contains("Backend 'Quartus'"), q.err)
        let vitisYML = dir.appendingPathComponent("vitis.yml").path
        try "Backend: Vitis\nHLSConfig:\n  Model:\n    ReuseFactor: 1\n".write(toFile: vitisYML, atomically: true, encoding: .utf8)
        let v = run(["estimate", "--arch", dense, "--flavor", "hls4ml", "--hls4ml-config", vitisYML])
        XCTAssertEqual(v.status, 0, v.err)
        XCTAssertTrue(v.out.contains("Vitis backend"), v.out)
        XCTAssertTrue(fork.err.contains("fork.yml") && fork.err.contains("io_array_stream") && !fork.err.contains("--io-type must"), fork.err)
        XCTAssertEqual(fork.err.split(separator: "\n").count, 1, fork.err)
    }
}
