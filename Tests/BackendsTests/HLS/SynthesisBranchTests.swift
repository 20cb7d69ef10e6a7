// The code behind `__SYNTHESIS__` (ROM words as ap_int, pragmas as _Pragma) is what Vitis compiles and the
// C-simulation never sees: g++ type-checks it here with the real headers pre-included, then __SYNTHESIS__ defined.
import Foundation
import XCTest
@testable import Backends
import LFADSIR

final class SynthesisBranchTests: XCTestCase {
    /// Runs g++ -fsyntax-only on the firmware and the kernel of an emitted project; returns g++'s errors.
    func synthesisErrors(_ files: [String: String], builder: CsimBuilder) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-synth-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let pre = dir.appendingPathComponent("synthesis_prelude.h")
        try "#include \"ap_fixed.h\"\n#include \"ap_int.h\"\n#include \"hls_stream.h\"\n#define __SYNTHESIS__ 1\n".write(to: pre, atomically: true, encoding: .utf8)
        var errors = ""
        let sources = files.keys.filter { $0 == "firmware/lfads_top.cpp" || $0.hasPrefix("kernel/") && $0.hasSuffix(".cpp") }.sorted()
        XCTAssertEqual(sources.count, 2, "\(files.keys.sorted())")
        for source in sources {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [ProcessInfo.processInfo.environment["CXX"] ?? "g++", "-std=c++14", "-fsyntax-only", "-Wall", "-Wextra", "-Werror",
                           "-Wno-unknown-pragmas", "-isystem", builder.apTypes.path, "-include", pre.path, "-I", dir.appendingPathComponent("firmware").path,
                           dir.appendingPathComponent(source).path]
            let err = Pipe()
            p.standardError = err
            p.standardOutput = err
            try p.run()
            let data = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            if p.terminationStatus != 0 { errors += "\(source):\n" + String(decoding: data, as: UTF8.self) }
        }
        return errors
    }

    func testSynthesisBranchTypeChecks() throws {
        let builder = try CsimBuilder.require()
        let names = ["lfads_bigru", "lfads_decoder_controller_ext", "lfads_bigru_seq_reuse_sat", "uniform16_6", "rndconv_sat_resource"]
        for c in CsimEquivalenceTests.grid() where names.contains(c.name) {
            let files = try HLSProject.emit(graph: try TestModels.graph(c), options: HLSOptions(projectName: "p", topName: "lfads_top"))
            let errors = try synthesisErrors(files, builder: builder)
            XCTAssertEqual(errors, "", c.name)
        }
        // Three trials in flight: the interleaved recurrence (DEPENDENCE pragma) and the batched kernel loops.
        for name in ["lfads_bigru", "uniform16_6"] {
            let c = try XCTUnwrap(CsimEquivalenceTests.grid().first { $0.name == name })
            var g = try TestModels.graph(c)
            g.trialsInFlight = 3
            let files = try HLSProject.emit(graph: g, options: HLSOptions(projectName: "p", topName: "lfads_top"))
            XCTAssertTrue(files["firmware/layers/lfads_schedule.h"]?.contains("HLS DEPENDENCE variable = h inter dependent = true distance = CONFIG_T::distance") ?? false)
            XCTAssertEqual(try synthesisErrors(files, builder: builder), "", "\(name) C=3")
        }
    }

    /// The check really compiles the guarded branch: an error placed behind __SYNTHESIS__ is reported.
    func testCheckSeesTheGuardedBranch() throws {
        let builder = try CsimBuilder.require()
        let c = try XCTUnwrap(CsimEquivalenceTests.grid().first { $0.name == "lfads_bigru" })
        var files = try HLSProject.emit(graph: try TestModels.graph(c), options: HLSOptions(projectName: "p", topName: "lfads_top"))
        files["firmware/lfads_top.cpp"]? += "\n#ifdef __SYNTHESIS__\nstatic_assert(sizeof(LFADS_ROM_INT(16)) == 0, \"synthesis branch reached\");\n#endif\n"
        XCTAssertTrue(try synthesisErrors(files, builder: builder).contains("synthesis branch reached"))
    }
}
