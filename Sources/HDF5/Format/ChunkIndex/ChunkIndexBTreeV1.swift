// Spec: HDF5 File Format, section III.A.1 (v1 B-tree node type 1, raw data chunks): each key
// holds the chunk's stored size, filter mask and element offsets (plus a trailing 0 for the
// element-size dimension); the child pointer is the chunk address.

enum ChunkIndexBTreeV1 {
    static func records(_ core: FileCore, _ address: UInt64, _ g: ChunkGeometry) throws -> [ChunkRecord] {
        let rank = g.dims.count
        let keySize = 8 + 8 * (rank + 1)
        let leaves = try BTreeV1.leafEntries(core, root: address, nodeType: 1, keySize: keySize)
        var out: [ChunkRecord] = []
        out.reserveCapacity(leaves.count)
        for leaf in leaves {
            var r = try ByteReader(core.bytes, at: leaf.keyOffset, end: leaf.keyOffset + keySize)
            let size = Int(try r.u32())
            let mask = try r.u32()
            var scaled: [Int] = []
            for d in 0..<rank {
                let offset = try toInt(try r.u64(), "chunk offset")
                try require(offset % g.chunkDims[d] == 0, "chunk offset \(offset) is not a multiple of the chunk extent \(g.chunkDims[d])")
                scaled.append(offset / g.chunkDims[d])
            }
            out.append(ChunkRecord(scaled: scaled, address: leaf.child, size: size, filterMask: mask))
        }
        return out
    }
}
