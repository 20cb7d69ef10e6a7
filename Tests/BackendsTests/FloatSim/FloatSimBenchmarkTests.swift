import Foundation
import HDF5
import LFADSIR
import XCTest
import Backends

/// Float-simulator throughput on lorenz_con (skipped unless LFADSC_BENCH_FLOATSIM is set). Run in release:
///   LFADSC_BENCH_FLOATSIM=1 swift test -c release --scratch-path /tmp/build-torch-rel --filter FloatSimBenchmarkTests
final class FloatSimBenchmarkTests: XCTestCase {
    func testBenchmarkLorenzController() throws {
        guard ProcessInfo.processInfo.environment["LFADSC_BENCH_FLOATSIM"] != nil else {
            throw XCTSkip("set LFADSC_BENCH_FLOATSIM=1")
        }
        let path = LorenzFiles.model("lorenz_con")
        let sim = try FloatSimulator(graph: LFADSTorchImporter().importGraph(from: HDF5File(path: path), path: path))
        let ref = try LorenzReference("lorenz_con").inputs
        let trials = (0..<400).map { ref[$0 % ref.count] }
        for threads in [1, 2] {
            _ = try sim.runBatch(trials: Array(trials.prefix(20)), threads: threads)  // warm-up
            var best = Double.infinity
            for _ in 0..<3 {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try sim.runBatch(trials: trials, threads: threads)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            print(String(format: "floatsim lorenz_con: %d trials, %d thread(s): %.3f s -> %.0f trials/s",
                         trials.count, threads, best, Double(trials.count) / best))
        }
    }
}
