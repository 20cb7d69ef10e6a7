// Spec: HDF5 File Format, sections III.B "Group Symbol Table Nodes" ("SNOD") and III.C
// "Symbol Table Entry": the leaves of an old-style group's v1 B-tree.

enum SymbolTableNode {
    struct Entry {
        let nameOffset: UInt64
        /// Hard link target, or nil for a soft link (cache type 2).
        let objectHeader: UInt64?
        /// Soft links: local heap offset of the link value.
        let softLinkOffset: UInt64?
    }

    static func entries(_ core: FileCore, address: UInt64) throws -> [Entry] {
        var r = try core.reader(at: address, "symbol table node")
        try r.signature("SNOD")
        let version = try r.u8()
        try require(version == 1, "unsupported symbol table node version \(version)")
        _ = try r.u8()
        let count = Int(try r.u16())
        let entrySize = 2 * core.offsetSize + 24
        try require(count * entrySize <= r.remaining, "symbol table node at \(address) overruns the file")
        var out: [Entry] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            let name = try r.uint(size: core.offsetSize)
            let header = try r.address(core)
            let cacheType = try r.u32()
            try r.skip(4)
            let scratch = try r.u32()
            try r.skip(12)
            if cacheType == 2 {
                out.append(Entry(nameOffset: name, objectHeader: nil, softLinkOffset: UInt64(scratch)))
                continue
            }
            guard let header else { throw FormatError("symbol table entry with undefined object header address") }
            out.append(Entry(nameOffset: name, objectHeader: header, softLinkOffset: nil))
        }
        return out
    }
}
