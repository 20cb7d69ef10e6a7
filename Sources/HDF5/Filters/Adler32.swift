// Spec: RFC 1950 section 8.2 "The Adler-32 algorithm", summed in blocks of 5552 bytes
// (the largest count before the 32-bit sums can overflow) to defer the modulo.

enum Adler32 {
    static func checksum(_ data: UnsafeRawBufferPointer, initial: UInt32 = 1) -> UInt32 {
        var a = initial & 0xffff
        var b = initial >> 16
        guard var p = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return initial }
        var left = data.count
        while left > 0 {
            let n = min(left, 5552)
            left -= n
            var i = n
            while i >= 8 {
                a &+= UInt32(p[0]); b &+= a
                a &+= UInt32(p[1]); b &+= a
                a &+= UInt32(p[2]); b &+= a
                a &+= UInt32(p[3]); b &+= a
                a &+= UInt32(p[4]); b &+= a
                a &+= UInt32(p[5]); b &+= a
                a &+= UInt32(p[6]); b &+= a
                a &+= UInt32(p[7]); b &+= a
                p += 8; i -= 8
            }
            while i > 0 { a &+= UInt32(p.pointee); b &+= a; p += 1; i -= 1 }
            a %= 65521
            b %= 65521
        }
        return b << 16 | a
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { checksum($0) } }
}
