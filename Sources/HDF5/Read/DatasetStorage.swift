// Reads the raw bytes of a dataset (all of it, or rows a..<b along the first axis) from its
// compact, contiguous or chunked storage. Only chunks that intersect the selection are
// decoded; chunks are decoded in parallel; missing storage reads as the fill value.
import Dispatch
import Foundation

struct DatasetStorage: Sendable {
    let dataspace: Dataspace
    let datatype: HDF5Datatype
    let layout: DataLayout
    let filters: [FilterDescription]
    let fillValue: [UInt8]?
    /// Bytes per element in this file (variable-length elements depend on the offset size).
    let elementSize: Int

    init(_ core: FileCore, header: ObjectHeader) throws {
        guard let ds = header.first(MessageType.dataspace), let dt = header.first(MessageType.datatype),
              let lo = header.first(MessageType.layout) else {
            throw FormatError("object is not a dataset (missing dataspace, datatype or layout message)")
        }
        if dt.isShared { throw FormatError.unsupported("committed (shared) datatype") }
        if ds.isShared { throw FormatError.unsupported("shared dataspace") }
        if lo.isShared { throw FormatError.unsupported("shared layout message") }
        var r = try ds.reader(core)
        dataspace = try Dataspace.decode(&r, core)
        r = try dt.reader(core)
        datatype = try DatatypeMessage.decode(&r)
        r = try lo.reader(core)
        layout = try DataLayout.decode(&r, core)
        if let fp = header.first(MessageType.filterPipeline) {
            r = try fp.reader(core)
            filters = try FilterPipelineMessage.decode(&r)
        } else {
            filters = []
        }
        if header.has(MessageType.externalFiles) { throw FormatError.unsupported("external data storage") }
        var fill: [UInt8]? = nil
        if let fv = header.first(MessageType.fillValue) {
            r = try fv.reader(core)
            fill = try FillValueMessage.decode(&r, old: false)
        } else if let fv = header.first(MessageType.fillValueOld) {
            r = try fv.reader(core)
            fill = try FillValueMessage.decode(&r, old: true)
        }
        elementSize = datatype.storageSize(core)
        fillValue = fill?.count == elementSize ? fill : nil
        if case .chunked(let c) = layout {
            try require(c.chunkDims.count == dataspace.dims.count,
                        "chunk rank \(c.chunkDims.count) differs from dataspace rank \(dataspace.dims.count)")
        }
    }

    var shape: [Int] { dataspace.dims }

    /// Number of elements in rows `rows` (all rows when nil), checked against the read limit.
    func selectionCount(_ core: FileCore, rows: Range<Int>?) throws -> (count: Int, bytes: Int) {
        var n = try dataspace.elementCount()
        if let rows {
            try require(!dataspace.dims.isEmpty, "row selection on a scalar or empty dataset")
            try require(rows.lowerBound >= 0 && rows.upperBound <= dataspace.dims[0],
                        "rows \(rows.lowerBound)..<\(rows.upperBound) out of range 0..<\(dataspace.dims[0])")
            n = 1
            for d in dataspace.dims.dropFirst() { n = try checkedMul(n, d, "selection size") }
            n = try checkedMul(n, rows.count, "selection size")
        }
        let bytes = try checkedMul(n, elementSize, "selection size in bytes")
        try core.checkAllocation(bytes, "reading \(n) elements")
        return (n, bytes)
    }

    /// Fills `out` (exactly the selection's byte count) with the selected elements, row-major.
    func read(_ core: FileCore, rows: Range<Int>?, into out: UnsafeMutableRawBufferPointer) throws {
        let es = elementSize
        let dims = dataspace.dims
        if out.count == 0 { return }
        let rowRange = rows ?? 0..<(dims.first ?? 1)
        var rowBytes = es
        for d in dims.dropFirst() { rowBytes = try checkedMul(rowBytes, d, "row size") }
        let skip = try checkedMul(rowRange.lowerBound, rowBytes, "row offset")
        switch layout {
        case .compact(let offset, let size):
            try require(skip + out.count <= size, "compact data (\(size) bytes) is smaller than the dataspace needs")
            out.baseAddress!.copyMemory(from: core.bytes.baseAddress! + offset + skip, byteCount: out.count)
        case .contiguous(let address, let size):
            guard let address else { fill(out); return }
            try require(skip + out.count <= size, "contiguous storage (\(size) bytes) is smaller than the dataspace needs")
            let range = try core.range(at: address, length: size, "contiguous data")
            out.baseAddress!.copyMemory(from: core.bytes.baseAddress! + range.lowerBound + skip, byteCount: out.count)
        case .chunked(let c):
            try readChunked(core, c, rows: rowRange, into: out)
        }
    }

    private func fill(_ out: UnsafeMutableRawBufferPointer) {
        guard let fv = fillValue, fv.contains(where: { $0 != 0 }) else {
            out.initializeMemory(as: UInt8.self, repeating: 0)
            return
        }
        let es = fv.count
        for i in stride(from: 0, to: out.count - es + 1, by: es) {
            for j in 0..<es { out[i + j] = fv[j] }
        }
    }

    func geometry(_ c: ChunkedLayout) throws -> ChunkGeometry {
        try ChunkGeometry(dims: dataspace.dims, maxDims: dataspace.maxDims, chunkDims: c.chunkDims,
                          elementSize: elementSize, filtered: !filters.isEmpty)
    }

    private func readChunked(_ core: FileCore, _ c: ChunkedLayout, rows: Range<Int>, into out: UnsafeMutableRawBufferPointer) throws {
        let g = try geometry(c)
        try require(!g.dims.isEmpty, "chunked storage for a scalar dataspace")
        let dims = g.dims
        let chunk = g.chunkDims
        let rank = dims.count
        try core.checkAllocation(g.chunkBytes, "a chunk of \(g.chunkBytes) bytes")
        let all = try ChunkIndexReader.records(core, c, g)
        // Keep one record per chunk position that intersects the selection.
        var seen: Set<[Int]> = []
        var wanted: [ChunkRecord] = []
        for rec in all {
            guard rec.scaled.count == rank else { throw FormatError("chunk record rank differs from the dataset rank") }
            var inside = true
            for d in 0..<rank {
                let (o, ov) = rec.scaled[d].multipliedReportingOverflow(by: chunk[d])
                if ov || o >= dims[d] { inside = false; break }
            }
            guard inside else { continue }
            let o0 = rec.scaled[0] * chunk[0]
            guard o0 < rows.upperBound, o0 > rows.lowerBound - chunk[0] else { continue }
            if seen.insert(rec.scaled).inserted { wanted.append(rec) }
        }
        var needed = 1
        let firstChunkRow = rows.lowerBound / chunk[0]
        let lastChunkRow = (rows.upperBound - 1) / chunk[0]
        needed = lastChunkRow - firstChunkRow + 1
        for d in 1..<max(rank, 1) { needed = try checkedMul(needed, ChunkGeometry.ceilDiv(dims[d], chunk[d]), "chunk count") }
        if wanted.count < needed { fill(out) }
        if wanted.isEmpty { return }

        // Strides of the chunk and of the output selection, in bytes.
        let es = g.elementSize
        var chunkStride = [Int](repeating: es, count: rank)
        var outStride = [Int](repeating: es, count: rank)
        for d in stride(from: rank - 2, through: 0, by: -1) {
            chunkStride[d] = chunkStride[d + 1] * chunk[d + 1]
            outStride[d] = outStride[d + 1] * dims[d + 1]
        }
        let context = CopyContext(rows: rows, dims: dims, chunk: chunk, chunkStride: chunkStride, outStride: outStride,
                                  out: SendablePointer(pointer: out.baseAddress!), outCount: out.count)
        let filters = self.filters
        let threads = min(core.decodeThreads, wanted.count)
        let work = ChunkWork(records: wanted)
        let decodeOne: @Sendable (inout ChunkDecoder, ChunkRecord) throws -> Void = { decoder, rec in
            let range = try core.range(at: rec.address, length: rec.size, "chunk")
            let stored = UnsafeRawBufferPointer(rebasing: core.bytes[range])
            if filters.isEmpty {
                try require(rec.size >= g.chunkBytes, "chunk of \(rec.size) bytes is smaller than the chunk size \(g.chunkBytes)")
                context.copy(UnsafeRawBufferPointer(rebasing: stored[0..<g.chunkBytes]), scaled: rec.scaled)
            } else {
                try decoder.decode(stored, mask: rec.filterMask) { context.copy($0, scaled: rec.scaled) }
            }
        }
        if threads <= 1 {
            var decoder = try ChunkDecoder(filters: filters, chunkBytes: g.chunkBytes, elementSize: es)
            for rec in wanted { try decodeOne(&decoder, rec) }
            return
        }
        _ = try ChunkDecoder(filters: filters, chunkBytes: g.chunkBytes, elementSize: es)  // validates the pipeline
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            guard var decoder = try? ChunkDecoder(filters: filters, chunkBytes: g.chunkBytes, elementSize: es) else { return }
            while let rec = work.next() {
                do { try decodeOne(&decoder, rec) } catch { work.fail(error); return }
            }
        }
        if let e = work.error { throw e }
    }
}

/// Raw output pointer shared by decoding threads; each thread writes disjoint chunk regions.
struct SendablePointer: @unchecked Sendable { let pointer: UnsafeMutableRawPointer }

/// Work queue of chunk records with first-error capture.
final class ChunkWork: @unchecked Sendable {
    private let lock = NSLock()
    private let records: [ChunkRecord]
    private var nextIndex = 0
    private(set) var error: Error?

    init(records: [ChunkRecord]) { self.records = records }

    func next() -> ChunkRecord? {
        lock.lock(); defer { lock.unlock() }
        guard error == nil, nextIndex < records.count else { return nil }
        defer { nextIndex += 1 }
        return records[nextIndex]
    }

    func fail(_ e: Error) {
        lock.lock(); defer { lock.unlock() }
        if error == nil { error = e }
    }
}

/// Copies the part of a decoded chunk that intersects the row selection into the output.
struct CopyContext: Sendable {
    let rows: Range<Int>
    let dims: [Int]
    let chunk: [Int]
    let chunkStride: [Int]
    let outStride: [Int]
    let out: SendablePointer
    let outCount: Int

    func copy(_ data: UnsafeRawBufferPointer, scaled: [Int]) {
        let rank = dims.count
        var lo = [Int](repeating: 0, count: rank)
        var hi = [Int](repeating: 0, count: rank)
        for d in 0..<rank {
            let o = scaled[d] * chunk[d]
            lo[d] = o
            hi[d] = o > dims[d] - chunk[d] ? dims[d] : o + chunk[d]
        }
        lo[0] = max(lo[0], rows.lowerBound)
        hi[0] = min(hi[0], rows.upperBound)
        guard (0..<rank).allSatisfy({ lo[$0] < hi[$0] }) else { return }
        let runBytes = (hi[rank - 1] - lo[rank - 1]) * chunkStride[rank - 1]
        var idx = lo
        let src = data.baseAddress!
        let dst = out.pointer
        while true {
            var s = 0, t = 0
            for d in 0..<rank {
                s += (idx[d] - scaled[d] * chunk[d]) * chunkStride[d]
                t += (d == 0 ? idx[0] - rows.lowerBound : idx[d]) * outStride[d]
            }
            if s + runBytes <= data.count && t + runBytes <= outCount {
                (dst + t).copyMemory(from: src + s, byteCount: runBytes)
            }
            // Odometer over every dimension but the innermost.
            var d = rank - 2
            while d >= 0 {
                idx[d] += 1
                if idx[d] < hi[d] { break }
                idx[d] = lo[d]
                d -= 1
            }
            if d < 0 { return }
        }
    }
}
