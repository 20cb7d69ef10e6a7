// Spec: HDF5 File Format, section IV.A.2.i (chunked storage) and the "Chunk Indexing"
// appendix: every index type yields the same records — where each stored chunk lives.

struct ChunkRecord: Sendable {
    /// Chunk position in the chunk grid (element offset / chunk extent), per dimension.
    let scaled: [Int]
    let address: UInt64
    /// Stored (possibly filtered) size in bytes.
    let size: Int
    /// Bit i set: filter i of the pipeline was not applied to this chunk.
    let filterMask: UInt32
}

struct ChunkGeometry: Sendable {
    let dims: [Int]
    let maxDims: [Int?]?
    let chunkDims: [Int]
    let elementSize: Int
    let chunkBytes: Int
    let filtered: Bool

    init(dims: [Int], maxDims: [Int?]?, chunkDims: [Int], elementSize: Int, filtered: Bool) throws {
        try require(chunkDims.count == dims.count, "chunk rank \(chunkDims.count) differs from dataspace rank \(dims.count)")
        try require(chunkDims.allSatisfy { $0 > 0 }, "chunk dimension of size 0")
        self.dims = dims
        self.maxDims = maxDims
        self.chunkDims = chunkDims
        self.elementSize = elementSize
        var b = elementSize
        for c in chunkDims { b = try checkedMul(b, c, "chunk size") }
        chunkBytes = b
        self.filtered = filtered
    }

    /// Chunks per dimension covering the current extent.
    var gridDims: [Int] { zip(dims, chunkDims).map { Self.ceilDiv($0, $1) } }

    /// ceil(a / b) without the overflow of (a + b - 1) / b.
    static func ceilDiv(_ a: Int, _ b: Int) -> Int { a / b + (a % b == 0 ? 0 : 1) }

    /// Chunks per dimension covering the maximum extent where it is finite (fixed-size indexes
    /// are laid out over the maximum dimensions).
    var maxGridDims: [Int] {
        (0..<dims.count).map { i in
            let d = maxDims?[i].flatMap { $0 } ?? dims[i]
            return Self.ceilDiv(max(d, dims[i]), chunkDims[i])
        }
    }

    /// Row-major coordinates of linear chunk index `i` in a grid.
    static func coordinates(_ i: Int, grid: [Int]) -> [Int] {
        var rest = i
        var out = [Int](repeating: 0, count: grid.count)
        for d in stride(from: grid.count - 1, through: 0, by: -1) {
            let g = max(grid[d], 1)
            out[d] = rest % g
            rest /= g
        }
        return out
    }
}

enum ChunkIndexReader {
    static func records(_ core: FileCore, _ layout: ChunkedLayout, _ g: ChunkGeometry) throws -> [ChunkRecord] {
        guard let address = layout.address else { return [] }  // nothing allocated yet
        switch layout.index {
        case .btreeV1:
            return try ChunkIndexBTreeV1.records(core, address, g)
        case .single(let filteredSize, let mask):
            return [ChunkRecord(scaled: [Int](repeating: 0, count: g.dims.count), address: address,
                                size: filteredSize ?? g.chunkBytes, filterMask: mask)]
        case .implicit:
            let grid = g.maxGridDims
            var total = 1
            for n in grid { total = try checkedMul(total, n, "implicit chunk count") }
            try core.checkAllocation(try checkedMul(total, 64, "implicit chunk index"), "implicit chunk index")
            var out: [ChunkRecord] = []
            for i in 0..<total {
                let a = try checkedMul(i, g.chunkBytes, "implicit chunk address")
                out.append(ChunkRecord(scaled: ChunkGeometry.coordinates(i, grid: grid), address: address &+ UInt64(a),
                                       size: g.chunkBytes, filterMask: 0))
            }
            return out
        case .fixedArray:
            return try ChunkIndexFixedArray.records(core, address, g)
        case .extensibleArray:
            return try ChunkIndexExtensibleArray.records(core, address, g)
        case .btreeV2:
            return try ChunkIndexBTreeV2.records(core, address, g)
        }
    }

    /// Decodes one index element: address, then (filtered) chunk size and filter mask.
    static func element(_ r: inout ByteReader, _ core: FileCore, elementSize: Int, filtered: Bool,
                        scaled: [Int], chunkBytes: Int) throws -> ChunkRecord? {
        let address = try r.address(core)
        var size = chunkBytes
        var mask: UInt32 = 0
        if filtered {
            let width = elementSize - core.offsetSize - 4
            try require(width >= 1 && width <= 8, "chunk index element size \(elementSize) is invalid")
            size = try toInt(try r.uint(size: width), "filtered chunk size")
            mask = try r.u32()
        } else {
            try require(elementSize == core.offsetSize, "chunk index element size \(elementSize) is invalid")
        }
        guard let address else { return nil }
        return ChunkRecord(scaled: scaled, address: address, size: size, filterMask: mask)
    }
}
