import HDF5

/// A problem in a checkpoint file; the importer prefixes the file name.
struct CheckpointError: Error, CustomStringConvertible, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// The zip container torch.save writes (PKWARE APPNOTE: central directory, local headers, zip64 records).
/// Only what a reader of that container needs: stored and deflated entries, no encryption, one disk.
/// Every offset and size read from the file is checked against the file before use.
struct ZipArchive {
    struct Entry {
        let name: String
        let method: UInt16
        let flags: UInt16
        let crc: UInt32
        let compressedSize: Int
        let size: Int
        let localHeaderOffset: Int
    }

    let bytes: [UInt8]
    /// False only for fuzzing: lets mutated entry contents reach the parsers behind the CRC.
    let checksCRC: Bool
    /// Entries in central-directory order.
    let entries: [Entry]
    private let index: [String: Int]

    /// Largest entry read into memory (the weights of any model lfadsc can place on an FPGA are far smaller).
    static let entrySizeLimit = 1 << 32

    static func isZip(_ head: [UInt8]) -> Bool {
        head.count >= 4 && head[0] == 0x50 && head[1] == 0x4B && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6))
    }

    init(bytes: [UInt8], checksCRC: Bool = true) throws {
        self.bytes = bytes
        self.checksCRC = checksCRC
        var r = ZipReader(bytes)
        let eocd = try Self.endOfCentralDirectory(bytes)
        r.position = eocd + 10
        var count = Int(try r.u16())
        var directorySize = Int(try r.u32())
        var directoryOffset = Int(try r.u32())
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            (count, directorySize, directoryOffset) = try Self.zip64Directory(bytes, eocd: eocd)
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw CheckpointError("zip central directory (offset \(directoryOffset), \(directorySize) bytes) lies outside the file of \(bytes.count) bytes")
        }
        guard count <= directorySize / 46 else {
            throw CheckpointError("zip central directory declares \(count) entries in \(directorySize) bytes")
        }
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        r = ZipReader(bytes, end: directoryOffset + directorySize)
        r.position = directoryOffset
        for i in 0..<count {
            let e = try Self.centralEntry(&r, number: i)
            guard index[e.name] == nil else { throw CheckpointError("zip entry '\(e.name)' appears twice") }
            index[e.name] = entries.count
            entries.append(e)
        }
        self.entries = entries
        self.index = index
    }

    func entry(_ name: String) -> Entry? { index[name].map { entries[$0] } }

    /// The uncompressed bytes of an entry, CRC-checked.
    func contents(of e: Entry) throws -> [UInt8] {
        func fail(_ m: String) -> CheckpointError { CheckpointError("zip entry '\(e.name)': \(m)") }
        guard e.flags & 0x41 == 0 else { throw fail("is encrypted") }
        guard e.size <= Self.entrySizeLimit else { throw fail("declares \(e.size) bytes (limit \(Self.entrySizeLimit))") }
        var r = ZipReader(bytes)
        r.position = e.localHeaderOffset
        guard e.localHeaderOffset <= bytes.count - 30, try r.u32() == 0x0403_4B50 else {
            throw fail("no local header at offset \(e.localHeaderOffset)")
        }
        try r.skip(22)
        let nameLength = Int(try r.u16()), extraLength = Int(try r.u16())
        let start = e.localHeaderOffset + 30 + nameLength + extraLength
        guard start <= bytes.count, e.compressedSize <= bytes.count - start else {
            throw fail("data (\(e.compressedSize) bytes at offset \(start)) lies outside the file of \(bytes.count) bytes")
        }
        let raw = bytes[start..<(start + e.compressedSize)]
        let data: [UInt8]
        switch e.method {
        case 0:
            guard e.compressedSize == e.size else { throw fail("stored entry with sizes \(e.compressedSize) and \(e.size)") }
            data = Array(raw)
        case 8:
            do { data = try Inflate.rawInflate(Array(raw), maxSize: e.size) } catch { throw fail("\(error)") }
            guard data.count == e.size else { throw fail("inflates to \(data.count) bytes, expected \(e.size)") }
        default:
            throw fail("compression method \(e.method) is not supported (only stored and deflate)")
        }
        guard checksCRC else { return data }
        let crc = CRC32.checksum(data)
        guard crc == e.crc else { throw fail("CRC-32 mismatch (stored \(hex(e.crc)), computed \(hex(crc)))") }
        return data
    }

    private func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }

    /// The end-of-central-directory record: the last signature within 64 KiB + 22 bytes of the end.
    private static func endOfCentralDirectory(_ b: [UInt8]) throws -> Int {
        guard b.count >= 22 else { throw CheckpointError("zip archive truncated (\(b.count) bytes, no end of central directory)") }
        let lowest = max(0, b.count - 22 - 0xFFFF)
        var i = b.count - 22
        while i >= lowest {
            if b[i] == 0x50, b[i + 1] == 0x4B, b[i + 2] == 5, b[i + 3] == 6 { return i }
            i -= 1
        }
        throw CheckpointError("zip archive truncated or damaged (no end of central directory record)")
    }

    private static func zip64Directory(_ b: [UInt8], eocd: Int) throws -> (Int, Int, Int) {
        var r = ZipReader(b)
        guard eocd >= 20 else { throw CheckpointError("zip64 end of central directory locator missing") }
        r.position = eocd - 20
        guard try r.u32() == 0x0706_4B50 else { throw CheckpointError("zip64 end of central directory locator missing") }
        _ = try r.u32()
        let recordOffset = try r.int64("zip64 record offset")
        guard recordOffset <= b.count - 56 else { throw CheckpointError("zip64 end of central directory record lies outside the file") }
        r.position = recordOffset
        guard try r.u32() == 0x0606_4B50 else { throw CheckpointError("zip64 end of central directory record has a bad signature") }
        try r.skip(20)
        _ = try r.u64()  // entries on this disk
        let count = try r.int64("zip64 entry count")
        let size = try r.int64("zip64 central directory size")
        let offset = try r.int64("zip64 central directory offset")
        return (count, size, offset)
    }

    private static func centralEntry(_ r: inout ZipReader, number: Int) throws -> Entry {
        guard try r.u32() == 0x0201_4B50 else { throw CheckpointError("zip central directory entry \(number) has a bad signature") }
        try r.skip(4)
        let flags = try r.u16(), method = try r.u16()
        try r.skip(4)
        let crc = try r.u32()
        var compressed = Int(try r.u32()), size = Int(try r.u32())
        let nameLength = Int(try r.u16()), extraLength = Int(try r.u16()), commentLength = Int(try r.u16())
        try r.skip(8)  // disk number start, internal and external attributes
        var offset = Int(try r.u32())
        let name = String(decoding: try r.bytes(nameLength), as: UTF8.self)
        var extra = ZipReader(try r.bytes(extraLength))
        try r.skip(commentLength)
        // Zip64 extended information: the 64-bit values of the fields that are all ones, in this order.
        while extra.remaining >= 4 {
            let tag = try extra.u16(), length = Int(try extra.u16())
            guard length <= extra.remaining else { throw CheckpointError("zip entry '\(name)': extra field overruns its header") }
            if tag == 1 {
                var z = ZipReader(try extra.bytes(length))
                if size == 0xFFFF_FFFF { size = try z.int64("zip64 size of '\(name)'") }
                if compressed == 0xFFFF_FFFF { compressed = try z.int64("zip64 compressed size of '\(name)'") }
                if offset == 0xFFFF_FFFF { offset = try z.int64("zip64 offset of '\(name)'") }
            } else {
                try extra.skip(length)
            }
        }
        return Entry(name: name, method: method, flags: flags, crc: crc, compressedSize: compressed, size: size, localHeaderOffset: offset)
    }
}

/// Bounds-checked little-endian cursor over zip structures.
struct ZipReader {
    let data: [UInt8]
    var position = 0
    let end: Int

    init(_ bytes: [UInt8], end: Int? = nil) {
        data = bytes
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { max(0, end - position) }

    private func need(_ n: Int) throws {
        guard position >= 0, n >= 0, position <= end, n <= end - position else {
            throw CheckpointError("zip structure truncated at offset \(position) (need \(n) bytes)")
        }
    }

    mutating func skip(_ n: Int) throws { try need(n); position += n }

    mutating func bytes(_ n: Int) throws -> [UInt8] {
        try need(n)
        defer { position += n }
        return Array(data[position..<(position + n)])
    }

    mutating func u16() throws -> UInt16 {
        try need(2)
        defer { position += 2 }
        return UInt16(data[position]) | UInt16(data[position + 1]) << 8
    }

    mutating func u32() throws -> UInt32 {
        try need(4)
        defer { position += 4 }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(data[position + i]) << (8 * UInt32(i)) }
        return v
    }

    mutating func u64() throws -> UInt64 {
        let lo = UInt64(try u32()), hi = UInt64(try u32())
        return lo | hi << 32
    }

    /// A 64-bit size or offset that must fit a non-negative Int.
    mutating func int64(_ what: String) throws -> Int {
        let v = try u64()
        guard v <= UInt64(Int.max) else { throw CheckpointError("\(what) \(v) is too large") }
        return Int(v)
    }
}
