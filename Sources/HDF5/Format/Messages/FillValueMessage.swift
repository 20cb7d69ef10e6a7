// Spec: HDF5 File Format, sections IV.A.2.e "Fill Value (old)" and IV.A.2.f "Fill Value"
// (versions 1-3). Only the fill bytes matter to a reader: unallocated storage reads as them.

enum FillValueMessage {
    /// The defined fill value bytes, or nil when undefined (the library default is zeros).
    static func decode(_ r: inout ByteReader, old: Bool) throws -> [UInt8]? {
        if old {
            let size = Int(try r.u32())
            return size == 0 ? nil : try r.bytes(size)
        }
        let version = try r.u8()
        switch version {
        case 1, 2:
            _ = try r.u8()  // space allocation time
            _ = try r.u8()  // fill value write time
            let defined = try r.u8()
            if version == 2 && defined == 0 { return nil }
            guard r.remaining >= 4 else { return nil }
            let size = Int(try r.u32())
            return size == 0 ? nil : try r.bytes(size)
        case 3:
            let flags = try r.u8()
            guard flags & 0x20 != 0 else { return nil }
            let size = Int(try r.u32())
            return size == 0 ? nil : try r.bytes(size)
        default:
            throw FormatError.unsupported("fill value message version \(version)")
        }
    }
}
