// Applies a dataset's filter pipeline (IV.A.2.l) in reverse to one stored chunk:
// fletcher32 (verify and strip), deflate (zlib inflate), shuffle (unshuffle).
// Filters flagged in the chunk's mask were skipped by the writer and are skipped here.

struct ChunkDecoder {
    let filters: [FilterDescription]
    let chunkBytes: Int
    let elementSize: Int
    private let scratch = ScratchBuffers()

    init(filters: [FilterDescription], chunkBytes: Int, elementSize: Int) throws {
        for f in filters where ![FilterDescription.deflate, FilterDescription.shuffle, FilterDescription.fletcher32].contains(f.id) {
            throw FormatError.unsupported("filter \(f.displayName)")
        }
        self.filters = filters
        self.chunkBytes = chunkBytes
        self.elementSize = elementSize
    }

    /// Decodes `stored` and hands the `chunkBytes` result to `body` (valid only during the call).
    func decode<R>(_ stored: UnsafeRawBufferPointer, mask: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        var current = stored
        var next = 0  // scratch buffer to write next; alternates so input and output never alias
        for (i, f) in filters.enumerated().reversed() {
            if i < 32 && mask & (1 << UInt32(i)) != 0 { continue }
            switch f.id {
            case FilterDescription.fletcher32:
                let n = try Fletcher32.verify(current)
                current = UnsafeRawBufferPointer(rebasing: current[0..<n])
            case FilterDescription.deflate:
                let dst = scratch.buffer(next, count: chunkBytes)
                let n = try Inflate.zlibDecompress(current, into: dst)
                guard n == chunkBytes else {
                    throw FormatError("deflate: chunk decompressed to \(n) bytes, expected \(chunkBytes)")
                }
                current = UnsafeRawBufferPointer(dst)
                next ^= 1
            case FilterDescription.shuffle:
                let size = f.clientData.first.map(Int.init) ?? elementSize
                let dst = scratch.buffer(next, count: current.count)
                Shuffle.unshuffle(current, into: dst, elementSize: max(size, 1))
                current = UnsafeRawBufferPointer(dst)
                next ^= 1
            default:
                throw FormatError.unsupported("filter \(f.displayName)")
            }
        }
        guard current.count == chunkBytes else {
            throw FormatError("chunk holds \(current.count) bytes after filtering, expected \(chunkBytes)")
        }
        return try body(current)
    }
}

/// Two reusable decode buffers owned by one decoder (one decoder per thread).
final class ScratchBuffers {
    private var pointers: [UnsafeMutableRawPointer?] = [nil, nil]
    private var capacities = [0, 0]

    /// Buffer `which` with at least `count` bytes; reallocation discards the old contents.
    func buffer(_ which: Int, count: Int) -> UnsafeMutableRawBufferPointer {
        if capacities[which] < count {
            pointers[which]?.deallocate()
            pointers[which] = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
            capacities[which] = count
        }
        return UnsafeMutableRawBufferPointer(start: pointers[which], count: count)
    }

    deinit { for p in pointers { p?.deallocate() } }
}
