// Shared read-only state of an open file: its bytes, superblock and read limits.
// Converts file addresses (relative to the base address) into checked byte readers.
import Foundation

public struct HDF5ReadOptions: Sendable {
    /// Largest number of bytes a single read may produce (a dataset, a slice, a chunk or an
    /// attribute). nil chooses max(64 MiB, 1032 × file size): deflate cannot expand more
    /// than about 1032:1, so larger declared sizes are almost certainly corrupt.
    public var maxReadBytes: Int?
    /// Threads used to decode chunks of one read (1 disables parallel decoding).
    public var decodeThreads: Int

    public init(maxReadBytes: Int? = nil, decodeThreads: Int = min(ProcessInfo.processInfo.activeProcessorCount, 8)) {
        self.maxReadBytes = maxReadBytes
        self.decodeThreads = max(1, decodeThreads)
    }
}

final class FileCore: @unchecked Sendable {
    let name: String
    let file: MappedFile
    let superblock: Superblock
    let maxReadBytes: Int
    let decodeThreads: Int

    var bytes: UnsafeRawBufferPointer { file.bytes }
    var offsetSize: Int { superblock.offsetSize }
    var lengthSize: Int { superblock.lengthSize }

    init(name: String, file: MappedFile, options: HDF5ReadOptions) throws {
        self.name = name
        self.file = file
        superblock = try Superblock.locate(in: file.bytes)
        let (auto, o) = file.bytes.count.multipliedReportingOverflow(by: 1032)
        maxReadBytes = options.maxReadBytes ?? max(64 << 20, o ? Int.max : auto)
        decodeThreads = options.decodeThreads
    }

    /// File offset of `address`, checked to lie inside the file.
    func offset(of address: UInt64, _ what: @autoclosure () -> String) throws -> Int {
        guard address <= UInt64(Int.max) else { throw FormatError("\(what()) address \(address) is invalid") }
        let (o, overflow) = Int(address).addingReportingOverflow(superblock.baseAddress)
        guard !overflow, o < bytes.count else {
            throw FormatError("\(what()) address \(address) lies beyond the end of the file (\(bytes.count) bytes)")
        }
        return o
    }

    /// A reader positioned at `address`, optionally limited to `length` bytes.
    func reader(at address: UInt64, length: Int? = nil, _ what: @autoclosure () -> String) throws -> ByteReader {
        let o = try offset(of: address, what())
        if let length {
            guard length >= 0, length <= bytes.count - o else {
                throw FormatError("\(what()) at address \(address) with size \(length) extends beyond the end of the file")
            }
            return try ByteReader(bytes, at: o, end: o + length)
        }
        return try ByteReader(bytes, at: o)
    }

    /// Checked file range of `length` bytes at `address`.
    func range(at address: UInt64, length: Int, _ what: @autoclosure () -> String) throws -> Range<Int> {
        let o = try offset(of: address, what())
        guard length >= 0, length <= bytes.count - o else {
            throw FormatError("\(what()) at address \(address) with size \(length) extends beyond the end of the file")
        }
        return o..<(o + length)
    }

    func checkAllocation(_ byteCount: Int, _ what: @autoclosure () -> String) throws {
        guard byteCount <= maxReadBytes else {
            throw FormatError("\(what()) would need \(byteCount) bytes, more than the read limit of \(maxReadBytes) bytes (HDF5ReadOptions.maxReadBytes)")
        }
    }
}

extension ByteReader {
    mutating func address(_ core: FileCore) throws -> UInt64? { try address(size: core.offsetSize) }
    mutating func length(_ core: FileCore) throws -> UInt64 { try uint(size: core.lengthSize) }
    mutating func lengthInt(_ core: FileCore, _ what: @autoclosure () -> String) throws -> Int {
        try toInt(try uint(size: core.lengthSize), what())
    }
}
