// Spec: HDF5 File Format, section IV.A.2.g "The Link Message" (hard, soft and external links
// of new-style groups; also the records stored in a dense group's fractal heap).

struct Link: Sendable {
    enum Target: Sendable { case hard(UInt64), soft(String), external }
    let name: String
    let target: Target
    let creationOrder: UInt64?

    static func decode(_ r: inout ByteReader, _ core: FileCore) throws -> Link {
        let version = try r.u8()
        try require(version == 1, "unsupported link message version \(version)")
        let flags = try r.u8()
        var type: UInt8 = 0
        if flags & 0x08 != 0 { type = try r.u8() }
        var order: UInt64? = nil
        if flags & 0x04 != 0 { order = try r.u64() }
        if flags & 0x10 != 0 { _ = try r.u8() }  // character set
        let nameLength = try toInt(try r.uint(size: 1 << Int(flags & 3)), "link name length")
        try require(nameLength > 0, "empty link name")
        let name = String(decoding: try r.bytes(nameLength), as: UTF8.self)
        switch type {
        case 0:
            guard let a = try r.address(core) else { throw FormatError("hard link '\(name)' has an undefined address") }
            return Link(name: name, target: .hard(a), creationOrder: order)
        case 1:
            let n = Int(try r.u16())
            return Link(name: name, target: .soft(String(decoding: try r.bytes(n), as: UTF8.self)), creationOrder: order)
        default:
            return Link(name: name, target: .external, creationOrder: order)
        }
    }
}
