// Spec: HDF5 File Format, section IV.A.2.i "The Data Layout Message", versions 1-5.
// Version 3 carries compact/contiguous/chunked (v1 B-tree index); versions 4 and 5 add the
// single-chunk, implicit, fixed-array, extensible-array and v2 B-tree chunk indexes.
// Version 5 (HDF5 2.0) encodes like version 4; the filtered chunk-size width of the index
// records is taken from each index's own header.

enum ChunkIndexKind: Sendable, Equatable {
    case btreeV1
    case single(filteredSize: Int?, filterMask: UInt32)
    case implicit
    case fixedArray(pageBits: Int)
    case extensibleArray
    case btreeV2
}

struct ChunkedLayout: Sendable {
    let version: Int
    /// Chunk extent per dataspace dimension (the trailing element-size dimension removed).
    let chunkDims: [Int]
    let index: ChunkIndexKind
    let address: UInt64?
}

enum DataLayout: Sendable {
    case compact(offset: Int, size: Int)
    case contiguous(address: UInt64?, size: Int)
    case chunked(ChunkedLayout)

    var name: String {
        switch self {
        case .compact: return "compact"
        case .contiguous: return "contiguous"
        case .chunked: return "chunked"
        }
    }

    static func decode(_ r: inout ByteReader, _ core: FileCore) throws -> DataLayout {
        let version = Int(try r.u8())
        switch version {
        case 1, 2:
            let dimensionality = Int(try r.u8())
            let cls = try r.u8()
            try r.skip(5)
            try require(dimensionality >= 1 && dimensionality <= 33, "invalid layout dimensionality \(dimensionality)")
            var address: UInt64? = nil
            if cls != 0 { address = try r.address(core) }
            var dims: [Int] = []
            for _ in 0..<dimensionality { dims.append(Int(try r.u32())) }
            switch cls {
            case 0:
                let size = Int(try r.u32())
                try require(size <= r.remaining, "compact data overruns the layout message")
                return .compact(offset: r.position, size: size)
            case 1:
                var n = 1
                for d in dims { n = try checkedMul(n, d, "contiguous storage size") }
                return .contiguous(address: address, size: n)
            case 2:
                _ = try r.u32()  // dataset element size
                return .chunked(ChunkedLayout(version: version, chunkDims: Array(dims.dropLast()), index: .btreeV1, address: address))
            default:
                throw FormatError("invalid layout class \(cls)")
            }
        case 3, 4, 5:
            let cls = try r.u8()
            switch cls {
            case 0:
                let size = Int(try r.u16())
                try require(size <= r.remaining, "compact data overruns the layout message")
                return .compact(offset: r.position, size: size)
            case 1:
                let address = try r.address(core)
                let size = try r.lengthInt(core, "contiguous storage size")
                return .contiguous(address: address, size: size)
            case 2:
                if version == 3 {
                    let dimensionality = Int(try r.u8())
                    try require(dimensionality >= 2 && dimensionality <= 33, "invalid chunk dimensionality \(dimensionality)")
                    let address = try r.address(core)
                    var dims: [Int] = []
                    for _ in 0..<dimensionality { dims.append(Int(try r.u32())) }
                    return .chunked(ChunkedLayout(version: 3, chunkDims: Array(dims.dropLast()), index: .btreeV1, address: address))
                }
                let flags = try r.u8()
                let dimensionality = Int(try r.u8())
                try require(dimensionality >= 2 && dimensionality <= 33, "invalid chunk dimensionality \(dimensionality)")
                let width = Int(try r.u8())
                try require(width >= 1 && width <= 8, "invalid chunk dimension width \(width)")
                var dims: [Int] = []
                for _ in 0..<dimensionality { dims.append(try toInt(try r.uint(size: width), "chunk dimension")) }
                let type = try r.u8()
                let index: ChunkIndexKind
                switch type {
                case 1:
                    if flags & 0x02 != 0 {
                        let size = try r.lengthInt(core, "filtered single chunk size")
                        let mask = try r.u32()
                        index = .single(filteredSize: size, filterMask: mask)
                    } else {
                        index = .single(filteredSize: nil, filterMask: 0)
                    }
                case 2: index = .implicit
                case 3: index = .fixedArray(pageBits: Int(try r.u8()))
                case 4: try r.skip(5); index = .extensibleArray
                case 5: try r.skip(6); index = .btreeV2
                default: throw FormatError("invalid chunk index type \(type)")
                }
                let address = try r.address(core)
                return .chunked(ChunkedLayout(version: version, chunkDims: Array(dims.dropLast()), index: index, address: address))
            case 3:
                throw FormatError.unsupported("virtual dataset layout")
            default:
                throw FormatError("invalid layout class \(cls)")
            }
        default:
            throw FormatError.unsupported("data layout message version \(version)")
        }
    }
}
