import Foundation
import XCTest
@testable import HDF5

/// Corrupted inputs must end in a thrown HDF5Error: never a trap, a hang or a huge allocation.
final class MalformedFileTests: XCTestCase {
    /// A low read limit keeps absurd declared sizes from allocating much even when they pass
    /// the structural checks.
    static let options = HDF5ReadOptions(maxReadBytes: 1 << 24, decodeThreads: 1)

    enum Outcome { case ok, failed(HDF5Error) }

    static func walk(_ bytes: [UInt8], _ label: String) -> Outcome {
        do {
            let file = try HDF5File(bytes: bytes, name: label, options: options)
            try readEverything(file)
            return .ok
        } catch let e as HDF5Error {
            XCTAssertFalse(e.description.contains("\n"), "multi-line error: \(e)")
            return .failed(e)
        } catch {
            XCTFail("\(label): error of type \(type(of: error)) instead of HDF5Error: \(error)")
            return .ok
        }
    }

    func testTruncatedFilesThrow() throws {
        for name in Fixtures.names {
            let bytes = try Fixtures.bytes(name)
            for k in 0..<16 {
                let cut = Array(bytes[0..<(bytes.count * k / 16)])
                if case .ok = Self.walk(cut, "\(name) cut \(k)/16") {
                    XCTFail("\(name) truncated to \(k)/16 read without error")
                }
            }
        }
        let written = try WriterTests.sample().bytes()
        for k in 0..<16 {
            if case .ok = Self.walk(Array(written[0..<(written.count * k / 16)]), "written cut \(k)/16") {
                XCTFail("written file truncated to \(k)/16 read without error")
            }
        }
    }

    func testFlippedBytesNeverTrap() throws {
        var rng = SplitMix(seed: 11)
        let targets: [(String, Int)] = [("types_earliest", 250), ("types_latest", 250), ("groups_latest", 120),
                                        ("keras_earliest", 150), ("keras_latest", 150), ("chunks_latest", 60), ("chunks_earliest", 40)]
        var failures = 0, total = 0
        for (name, flips) in targets {
            let original = try Fixtures.bytes(name)
            for i in 0..<flips {
                var bytes = original
                // Half the flips hit the first 4 KiB, where most metadata lives.
                let range = i % 2 == 0 ? min(4096, bytes.count) : bytes.count
                let offset = Int(rng.next() % UInt64(range))
                bytes[offset] ^= UInt8(1 + rng.next() % 255)
                if case .failed = Self.walk(bytes, "\(name) flip@\(offset)") { failures += 1 }
                total += 1
            }
        }
        // Most metadata flips are detected (checksums, signatures, bounds); data flips may not be.
        XCTAssertGreaterThan(failures, total / 10)
    }

    func testCyclicBTreeIsDetected() throws {
        var bytes = try Fixtures.bytes("groups_earliest")
        let file = try HDF5File(bytes: bytes, name: "g")
        let (_, address) = try file.resolve("/big")
        let header = try ObjectHeader(core: file.core, address: address)
        var r = try header.first(MessageType.symbolTable)!.reader(file.core)
        let table = try SymbolTableMessage.decode(&r, file.core)
        let root = Int(table.btree)
        XCTAssertEqual(bytes[root + 5], 1, "fixture's /big B-tree should have two levels")
        // First child pointer (after the 24-byte node header and key 0) -> the root itself.
        Self.put64(&bytes, root + 24 + 8, UInt64(root))
        guard case .failed(let e) = Self.walk(bytes, "cyclic") else { return XCTFail("cycle not detected") }
        XCTAssertTrue(e.message.contains("B-tree"), e.description)
        XCTAssertEqual(e.object, "/big")
    }

    func testCyclicContinuationIsDetected() throws {
        var bytes = try Fixtures.bytes("types_earliest")
        let file = try HDF5File(bytes: bytes, name: "t")
        let rootAddress = Int(file.core.superblock.rootObjectHeader)
        // h5py writes the root header as a single continuation message: point it at itself.
        XCTAssertEqual(bytes[rootAddress + 16], 0x10)
        Self.put64(&bytes, rootAddress + 24, UInt64(rootAddress + 16))
        Self.put64(&bytes, rootAddress + 32, 24)
        guard case .failed(let e) = Self.walk(bytes, "cyclic") else { return XCTFail("cycle not detected") }
        XCTAssertTrue(e.message.contains("cycle"), e.description)
    }

    func testAbsurdSizesFailFast() throws {
        let original = try Fixtures.bytes("types_earliest")
        let file = try HDF5File(bytes: original, name: "t")
        // A contiguous dataset declaring 10^12 elements.
        var bytes = original
        let (_, f32) = try file.resolve("/types/f32")
        let space = try ObjectHeader(core: file.core, address: f32).first(MessageType.dataspace)!
        Self.put64(&bytes, space.offset + 8, 1_000_000_000_000)
        var huge = try HDF5File(bytes: bytes, name: "huge")
        XCTAssertThrowsError(try huge.dataset("/types/f32").readFloats()) { e in
            XCTAssertTrue("\(e)".contains("/types/f32"), "\(e)")
        }
        // A chunked dataset whose chunk claims 2^32-1 x 2^32-1 elements, and one claiming 10^12 rows.
        let chunks = try Fixtures.bytes("chunks_earliest")
        let cf = try HDF5File(bytes: chunks, name: "c")
        let (_, gz) = try cf.resolve("/gzip_shuffle")
        let layout = try ObjectHeader(core: cf.core, address: gz).first(MessageType.layout)!
        bytes = chunks
        for k in 0..<2 { Self.put32(&bytes, layout.offset + 11 + 4 * k, UInt32.max) }
        huge = try HDF5File(bytes: bytes, name: "hugechunk")
        XCTAssertThrowsError(try huge.dataset("/gzip_shuffle").readDoubles()) { e in
            XCTAssertTrue("\(e)".contains("limit") || "\(e)".contains("overflow"), "\(e)")
        }
        bytes = chunks
        let cspace = try ObjectHeader(core: cf.core, address: gz).first(MessageType.dataspace)!
        Self.put64(&bytes, cspace.offset + 8, 1_000_000_000_000)
        huge = try HDF5File(bytes: bytes, name: "hugedims", options: HDF5ReadOptions())
        XCTAssertThrowsError(try huge.dataset("/gzip_shuffle").readDoubles()) { e in
            XCTAssertTrue("\(e)".contains("read limit"), "\(e)")
        }
        // A local heap claiming a 2^60-byte data segment.
        bytes = original
        let heap = original.indices.first { original[$0..<($0 + 4)] == [0x48, 0x45, 0x41, 0x50][...] }!
        Self.put64(&bytes, heap + 8, 1 << 60)
        if case .ok = Self.walk(bytes, "heap") { XCTFail("absurd local heap size accepted") }
    }

    func testNotHDF5() {
        XCTAssertThrowsError(try HDF5File(bytes: [], name: "empty"))
        XCTAssertThrowsError(try HDF5File(bytes: Array("not an hdf5 file at all".utf8), name: "text")) { e in
            XCTAssertEqual((e as? HDF5Error)?.description, "text: /: not an HDF5 file (no superblock signature found)")
        }
        XCTAssertThrowsError(try HDF5File(path: "/nonexistent/file.h5")) { e in
            XCTAssertEqual((e as? HDF5Error)?.file, "/nonexistent/file.h5")
        }
    }

    static func put64(_ b: inout [UInt8], _ at: Int, _ v: UInt64) {
        for i in 0..<8 { b[at + i] = UInt8((v >> (8 * UInt64(i))) & 0xff) }
    }

    static func put32(_ b: inout [UInt8], _ at: Int, _ v: UInt32) {
        for i in 0..<4 { b[at + i] = UInt8((v >> (8 * UInt32(i))) & 0xff) }
    }
}

extension MalformedFileTests {
    /// Longer fuzzing run for local use: LFADSC_FUZZ_ITERATIONS=N flips 1-4 bytes per variant
    /// over every fixture (run with `swift test -c release --filter testDeepFuzz`).
    func testDeepFuzz() throws {
        guard let n = ProcessInfo.processInfo.environment["LFADSC_FUZZ_ITERATIONS"].flatMap(Int.init) else {
            throw XCTSkip("set LFADSC_FUZZ_ITERATIONS to run the long fuzzing test")
        }
        var rng = SplitMix(seed: UInt64(ProcessInfo.processInfo.environment["LFADSC_FUZZ_SEED"].flatMap(Int.init) ?? 1))
        for name in Fixtures.names {
            let original = try Fixtures.bytes(name)
            for _ in 0..<n {
                var bytes = original
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let window = rng.next() % 3 == 0 ? bytes.count : min(bytes.count, 8192)
                    bytes[Int(rng.next() % UInt64(window))] ^= UInt8(1 + rng.next() % 255)
                }
                _ = Self.walk(bytes, name)
            }
        }
    }
}
