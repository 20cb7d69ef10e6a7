// Spec: HDF5 File Format, section III.D "Disk Format: Level 1D - Local Heaps" ("HEAP"):
// the names of an old-style group's members, addressed by offset into the data segment.

struct LocalHeap {
    let data: Range<Int>

    init(_ core: FileCore, address: UInt64) throws {
        var r = try core.reader(at: address, "local heap")
        try r.signature("HEAP")
        let version = try r.u8()
        try require(version == 0, "unsupported local heap version \(version)")
        try r.skip(3)
        let size = try r.lengthInt(core, "local heap size")
        _ = try r.length(core)  // free list head
        guard let dataAddress = try r.address(core) else { throw FormatError("local heap with undefined data segment") }
        data = try core.range(at: dataAddress, length: size, "local heap data segment")
    }

    func string(_ core: FileCore, at offset: UInt64) throws -> String {
        guard offset < UInt64(data.count) else { throw FormatError("local heap offset \(offset) out of range (heap size \(data.count))") }
        var r = try ByteReader(core.bytes, at: data.lowerBound + Int(offset), end: data.upperBound)
        return try r.cString()
    }
}
