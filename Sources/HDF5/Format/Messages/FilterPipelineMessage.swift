// Spec: HDF5 File Format, section IV.A.2.l "The Data Storage - Filter Pipeline Message"
// (version 1 with 8-byte padded names, version 2 without names for library filters).

struct FilterDescription: Sendable, Equatable {
    let id: UInt16
    let optional: Bool
    let clientData: [UInt32]

    static let deflate: UInt16 = 1
    static let shuffle: UInt16 = 2
    static let fletcher32: UInt16 = 3

    /// Name as shown by the inspector: "deflate(4)", "shuffle", "fletcher32", "filter(32001)".
    var displayName: String {
        switch id {
        case Self.deflate: return "deflate(\(clientData.first ?? 0))"
        case Self.shuffle: return "shuffle"
        case Self.fletcher32: return "fletcher32"
        case 4: return "szip"
        case 5: return "nbit"
        case 6: return "scaleoffset"
        default: return "filter(\(id))"
        }
    }
}

enum FilterPipelineMessage {
    static func decode(_ r: inout ByteReader) throws -> [FilterDescription] {
        let version = try r.u8()
        let count = Int(try r.u8())
        try require(count <= 32, "filter pipeline declares \(count) filters (maximum 32)")
        var filters: [FilterDescription] = []
        switch version {
        case 1:
            try r.skip(6)
            for _ in 0..<count {
                let id = try r.u16()
                let nameLength = Int(try r.u16())
                let flags = try r.u16()
                let nValues = Int(try r.u16())
                try require(nameLength % 8 == 0, "filter name length \(nameLength) is not a multiple of 8")
                try r.skip(nameLength)
                var values: [UInt32] = []
                for _ in 0..<nValues { values.append(try r.u32()) }
                if nValues % 2 == 1 { try r.skip(4) }
                filters.append(FilterDescription(id: id, optional: flags & 1 != 0, clientData: values))
            }
        case 2:
            for _ in 0..<count {
                let id = try r.u16()
                var nameLength = 0
                if id >= 256 { nameLength = Int(try r.u16()) }
                let flags = try r.u16()
                let nValues = Int(try r.u16())
                try r.skip(nameLength)
                var values: [UInt32] = []
                for _ in 0..<nValues { values.append(try r.u32()) }
                filters.append(FilterDescription(id: id, optional: flags & 1 != 0, clientData: values))
            }
        default:
            throw FormatError.unsupported("filter pipeline message version \(version)")
        }
        return filters
    }
}
