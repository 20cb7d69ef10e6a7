// Lists a group's members from either representation: old-style symbol tables (v1 B-tree of
// SNOD nodes + local heap names) or new-style links (compact link messages, or dense storage
// in a fractal heap indexed by a v2 B-tree of name hashes, record type 5).

enum GroupMembers {
    static func isGroup(_ h: ObjectHeader) -> Bool {
        h.has(MessageType.symbolTable) || h.has(MessageType.linkInfo) || h.has(MessageType.link) || h.has(MessageType.groupInfo)
    }

    static func isDataset(_ h: ObjectHeader) -> Bool { h.has(MessageType.layout) }

    /// Members sorted by name in byte order (the order h5py lists them for name-indexed groups).
    static func links(_ core: FileCore, _ header: ObjectHeader) throws -> [Link] {
        var links: [Link] = []
        if let st = header.first(MessageType.symbolTable) {
            var r = try st.reader(core)
            let table = try SymbolTableMessage.decode(&r, core)
            let heap = try LocalHeap(core, address: table.localHeap)
            let nodes = try BTreeV1.leafEntries(core, root: table.btree, nodeType: 0, keySize: core.lengthSize)
            for node in nodes {
                for e in try SymbolTableNode.entries(core, address: node.child) {
                    let name = try heap.string(core, at: e.nameOffset)
                    if let header = e.objectHeader {
                        links.append(Link(name: name, target: .hard(header), creationOrder: nil))
                    } else {
                        let target = try heap.string(core, at: e.softLinkOffset ?? 0)
                        links.append(Link(name: name, target: .soft(target), creationOrder: nil))
                    }
                }
            }
        } else {
            for m in header.all(MessageType.link) {
                var r = try m.reader(core)
                links.append(try Link.decode(&r, core))
            }
            if let li = header.first(MessageType.linkInfo) {
                var r = try li.reader(core)
                let info = try DenseStorageInfo.decodeLinkInfo(&r, core)
                if let heapAddress = info.fractalHeap, let index = info.nameIndex {
                    let heap = try FractalHeap(core, address: heapAddress)
                    let tree = try BTreeV2.enumerate(core, address: index, expectedTypes: [5])
                    try require(tree.recordSize > 4, "dense link index record size \(tree.recordSize) is invalid")
                    for at in tree.records {
                        let range = try heap.object(idOffset: at + 4, idLength: tree.recordSize - 4)
                        var lr = try ByteReader(core.bytes, at: range.lowerBound, end: range.upperBound)
                        links.append(try Link.decode(&lr, core))
                    }
                }
            }
        }
        links.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        for i in links.indices.dropFirst() where links[i].name == links[i - 1].name {
            throw FormatError("group lists the member '\(links[i].name)' twice")
        }
        return links
    }
}
