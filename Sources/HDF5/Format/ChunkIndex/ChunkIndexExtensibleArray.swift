// Spec: HDF5 File Format, "Extensible Array" chunk index: header ("EAHD"), index block
// ("EAIB"), secondary blocks ("EASB") and data blocks ("EADB", optionally paged). Used for
// datasets with exactly one unlimited dimension; element i is the chunk whose linear index,
// with the unlimited dimension moved first, is i.

enum ChunkIndexExtensibleArray {
    private struct SuperBlockInfo { let dataBlocks: Int; let elementsPerBlock: Int; let startIndex: Int; let startBlock: Int }

    static func records(_ core: FileCore, _ address: UInt64, _ g: ChunkGeometry) throws -> [ChunkRecord] {
        var r = try core.reader(at: address, "extensible array header")
        let start = r.position
        try r.signature("EAHD")
        _ = try r.u8()
        let client = try r.u8()
        let elementSize = Int(try r.u8())
        let maxBits = Int(try r.u8())
        let indexElements = Int(try r.u8())
        let minBlockElements = Int(try r.u8())
        let minPointers = Int(try r.u8())
        let pageBits = Int(try r.u8())
        for _ in 0..<4 { _ = try r.length(core) }
        let maxIndexSet = try r.lengthInt(core, "extensible array index count")
        _ = try r.length(core)
        let indexBlock = try r.address(core)
        try r.verifyChecksum(from: start, "extensible array header")
        try require(client == (g.filtered ? 1 : 0), "extensible array client type \(client) does not match the filter pipeline")
        func isPow2(_ v: Int) -> Bool { v > 0 && v & (v - 1) == 0 }
        try require(maxBits > 0 && maxBits <= 64 && isPow2(minBlockElements) && isPow2(minPointers) && pageBits < 32
                    && elementSize > 0, "extensible array parameters are invalid")
        guard let indexBlock else { return [] }
        try core.checkAllocation(try checkedMul(maxIndexSet, 64, "extensible array index"), "extensible array chunk index")

        // Super block table, as derived by the reference library from the creation parameters.
        let superBlocks = 1 + maxBits - minBlockElements.trailingZeroBitCount
        try require(superBlocks > 0 && superBlocks <= 64, "extensible array parameters are invalid")
        var info: [SuperBlockInfo] = []
        var startIndex = 0, startBlock = 0
        for s in 0..<superBlocks {
            let n = 1 << (s / 2)
            let e = try checkedMul(1 << ((s + 1) / 2), minBlockElements, "extensible array block size")
            info.append(SuperBlockInfo(dataBlocks: n, elementsPerBlock: e, startIndex: startIndex, startBlock: startBlock))
            startIndex = (try? checkedAdd(startIndex, try checkedMul(n, e, "x"), "x")) ?? Int.max / 2
            startBlock += n
        }
        let directSuperBlocks = 2 * minPointers.trailingZeroBitCount
        let directBlockCount = 2 * (minPointers - 1)
        let superBlockAddresses = max(superBlocks - directSuperBlocks, 0)
        let arrayOffsetSize = (maxBits + 7) / 8
        let pageElements = 1 << pageBits

        var ib = try core.reader(at: indexBlock, "extensible array index block")
        let ibStart = ib.position
        try ib.signature("EAIB")
        _ = try ib.u8(); _ = try ib.u8()
        _ = try ib.address(core)
        let inlineStart = ib.position
        try ib.skip(try checkedMul(indexElements, elementSize, "extensible array index block"))
        var dataBlockAddresses: [UInt64?] = []
        for _ in 0..<directBlockCount { dataBlockAddresses.append(try ib.address(core)) }
        var superAddresses: [UInt64?] = []
        for _ in 0..<superBlockAddresses { superAddresses.append(try ib.address(core)) }
        try ib.verifyChecksum(from: ibStart, "extensible array index block")

        let unlimited = (0..<g.dims.count).first { g.maxDims?[$0] == .some(nil) } ?? 0
        var order = [unlimited]
        order += (0..<g.dims.count).filter { $0 != unlimited }
        let grid = g.maxGridDims
        let swizzledGrid = order.map { $0 == unlimited ? Int.max : grid[$0] }
        func scaled(_ i: Int) -> [Int] {
            let c = ChunkGeometry.coordinates(i, grid: swizzledGrid)
            var out = [Int](repeating: 0, count: order.count)
            for (k, d) in order.enumerated() { out[d] = c[k] }
            return out
        }
        var out: [ChunkRecord] = []
        func take(_ reader: inout ByteReader, _ index: Int) throws {
            if let rec = try ChunkIndexReader.element(&reader, core, elementSize: elementSize, filtered: g.filtered,
                                                      scaled: scaled(index), chunkBytes: g.chunkBytes) {
                out.append(rec)
            }
        }

        var inline = try ByteReader(core.bytes, at: inlineStart)
        for i in 0..<min(indexElements, maxIndexSet) { try take(&inline, i) }
        var visited: Set<UInt64> = []

        // Reads one data block holding elements [first, first + count).
        func dataBlock(_ address: UInt64, first: Int, count: Int, pageBitmap: (([UInt8], Int))?) throws {
            try require(visited.insert(address).inserted, "extensible array block at \(address) is referenced twice")
            var d = try core.reader(at: address, "extensible array data block")
            let dStart = d.position
            try d.signature("EADB")
            _ = try d.u8(); _ = try d.u8()
            _ = try d.address(core)
            _ = try d.uint(size: arrayOffsetSize)
            let wanted = min(count, max(maxIndexSet - first, 0))
            if count <= pageElements {
                var elements = d
                try d.skip(try checkedMul(count, elementSize, "extensible array data block"))
                try d.verifyChecksum(from: dStart, "extensible array data block")
                for j in 0..<wanted { try take(&elements, first + j) }
                return
            }
            try d.verifyChecksum(from: dStart, "extensible array data block")
            var pageStart = d.position
            let pages = count / pageElements
            for p in 0..<pages {
                let pageSize = pageElements * elementSize + 4
                defer { pageStart += pageSize }
                if let (bitmap, bit0) = pageBitmap {
                    let bit = bit0 + p
                    guard bit / 8 < bitmap.count, bitmap[bit / 8] & (0x80 >> UInt8(bit % 8)) != 0 else { continue }
                }
                var pr = try ByteReader(core.bytes, at: pageStart, end: pageStart + pageSize)
                var elements = pr
                try pr.skip(pageElements * elementSize)
                try pr.verifyChecksum(from: pageStart, "extensible array data block page")
                for j in 0..<pageElements where p * pageElements + j < wanted { try take(&elements, first + p * pageElements + j) }
            }
        }

        var index = indexElements
        for s in 0..<superBlocks {
            guard index < maxIndexSet else { break }
            let sb = info[s]
            if s < directSuperBlocks {
                for k in 0..<sb.dataBlocks {
                    let slot = sb.startBlock + k
                    let first = indexElements + sb.startIndex + k * sb.elementsPerBlock
                    guard first < maxIndexSet, slot < dataBlockAddresses.count else { continue }
                    if let a = dataBlockAddresses[slot] { try dataBlock(a, first: first, count: sb.elementsPerBlock, pageBitmap: nil) }
                }
            } else {
                let slot = s - directSuperBlocks
                guard slot < superAddresses.count, let a = superAddresses[slot] else { index = indexElements + sb.startIndex + sb.dataBlocks * sb.elementsPerBlock; continue }
                try require(visited.insert(a).inserted, "extensible array block at \(a) is referenced twice")
                var sr = try core.reader(at: a, "extensible array secondary block")
                let sStart = sr.position
                try sr.signature("EASB")
                _ = try sr.u8(); _ = try sr.u8()
                _ = try sr.address(core)
                _ = try sr.uint(size: arrayOffsetSize)
                let paged = sb.elementsPerBlock > pageElements
                var bitmap: [UInt8] = []
                if paged {
                    let bits = try checkedMul(sb.dataBlocks, sb.elementsPerBlock / pageElements, "page bitmap")
                    bitmap = try sr.bytes((bits + 7) / 8)
                }
                var addrs: [UInt64?] = []
                for _ in 0..<sb.dataBlocks { addrs.append(try sr.address(core)) }
                try sr.verifyChecksum(from: sStart, "extensible array secondary block")
                for (k, da) in addrs.enumerated() {
                    let first = indexElements + sb.startIndex + k * sb.elementsPerBlock
                    guard first < maxIndexSet, let da else { continue }
                    try dataBlock(da, first: first, count: sb.elementsPerBlock,
                                  pageBitmap: paged ? (bitmap, k * (sb.elementsPerBlock / pageElements)) : nil)
                }
            }
            index = indexElements + sb.startIndex + sb.dataBlocks * sb.elementsPerBlock
        }
        return out
    }
}
