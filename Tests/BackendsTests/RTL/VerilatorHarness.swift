// Evaluates generated Verilog functions in Verilator: a module `top` with the functions, one output port per
// expression, and a C++ harness that reads one line of hex input values per vector and prints the outputs.
// One build per test (cached by content); missing tools skip the test locally and fail it on CI.
import Foundation
import XCTest
@testable import Backends

struct VerilatorHarness {
    struct Failure: Error, CustomStringConvertible { let description: String }
    struct Input { var name: String; var width: Int }
    struct Output { var name: String; var width: Int; var signed: Bool; var expression: String }

    let verilator: URL

    static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The tool or a skip (a failure on CI, where scripts/test.sh installs it).
    static func requireTool(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        if let url = find(name), find("make") != nil, find("g++") != nil { return url }
        let message = "\(name), make or g++ not found on PATH"
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("RTL check unavailable on CI: \(message)", file: file, line: line)
            throw Failure(description: message)
        }
        throw XCTSkip("RTL check unavailable: \(message)")
    }

    static func require(file: StaticString = #filePath, line: UInt = #line) throws -> VerilatorHarness {
        VerilatorHarness(verilator: try requireTool("verilator", file: file, line: line))
    }

    /// The module text: ports, the functions, one continuous assignment per output.
    static func module(_ functions: [VerilogFunction], _ inputs: [Input], _ outputs: [Output], body: String = "") -> String {
        let ports = inputs.map { "    input [\($0.width - 1):0] \($0.name)" } + outputs.map { "    output [\($0.width - 1):0] \($0.name)" }
        var text = "/* verilator lint_off UNUSEDSIGNAL */  // test ports: each function reads the low bits it needs\n"
        text += "module top(\n" + ports.joined(separator: ",\n") + "\n);\n/* verilator lint_on UNUSEDSIGNAL */\n"
        var seen = Set<String>()
        for f in functions where seen.insert(f.name).inserted { text += f.text }
        text += body
        for o in outputs { text += "assign \(o.name) = \(o.expression);\n" }
        return text + "endmodule\n"
    }

    static func cpp(_ inputs: [Input], _ outputs: [Output]) -> String {
        let sets = inputs.enumerated().map { i, p in "        set(top->\(p.name), words + \(4 * i));" }.joined(separator: "\n")
        let prints = outputs.map { "        put(top->\($0.name), out);" }.joined(separator: "\n")
        return """
        #include "Vtop.h"
        #include "verilated.h"
        #include <cstdint>
        #include <cstdio>
        #include <fstream>
        #include <sstream>
        #include <string>
        #include <vector>

        template <class T> static void set(T &p, const uint32_t *w) { p = (T)(w[0] | ((uint64_t)w[1] << 32)); }
        template <std::size_t N> static void set(VlWide<N> &p, const uint32_t *w) { for (std::size_t i = 0; i < N; i++) p[i] = w[i]; }
        template <class T> static void put(const T &p, FILE *f) { std::fprintf(f, " %llx", (unsigned long long)p); }
        template <std::size_t N> static void put(const VlWide<N> &p, FILE *f) {
            std::fprintf(f, " ");
            for (std::size_t i = N; i-- > 0;) std::fprintf(f, "%08x", (unsigned)p[i]);
        }

        int main(int argc, char **argv) {
            if (argc != 3) return 2;
            VerilatedContext ctx;
            Vtop *top = new Vtop{&ctx};
            std::ifstream in(argv[1]);
            FILE *out = std::fopen(argv[2], "w");
            if (!in || !out) return 2;
            std::string line;
            std::vector<uint32_t> buffer(4 * \(max(inputs.count, 1)) + 4);
            uint32_t *words = buffer.data();
            while (std::getline(in, line)) {
                std::istringstream s(line);
                std::string token;
                for (unsigned i = 0; i < \(inputs.count); i++) {
                    if (!(s >> token)) return 3;
                    for (unsigned k = 0; k < 4; k++) {
                        const std::size_t end = token.size() > 8 * k ? token.size() - 8 * k : 0;
                        const std::size_t begin = end > 8 ? end - 8 : 0;
                        words[4 * i + k] = end > begin ? (uint32_t)std::stoul(token.substr(begin, end - begin), nullptr, 16) : 0;
                    }
                }
        \(sets)
                top->eval();
        \(prints)
                std::fprintf(out, "\\n");
            }
            std::fclose(out);
            delete top;
            return 0;
        }

        """
    }

    /// Builds (or reuses) the model and returns, per vector, each output as a code of its width and signedness.
    /// Input values are taken modulo 2^width; ports are at most 128 bits.
    /// `body` is extra module text (declarations, always blocks) the output expressions may read.
    func run(_ functions: [VerilogFunction], inputs: [Input], outputs: [Output], body: String = "", vectors: [[Int128]]) throws -> [[Int128]] {
        try run(module: Self.module(functions, inputs, outputs, body: body), inputs: inputs, outputs: outputs, vectors: vectors)
    }

    /// The same for a complete module `top` with these ports; `lint: false` for netlists written by Yosys.
    func run(module: String, lint: Bool = true, inputs: [Input], outputs: [Output], vectors: [[Int128]]) throws -> [[Int128]] {
        precondition(inputs.allSatisfy { $0.width <= 128 } && outputs.allSatisfy { $0.width <= 128 })
        let binary = try build(["top.v": module, "harness.cpp": Self.cpp(inputs, outputs)], lint: lint)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-rtl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var text = ""
        for v in vectors {
            precondition(v.count == inputs.count)
            text += zip(v, inputs).map { value, port in
                let mask: UInt128 = port.width == 128 ? ~0 : (UInt128(1) << port.width) - 1
                return String(UInt128(truncatingIfNeeded: value) & mask, radix: 16)
            }.joined(separator: " ") + "\n"
        }
        let inURL = work.appendingPathComponent("in.txt"), outURL = work.appendingPathComponent("out.txt")
        try Data(text.utf8).write(to: inURL)
        let result = try Self.execute(binary, [inURL.path, outURL.path], in: work)
        guard result.status == 0 else { throw Failure(description: "harness exited with \(result.status): \(result.output.prefix(2000))") }
        let lines = try String(contentsOf: outURL, encoding: .utf8).split(separator: "\n")
        guard lines.count == vectors.count else { throw Failure(description: "\(lines.count) output lines for \(vectors.count) vectors") }
        return try lines.map { line in
            let tokens = line.split(separator: " ")
            guard tokens.count == outputs.count else { throw Failure(description: "output line '\(line)'") }
            return try zip(tokens, outputs).map { token, port in
                guard let bits = UInt128(token, radix: 16) else { throw Failure(description: "bad hex '\(token)'") }
                let value = Int128(bitPattern: bits)
                let spare = 128 - port.width
                return port.signed ? (value << spare) >> spare : value
            }
        }
    }

    /// verilator --cc --exe --build in a cache directory named by the hash of the files and the arguments.
    func build(_ files: [String: String], lint: Bool = true) throws -> URL {
        // The models evaluate ~10^5 function calls: C++ compile time dominates, so OPT_FAST=-O0 (measured on the
        // element test's model: 27 s instead of 55 s at -O2; Verilator's own -O3 stays).
        let warnings = lint ? ["-Wall"] : ["-Wno-fatal", "-Wno-lint", "-Wno-style"]
        let arguments = ["--cc", "--exe", "--build", "-O3"] + warnings + ["--top-module", "top", "-Mdir", "obj", "-o", "sim",
                                                                        "-MAKEFLAGS", "OPT_FAST=-O0", "top.v", "harness.cpp"]
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in arguments.joined(separator: " ").utf8 { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        for key in files.keys.sorted() {
            for b in (key + "\u{0}" + (files[key] ?? "") + "\u{0}").utf8 { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-rtl-cache")
        let dir = root.appendingPathComponent(String(hash, radix: 16))
        let binary = dir.appendingPathComponent("obj/sim")
        if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        let work = root.appendingPathComponent("\(String(hash, radix: 16))-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        for (path, text) in files { try Data(text.utf8).write(to: work.appendingPathComponent(path)) }
        let result = try Self.execute(verilator, arguments, in: work)
        guard result.status == 0 else {
            throw Failure(description: "verilator failed in \(work.path):\n" + String(result.output.suffix(6000)))
        }
        if FileManager.default.fileExists(atPath: dir.path) { try? FileManager.default.removeItem(at: dir) }
        try? FileManager.default.moveItem(at: work, to: dir)
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw Failure(description: "could not place the built model at \(dir.path)")
        }
        return binary
    }

    static func execute(_ executable: URL, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        try TestProcess.run(executable, arguments, in: directory)
    }
}
