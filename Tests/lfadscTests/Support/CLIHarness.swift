import Foundation
import HDF5
import XCTest
@testable import lfadsc

/// What the CLI tests share: lfadsc run in process with its output captured, paths in the checkout, the
/// published template beside it, and a scratch directory per test.
protocol CLIHarness {}

enum CLIPaths {
    /// The checkout holding these tests (this file is Tests/lfadscTests/Support/CLIHarness.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
}

extension CLIHarness {
    var root: URL { CLIPaths.repoRoot }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// One command line through the real entry point: exit status, stdout and stderr.
    func run(_ args: [String]) -> (status: Int32, out: String, err: String) {
        let console = Console(capture: true)
        let status = CommandLineTool.run(args, console: console)
        return (status, console.captured.out, console.captured.err)
    }

    /// The published design (`shared/` beside the checkout); absent in bare clones, so a skip there.
    func template() throws -> URL {
        let template = root.deletingLastPathComponent().appendingPathComponent("shared/peers/lfads-fpga-template")
        guard FileManager.default.fileExists(atPath: template.path) else { throw XCTSkip("../shared/peers/lfads-fpga-template not present") }
        return template
    }
}

extension CLIHarness where Self: XCTestCase {
    /// A fresh directory for the running test, removed when it ends (pass or fail).
    func makeScratch(_ label: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lfadsc-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }
}

extension CLIHarness {
    /// Three Lorenz validation trials made real-valued (× 0.75 − 0.5: negative and fractional, like centred
    /// calcium traces), written to `directory/centred.h5`; returns its path.
    func writeCentredLorenz(in directory: URL) throws -> String {
        let source = try HDF5File(path: path("examples/lorenz/data/lorenz.h5"))
        var writer = HDF5Writer()
        for key in ["valid_encod_data", "valid_recon_data"] {
            let values = try source.dataset("/" + key).readDoubles(rows: 0..<3).map { $0 * 0.75 - 0.5 }
            try writer.addDataset("/" + key, shape: [3, 50, 40], float64: values)
        }
        let out = directory.appendingPathComponent("centred.h5").path
        try writer.write(to: out)
        return out
    }
}
