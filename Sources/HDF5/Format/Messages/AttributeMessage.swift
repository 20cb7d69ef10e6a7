// Spec: HDF5 File Format, section IV.A.2.m "The Attribute Message" (version 1 with 8-byte
// padded fields, versions 2 and 3 unpadded). Also the record format of dense attribute storage.

struct AttributeMessage: Sendable {
    let name: String
    let datatype: HDF5Datatype
    let dataspace: Dataspace
    /// File range holding the raw value bytes.
    let data: Range<Int>

    static func decode(_ r: inout ByteReader, _ core: FileCore) throws -> AttributeMessage {
        let version = try r.u8()
        try require((1...3).contains(version), "unsupported attribute message version \(version)")
        let flags = try r.u8()
        let nameSize = Int(try r.u16())
        let typeSize = Int(try r.u16())
        let spaceSize = Int(try r.u16())
        if version == 3 { _ = try r.u8() }  // name character set
        if version >= 2 && flags & 0x03 != 0 {
            throw FormatError.unsupported("shared datatype or dataspace in an attribute")
        }
        let pad = { (n: Int) in version == 1 ? (n + 7) & ~7 : n }
        let nameBytes = try r.bytes(nameSize)
        try r.skip(pad(nameSize) - nameSize)
        let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
        try require(typeSize <= r.remaining, "attribute '\(name)' datatype overruns its message")
        var tr = try ByteReader(r.buffer, at: r.position, end: r.position + typeSize)
        let datatype = try DatatypeMessage.decode(&tr)
        try r.skip(pad(typeSize))
        try require(spaceSize <= r.remaining, "attribute '\(name)' dataspace overruns its message")
        var sr = try ByteReader(r.buffer, at: r.position, end: r.position + spaceSize)
        let dataspace = try Dataspace.decode(&sr, core)
        try r.skip(pad(spaceSize))
        let count = try dataspace.elementCount()
        let needed = try checkedMul(count, datatype.storageSize(core), "attribute '\(name)' size")
        try require(needed <= r.remaining, "attribute '\(name)' value (\(needed) bytes) overruns its message")
        return AttributeMessage(name: name, datatype: datatype, dataspace: dataspace, data: r.position..<(r.position + needed))
    }
}
