// g++ plus the Xilinx ap_types headers: compiles C++ test programs (cached by content) and runs them.
// Tests that need it call `CxxToolchain.require()`: missing tools skip the test locally and fail it on CI.
import Foundation
import XCTest

struct CxxToolchain {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let compiler: URL
    /// Directory holding ap_fixed.h.
    let apTypes: URL

    /// The repository root, found from this file's location (Tests/LFADSIRTests/Support/CxxToolchain.swift).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// g++ (or $CXX) and the headers ($AP_TYPES, else <repo>/.deps/ap_types), or nil with the reason.
    static func discover() -> Result<CxxToolchain, Failure> {
        let environment = ProcessInfo.processInfo.environment
        let compilerName = environment["CXX"].flatMap { $0.isEmpty ? nil : $0 } ?? "g++"
        guard let compiler = findExecutable(compilerName, path: environment["PATH"] ?? "/usr/bin:/bin") else {
            return .failure(Failure(description: "C++ compiler '\(compilerName)' not found on PATH"))
        }
        let headers = environment["AP_TYPES"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? repositoryRoot.appendingPathComponent(".deps/ap_types")
        guard FileManager.default.fileExists(atPath: headers.appendingPathComponent("ap_fixed.h").path) else {
            return .failure(Failure(description:
                "ap_fixed.h not found in \(headers.path) (run .ci/fetch-ap-types.sh or set AP_TYPES)"))
        }
        return .success(CxxToolchain(compiler: compiler, apTypes: headers))
    }

    /// The toolchain, or XCTSkip locally / XCTFail on CI (env CI == "true") when it is missing.
    static func require(file: StaticString = #filePath, line: UInt = #line) throws -> CxxToolchain {
        switch discover() {
        case .success(let toolchain):
            return toolchain
        case .failure(let failure):
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("C++ oracle unavailable on CI: \(failure.description)", file: file, line: line)
                throw failure
            }
            throw XCTSkip("C++ oracle unavailable: \(failure.description)")
        }
    }

    private static func findExecutable(_ name: String, path: String) -> URL? {
        if name.contains("/") {
            return FileManager.default.isExecutableFile(atPath: name) ? URL(fileURLWithPath: name) : nil
        }
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Compiles the translation units `units` (names in `files`; the other entries, e.g. headers, are written
    /// beside them) into one program cached under the temporary directory by a hash of every input. Units are
    /// compiled two at a time (the machine is shared). Returns the binary and whether it was built now.
    func compile(name: String, units: [String], files: [String: String],
                 flags: [String] = ["-std=c++14", "-O0", "-w"]) throws -> (binary: URL, built: Bool) {
        var hasher = FNV1a()
        hasher.add(compiler.path)
        hasher.add(apTypes.path)
        for flag in flags { hasher.add(flag) }
        for unit in units { hasher.add(unit) }
        for key in files.keys.sorted() {
            hasher.add(key)
            hasher.add(files[key] ?? "")
        }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-cxx-cache")
        let binary = cache.appendingPathComponent("\(name)-\(String(hasher.value, radix: 16))")
        if FileManager.default.isExecutableFile(atPath: binary.path) { return (binary, false) }

        let work = cache.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        for (fileName, text) in files {
            try Data(text.utf8).write(to: work.appendingPathComponent(fileName))
        }
        var objects: [URL] = []
        var pending = units[...]
        while !pending.isEmpty {
            let batch = pending.prefix(2)
            pending = pending.dropFirst(2)
            let jobs = try batch.map { unit -> (String, Process, URL) in
                let object = work.appendingPathComponent(unit + ".o")
                objects.append(object)
                let log = work.appendingPathComponent(unit + ".log")
                let process = try start(compiler, arguments: flags + [
                    "-I", apTypes.path, "-I", work.path, "-c", work.appendingPathComponent(unit).path,
                    "-o", object.path,
                ], log: log)
                return (unit, process, log)
            }
            for (unit, process, log) in jobs {
                process.waitUntilExit()
                guard process.terminationStatus == 0 else {
                    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                    throw Failure(description: "g++ failed on \(unit) (status \(process.terminationStatus)):\n"
                        + String(text.prefix(4000)))
                }
            }
        }
        let output = work.appendingPathComponent("a.out")
        let link = try run(compiler, arguments: objects.map(\.path) + ["-o", output.path], input: Data())
        guard link.status == 0 else {
            throw Failure(description: "linking \(name) failed:\n" + String(decoding: link.stderr.prefix(4000), as: UTF8.self))
        }
        // Rename into place so that a concurrent or interrupted build never leaves a half-written binary.
        try? FileManager.default.removeItem(at: binary)
        try FileManager.default.moveItem(at: output, to: binary)
        return (binary, true)
    }

    /// Starts a process with stdout and stderr going to `log`.
    private func start(_ executable: URL, arguments: [String], log: URL) throws -> Process {
        try Data().write(to: log)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Runs a compiled program with `input` on stdin; returns stdout, failing on a non-zero exit status.
    func execute(_ binary: URL, input: String) throws -> String {
        let result = try run(binary, arguments: [], input: Data(input.utf8))
        guard result.status == 0 else {
            let log = String(decoding: result.stderr.prefix(4000), as: UTF8.self)
            throw Failure(description: "\(binary.lastPathComponent) exited with status \(result.status):\n\(log)")
        }
        return String(decoding: result.stdout, as: UTF8.self)
    }

    /// Runs a process with stdin/stdout/stderr through files, which cannot dead-lock on full pipes.
    private func run(_ executable: URL, arguments: [String], input: Data) throws
        -> (status: Int32, stdout: Data, stderr: Data) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("lfadsc-cxx-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inURL = directory.appendingPathComponent("stdin")
        let outURL = directory.appendingPathComponent("stdout")
        let errURL = directory.appendingPathComponent("stderr")
        try input.write(to: inURL)
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let stdin = try FileHandle(forReadingFrom: inURL)
        let stdout = try FileHandle(forWritingTo: outURL)
        let stderr = try FileHandle(forWritingTo: errURL)
        defer {
            try? stdin.close()
            try? stdout.close()
            try? stderr.close()
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try Data(contentsOf: outURL), try Data(contentsOf: errURL))
    }
}

/// 64-bit FNV-1a: a stable content hash (Swift's Hasher is seeded per process).
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        value = (value ^ 0xff) &* 0x0000_0100_0000_01b3  // separator, so ("ab","c") ≠ ("a","bc")
    }
}
