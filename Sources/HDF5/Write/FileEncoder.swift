// Lays out a writer's tree as an HDF5 file of the "earliest" family: superblock v0 (II.A),
// global heap collections for variable-length strings (III.E), and per group a local heap
// (III.D), symbol-table nodes (III.B) and a v1 B-tree (III.A.1), per dataset contiguous data
// or deflated chunks indexed by a v1 B-tree, and version 1 object headers (IV.A.1.a).
// Objects are written children first so every address is known when it is needed.

struct FileEncoder {
    let writer: HDF5Writer
    var out = ByteBuffer()
    /// Global heap IDs of each variable-length string attribute, keyed by "path\0name".
    var heapIDs: [String: [(collection: UInt64, index: UInt16)]] = [:]

    static let groupLeafK = 4
    static let groupInternalK = 16
    static let chunkInternalK = 32
    static let undefined = UInt64.max

    init(writer: HDF5Writer) { self.writer = writer }

    mutating func encode() throws -> [UInt8] {
        // Room for the data and the metadata around it, so that the buffer is not regrown (and copied) as
        // megabytes of datasets are appended.
        let payload = writer.datasets.values.reduce(0) { $0 + $1.data.count }
        out.bytes.reserveCapacity(payload + 65_536 + 4_096 * (writer.datasets.count + writer.groups.count))
        out.zeros(96)
        try writeGlobalHeaps()
        let root = try writeGroup("/")
        // Superblock version 0.
        var sb = ByteBuffer()
        sb.append([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])
        sb.append([0, 0, 0, 0, 0, 8, 8, 0])
        sb.u16(UInt16(Self.groupLeafK)); sb.u16(UInt16(Self.groupInternalK)); sb.u32(0)
        sb.u64(0); sb.undefinedAddress(); sb.u64(UInt64(out.count)); sb.undefinedAddress()
        sb.u64(0); sb.u64(root.header); sb.u32(1); sb.u32(0); sb.u64(root.btree); sb.u64(root.heap)
        out.bytes.replaceSubrange(0..<96, with: sb.bytes)
        return out.bytes
    }

    // MARK: global heap

    private mutating func writeGlobalHeaps() throws {
        var objects: [(key: String, data: [UInt8])] = []
        for path in writer.attributes.keys.sorted() {
            for a in writer.attributes[path] ?? [] where a.type == .variableString {
                for s in a.strings { objects.append((path + "\u{0}" + a.name, Array(s.utf8))) }
            }
        }
        var start = 0
        while start < objects.count {
            let end = min(start + 60000, objects.count)
            let address = UInt64(out.count)
            var body = ByteBuffer()
            for (i, o) in objects[start..<end].enumerated() {
                body.u16(UInt16(i + 1)); body.u16(1); body.u32(0); body.u64(UInt64(o.data.count))
                body.append(o.data.padded(to: 8))
                heapIDs[o.key, default: []].append((address, UInt16(i + 1)))
            }
            let used = 16 + body.count
            let size = max(4096, used + 16)
            out.ascii("GCOL"); out.u8(1); out.zeros(3); out.u64(UInt64(size))
            out.append(body.bytes)
            // Free space object: index 0, size covering the rest of the collection.
            out.u16(0); out.u16(0); out.u32(0); out.u64(UInt64(size - used))
            out.zeros(size - used - 16)
            start = end
        }
    }

    // MARK: groups

    private func children(of path: String) -> [String] {
        let prefix = path == "/" ? "/" : path + "/"
        var names: Set<String> = []
        for p in writer.groups where p != "/" && p.hasPrefix(prefix) {
            let rest = p.dropFirst(prefix.count)
            if !rest.contains("/") { names.insert(String(rest)) }
        }
        for p in writer.datasets.keys where p.hasPrefix(prefix) {
            let rest = p.dropFirst(prefix.count)
            if !rest.contains("/") { names.insert(String(rest)) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private struct GroupAddresses { let header: UInt64; let btree: UInt64; let heap: UInt64 }

    private mutating func writeGroup(_ path: String) throws -> GroupAddresses {
        struct Entry { let nameOffset: UInt64; let header: UInt64; let cache: (UInt64, UInt64)? }
        var entries: [Entry] = []
        // Local heap data: the empty string at offset 0, then every member name.
        var heapData = ByteBuffer()
        heapData.zeros(8)
        for name in children(of: path) {
            let child = path == "/" ? "/" + name : path + "/" + name
            let offset = UInt64(heapData.count)
            heapData.append((Array(name.utf8) + [0]).padded(to: 8))
            if writer.datasets[child] != nil {
                entries.append(Entry(nameOffset: offset, header: try writeDataset(child), cache: nil))
            } else {
                let g = try writeGroup(child)
                entries.append(Entry(nameOffset: offset, header: g.header, cache: (g.btree, g.heap)))
            }
        }
        let heapAddress = UInt64(out.count)
        out.ascii("HEAP"); out.u8(0); out.zeros(3)
        out.u64(UInt64(heapData.count)); out.u64(1)  // 1 = no free block (H5HL_FREE_NULL)
        out.u64(heapAddress + 32)
        out.append(heapData.bytes)

        // Symbol-table nodes of 2K entries each, then the B-tree over them.
        let perNode = 2 * Self.groupLeafK
        var leaves: [(address: UInt64, lastName: UInt64)] = []
        var i = 0
        while i < entries.count {
            let slice = entries[i..<min(i + perNode, entries.count)]
            let address = UInt64(out.count)
            out.ascii("SNOD"); out.u8(1); out.u8(0); out.u16(UInt16(slice.count))
            for e in slice {
                out.u64(e.nameOffset); out.u64(e.header)
                if let (bt, hp) = e.cache {
                    out.u32(1); out.u32(0); out.u64(bt); out.u64(hp)
                } else {
                    out.u32(0); out.u32(0); out.zeros(16)
                }
            }
            out.zeros((perNode - slice.count) * 40)
            leaves.append((address, slice.last?.nameOffset ?? 0))
            i += perNode
        }
        let btree = writeBTree(type: 0, children: leaves.map { ($0.address, Self.groupKey($0.lastName)) },
                               firstKey: Self.groupKey(0), lastKey: nil, maxEntries: 2 * Self.groupInternalK, keySize: 8)
        var messages: [(type: UInt16, flags: UInt8, body: [UInt8])] = [
            (MessageType.symbolTable, 0, MessageEncoding.symbolTable(btree: btree, heap: heapAddress))
        ]
        messages += try attributeMessages(path)
        let header = UInt64(out.count)
        out.append(MessageEncoding.objectHeader(messages))
        return GroupAddresses(header: header, btree: btree, heap: heapAddress)
    }

    private static func groupKey(_ offset: UInt64) -> [UInt8] {
        var b = ByteBuffer(); b.u64(offset); return b.bytes
    }

    /// Writes a v1 B-tree over `children` (address plus the key that bounds it on the right
    /// for groups, or on the left for chunks). Nodes hold at most `maxEntries` children and
    /// are padded to their full size; levels are added until one root remains.
    private mutating func writeBTree(type: UInt8, children: [(UInt64, [UInt8])], firstKey: [UInt8], lastKey: [UInt8]?,
                                     maxEntries: Int, keySize: Int) -> UInt64 {
        let nodeSize = 24 + maxEntries * 8 + (maxEntries + 1) * keySize
        // Each level item: child address, key before it, key after it.
        var items: [(address: UInt64, left: [UInt8], right: [UInt8])] = []
        if type == 0 {
            var left = firstKey
            for (a, k) in children { items.append((a, left, k)); left = k }
        } else {
            for (i, (a, k)) in children.enumerated() {
                items.append((a, k, i + 1 < children.count ? children[i + 1].1 : (lastKey ?? k)))
            }
        }
        var level: UInt8 = 0
        repeat {
            let groups = stride(from: 0, to: max(items.count, 1), by: maxEntries).map { Array(items[$0..<min($0 + maxEntries, items.count)]) }
            let base = UInt64(out.count)
            var next: [(address: UInt64, left: [UInt8], right: [UInt8])] = []
            for (g, node) in groups.enumerated() {
                let address = base + UInt64(g * nodeSize)
                out.ascii("TREE"); out.u8(type); out.u8(level); out.u16(UInt16(node.count))
                if g > 0 { out.u64(address - UInt64(nodeSize)) } else { out.undefinedAddress() }
                if g + 1 < groups.count { out.u64(address + UInt64(nodeSize)) } else { out.undefinedAddress() }
                let start = out.count
                for item in node { out.append(item.left); out.u64(item.address) }
                out.append(node.last?.right ?? firstKey)
                out.zeros(nodeSize - 24 - (out.count - start))
                next.append((address, node.first?.left ?? firstKey, node.last?.right ?? firstKey))
            }
            if next.count == 1 { return next[0].address }
            items = next
            level += 1
        } while true
    }

    // MARK: datasets

    private mutating func writeDataset(_ path: String) throws -> UInt64 {
        guard let d = writer.datasets[path] else { throw HDF5Writer.error(path, "missing dataset") }
        var messages: [(type: UInt16, flags: UInt8, body: [UInt8])] = [
            (MessageType.dataspace, 0, MessageEncoding.dataspace(d.shape, withMaxDims: true)),
            (MessageType.datatype, 1, MessageEncoding.datatype(d.type)),
            (MessageType.fillValue, 1, MessageEncoding.fillValue(chunked: d.chunks != nil)),
        ]
        if let chunk = d.chunks {
            let btree = writeChunks(d, chunk)
            messages.append((MessageType.layout, 0, MessageEncoding.chunkedLayout(btree: btree, chunk: chunk, elementSize: d.type.size)))
            if let level = d.deflateLevel {
                messages.append((MessageType.filterPipeline, 1, MessageEncoding.deflatePipeline(level: level)))
            }
        } else {
            var address = Self.undefined
            if !d.data.isEmpty {
                out.pad(to: 8)
                address = UInt64(out.count)
                d.data.withUnsafeBytes { out.bytes.append(contentsOf: $0) }
            }
            messages.append((MessageType.layout, 0, MessageEncoding.contiguousLayout(address: address, size: d.data.count)))
        }
        messages += try attributeMessages(path)
        out.pad(to: 8)
        let header = UInt64(out.count)
        out.append(MessageEncoding.objectHeader(messages))
        return header
    }

    /// Writes every chunk (edge chunks padded to full size), then their v1 B-tree (type 1).
    private mutating func writeChunks(_ d: HDF5Writer.Dataset, _ chunk: [Int]) -> UInt64 {
        let rank = d.shape.count
        let es = d.type.size
        let grid = zip(d.shape, chunk).map { ($0 + $1 - 1) / $1 }
        let total = grid.reduce(1, *)
        var rowStride = [Int](repeating: es, count: rank)
        var chunkStride = [Int](repeating: es, count: rank)
        for k in stride(from: rank - 2, through: 0, by: -1) {
            rowStride[k] = rowStride[k + 1] * d.shape[k + 1]
            chunkStride[k] = chunkStride[k + 1] * chunk[k + 1]
        }
        let chunkBytes = chunk.reduce(es, *)
        var records: [(UInt64, [UInt8])] = []
        for linear in 0..<total {
            let scaled = ChunkGeometry.coordinates(linear, grid: grid)
            var buffer = [UInt8](repeating: 0, count: chunkBytes)
            let lo = (0..<rank).map { scaled[$0] * chunk[$0] }
            let hi = (0..<rank).map { min(lo[$0] + chunk[$0], d.shape[$0]) }
            var idx = lo
            let run = (hi[rank - 1] - lo[rank - 1]) * es
            outer: while true {
                var s = 0, t = 0
                for k in 0..<rank { s += idx[k] * rowStride[k]; t += (idx[k] - lo[k]) * chunkStride[k] }
                d.data.withUnsafeBytes { raw in buffer.replaceSubrange(t..<(t + run), with: raw[s..<(s + run)]) }
                var k = rank - 2
                while k >= 0 {
                    idx[k] += 1
                    if idx[k] < hi[k] { break }
                    idx[k] = lo[k]
                    k -= 1
                }
                if k < 0 { break outer }
            }
            let stored = d.deflateLevel.map { Deflate.zlibCompress(buffer, level: $0) } ?? buffer
            let address = UInt64(out.count)
            out.append(stored)
            records.append((address, Self.chunkKey(size: stored.count, offsets: lo)))
        }
        let end = Self.chunkKey(size: 0, offsets: (0..<rank).map { grid[$0] * chunk[$0] })
        return writeBTree(type: 1, children: records, firstKey: end, lastKey: end, maxEntries: 2 * Self.chunkInternalK,
                          keySize: 8 + 8 * (rank + 1))
    }

    private static func chunkKey(size: Int, offsets: [Int]) -> [UInt8] {
        var b = ByteBuffer()
        b.u32(UInt32(size)); b.u32(0)
        for o in offsets { b.u64(UInt64(o)) }
        b.u64(0)
        return b.bytes
    }

    // MARK: attributes

    private func attributeMessages(_ path: String) throws -> [(type: UInt16, flags: UInt8, body: [UInt8])] {
        try (writer.attributes[path] ?? []).map { a in
            var data: [UInt8]
            if let raw = a.raw {
                data = raw
            } else {
                let ids = heapIDs[path + "\u{0}" + a.name] ?? []
                var b = ByteBuffer()
                for (s, id) in zip(a.strings, ids) {
                    b.u32(UInt32(s.utf8.count)); b.u64(id.collection); b.u32(UInt32(id.index))
                }
                data = b.bytes
            }
            let body = MessageEncoding.attribute(name: a.name, type: a.type, dims: a.dims, data: data)
            guard body.count <= 65528 else {
                throw HDF5Writer.error(path, "attribute '\(a.name)' is too large for an object header (\(body.count) bytes; limit 64 KiB)")
            }
            return (MessageType.attribute, 0, body)
        }
    }
}
