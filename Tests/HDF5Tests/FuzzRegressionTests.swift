import Foundation
import XCTest
@testable import HDF5

/// Replays the fuzz inputs committed under fuzz/ through the same code the libFuzzer harnesses run
/// (FuzzExercise.swift), without the fuzzer: every minimized crash input in fuzz/crashes/<target>/ and every seed.
/// A regression traps and takes the test process down; the seeds must also still be accepted by the reader.
final class FuzzRegressionTests: XCTestCase {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fuzz")

    static func inputs(_ kind: String, _ target: String) throws -> [URL] {
        let dir = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target)
        guard FileManager.default.fileExists(atPath: dir.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.path < $1.path }
    }

    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    func testHDF5CrashInputsNoLongerTrap() throws {
        for url in try Self.inputs("crashes", "hdf5") { HDF5FuzzExercise.run(try Self.bytes(url)) }
    }

    func testInflateCrashInputsNoLongerTrap() throws {
        for url in try Self.inputs("crashes", "inflate") { InflateFuzzExercise.run(try Self.bytes(url)) }
    }

    func testHDF5SeedsOpenAndList() throws {
        let seeds = try Self.inputs("seeds", "hdf5")
        XCTAssertGreaterThanOrEqual(seeds.count, 12, "fuzz/seeds/hdf5 is missing")
        for url in seeds {
            let bytes = try Self.bytes(url)
            HDF5FuzzExercise.run(bytes)
            let file = try HDF5File(bytes: bytes, name: url.lastPathComponent, options: HDF5FuzzExercise.options)
            XCTAssertFalse(try HDF5Inspector.text(file).isEmpty, url.lastPathComponent)
        }
    }

    func testInflateSeedsDecode() throws {
        let seeds = try Self.inputs("seeds", "inflate").filter { !$0.lastPathComponent.hasPrefix("vector_") }
        XCTAssertGreaterThanOrEqual(seeds.count, 20, "fuzz/seeds/inflate is missing")
        for url in seeds {
            let bytes = try Self.bytes(url)
            InflateFuzzExercise.run(bytes)
            // Python-zlib streams: each must decode in the mode its first byte selects (0 zlib, 1 raw; round-trip seeds excluded).
            let stream = Array(bytes.dropFirst())
            switch bytes[0] % 8 {
            case 0, 4: XCTAssertNoThrow(try Inflate.zlibDecompress(stream, expectedSize: nil), url.lastPathComponent)
            case 1: XCTAssertNoThrow(try Inflate.rawInflate(stream), url.lastPathComponent)
            default: break
            }
        }
    }
}
