/// Writes stored (uncompressed) zip archives in the layout torch.save uses. lfadsc itself never writes
/// checkpoints; this exists so tests and the fuzz seed builder can make variants of a checkpoint.
struct ZipWriter {
    private(set) var bytes: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    /// Adds an entry; `crc` overrides the computed CRC-32 (to make damaged archives on purpose).
    mutating func add(_ name: String, _ data: [UInt8], crc: UInt32? = nil) {
        let sum = crc ?? CRC32.checksum(data)
        let offset = bytes.count
        let nameBytes = Array(name.utf8)
        bytes += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le32(0) + le32(sum)
            + le32(UInt32(truncatingIfNeeded: data.count)) + le32(UInt32(truncatingIfNeeded: data.count))
            + le16(UInt16(truncatingIfNeeded: nameBytes.count)) + le16(0) + nameBytes + data
        directory += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le32(0) + le32(sum)
            + le32(UInt32(truncatingIfNeeded: data.count)) + le32(UInt32(truncatingIfNeeded: data.count))
            + le16(UInt16(truncatingIfNeeded: nameBytes.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
            + le32(UInt32(truncatingIfNeeded: offset)) + nameBytes
        count += 1
    }

    /// The archive: entries, central directory, end record.
    func finished() -> [UInt8] {
        bytes + directory + le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(truncatingIfNeeded: count))
            + le16(UInt16(truncatingIfNeeded: count)) + le32(UInt32(truncatingIfNeeded: directory.count))
            + le32(UInt32(truncatingIfNeeded: bytes.count)) + le16(0)
    }

    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xFF) } }
}
