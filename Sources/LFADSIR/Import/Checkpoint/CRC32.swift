/// CRC-32 of zip entries (ISO 3309 / ITU-T V.42 polynomial, reflected), table-driven, eight bytes per step.
enum CRC32 {
    private static let tables: [[UInt32]] = {
        var t = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[0][i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 { t[k][i] = (t[k - 1][i] >> 8) ^ t[0][Int(t[k - 1][i] & 0xFF)] }
        }
        return t
    }()

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        let t = tables
        var c: UInt32 = 0xFFFF_FFFF
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            while i + 8 <= b.count {
                let lo = c ^ (UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24)
                c = t[7][Int(lo & 0xFF)] ^ t[6][Int((lo >> 8) & 0xFF)] ^ t[5][Int((lo >> 16) & 0xFF)] ^ t[4][Int(lo >> 24)]
                    ^ t[3][Int(b[i + 4])] ^ t[2][Int(b[i + 5])] ^ t[1][Int(b[i + 6])] ^ t[0][Int(b[i + 7])]
                i += 8
            }
            while i < b.count {
                c = t[0][Int((c ^ UInt32(b[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
        }
        return c ^ 0xFFFF_FFFF
    }
}
