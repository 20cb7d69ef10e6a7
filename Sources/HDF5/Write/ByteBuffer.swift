// Little-endian output buffer with patching, for the writer.

struct ByteBuffer {
    var bytes: [UInt8] = []

    var count: Int { bytes.count }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { bytes.append(UInt8(v & 0xff)); bytes.append(UInt8(v >> 8)) }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8((v >> (8 * UInt32(i))) & 0xff)) } }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8((v >> (8 * UInt64(i))) & 0xff)) } }
    mutating func append(_ b: [UInt8]) { bytes += b }
    mutating func ascii(_ s: String) { bytes += Array(s.utf8) }
    mutating func zeros(_ n: Int) { bytes += repeatElement(0, count: n) }
    mutating func undefinedAddress() { u64(.max) }

    mutating func pad(to alignment: Int) {
        let r = bytes.count % alignment
        if r != 0 { zeros(alignment - r) }
    }

    mutating func patch64(at offset: Int, _ v: UInt64) {
        for i in 0..<8 { bytes[offset + i] = UInt8((v >> (8 * UInt64(i))) & 0xff) }
    }
}

extension Array where Element == UInt8 {
    /// Pads to a multiple of `alignment` bytes with zeros.
    func padded(to alignment: Int) -> [UInt8] {
        let r = count % alignment
        return r == 0 ? self : self + [UInt8](repeating: 0, count: alignment - r)
    }
}
