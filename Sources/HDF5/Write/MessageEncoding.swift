// Encoders for the object header messages the writer emits (HDF5 File Format IV.A.2):
// dataspace v1 (b), datatype v1 (d), fill value v2 (f), layout v3 (i), filter pipeline v1 (l),
// attribute v1 (m) and symbol table (r). Byte layouts follow what h5py writes with
// libver='earliest', which every HDF5 reader accepts.

enum WriterType: Equatable {
    case float32, float64
    case int(bytes: Int)
    case variableString
    case fixedString(length: Int)

    var size: Int {
        switch self {
        case .float32: return 4
        case .float64: return 8
        case .int(let n): return n
        case .variableString: return 16
        case .fixedString(let n): return n
        }
    }
}

enum MessageEncoding {
    static func datatype(_ t: WriterType) -> [UInt8] {
        var b = ByteBuffer()
        switch t {
        case .float32:
            b.append([0x11, 0x20, 0x1f, 0x00]); b.u32(4)
            b.u16(0); b.u16(32); b.append([23, 8, 0, 23]); b.u32(127)
        case .float64:
            b.append([0x11, 0x20, 0x3f, 0x00]); b.u32(8)
            b.u16(0); b.u16(64); b.append([52, 11, 0, 52]); b.u32(1023)
        case .int(let n):
            b.append([0x10, 0x08, 0x00, 0x00]); b.u32(UInt32(n))
            b.u16(0); b.u16(UInt16(n * 8))
        case .variableString:
            // Sequence of UTF-8 characters; base type is an unsigned byte.
            b.append([0x19, 0x01, 0x01, 0x00]); b.u32(16)
            b.append([0x10, 0x00, 0x00, 0x00]); b.u32(1); b.u16(0); b.u16(8)
        case .fixedString(let n):
            b.append([0x13, 0x11, 0x00, 0x00]); b.u32(UInt32(n))  // null-padded UTF-8
        }
        return b.bytes
    }

    /// Version 1 dataspace; rank 0 is scalar. Max dims are stored for datasets (as h5py does).
    static func dataspace(_ dims: [Int], withMaxDims: Bool) -> [UInt8] {
        var b = ByteBuffer()
        b.u8(1); b.u8(UInt8(dims.count)); b.u8(withMaxDims && !dims.isEmpty ? 1 : 0); b.u8(0); b.u32(0)
        for d in dims { b.u64(UInt64(d)) }
        if withMaxDims { for d in dims { b.u64(UInt64(d)) } }
        return b.bytes
    }

    /// Fill value message v2: default (zero) fill, written at allocation.
    static func fillValue(chunked: Bool) -> [UInt8] {
        [0x02, chunked ? 0x03 : 0x02, 0x02, 0x01, 0, 0, 0, 0]
    }

    static func contiguousLayout(address: UInt64, size: Int) -> [UInt8] {
        var b = ByteBuffer()
        b.u8(3); b.u8(1); b.u64(address); b.u64(UInt64(size))
        return b.bytes
    }

    static func chunkedLayout(btree: UInt64, chunk: [Int], elementSize: Int) -> [UInt8] {
        var b = ByteBuffer()
        b.u8(3); b.u8(2); b.u8(UInt8(chunk.count + 1)); b.u64(btree)
        for c in chunk { b.u32(UInt32(c)) }
        b.u32(UInt32(elementSize))
        return b.bytes
    }

    static func deflatePipeline(level: Int) -> [UInt8] {
        var b = ByteBuffer()
        b.u8(1); b.u8(1); b.zeros(6)
        b.u16(1); b.u16(8); b.u16(1); b.u16(1)
        b.ascii("deflate"); b.u8(0)
        b.u32(UInt32(level)); b.u32(0)
        return b.bytes
    }

    static func symbolTable(btree: UInt64, heap: UInt64) -> [UInt8] {
        var b = ByteBuffer()
        b.u64(btree); b.u64(heap)
        return b.bytes
    }

    static func attribute(name: String, type: WriterType, dims: [Int], data: [UInt8]) -> [UInt8] {
        let nameBytes = Array(name.utf8) + [0]
        let dt = datatype(type)
        let ds = dataspace(dims, withMaxDims: false)
        var b = ByteBuffer()
        b.u8(1); b.u8(0)
        b.u16(UInt16(nameBytes.count)); b.u16(UInt16(dt.count)); b.u16(UInt16(ds.count))
        b.append(nameBytes.padded(to: 8))
        b.append(dt.padded(to: 8))
        b.append(ds.padded(to: 8))
        b.append(data)
        return b.bytes
    }

    /// Version 1 object header: 16-byte prefix, then messages padded to 8 bytes.
    static func objectHeader(_ messages: [(type: UInt16, flags: UInt8, body: [UInt8])]) -> [UInt8] {
        var body = ByteBuffer()
        for m in messages {
            let data = m.body.padded(to: 8)
            body.u16(m.type); body.u16(UInt16(data.count)); body.u8(m.flags); body.zeros(3)
            body.append(data)
        }
        var b = ByteBuffer()
        b.u8(1); b.u8(0); b.u16(UInt16(messages.count)); b.u32(1); b.u32(UInt32(body.count)); b.zeros(4)
        b.append(body.bytes)
        return b.bytes
    }
}
