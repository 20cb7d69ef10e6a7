// The Vitis kernel run as a plain C++ function on packed beats: a test main (emitted here, not in the product)
// packs IN.dat with the host's host/lfads_beats.h, calls <top>_kernel for all trials at once and unpacks its
// output beats with the same header. Its text must equal the simulator's and the C simulation's byte for byte.
import Foundation
import XCTest
@testable import Backends
import LFADSIR

final class VitisKernelTests: XCTestCase {
    /// Reads IN.dat into beats, converts them to ap_uint<512> as the card's little-endian memory holds them,
    /// runs the kernel and writes OUT.dat from its beats. A sampling kernel also takes the call's first trial
    /// (optional third argument, as the host's FIRST_TRIAL).
    static func main(samples: Bool) -> String {
        let base = Self.plainMain
        guard samples else { return base }
        return base
            .replacingOccurrences(of: "unsigned n_trials);", with: "unsigned n_trials, unsigned long long first_trial);")
            .replacingOccurrences(of: "if (argc != 3) return 2;", with: "if (argc != 3 && argc != 4) return 2;\n    const unsigned long long first = argc == 4 ? std::strtoull(argv[3], nullptr, 10) : 0;")
            .replacingOccurrences(of: "(unsigned)trials);", with: "(unsigned)trials, first);")
            .replacingOccurrences(of: "#include <cstdio>", with: "#include <cstdio>\n#include <cstdlib>")
    }

    static let plainMain = """
    #include <cstdio>
    #include <vector>

    #include "lfads_beats.h"

    extern "C" void lfads_top_kernel(const ap_uint<512> *in, ap_uint<512> *out, unsigned n_trials);

    int main(int argc, char **argv) {
        if (argc != 3) return 2;
        std::vector<uint64_t> words;
        unsigned long trials = 0;
        if (!lfads_read_trials(argv[1], words, trials)) return 1;
        std::vector<ap_uint<512> > in((size_t)trials * kInputBeats), out((size_t)trials * kOutputBeats);
        for (size_t b = 0; b < in.size(); b++) {
            ap_uint<512> beat = 0;
            for (unsigned w = 0; w < kBeatWords; w++) beat |= ap_uint<512>(words[b * kBeatWords + w]) << (64 * w);
            in[b] = beat;
        }
        lfads_top_kernel(in.data(), out.data(), (unsigned)trials);
        std::vector<uint64_t> result(out.size() * kBeatWords);
        for (size_t b = 0; b < out.size(); b++)
            for (unsigned w = 0; w < kBeatWords; w++) result[b * kBeatWords + w] = (out[b] >> (64 * w)).to_uint64();
        return lfads_write_outputs(argv[2], result.data(), trials) ? 0 : 1;
    }

    """

    /// The grid's project for `name` (its C simulation is cached with the grid's).
    static func project(_ graph: Graph, _ name: String, outputs: [String] = []) throws -> [String: String] {
        try HLSProject.emit(graph: graph, options: HLSOptions(projectName: "p_\(name)", topName: "lfads_top", outputs: outputs))
    }

    /// The project plus the test main and a make target for it, with the Makefile's own flags.
    static func withKernelMain(_ project: [String: String], samples: Bool = false) -> [String: String] {
        var files = project
        files["tb/kernel_main.cpp"] = main(samples: samples)
        files["Makefile", default: ""] += """

        kernel_main: tb/kernel_main.cpp kernel/lfads_top_kernel.cpp host/lfads_beats.h $(FIRMWARE) $(HEADERS)
        \t$(CXX) $(CXXFLAGS) -I$(AP_TYPES) -Ifirmware -Itb -Ihost -o $@ tb/kernel_main.cpp kernel/lfads_top_kernel.cpp $(FIRMWARE)

        """
        return files
    }

    /// Steps wider than a beat: 40 spikes and 33 external inputs of 16 bits (2 beats a step each), 71 outputs
    /// (3 beats a step) under lfads; under latency the same shape at 24 bits (21 codes per beat, 4 output beats).
    static func wideSteps() -> [HWConfig] {
        var l = HWConfig(name: "lfads_wide_steps")
        l.steps = 5; l.inputs = 40; l.externalInputs = 33; l.neurons = 70; l.hidden = 4; l.generator = 5
        l.strategy = .lfads; l.reuse = 4; l.recurrentReuse = 2; l.seed = 4242
        var w = l
        w.name = "latency_wide_steps"; w.strategy = .latency; w.reuse = 1; w.recurrentReuse = 1
        w.input = fx("ap_fixed<24,8,AP_RND,AP_SAT>"); w.data = fx("ap_fixed<24,8,AP_RND>"); w.accum = fx("ap_fixed<32,12>")
        return [l, w]
    }

    /// Two lfads configurations of the C-simulation grid (3-bit codes, 170 per beat, straddling 64-bit words; a
    /// decoder with controller and external inputs) and the wide-step ones, 5 trials in one kernel call each.
    func testKernelOnPackedBeatsMatchesSimulatorAndCsim() throws {
        let builder = try CsimBuilder.require()
        let names = ["lfads_counts_narrow_input", "lfads_decoder_controller_ext", "lfads_decoder_controller_outputs"]
        let configs = CsimEquivalenceTests.grid().filter { names.contains($0.name) } + Self.wideSteps()
        XCTAssertEqual(configs.count, 5)
        for c in configs {
            let graph = try TestModels.graph(c)
            let trials = TestModels.trials(graph, count: 5, seed: c.seed &+ 29)
            let input = TestModels.datText(graph, trials)
            let files = try Self.project(graph, c.name, outputs: c.outputs)
            // KDUMP=DIR keeps each project with its test main under DIR/<config> (for debugging a failure).
            if let dump = ProcessInfo.processInfo.environment["KDUMP"] {
                for (path, text) in Self.withKernelMain(files) {
                    let url = URL(fileURLWithPath: dump).appendingPathComponent(c.name).appendingPathComponent(path)
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(text.utf8).write(to: url)
                }
            }
            let kernel = try builder.simulate(try builder.build(Self.withKernelMain(files), target: "kernel_main").binary, input: input)
            let sim = FixedSimulator.datText(try FixedSimulator(graph: graph).runBatch(trials: trials, threads: 1), extras: c.outputs)
            XCTAssertEqual(kernel.split(separator: "\n").count, trials.count, c.name)
            XCTAssertEqual(kernel, sim, "\(c.name): kernel on beats differs from the simulator")
            let csim = try builder.simulate(try builder.build(files).binary, input: input)
            XCTAssertEqual(kernel, csim, "\(c.name): kernel on beats differs from the C simulation")
        }
    }

    /// A sampling design: the kernel passes its trial loop's index, so one call of 5 trials draws what the
    /// simulator draws for trials 0…4.
    func testSamplingKernelMatchesSimulator() throws {
        let builder = try CsimBuilder.require()
        let c = try XCTUnwrap(CsimEquivalenceTests.grid().first { $0.name == "lfads_counts_narrow_input" })
        let graph = try TestModels.sampling(try TestModels.graph(c), seed: 5)
        let trials = TestModels.trials(graph, count: 5, seed: c.seed &+ 29)
        let files = try Self.project(graph, c.name + "_sample")
        let binary = try builder.build(Self.withKernelMain(files, samples: true), target: "kernel_main").binary
        let sim = try FixedSimulator(graph: graph)
        let kernel = try builder.simulate(binary, input: TestModels.datText(graph, trials))
        XCTAssertEqual(kernel, FixedSimulator.datText(try sim.runBatch(trials: trials, threads: 1)))
        // A call that starts at trial 3 of the run draws trials 3, 4, … noise (the host's FIRST_TRIAL).
        let later = try builder.simulate(binary, input: TestModels.datText(graph, Array(trials[3...])), arguments: ["3"])
        XCTAssertEqual(later, FixedSimulator.datText(try sim.runBatch(trials: Array(trials[3...]), firstTrial: 3, threads: 1)))
        XCTAssertNotEqual(later, FixedSimulator.datText(try sim.runBatch(trials: Array(trials[3...]), threads: 1)))
        let host = try XCTUnwrap(files["host/host.cpp"])
        XCTAssertTrue(host.contains("[FIRST_TRIAL]") && host.contains("(unsigned)trials, first_trial)"), host)
    }

    /// No trials give an empty output (n_trials = 0); a short line is refused with the C simulation's message.
    func testKernelMainEdgeCases() throws {
        let builder = try CsimBuilder.require()
        guard let c = CsimEquivalenceTests.grid().first(where: { $0.name == "lfads_counts_narrow_input" }) else { return XCTFail("config missing") }
        let graph = try TestModels.graph(c)
        let binary = try builder.build(Self.withKernelMain(try Self.project(graph, c.name)), target: "kernel_main").binary
        XCTAssertEqual(try builder.simulate(binary, input: ""), "")
        XCTAssertThrowsError(try builder.simulate(binary, input: "1 2 3\n")) { e in
            XCTAssertTrue("\(e)".contains("line 1: expected"), "\(e)")
        }
    }

    /// The kernel's pragmas expand under __SYNTHESIS__ (g++ parses the synthesis branch); every pragma argument
    /// is a literal; the trial loop is a DATAFLOW region; load and store loops are pipelined at II 1.
    func testKernelSynthesisBranchParses() throws {
        let builder = try CsimBuilder.require()
        guard let c = CsimEquivalenceTests.grid().first(where: { $0.name == "lfads_bigru" }) else { return XCTFail("config missing") }
        let graph = try TestModels.graph(c)
        let files = try Self.project(graph, c.name)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-kernel-syn-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (path, text) in files where path.hasPrefix("firmware/") || path.hasPrefix("kernel/") {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let pre = dir.appendingPathComponent("pre.h")
        try Data("#include \"ap_fixed.h\"\n#include \"ap_int.h\"\n#include \"hls_stream.h\"\n#define __SYNTHESIS__ 1\n".utf8).write(to: pre)
        let args = ["-std=c++14", "-I\(builder.apTypes.path)", "-I\(dir.appendingPathComponent("firmware").path)", "-include", pre.path,
                    dir.appendingPathComponent("kernel/lfads_top_kernel.cpp").path]
        let parse = try Self.run(["g++", "-fsyntax-only"] + args)
        XCTAssertEqual(parse.status, 0, parse.output)
        let expanded = try Self.run(["g++", "-E", "-P"] + args)
        XCTAssertEqual(expanded.status, 0)
        let kernel = expanded.output[(expanded.output.range(of: "lfads_beat_t;")?.upperBound ?? expanded.output.startIndex)...]
        let pragmas = kernel.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("#pragma HLS") }
        XCTAssertTrue(pragmas.contains("#pragma HLS DATAFLOW"), pragmas.joined(separator: "\n"))
        // One loop per input, one for the output.
        XCTAssertEqual(pragmas.filter { $0 == "#pragma HLS PIPELINE II = 1" }.count, graph.inputs.count + 1, pragmas.joined(separator: "\n"))
        for p in pragmas {
            for key in ["factor = ", "II = ", "burst_length = "] {
                if let r = p.range(of: key) { XCTAssertTrue(p[r.upperBound...].first?.isNumber == true, p) }
            }
        }
        XCTAssertFalse(kernel.contains("LFADS_PRAGMA"))
    }

    static func run(_ command: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = command
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
