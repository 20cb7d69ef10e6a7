// Builds an emitted HLS project's C simulation with g++ and the ap_types headers (`make csim`), cached by the
// content of its files, and runs it on a .dat text. Missing tools skip the test locally and fail it on CI.
import Foundation
import XCTest

struct CsimBuilder {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let apTypes: URL
    let make: URL

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func require(file: StaticString = #filePath, line: UInt = #line) throws -> CsimBuilder {
        let env = ProcessInfo.processInfo.environment
        let headers = env["AP_TYPES"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? repositoryRoot.appendingPathComponent(".deps/ap_types")
        let path = env["PATH"] ?? "/usr/bin:/bin"
        let find = { (name: String) -> URL? in
            path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
                .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        }
        var problem: String?
        if !FileManager.default.fileExists(atPath: headers.appendingPathComponent("ap_fixed.h").path) {
            problem = "ap_fixed.h not found in \(headers.path) (run .ci/fetch-ap-types.sh or set AP_TYPES)"
        } else if find(env["CXX"] ?? "g++") == nil {
            problem = "C++ compiler not found on PATH"
        }
        guard problem == nil, let make = find("make") else {
            let message = problem ?? "make not found on PATH"
            if env["CI"] == "true" {
                XCTFail("C simulation unavailable on CI: \(message)", file: file, line: line)
                throw Failure(description: message)
            }
            throw XCTSkip("C simulation unavailable: \(message)")
        }
        return CsimBuilder(apTypes: headers, make: make)
    }

    /// Writes the project into a cache directory named by the hash of its files and builds `target` (a make
    /// target naming its binary, `csim` by default) there. Returns the binary and whether it was compiled now.
    func build(_ files: [String: String], target: String = "csim") throws -> (binary: URL, built: Bool) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ s: String) {
            for b in s.utf8 { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
            hash = (hash ^ 0xff) &* 0x0000_0100_0000_01b3
        }
        add(apTypes.path)
        if target != "csim" { add(target) }
        for key in files.keys.sorted() { add(key); add(files[key] ?? "") }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-hls-cache")
        let dir = root.appendingPathComponent(String(hash, radix: 16))
        let binary = dir.appendingPathComponent(target)
        if FileManager.default.isExecutableFile(atPath: binary.path) { return (binary, false) }
        // Build in a private directory and rename it into place, so concurrent test runs sharing the cache
        // never see (or delete) each other's half-built projects.
        let work = root.appendingPathComponent("\(String(hash, radix: 16))-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        for (path, text) in files {
            let url = work.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let result = try run(make, ["-s", "-C", work.path, target, "AP_TYPES=\(apTypes.path)"])
        guard result.status == 0, FileManager.default.isExecutableFile(atPath: work.appendingPathComponent(target).path) else {
            throw Failure(description: "make \(target) failed in \(work.path):\n" + String(result.output.prefix(6000)))
        }
        if FileManager.default.fileExists(atPath: dir.path) && !FileManager.default.isExecutableFile(atPath: binary.path) {
            try? FileManager.default.removeItem(at: dir)  // a stale, unfinished directory
        }
        // Fails harmlessly when another run put the same project in place first.
        try? FileManager.default.moveItem(at: work, to: dir)
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw Failure(description: "could not place the built project at \(dir.path)")
        }
        return (binary, true)
    }

    /// Runs `csim IN OUT` (or any binary of that form) and returns OUT's text.
    func simulate(_ binary: URL, input: String, arguments extra: [String] = []) throws -> String {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-csim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let inURL = work.appendingPathComponent("in.dat")
        let outURL = work.appendingPathComponent("out.dat")
        try Data(input.utf8).write(to: inURL)
        let result = try run(binary, [inURL.path, outURL.path] + extra)
        guard result.status == 0 else { throw Failure(description: "csim exited with \(result.status): \(result.output.prefix(2000))") }
        return try String(contentsOf: outURL, encoding: .utf8)
    }

    private func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try TestProcess.run(executable, arguments)
    }
}
