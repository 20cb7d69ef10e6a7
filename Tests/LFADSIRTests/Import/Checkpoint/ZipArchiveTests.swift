import HDF5
import XCTest
@testable import LFADSIR

final class ZipArchiveTests: XCTestCase {
    func assertFails(_ bytes: [UInt8], _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try ZipArchive(bytes: bytes).entries.forEach { e in _ = try ZipArchive(bytes: bytes).contents(of: e) },
                             file: file, line: line) { e in
            XCTAssertTrue("\(e)".contains(fragment), "'\(e)' does not mention '\(fragment)'", file: file, line: line)
        }
    }

    func testCRC32OfKnownInputs() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([]), 0)
        XCTAssertEqual(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)), 0x414F_A339)
    }

    func testStoredEntriesRoundTrip() throws {
        var w = ZipWriter()
        w.add("a/data.pkl", [1, 2, 3])
        w.add("a/data/0", [])
        let zip = try ZipArchive(bytes: w.finished())
        XCTAssertEqual(zip.entries.map(\.name), ["a/data.pkl", "a/data/0"])
        XCTAssertEqual(try zip.contents(of: try XCTUnwrap(zip.entry("a/data.pkl"))), [1, 2, 3])
        XCTAssertEqual(try zip.contents(of: try XCTUnwrap(zip.entry("a/data/0"))), [])
    }

    /// A deflated entry, hand-made from the project's own zlib writer (raw deflate = zlib minus header and trailer).
    func testDeflatedEntry() throws {
        let text = Array(String(repeating: "lfads ", count: 200).utf8)
        let zlib = Deflate.zlibCompress(text, level: 6)
        let raw = Array(zlib[2..<(zlib.count - 4)])
        var w = ZipWriter()
        w.add("x", raw, crc: CRC32.checksum(text))
        var bytes = w.finished()
        // Method 8 and the uncompressed size, in the local header and the central directory.
        let central = try XCTUnwrap(ZipArchive(bytes: bytes).entries.first).localHeaderOffset + 30 + 1 + raw.count
        for (methodAt, sizeAt) in [(8, 22), (central + 10, central + 24)] {
            bytes[methodAt] = 8
            for i in 0..<4 { bytes[sizeAt + i] = UInt8((text.count >> (8 * i)) & 0xFF) }
        }
        let zip = try ZipArchive(bytes: bytes)
        XCTAssertEqual(try zip.contents(of: try XCTUnwrap(zip.entry("x"))), text)
    }

    /// Zip64: sizes and offset in the central entry's extra field, entry count and directory in the zip64 end
    /// records (what a writer emits for archives past 4 GiB), built by hand at small scale.
    func testZip64Records() throws {
        func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8((v >> (8 * UInt64($0))) & 0xFF) } }
        let name = Array("a/data.pkl".utf8), data: [UInt8] = [9, 8, 7]
        let crc = UInt64(CRC32.checksum(data)), ones = UInt64(0xFFFF_FFFF)
        var b = le(0x0403_4B50, 4) + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(crc, 4) + le(ones, 4) + le(ones, 4)
            + le(UInt64(name.count), 2) + le(20, 2) + name + le(1, 2) + le(16, 2) + le(3, 8) + le(3, 8) + data
        let cd = b.count
        b += le(0x0201_4B50, 4) + le(45, 2) + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(crc, 4) + le(ones, 4) + le(ones, 4)
            + le(UInt64(name.count), 2) + le(28, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(ones, 4) + name
            + le(1, 2) + le(24, 2) + le(3, 8) + le(3, 8) + le(0, 8)
        let record = b.count
        b += le(0x0606_4B50, 4) + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) + le(0, 4) + le(1, 8) + le(1, 8)
            + le(UInt64(record - cd), 8) + le(UInt64(cd), 8)
        b += le(0x0706_4B50, 4) + le(0, 4) + le(UInt64(record), 8) + le(1, 4)
        b += le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(0xFFFF, 2) + le(0xFFFF, 2) + le(ones, 4) + le(ones, 4) + le(0, 2)
        let zip = try ZipArchive(bytes: b)
        let entry = try XCTUnwrap(zip.entry("a/data.pkl"))
        XCTAssertEqual(entry.size, 3)
        XCTAssertEqual(try zip.contents(of: entry), data)
        // A locator pointing past the file is refused.
        var bad = b
        bad[b.count - 22 - 20 + 8 + 7] = 0x7F
        XCTAssertThrowsError(try ZipArchive(bytes: bad)) { XCTAssertTrue("\($0)".contains("zip64"), "\($0)") }
    }

    func testDamagedArchivesThrow() {
        var w = ZipWriter()
        w.add("a/data.pkl", Array("hello".utf8))
        let good = w.finished()
        assertFails(Array(good.prefix(10)), "truncated")
        assertFails(Array(good.prefix(good.count - 1)), "no end of central directory")
        var badCRC = ZipWriter()
        badCRC.add("a/data.pkl", Array("hello".utf8), crc: 1)
        assertFails(badCRC.finished(), "CRC-32 mismatch")
        // Central directory entry (46 bytes + the 10-byte name) just before the 22-byte end record.
        let cd = good.count - 22 - 56
        var method = good
        method[8] = 99
        method[cd + 10] = 99
        assertFails(method, "compression method 99")
        var offset = good
        offset[cd + 45] = 0xF0  // local header offset, high byte
        assertFails(offset, "no local header")
        var count = good
        count[good.count - 22 + 10] = 200  // entries in the end record
        assertFails(count, "declares 200 entries")
        var size = good
        size[cd + 23] = 0x7F  // a compressed size of ~2 GiB
        assertFails(size, "lies outside the file")
    }
}
