// Converts raw element bytes (file byte order) to Swift numbers and strings.

enum ElementConversion {
    /// One integer of `size` bytes at `offset`; unsigned 64-bit values keep their bit pattern.
    static func integer(_ raw: [UInt8], _ offset: Int, size: Int, signed: Bool, bigEndian: Bool) -> Int64 {
        raw.withUnsafeBytes { integer($0, offset, size: size, signed: signed, bigEndian: bigEndian) }
    }

    @inline(__always)
    static func rawUnsigned(_ p: UnsafeRawBufferPointer, _ offset: Int, size: Int, bigEndian: Bool) -> UInt64 {
        switch size {
        case 1: return UInt64(p[offset])
        case 2:
            let v = p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
            return UInt64(bigEndian ? UInt16(bigEndian: v) : UInt16(littleEndian: v))
        case 4:
            let v = p.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            return UInt64(bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v))
        default:
            let v = p.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            return bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
        }
    }

    @inline(__always)
    static func integer(_ p: UnsafeRawBufferPointer, _ offset: Int, size: Int, signed: Bool, bigEndian: Bool) -> Int64 {
        let u = rawUnsigned(p, offset, size: size, bigEndian: bigEndian)
        if signed && size < 8 {
            let shift = UInt64(64 - size * 8)
            return Int64(bitPattern: u << shift) >> Int64(shift)
        }
        return Int64(bitPattern: u)
    }

    /// IEEE half precision to Float (exact; handles subnormals, infinities and NaN).
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exp = Int((h >> 10) & 0x1f)
        let man = UInt32(h & 0x3ff)
        if exp == 0 {
            let magnitude = Float(man) * (1.0 / 16_777_216.0)  // man × 2^-24
            return sign != 0 ? -magnitude : magnitude
        }
        if exp == 31 { return Float(bitPattern: sign | 0x7f80_0000 | (man << 13)) }
        return Float(bitPattern: sign | UInt32(exp - 15 + 127) << 23 | (man << 13))
    }

    static func toDoubles(_ raw: UnsafeRawBufferPointer, _ type: HDF5Datatype, count: Int) throws -> [Double] {
        switch type {
        case .float(8, let be):
            return [Double](unsafeUninitializedCapacity: count) { buf, n in
                for i in 0..<count {
                    let v = raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
                    buf[i] = Double(bitPattern: be ? UInt64(bigEndian: v) : UInt64(littleEndian: v))
                }
                n = count
            }
        case .float(4, _), .float(2, _):
            return try toFloats(raw, type, count: count).map(Double.init)
        case .integer(4, true, false):
            // Spike counts are usually little-endian int32: one load per element instead of the general path.
            return [Double](unsafeUninitializedCapacity: count) { buf, n in
                for i in 0..<count { buf[i] = Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }
                n = count
            }
        case .integer(let size, let signed, let be), .enumeration(let size, let signed, let be, _, _):
            return [Double](unsafeUninitializedCapacity: count) { buf, n in
                for i in 0..<count {
                    if signed {
                        buf[i] = Double(integer(raw, i * size, size: size, signed: true, bigEndian: be))
                    } else {
                        buf[i] = Double(rawUnsigned(raw, i * size, size: size, bigEndian: be))
                    }
                }
                n = count
            }
        default:
            throw FormatError("cannot convert \(type.name) elements to numbers")
        }
    }

    static func toFloats(_ raw: UnsafeRawBufferPointer, _ type: HDF5Datatype, count: Int) throws -> [Float] {
        switch type {
        case .float(4, let be):
            return [Float](unsafeUninitializedCapacity: count) { buf, n in
                if !be, count > 0 {
                    UnsafeMutableRawPointer(buf.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: count * 4)
                } else {
                    for i in 0..<count {
                        buf[i] = Float(bitPattern: UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                    }
                }
                n = count
            }
        case .float(2, let be):
            return [Float](unsafeUninitializedCapacity: count) { buf, n in
                for i in 0..<count {
                    let v = raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)
                    buf[i] = halfToFloat(be ? UInt16(bigEndian: v) : UInt16(littleEndian: v))
                }
                n = count
            }
        default:
            return try toDoubles(raw, type, count: count).map { Float($0) }
        }
    }

    static func toInt64s(_ raw: UnsafeRawBufferPointer, _ type: HDF5Datatype, count: Int) throws -> [Int64] {
        switch type {
        case .integer(let size, let signed, let be), .enumeration(let size, let signed, let be, _, _):
            var out = [Int64](repeating: 0, count: count)
            for i in 0..<count {
                let v = integer(raw, i * size, size: size, signed: signed, bigEndian: be)
                if !signed && size == 8 && v < 0 {
                    throw FormatError("uint64 value \(UInt64(bitPattern: v)) does not fit in Int64")
                }
                out[i] = v
            }
            return out
        default:
            throw FormatError("cannot read \(type.name) elements as integers")
        }
    }

    /// Fixed-length string elements, trimmed according to their padding.
    static func fixedStrings(_ raw: UnsafeRawBufferPointer, length: Int, padding: HDF5StringPadding, count: Int) -> [String] {
        (0..<count).map { i in
            let element = UnsafeRawBufferPointer(rebasing: raw[(i * length)..<((i + 1) * length)])
            var end = element.count
            switch padding {
            case .nullTerminated, .nullPadded:
                end = element.firstIndex(of: 0) ?? element.count
            case .spacePadded:
                while end > 0 && (element[end - 1] == 0x20 || element[end - 1] == 0) { end -= 1 }
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: element[0..<end]), as: UTF8.self)
        }
    }
}
