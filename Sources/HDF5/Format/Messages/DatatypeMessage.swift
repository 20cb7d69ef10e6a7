// Spec: HDF5 File Format, section IV.A.2.d "The Datatype Message": fixed-point (class 0),
// floating-point (1), string (3), enumeration (8) and variable-length (9) are decoded;
// the other classes are named so callers can report them.

enum DatatypeMessage {
    static func decode(_ r: inout ByteReader, depth: Int = 0) throws -> HDF5Datatype {
        try require(depth < 8, "datatype nesting too deep")
        let classAndVersion = try r.u8()
        let cls = classAndVersion & 0x0f
        let version = classAndVersion >> 4
        let b0 = try r.u8(), b1 = try r.u8(), b2 = try r.u8()
        _ = b2
        let size = Int(try r.u32())
        try require(version >= 1 && version <= 5, "invalid datatype version \(version)")
        try require(size > 0 || cls == 6, "datatype of size 0")
        switch cls {
        case 0:  // fixed-point
            let bigEndian = b0 & 1 != 0
            let signed = b0 & 0x08 != 0
            let offset = try r.u16(), precision = try r.u16()
            guard [1, 2, 4, 8].contains(size) else { throw FormatError.unsupported("\(size)-byte integer type") }
            guard offset == 0, Int(precision) == size * 8 else {
                throw FormatError.unsupported("integer type with bit offset \(offset) and precision \(precision)")
            }
            return .integer(size: size, signed: signed, bigEndian: bigEndian)
        case 1:  // floating-point
            let order = (b0 & 1) | ((b0 >> 5) & 2)
            guard order == 0 || order == 1 else { throw FormatError.unsupported("VAX byte order floating-point") }
            let offset = try r.u16(), precision = try r.u16()
            let expLoc = try r.u8(), expSize = try r.u8(), manLoc = try r.u8(), manSize = try r.u8()
            let bias = try r.u32()
            let ieee: [Int: (UInt8, UInt8, UInt8, UInt32)] = [2: (10, 5, 10, 15), 4: (23, 8, 23, 127), 8: (52, 11, 52, 1023)]
            guard let expect = ieee[size], offset == 0, Int(precision) == size * 8, expLoc == expect.0,
                  expSize == expect.1, manLoc == 0, manSize == expect.2, bias == expect.3 else {
                throw FormatError.unsupported("non-IEEE \(size)-byte floating-point layout")
            }
            return .float(size: size, bigEndian: order == 1)
        case 3:  // string
            let pad = try padding(b0 & 0x0f)
            return .fixedString(length: size, padding: pad, utf8: (b0 >> 4) == 1)
        case 8:  // enumeration
            let count = Int(b0) | (Int(b1) << 8)
            let base = try decode(&r, depth: depth + 1)
            guard case .integer(let bs, let signed, let be) = base else {
                throw FormatError.unsupported("enumeration over a non-integer base type")
            }
            var names: [String] = []
            for _ in 0..<count {
                let start = r.position
                names.append(try r.cString())
                if version < 3 { try r.align(8, from: start) }
            }
            var values: [Int64] = []
            for _ in 0..<count {
                let raw = try r.bytes(bs)
                values.append(ElementConversion.integer(raw, 0, size: bs, signed: signed, bigEndian: be))
            }
            return .enumeration(size: size, signed: signed, bigEndian: be, names: names, values: values)
        case 9:  // variable-length
            let kind = b0 & 0x0f
            if kind == 1 {
                return .variableString(utf8: (b1 & 0x0f) == 1)
            }
            return .other(className: "vlen", size: size)
        case 2: return .other(className: "time", size: size)
        case 4: return .other(className: "bitfield", size: size)
        case 5: return .other(className: "opaque", size: size)
        case 6: return .other(className: "compound", size: size)
        case 7: return .other(className: "reference", size: size)
        case 10: return .other(className: "array", size: size)
        case 11: return .other(className: "complex", size: size)
        default: throw FormatError("invalid datatype class \(cls)")
        }
    }

    private static func padding(_ v: UInt8) throws -> HDF5StringPadding {
        switch v {
        case 0: return .nullTerminated
        case 1: return .nullPadded
        case 2: return .spacePadded
        default: throw FormatError("invalid string padding type \(v)")
        }
    }
}
