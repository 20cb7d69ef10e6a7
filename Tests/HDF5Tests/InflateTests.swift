import Foundation
import XCTest
@testable import HDF5

final class InflateTests: XCTestCase {
    struct Vector { let name: String; let stream: [UInt8]; let error: Bool; let length: Int?; let crc32: UInt32?; let expected: [UInt8]? }

    static func vectors() throws -> [Vector] {
        let data = try Data(contentsOf: Fixtures.directory.appendingPathComponent("inflate_vectors.json"))
        let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return list.map { v in
            Vector(name: v["name"] as? String ?? "?",
                   stream: [UInt8](Data(base64Encoded: v["zlib"] as? String ?? "") ?? Data()),
                   error: v["error"] as? Bool ?? false,
                   length: v["length"] as? Int,
                   crc32: (v["crc32"] as? NSNumber).map { UInt32(truncating: $0) },
                   expected: (v["expected"] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) })
        }
    }

    func testVectorsFromPythonZlib() throws {
        let vectors = try Self.vectors()
        XCTAssertGreaterThan(vectors.count, 20)
        for v in vectors {
            if v.error {
                XCTAssertThrowsError(try Inflate.zlibDecompress(v.stream, expectedSize: nil), v.name)
                if let n = v.length { XCTAssertThrowsError(try Inflate.zlibDecompress(v.stream, expectedSize: n), v.name) }
                continue
            }
            let out = try Inflate.zlibDecompress(v.stream, expectedSize: nil)
            XCTAssertEqual(out.count, v.length, v.name)
            XCTAssertEqual(CRC32.checksum(out), v.crc32, v.name)
            if let e = v.expected { XCTAssertEqual(out, e, v.name) }
            // With a known size the decoder writes straight into the result.
            XCTAssertEqual(try Inflate.zlibDecompress(v.stream, expectedSize: out.count), out, v.name)
            if out.count > 0 {
                XCTAssertThrowsError(try Inflate.zlibDecompress(v.stream, expectedSize: out.count - 1), v.name)
            }
            XCTAssertThrowsError(try Inflate.zlibDecompress(v.stream, expectedSize: out.count + 1), v.name)
        }
    }

    func testEveryTruncationAndByteFlipThrowsOrSucceedsWithoutTrapping() throws {
        let text = try Self.vectors().first { $0.name == "text_level6" }!
        for cut in 0..<text.stream.count {
            XCTAssertThrowsError(try Inflate.zlibDecompress(Array(text.stream[0..<cut]), expectedSize: nil))
        }
        var rng = SplitMix(seed: 7)
        for v in try Self.vectors() where !v.error {
            for _ in 0..<40 {
                var s = v.stream
                guard !s.isEmpty else { continue }
                let i = Int(rng.next() % UInt64(s.count))
                s[i] ^= UInt8(1 + rng.next() % 255)
                // Corruption must end in an error or (rarely) a stream that still checks out.
                if let out = try? Inflate.zlibDecompress(s, expectedSize: nil, maxSize: 1 << 22) {
                    XCTAssertLessThanOrEqual(out.count, 1 << 22)
                }
            }
        }
    }

    func testOutputLimitStopsDecompressionBombs() throws {
        let zeros = try Self.vectors().first { $0.name == "runs" }!
        XCTAssertThrowsError(try Inflate.zlibDecompress(zeros.stream, expectedSize: nil, maxSize: 1000)) { e in
            XCTAssertTrue("\(e)".contains("limit"), "\(e)")
        }
        XCTAssertThrowsError(try Inflate.zlibDecompress(zeros.stream, expectedSize: 1 << 40, maxSize: 1 << 20))
    }

    func testDeflateWriterRoundTrip() throws {
        var rng = SplitMix(seed: 3)
        let inputs: [[UInt8]] = [[], [1], Array("abcabcabcabcabc".utf8), (0..<100_000).map { _ in UInt8(rng.next() % 4) },
                                 (0..<70_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, [UInt8](repeating: 9, count: 300_000)]
        for input in inputs {
            for level in [0, 1, 6, 9] {
                let z = Deflate.zlibCompress(input, level: level)
                XCTAssertEqual(try Inflate.zlibDecompress(z, expectedSize: input.count), input)
            }
        }
    }

    func testAdlerAndFletcher() {
        XCTAssertEqual(Adler32.checksum(Array("Wikipedia".utf8)), 0x11E6_0398)
        XCTAssertEqual(Adler32.checksum([UInt8](repeating: 0xff, count: 100_000)), Adler32.checksumSlow([UInt8](repeating: 0xff, count: 100_000)))
    }
}

/// Deterministic pseudo-random numbers for tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum CRC32 {
    static func checksum(_ data: [UInt8]) -> UInt32 {
        var table = [UInt32](repeating: 0, count: 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            table[i] = c
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data { crc = table[Int((crc ^ UInt32(b)) & 0xff)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Adler32 {
    static func checksumSlow(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for x in data { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
        return b << 16 | a
    }
}
