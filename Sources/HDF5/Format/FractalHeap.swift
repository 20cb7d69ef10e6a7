// Spec: HDF5 File Format, section III.F "Disk Format: Level 1F - Fractal Heap": header
// ("FRHP"), direct blocks ("FHDB") and indirect blocks ("FHIB") of a doubling table.
// Dense groups and dense attribute storage keep their link/attribute messages here.
// Managed, tiny and (unfiltered) huge objects are supported; filtered heaps are not.

final class FractalHeap {
    private let core: FileCore
    private let address: UInt64
    private let heapIdLength: Int
    private let hugeObjectIndex: UInt64?
    private let flags: UInt8
    private let maxManagedObjectSize: Int
    private let tableWidth: Int
    private let startBlockSize: Int
    private let maxDirectBlockSize: Int
    private let maxHeapSizeBits: Int
    private let rootAddress: UInt64?
    private let currentRows: Int
    private let offsetBytes: Int
    private let lengthBytes: Int
    private let maxDirectRows: Int
    private var verifiedBlocks: Set<Int> = []

    init(_ core: FileCore, address: UInt64) throws {
        self.core = core
        self.address = address
        var r = try core.reader(at: address, "fractal heap header")
        let start = r.position
        try r.signature("FRHP")
        let version = try r.u8()
        try require(version == 0, "unsupported fractal heap version \(version)")
        heapIdLength = Int(try r.u16())
        let filterLength = Int(try r.u16())
        flags = try r.u8()
        maxManagedObjectSize = Int(try r.u32())
        _ = try r.length(core)   // next huge object id
        hugeObjectIndex = try r.address(core)
        _ = try r.length(core)   // free space in managed blocks
        _ = try r.address(core)  // free-space manager
        for _ in 0..<8 { _ = try r.length(core) }  // managed/allocated/iterator/object counts and sizes
        tableWidth = Int(try r.u16())
        startBlockSize = try r.lengthInt(core, "fractal heap starting block size")
        maxDirectBlockSize = try r.lengthInt(core, "fractal heap maximum direct block size")
        maxHeapSizeBits = Int(try r.u16())
        _ = try r.u16()  // starting rows of the root indirect block
        rootAddress = try r.address(core)
        currentRows = Int(try r.u16())
        if filterLength > 0 {
            throw FormatError.unsupported("filtered fractal heap (dense storage with I/O filters)")
        }
        try r.verifyChecksum(from: start, "fractal heap header")
        func isPow2(_ v: Int) -> Bool { v > 0 && v & (v - 1) == 0 }
        try require(isPow2(tableWidth) && tableWidth <= 65536, "fractal heap table width \(tableWidth) is invalid")
        try require(isPow2(startBlockSize) && isPow2(maxDirectBlockSize) && startBlockSize <= maxDirectBlockSize
                    && maxDirectBlockSize <= 1 << 32, "fractal heap block sizes are invalid")
        try require(maxHeapSizeBits >= 1 && maxHeapSizeBits <= 64, "fractal heap maximum size \(maxHeapSizeBits) bits is invalid")
        try require(currentRows <= maxHeapSizeBits, "fractal heap root has \(currentRows) rows")
        // Every row's block size must stay representable (see rowBlockSize).
        try require(startBlockSize.trailingZeroBitCount + max(maxHeapSizeBits, currentRows) < 62, "fractal heap geometry is invalid")
        offsetBytes = (maxHeapSizeBits + 7) / 8
        let directBits = maxDirectBlockSize.trailingZeroBitCount
        let limitEnc = (Int.bitWidth - 1 - max(maxManagedObjectSize, 1).leadingZeroBitCount) / 8 + 1
        lengthBytes = min((directBits + 7) / 8, limitEnc)
        maxDirectRows = directBits - startBlockSize.trailingZeroBitCount + 2
    }

    /// Size of one block in `row` of a doubling table.
    private func rowBlockSize(_ row: Int) -> Int {
        row <= 1 ? startBlockSize : startBlockSize << (row - 1)
    }

    /// File range of the object named by the heap ID stored at `idOffset` (`idLength` bytes).
    func object(idOffset: Int, idLength: Int) throws -> Range<Int> {
        var r = try ByteReader(core.bytes, at: idOffset, end: idOffset + idLength)
        let first = try r.u8()
        try require(first >> 6 == 0, "unsupported fractal heap ID version \(first >> 6)")
        switch (first >> 4) & 3 {
        case 0:
            let offset = try toInt(try r.uint(size: offsetBytes), "heap offset")
            let length = try toInt(try r.uint(size: lengthBytes), "heap object length")
            return try managed(offset: offset, length: length)
        case 2:
            // Tiny objects live inside the ID itself.
            let extended = heapIdLength > 18
            var n = Int(first & 0x0f)
            if extended { n = (n << 8) | Int(try r.u8()) }
            n += 1
            try require(n <= r.remaining, "tiny fractal heap object overruns its ID")
            return r.position..<(r.position + n)
        case 1:
            return try huge(&r)
        default:
            throw FormatError("invalid fractal heap ID type")
        }
    }

    /// Huge objects live outside the heap: their address and length are either in the ID
    /// itself or in a v2 B-tree (record type 1: address, length, ID) keyed by the ID.
    private func huge(_ r: inout ByteReader) throws -> Range<Int> {
        if heapIdLength - 1 >= core.offsetSize + core.lengthSize {
            guard let address = try r.address(core) else { throw FormatError("huge heap object with undefined address") }
            let length = try r.lengthInt(core, "huge heap object length")
            return try core.range(at: address, length: length, "huge heap object")
        }
        let id = try r.uint(size: min(r.remaining, 8))
        guard let index = hugeObjectIndex else { throw FormatError("huge heap object without an index") }
        let tree = try BTreeV2.enumerate(core, address: index, expectedTypes: [1])
        try require(tree.recordSize >= core.offsetSize + 2 * core.lengthSize, "huge object record size \(tree.recordSize) is invalid")
        for at in tree.records {
            var rec = try ByteReader(core.bytes, at: at, end: at + tree.recordSize)
            let address = try rec.address(core)
            let length = try rec.lengthInt(core, "huge heap object length")
            guard try rec.length(core) == id else { continue }
            guard let address else { throw FormatError("huge heap object with undefined address") }
            return try core.range(at: address, length: length, "huge heap object")
        }
        throw FormatError("huge heap object \(id) not found in its index")
    }

    private func managed(offset: Int, length: Int) throws -> Range<Int> {
        guard let root = rootAddress else { throw FormatError("fractal heap object in an empty heap") }
        var blockAddress = root
        var blockOffset = 0
        var rows = currentRows
        var depth = 0
        var visited: Set<UInt64> = []
        // Descend through indirect blocks until the direct block holding `offset`.
        while rows > 0 {
            depth += 1
            try require(depth <= 32 && visited.insert(blockAddress).inserted, "fractal heap indirect blocks form a cycle")
            var r = try core.reader(at: blockAddress, "fractal heap indirect block")
            let start = r.position
            try r.signature("FHIB")
            _ = try r.u8()
            _ = try r.address(core)
            _ = try r.uint(size: offsetBytes)
            let directRows = min(rows, maxDirectRows)
            let entries = rows * tableWidth
            let entriesStart = r.position
            try r.skip(try checkedMul(entries, core.offsetSize, "fractal heap indirect block size"))
            try r.verifyChecksum(from: start, "fractal heap indirect block")
            // Locate the row and column covering `offset`.
            var rel = offset - blockOffset
            var row = 0
            while true {
                let span = try checkedMul(rowBlockSize(row), tableWidth, "fractal heap row span")
                if rel < span { break }
                rel -= span
                row += 1
                try require(row < rows, "fractal heap offset \(offset) beyond the heap")
            }
            let col = rel / rowBlockSize(row)
            var e = try ByteReader(core.bytes, at: entriesStart + (row * tableWidth + col) * core.offsetSize)
            guard let child = try e.address(core) else {
                throw FormatError("fractal heap offset \(offset) lies in an unallocated block")
            }
            let childOffset = offset - rel + col * rowBlockSize(row)
            blockAddress = child
            blockOffset = childOffset
            if row < directRows {
                return try direct(blockAddress, blockOffset: blockOffset, size: rowBlockSize(row), offset: offset, length: length)
            }
            let bits = rowBlockSize(row).trailingZeroBitCount
            rows = bits - (startBlockSize.trailingZeroBitCount + tableWidth.trailingZeroBitCount) + 1
            try require(rows > 0, "fractal heap indirect block with no rows")
        }
        return try direct(blockAddress, blockOffset: blockOffset, size: startBlockSize, offset: offset, length: length)
    }

    private func direct(_ address: UInt64, blockOffset: Int, size: Int, offset: Int, length: Int) throws -> Range<Int> {
        let range = try core.range(at: address, length: size, "fractal heap direct block")
        var r = try ByteReader(core.bytes, at: range.lowerBound, end: range.upperBound)
        try r.signature("FHDB")
        _ = try r.u8()
        _ = try r.address(core)
        _ = try r.uint(size: offsetBytes)
        if flags & 0x02 != 0 && !verifiedBlocks.contains(range.lowerBound) {
            // The checksum covers the whole block with the checksum field zeroed.
            let checksumAt = r.position - range.lowerBound
            let stored = try r.u32()
            var copy = Array(UnsafeRawBufferPointer(rebasing: core.bytes[range]))
            for i in 0..<4 { copy[checksumAt + i] = 0 }
            try require(Lookup3.hash(copy) == stored, "fractal heap direct block checksum mismatch")
            verifiedBlocks.insert(range.lowerBound)
        }
        let within = offset - blockOffset
        try require(within >= 0 && length >= 0 && within <= size - length,
                    "fractal heap object (offset \(offset), length \(length)) overruns its direct block")
        return (range.lowerBound + within)..<(range.lowerBound + within + length)
    }
}
