// Spec: HDF5 File Format, "Fixed Array" chunk index: header ("FAHD") and data block ("FADB"),
// the data block optionally split into checksummed pages of 2^pageBits elements with a page
// initialisation bitmap. Element i is the chunk with row-major linear index i over the
// maximum dimensions.

enum ChunkIndexFixedArray {
    static func records(_ core: FileCore, _ address: UInt64, _ g: ChunkGeometry) throws -> [ChunkRecord] {
        var r = try core.reader(at: address, "fixed array header")
        let start = r.position
        try r.signature("FAHD")
        _ = try r.u8()
        let client = try r.u8()
        let elementSize = Int(try r.u8())
        let pageBits = Int(try r.u8())
        let count = try r.lengthInt(core, "fixed array element count")
        let blockAddress = try r.address(core)
        try r.verifyChecksum(from: start, "fixed array header")
        try require(client == (g.filtered ? 1 : 0), "fixed array client type \(client) does not match the filter pipeline")
        try require(pageBits < 32 && elementSize > 0, "fixed array parameters are invalid")
        let grid = g.maxGridDims
        var gridTotal = 1
        for n in grid { gridTotal = try checkedMul(gridTotal, n, "chunk count") }
        try require(count >= gridTotal && count <= gridTotal + (1 << pageBits), "fixed array holds \(count) elements for \(gridTotal) chunks")
        guard let blockAddress else { return [] }
        let total = gridTotal
        try core.checkAllocation(try checkedMul(total, 64, "fixed array index"), "fixed array chunk index")

        var b = try core.reader(at: blockAddress, "fixed array data block")
        let blockStart = b.position
        try b.signature("FADB")
        _ = try b.u8()
        _ = try b.u8()
        _ = try b.address(core)
        let pageElements = 1 << pageBits
        var out: [ChunkRecord] = []
        if count <= pageElements {
            var elements = b
            try b.skip(try checkedMul(count, elementSize, "fixed array data block"))
            try b.verifyChecksum(from: blockStart, "fixed array data block")
            for i in 0..<total {
                if let rec = try ChunkIndexReader.element(&elements, core, elementSize: elementSize, filtered: g.filtered,
                                                          scaled: ChunkGeometry.coordinates(i, grid: grid), chunkBytes: g.chunkBytes) {
                    out.append(rec)
                }
            }
            return out
        }
        let pages = (count + pageElements - 1) / pageElements
        let bitmap = try b.bytes((pages + 7) / 8)
        try b.verifyChecksum(from: blockStart, "fixed array data block")
        var pageStart = b.position
        for p in 0..<pages {
            let n = min(pageElements, count - p * pageElements)
            let pageSize = n * elementSize + 4
            defer { pageStart += pageSize }
            guard bitmap[p / 8] & (0x80 >> UInt8(p % 8)) != 0 else { continue }  // page never written
            var pr = try ByteReader(core.bytes, at: pageStart, end: pageStart + pageSize)
            var elements = pr
            try pr.skip(n * elementSize)
            try pr.verifyChecksum(from: pageStart, "fixed array data block page")
            for j in 0..<n {
                let i = p * pageElements + j
                guard i < total else { break }
                if let rec = try ChunkIndexReader.element(&elements, core, elementSize: elementSize, filtered: g.filtered,
                                                          scaled: ChunkGeometry.coordinates(i, grid: grid), chunkBytes: g.chunkBytes) {
                    out.append(rec)
                }
            }
        }
        return out
    }
}
