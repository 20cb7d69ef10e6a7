// Spec: HDF5 File Format, section III.A.2, v2 B-tree record types 10 (unfiltered chunks:
// address, scaled offsets) and 11 (filtered: address, chunk size, filter mask, scaled offsets).
// Used for datasets with more than one unlimited dimension.

enum ChunkIndexBTreeV2 {
    static func records(_ core: FileCore, _ address: UInt64, _ g: ChunkGeometry) throws -> [ChunkRecord] {
        let tree = try BTreeV2.enumerate(core, address: address, expectedTypes: [10, 11])
        let rank = g.dims.count
        let filtered = tree.type == 11
        let sizeWidth = tree.recordSize - core.offsetSize - 8 * rank - (filtered ? 4 : 0)
        try require(filtered ? (1...8).contains(sizeWidth) : sizeWidth == 0, "v2 B-tree chunk record size \(tree.recordSize) is invalid")
        var out: [ChunkRecord] = []
        for at in tree.records {
            var r = try ByteReader(core.bytes, at: at, end: at + tree.recordSize)
            let addr = try r.address(core)
            var size = g.chunkBytes
            var mask: UInt32 = 0
            if filtered {
                size = try toInt(try r.uint(size: sizeWidth), "filtered chunk size")
                mask = try r.u32()
            }
            var scaled: [Int] = []
            for _ in 0..<rank { scaled.append(try toInt(try r.u64(), "scaled chunk offset")) }
            if let addr { out.append(ChunkRecord(scaled: scaled, address: addr, size: size, filterMask: mask)) }
        }
        return out
    }
}
