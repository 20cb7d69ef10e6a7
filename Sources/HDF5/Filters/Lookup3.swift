// Spec: HDF5 File Format, "Appendix: Checksums" — metadata checksums are Bob Jenkins' lookup3
// `hashlittle` with an initial value of 0, over the bytes that precede the stored checksum.

enum Lookup3 {
    @inline(__always) private static func rot(_ x: UInt32, _ k: UInt32) -> UInt32 { (x << k) | (x >> (32 - k)) }

    static func hash(_ data: UnsafeRawBufferPointer, initial: UInt32 = 0) -> UInt32 {
        var length = data.count
        var a = 0xdeadbeef &+ UInt32(truncatingIfNeeded: length) &+ initial
        var b = a
        var c = a
        var p = 0
        @inline(__always) func byte(_ i: Int) -> UInt32 { UInt32(data[p + i]) }
        while length > 12 {
            a = a &+ UInt32(littleEndian: data.loadUnaligned(fromByteOffset: p, as: UInt32.self))
            b = b &+ UInt32(littleEndian: data.loadUnaligned(fromByteOffset: p + 4, as: UInt32.self))
            c = c &+ UInt32(littleEndian: data.loadUnaligned(fromByteOffset: p + 8, as: UInt32.self))
            a = a &- c; a ^= rot(c, 4); c = c &+ b
            b = b &- a; b ^= rot(a, 6); a = a &+ c
            c = c &- b; c ^= rot(b, 8); b = b &+ a
            a = a &- c; a ^= rot(c, 16); c = c &+ b
            b = b &- a; b ^= rot(a, 19); a = a &+ c
            c = c &- b; c ^= rot(b, 4); b = b &+ a
            length -= 12
            p += 12
        }
        if length == 0 { return c }
        if length >= 12 { c = c &+ (byte(11) << 24) }
        if length >= 11 { c = c &+ (byte(10) << 16) }
        if length >= 10 { c = c &+ (byte(9) << 8) }
        if length >= 9 { c = c &+ byte(8) }
        if length >= 8 { b = b &+ (byte(7) << 24) }
        if length >= 7 { b = b &+ (byte(6) << 16) }
        if length >= 6 { b = b &+ (byte(5) << 8) }
        if length >= 5 { b = b &+ byte(4) }
        if length >= 4 { a = a &+ (byte(3) << 24) }
        if length >= 3 { a = a &+ (byte(2) << 16) }
        if length >= 2 { a = a &+ (byte(1) << 8) }
        a = a &+ byte(0)
        c ^= b; c = c &- rot(b, 14)
        a ^= c; a = a &- rot(c, 11)
        b ^= a; b = b &- rot(a, 25)
        c ^= b; c = c &- rot(b, 16)
        a ^= c; a = a &- rot(c, 4)
        b ^= a; b = b &- rot(a, 14)
        c ^= b; c = c &- rot(b, 24)
        return c
    }

    static func hash(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { hash($0) }
    }
}

extension ByteReader {
    /// Verifies the 4-byte lookup3 checksum at the current position over bytes [start, position).
    mutating func verifyChecksum(from start: Int, _ what: @autoclosure () -> String) throws {
        let computed = Lookup3.hash(UnsafeRawBufferPointer(rebasing: buffer[start..<position]))
        let stored = try u32()
        try require(stored == computed, "\(what()) checksum mismatch")
    }
}
