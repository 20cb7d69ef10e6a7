// Spec: HDF5 File Format, section IV.A.2.r "The Symbol Table Message" (old-style groups:
// a v1 B-tree of symbol-table nodes plus the local heap holding the names).

struct SymbolTableMessage: Sendable {
    let btree: UInt64
    let localHeap: UInt64

    static func decode(_ r: inout ByteReader, _ core: FileCore) throws -> SymbolTableMessage {
        guard let b = try r.address(core), let h = try r.address(core) else {
            throw FormatError("symbol table message with undefined B-tree or heap address")
        }
        return SymbolTableMessage(btree: b, localHeap: h)
    }
}
