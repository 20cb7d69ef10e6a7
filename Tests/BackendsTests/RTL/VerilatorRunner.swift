// Builds an emitted RTL project with its Makefile (Verilator) and runs its testbench.
import Foundation
@testable import Backends
import XCTest

struct VerilatorRunner {
    let apTypes: String

    /// Skips when verilator (or the ap_types headers the testbench reads its input with) is missing, except under
    /// CI=true where that is a failure.
    static func require(file: StaticString = #filePath, line: UInt = #line) throws -> VerilatorRunner {
        let ci = ProcessInfo.processInfo.environment["CI"] == "true"
        let found = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/verilator") }
        let ap = ProcessInfo.processInfo.environment["AP_TYPES"] ?? ""
        let haveAP = !ap.isEmpty && FileManager.default.fileExists(atPath: ap + "/ap_fixed.h")
        if !found || !haveAP {
            let why = !found ? "verilator is not installed" : "AP_TYPES does not name the ap_types headers"
            if ci { XCTFail("CI=true: \(why)", file: file, line: line) }
            throw XCTSkip(why)
        }
        return VerilatorRunner(apTypes: ap)
    }

    struct Run {
        var output: String
        var latencies: [Int]
        /// Cycle at which each process's done rose in the first trial.
        var ends: [String: Int]
        /// Trials streamed back to back: the largest gap between successive completions from the third on.
        var interval: Int?
        var buildSeconds: Double
    }

    func run(_ files: [String: String], input: String, label: String) throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-rtl-\(label)-\(UUID().uuidString)")
        // LFADSC_RTL_KEEP=1 keeps the project (its path is printed) for a look at a failure.
        let keep = ProcessInfo.processInfo.environment["LFADSC_RTL_KEEP"] != nil
        if keep { print("rtl project: \(dir.path)") }
        defer { if !keep { try? FileManager.default.removeItem(at: dir) } }
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let started = Date()
        try Self.shell("/usr/bin/make", ["-s", "-C", dir.path, "sim", "AP_TYPES=\(apTypes)", "JOBS=2", "OPT=-O0"], label: "\(label): make sim")
        let built = Date().timeIntervalSince(started)
        let inURL = dir.appendingPathComponent("in.dat"), output = dir.appendingPathComponent("out.dat")
        let cycles = dir.appendingPathComponent("cycles.json")
        try input.write(to: inURL, atomically: true, encoding: .utf8)
        try Self.shell(dir.appendingPathComponent("sim").path, [inURL.path, output.path, "--cycles", cycles.path], label: "\(label): sim")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: cycles)) as? [String: Any]
        let latencies = (json?["latency_cycles"] as? [Int]) ?? []
        let ends = (json?["process_end_cycles"] as? [String: Int]) ?? [:]
        return Run(output: try String(contentsOf: output, encoding: .utf8), latencies: latencies, ends: ends,
                   interval: json?["interval_cycles"] as? Int, buildSeconds: built)
    }

    @discardableResult
    static func shell(_ executable: String, _ arguments: [String], label: String) throws -> String {
        let (status, text) = try TestProcess.run(URL(fileURLWithPath: executable), arguments)
        guard status == 0 else {
            throw NSError(domain: "rtl", code: Int(status),
                          userInfo: [NSLocalizedDescriptionKey: "\(label) failed (\(status)):\n" + String(text.suffix(4000))])
        }
        return text
    }
}

extension VerilatorRunner.Run {
    /// Where the measured cycles differ from the schedule: the latency of each of `calls` calls, every process's end
    /// in the first call, and the interval between calls streamed back to back.
    func scheduleMismatches(_ schedule: DesignSchedule, calls: Int, label: String) -> [String] {
        var out = [String]()
        if latencies != Array(repeating: schedule.latency, count: calls) {
            out.append("\(label): measured latency \(latencies) vs schedule \(schedule.latency)")
        }
        let timings = schedule.timings
        for (i, p) in schedule.processes.enumerated() where ends[p.name] != timings[i].end {
            out.append("\(label): process \(p.name) ended at cycle \(ends[p.name] ?? -1), the schedule says \(timings[i].end)")
        }
        if interval != schedule.interval {
            out.append("\(label): measured interval \(interval ?? -1) vs the schedule's \(schedule.interval)")
        }
        return out
    }
}
