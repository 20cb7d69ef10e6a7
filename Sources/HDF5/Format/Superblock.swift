// Spec: HDF5 File Format, section II.A "Disk Format: Level 0A - Format Signature and Superblock".
// Versions 0 and 1 (root symbol-table entry) and 2 and 3 (root object header address, checksummed).

struct Superblock: Sendable {
    let version: Int
    /// File offset of the superblock; all addresses are relative to `baseAddress`.
    let baseAddress: Int
    let offsetSize: Int
    let lengthSize: Int
    let groupLeafK: Int
    let groupInternalK: Int
    let endOfFileAddress: UInt64
    let rootObjectHeader: UInt64
    /// Root group symbol-table cache (v0/v1 only): B-tree and local heap addresses.
    let rootSymbolTableCache: (btree: UInt64, heap: UInt64)?

    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]

    /// Searches offsets 0, 512, 1024, 2048, ... for the signature (a user block may precede it).
    static func locate(in bytes: UnsafeRawBufferPointer) throws -> Superblock {
        var offset = 0
        while offset + 8 <= bytes.count {
            if (0..<8).allSatisfy({ bytes[offset + $0] == signature[$0] }) {
                return try Superblock(bytes, at: offset)
            }
            offset = offset == 0 ? 512 : offset * 2
        }
        if bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B, bytes[2] == 3 || bytes[2] == 5, bytes[3] == 4 || bytes[3] == 6 {
            throw FormatError("not an HDF5 file: a zip archive (a PyTorch/Lightning .ckpt checkpoint?)")
        }
        throw FormatError("not an HDF5 file (no superblock signature found)")
    }

    private init(_ bytes: UnsafeRawBufferPointer, at start: Int) throws {
        var r = try ByteReader(bytes, at: start + 8)
        version = Int(try r.u8())
        switch version {
        case 0, 1:
            _ = try r.u8()  // free-space storage version
            _ = try r.u8()  // root group symbol table entry version
            _ = try r.u8()
            _ = try r.u8()  // shared header message format version
            offsetSize = Int(try r.u8())
            lengthSize = Int(try r.u8())
            try Superblock.checkSizes(offsetSize, lengthSize)
            _ = try r.u8()
            groupLeafK = Int(try r.u16())
            groupInternalK = Int(try r.u16())
            try require(groupLeafK > 0 && groupInternalK > 0, "superblock group K values must be positive")
            _ = try r.u32()  // file consistency flags
            if version == 1 { _ = try r.u16(); _ = try r.u16() }  // indexed storage K, reserved
            let base = try r.uint(size: offsetSize)
            _ = try r.address(size: offsetSize)  // free-space info address
            endOfFileAddress = try r.uint(size: offsetSize)
            _ = try r.address(size: offsetSize)  // driver information block
            // Root group symbol table entry (section III.C).
            _ = try r.uint(size: offsetSize)      // link name offset
            guard let root = try r.address(size: offsetSize) else {
                throw FormatError("superblock has an undefined root object header address")
            }
            rootObjectHeader = root
            let cacheType = try r.u32()
            _ = try r.u32()
            if cacheType == 1 {
                let bt = try r.uint(size: offsetSize)
                let hp = try r.uint(size: offsetSize)
                rootSymbolTableCache = (bt, hp)
            } else {
                rootSymbolTableCache = nil
            }
            baseAddress = try Superblock.base(base, start: start)
        case 2, 3:
            offsetSize = Int(try r.u8())
            lengthSize = Int(try r.u8())
            try Superblock.checkSizes(offsetSize, lengthSize)
            _ = try r.u8()  // file consistency flags
            let base = try r.uint(size: offsetSize)
            _ = try r.address(size: offsetSize)  // superblock extension address
            endOfFileAddress = try r.uint(size: offsetSize)
            guard let root = try r.address(size: offsetSize) else {
                throw FormatError("superblock has an undefined root object header address")
            }
            rootObjectHeader = root
            let stored = try r.u32()
            let computed = Lookup3.hash(UnsafeRawBufferPointer(rebasing: bytes[start..<(r.position - 4)]))
            try require(stored == computed, "superblock checksum mismatch")
            groupLeafK = 4
            groupInternalK = 16
            rootSymbolTableCache = nil
            baseAddress = try Superblock.base(base, start: start)
        default:
            throw FormatError.unsupported("superblock version \(version)")
        }
    }

    private static func checkSizes(_ o: Int, _ l: Int) throws {
        try require([2, 4, 8].contains(o), "unsupported size of offsets \(o)")
        try require([2, 4, 8].contains(l), "unsupported size of lengths \(l)")
    }

    /// Like the reference library, addresses are taken relative to where the superblock was
    /// found (a user block shifts everything), whatever the stored base address says.
    private static func base(_ base: UInt64, start: Int) throws -> Int {
        _ = base
        return start
    }
}
