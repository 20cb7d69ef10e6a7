import Foundation
import XCTest
import HDF5

/// Read throughput on a large file; run by benchmarks/hdf5_read.sh (skipped otherwise).
final class BenchmarkTests: XCTestCase {
    func testBenchmarkRead() throws {
        guard let path = ProcessInfo.processInfo.environment["LFADSC_BENCH_FILE"] else {
            throw XCTSkip("set LFADSC_BENCH_FILE (see benchmarks/hdf5_read.sh)")
        }
        let threads = ProcessInfo.processInfo.environment["LFADSC_BENCH_THREADS"].flatMap(Int.init) ?? 0
        let options = threads > 0 ? HDF5ReadOptions(decodeThreads: threads) : HDF5ReadOptions()
        var best = Double.infinity
        var checksum = 0.0
        var bytes = 0
        for _ in 0..<3 {
            let file = try HDF5File(path: path, options: options)
            let start = DispatchTime.now().uptimeNanoseconds
            let values = try file.dataset("data").readFloats()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = min(best, seconds)
            bytes = values.count * 4
            checksum = values.reduce(0.0) { $0 + Double($1) }
        }
        print(String(format: "lfadsc %.1f %.3f %.6e (threads: %@)", Double(bytes) / 1e6 / best, best, checksum,
                     threads > 0 ? "\(threads)" : "all"))
    }
}
