// Spec: HDF5 File Format, section IV.A.2.b "The Dataspace Message" (versions 1 and 2;
// version 2 adds the null dataspace that h5py uses for `h5py.Empty`).

struct Dataspace: Sendable, Equatable {
    enum Kind: Sendable, Equatable { case scalar, simple, null }
    let kind: Kind
    let dims: [Int]
    /// nil entries are unlimited dimensions; nil array when max dims are not stored.
    let maxDims: [Int?]?

    /// Number of elements (0 for a null dataspace, 1 for scalar); checked for overflow.
    func elementCount() throws -> Int {
        if kind == .null { return 0 }
        var n = 1
        for d in dims { n = try checkedMul(n, d, "dataspace element count") }
        return n
    }

    static func decode(_ r: inout ByteReader, _ core: FileCore) throws -> Dataspace {
        let version = try r.u8()
        let rank = Int(try r.u8())
        let flags = try r.u8()
        try require(rank <= 32, "dataspace rank \(rank) exceeds the HDF5 maximum of 32")
        var kind: Kind
        switch version {
        case 1:
            try r.skip(5)
            kind = rank == 0 ? .scalar : .simple
        case 2:
            let t = try r.u8()
            switch t {
            case 0: kind = .scalar
            case 1: kind = .simple
            case 2: kind = .null
            default: throw FormatError("invalid dataspace type \(t)")
            }
        default:
            throw FormatError.unsupported("dataspace message version \(version)")
        }
        var dims: [Int] = []
        for _ in 0..<rank {
            dims.append(try toInt(try r.length(core), "dataspace dimension"))
        }
        var maxDims: [Int?]? = nil
        if flags & 1 != 0 {
            var m: [Int?] = []
            for _ in 0..<rank {
                let v = try r.length(core)
                let unlimited: UInt64 = core.lengthSize == 8 ? .max : (UInt64(1) << UInt64(core.lengthSize * 8)) - 1
                m.append(v == unlimited ? nil : try toInt(v, "dataspace maximum dimension"))
            }
            maxDims = m
        }
        if kind != .simple { dims = []; maxDims = nil }
        return Dataspace(kind: kind, dims: dims, maxDims: maxDims)
    }
}
