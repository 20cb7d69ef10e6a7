// Small hand-written modules for the synthesis flow tests, each a few seconds of Yosys, and a runner that
// writes them with the flow's files into a project and calls `make synth` there.
import Foundation
import XCTest
@testable import Backends

enum SynthesisFixtures {
    /// Registered 16×16 signed product: exactly one DSP48E2.
    static let multiply = """
    module mul16 #(parameter W = 8) (
        input  wire                  clk,
        input  wire signed [W-1:0]   a,
        input  wire signed [W-1:0]   b,
        output reg  signed [2*W-1:0] p
    );
        always @(posedge clk) p <= a * b;
    endmodule

    """

    /// Balanced tree of N (a power of two) W-bit signed inputs, one register at the root: LUTs and carries.
    static let adderTree = """
    module addtree #(parameter W = 18, parameter N = 8) (
        input  wire                        clk,
        input  wire [W*N-1:0]              x,
        output reg  signed [W+$clog2(N)-1:0] s
    );
        localparam S = W + $clog2(N);
        wire signed [S-1:0] node [1:2*N-1];
        genvar i;
        generate
            for (i = 0; i < N; i = i + 1) begin : leaf
                assign node[N + i] = {{(S-W){x[i*W + W-1]}}, x[i*W +: W]};
            end
            for (i = N - 1; i >= 1; i = i - 1) begin : sum
                assign node[i] = node[2*i] + node[2*i + 1];
            end
        endgenerate
        always @(posedge clk) s <= node[1];
    endmodule

    """

    /// Synchronous ROM from a `$readmemh` image named by a parameter.
    static let rom = """
    module rom #(parameter DEPTH = 64, parameter WIDTH = 16, parameter INIT = "none.memh") (
        input  wire                     clk,
        input  wire [$clog2(DEPTH)-1:0] addr,
        output reg  [WIDTH-1:0]         q
    );
        reg [WIDTH-1:0] mem [0:DEPTH-1];
        initial $readmemh(INIT, mem);
        always @(posedge clk) q <= mem[addr];
    endmodule

    """

    /// A combinational loop (x = a ^ ~x): synthesises, and the depth measure must flag it.
    static let loop = """
    module loop (input wire clk, input wire a, output reg q);
        wire x, y;
        assign x = a ^ y;
        assign y = ~x;
        always @(posedge clk) q <= x;
    endmodule

    """

    /// A deterministic 1024 × 18-bit image (a multiplicative hash of the address).
    static func romImage(seed: UInt32 = 0x9E37_79B9) -> String {
        (0..<1024).map { i -> String in
            let v = (UInt32(i) &+ 1) &* seed
            return String(format: "%05x\n", (v >> 14) & 0x3ffff)
        }.joined()
    }

    static func plan(expectedMultiplyDSP: Int = 1) -> SynthesisPlan {
        SynthesisPlan(units: [
            .init(name: "mul16", sources: ["rtl/mul16.v"], top: "mul16", parameters: [.init("W", .integer(16))],
                  instances: 4, expectedDSP: expectedMultiplyDSP),
            .init(name: "addtree8", sources: ["rtl/addtree.v"], top: "addtree",
                  parameters: [.init("W", .integer(18)), .init("N", .integer(8))], instances: 3, expectedDSP: 0,
                  composed: true, note: "one lane's reduction, standing for a wider \"unit\""),
            .init(name: "rom1k", sources: ["rtl/rom.v"], dataFiles: ["rtl/rom.memh"], top: "rom",
                  parameters: [.init("DEPTH", .integer(1024)), .init("WIDTH", .integer(18)),
                               .init("INIT", .string("rtl/rom.memh"))], instances: 2),
        ])
    }

    /// The project's files: the three modules, the flow, and a Makefile that includes synth/synth.mk.
    static func project(_ plan: SynthesisPlan, romImage image: String = romImage()) throws -> [String: String] {
        var files = try SynthesisFlow.files(plan: plan)
        files["rtl/mul16.v"] = multiply
        files["rtl/addtree.v"] = adderTree
        files["rtl/rom.v"] = rom
        files["rtl/rom.memh"] = image
        files["rtl/loop.v"] = loop
        files["Makefile"] = "include synth/synth.mk\n"
        return files
    }
}

/// Runs `make synth` in a fresh directory through a `yosys` wrapper that logs its arguments, so a test can
/// tell a synthesis from a cache hit.
struct SynthesisRunner {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let root: URL
    let wrapper: URL
    let callLog: URL
    let cache: URL

    static func require(file: StaticString = #filePath, line: UInt = #line) throws -> SynthesisRunner {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let find = { (name: String) -> URL? in
            path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
                .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        }
        guard let yosys = find("yosys"), find("make") != nil else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("yosys and make are required on CI (apt-get install yosys make)", file: file, line: line)
                throw Failure(description: "yosys or make missing")
            }
            throw XCTSkip("yosys or make not installed (apt-get install yosys); skipping the synthesis flow test")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-synth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let wrapper = root.appendingPathComponent("yosys-wrapper.sh")
        let callLog = root.appendingPathComponent("yosys-calls.txt")
        try Data("#!/bin/sh\necho \"$*\" >> '\(callLog.path)'\nexec '\(yosys.path)' \"$@\"\n".utf8).write(to: wrapper)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        return SynthesisRunner(root: root, wrapper: wrapper, callLog: callLog, cache: root.appendingPathComponent("cache"))
    }

    func cleanUp() { try? FileManager.default.removeItem(at: root) }

    /// Writes `files` into ROOT/`name` and runs `make -j2 synth` there. Returns the exit status, make's output,
    /// the Yosys invocations of this run and the wall time.
    func synth(_ files: [String: String], in name: String) throws
        -> (status: Int32, output: String, calls: [String], seconds: Double, dir: URL) {
        let dir = root.appendingPathComponent(name)
        try ProjectWriter.write(files, to: dir.path, overwrite: true)
        try? FileManager.default.removeItem(at: callLog)
        let out = root.appendingPathComponent("\(name).out")
        try Data().write(to: out)
        let handle = try FileHandle(forWritingTo: out)
        defer { try? handle.close() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["make", "-s", "-j2", "-C", dir.path, "synth", "YOSYS=\(wrapper.path)", "SYNTH_CACHE=\(cache.path)"]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = handle
        p.standardError = handle
        let start = Date()
        try p.run()
        p.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        let calls = ((try? String(contentsOf: callLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        var output = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        // The ends of failed units' Yosys logs, so a failing assertion shows why.
        let logs = dir.appendingPathComponent("synth/logs")
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: logs.path)) ?? []).sorted() {
            let text = (try? String(contentsOf: logs.appendingPathComponent(name), encoding: .utf8)) ?? ""
            output += "\n--- \(name):\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
        }
        return (p.terminationStatus, output, calls, seconds, dir)
    }
}
