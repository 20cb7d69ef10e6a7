// Spec: HDF5 File Format, section IV.A.2.c "The Link Info Message" and IV.A.2.v "The
// Attribute Info Message": both point at dense storage (fractal heap + v2 B-tree name index).

struct DenseStorageInfo: Sendable {
    let fractalHeap: UInt64?
    let nameIndex: UInt64?

    static func decodeLinkInfo(_ r: inout ByteReader, _ core: FileCore) throws -> DenseStorageInfo {
        let version = try r.u8()
        try require(version == 0, "unsupported link info message version \(version)")
        let flags = try r.u8()
        if flags & 1 != 0 { _ = try r.u64() }
        let heap = try r.address(core)
        let index = try r.address(core)
        return DenseStorageInfo(fractalHeap: heap, nameIndex: index)
    }

    static func decodeAttributeInfo(_ r: inout ByteReader, _ core: FileCore) throws -> DenseStorageInfo {
        let version = try r.u8()
        try require(version == 0, "unsupported attribute info message version \(version)")
        let flags = try r.u8()
        if flags & 1 != 0 { _ = try r.u16() }
        let heap = try r.address(core)
        let index = try r.address(core)
        return DenseStorageInfo(fractalHeap: heap, nameIndex: index)
    }
}
