// Spec: HDF5 File Format, section IV.A.2.l, filter 3 "Fletcher32 checksum": a 4-byte
// checksum appended to each chunk, computed over big-endian 16-bit words as HDF5 does.

enum Fletcher32 {
    static func checksum(_ data: UnsafeRawBufferPointer) -> UInt32 {
        var sum1: UInt32 = 0, sum2: UInt32 = 0
        var words = data.count / 2
        var i = 0
        while words > 0 {
            let n = min(words, 360)
            words -= n
            for _ in 0..<n {
                sum1 &+= UInt32(data[i]) << 8 | UInt32(data[i + 1])
                sum2 &+= sum1
                i += 2
            }
            sum1 = (sum1 & 0xffff) + (sum1 >> 16)
            sum2 = (sum2 & 0xffff) + (sum2 >> 16)
        }
        if data.count % 2 == 1 {
            sum1 &+= UInt32(data[data.count - 1]) << 8
            sum2 &+= sum1
            sum1 = (sum1 & 0xffff) + (sum1 >> 16)
            sum2 = (sum2 & 0xffff) + (sum2 >> 16)
        }
        sum1 = (sum1 & 0xffff) + (sum1 >> 16)
        sum2 = (sum2 & 0xffff) + (sum2 >> 16)
        return sum2 << 16 | sum1
    }

    /// Verifies and strips the trailer in place; returns the payload length.
    static func verify(_ buffer: UnsafeRawBufferPointer) throws -> Int {
        guard buffer.count >= 4 else { throw FormatError("fletcher32: chunk shorter than its checksum") }
        let n = buffer.count - 4
        let computed = checksum(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        let stored = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: n, as: UInt32.self))
        // Files from HDF5 1.6.1 and earlier store the checksum byte-swapped.
        guard stored == computed || stored == computed.byteSwapped else {
            throw FormatError("fletcher32 checksum mismatch (chunk corrupt)")
        }
        return n
    }
}
