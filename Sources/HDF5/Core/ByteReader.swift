// Bounds-checked little-endian reader over the mapped file: the foundation of every decoder.
// Every read checks against `end`, so a corrupt offset or length becomes a thrown error.

struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    private(set) var position: Int
    /// Exclusive upper bound of the structure being read (defaults to the end of the buffer).
    let end: Int

    init(_ buffer: UnsafeRawBufferPointer, at position: Int, end: Int? = nil) throws {
        self.buffer = buffer
        let e = end ?? buffer.count
        guard position >= 0, e >= position, e <= buffer.count else {
            throw FormatError("structure at offset \(position) (length \(e - position)) lies outside the file of \(buffer.count) bytes")
        }
        self.position = position
        self.end = e
    }

    var remaining: Int { end - position }

    @inline(__always)
    private func need(_ n: Int) throws {
        guard n >= 0, n <= end - position else {
            throw FormatError("truncated structure: need \(n) bytes at offset \(position), only \(end - position) available")
        }
    }

    mutating func seek(_ offset: Int) throws {
        guard offset >= 0, offset <= end else { throw FormatError("offset \(offset) out of bounds") }
        position = offset
    }

    mutating func skip(_ n: Int) throws {
        try need(n)
        position += n
    }

    /// Advances to the next multiple of `alignment` relative to `origin`.
    mutating func align(_ alignment: Int, from origin: Int) throws {
        let rem = (position - origin) % alignment
        if rem != 0 { try skip(alignment - rem) }
    }

    mutating func u8() throws -> UInt8 {
        try need(1)
        defer { position += 1 }
        return buffer[position]
    }

    mutating func u16() throws -> UInt16 {
        try need(2)
        defer { position += 2 }
        return UInt16(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt16.self))
    }

    mutating func u32() throws -> UInt32 {
        try need(4)
        defer { position += 4 }
        return UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    }

    mutating func u64() throws -> UInt64 {
        try need(8)
        defer { position += 8 }
        return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    /// Unsigned little-endian integer of 1...8 bytes (variable-width fields).
    mutating func uint(size: Int) throws -> UInt64 {
        guard size >= 1, size <= 8 else { throw FormatError("invalid field width \(size)") }
        try need(size)
        var v: UInt64 = 0
        for i in 0..<size { v |= UInt64(buffer[position + i]) << (8 * UInt64(i)) }
        position += size
        return v
    }

    mutating func bytes(_ n: Int) throws -> [UInt8] {
        try need(n)
        defer { position += n }
        return Array(UnsafeRawBufferPointer(rebasing: buffer[position..<(position + n)]))
    }

    mutating func signature(_ expected: String) throws {
        let sig = try bytes(4)
        guard sig == Array(expected.utf8) else {
            throw FormatError("expected signature \(expected) at offset \(position - 4), found \(printable(sig))")
        }
    }

    /// NUL-terminated string starting at the current position (must terminate before `end`).
    mutating func cString() throws -> String {
        var i = position
        while i < end && buffer[i] != 0 { i += 1 }
        guard i < end else { throw FormatError("unterminated string at offset \(position)") }
        let s = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[position..<i]), as: UTF8.self)
        position = i + 1
        return s
    }
}

func printable(_ bytes: [UInt8]) -> String {
    String(bytes.map { (0x20...0x7e).contains($0) ? Character(UnicodeScalar($0)) : "." })
}

// MARK: - Sized offsets and lengths (superblock "Size of Offsets" / "Size of Lengths")

extension ByteReader {
    /// Reads a file address; the undefined address (all bits set) is returned as nil.
    mutating func address(size: Int) throws -> UInt64? {
        let v = try uint(size: size)
        let undefined: UInt64 = size == 8 ? .max : (UInt64(1) << UInt64(size * 8)) - 1
        return v == undefined ? nil : v
    }
}
