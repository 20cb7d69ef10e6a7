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
            var best = Double.infinity, bestCPU = Double.infinity
            for _ in 0..<3 {
                let start = DispatchTime.now().uptimeNanoseconds, cpuStart = Self.processCPUSeconds()
                _ = try sim.runBatch(trials: trials, threads: threads)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                bestCPU = min(bestCPU, Self.processCPUSeconds() - cpuStart)
            }
            // CPU time shows the cost per trial when other processes share the cores.
            print(String(format: "floatsim lorenz_con: %d trials, %d thread(s): %.3f s wall -> %.0f trials/s; %.3f CPU s -> %.0f trials per CPU s",
                         trials.count, threads, best, Double(trials.count) / best, bestCPU, Double(trials.count) / bestCPU))
        }
    }

    static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
