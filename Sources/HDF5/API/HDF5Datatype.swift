// Public description of an element type, decoded from the datatype message
// (Format/Messages/DatatypeMessage.swift).

public enum HDF5StringPadding: String, Sendable, Equatable {
    case nullTerminated = "nullterm"
    case nullPadded = "nullpad"
    case spacePadded = "spacepad"
}

public enum HDF5Datatype: Sendable, Equatable {
    case integer(size: Int, signed: Bool, bigEndian: Bool)
    case float(size: Int, bigEndian: Bool)
    case fixedString(length: Int, padding: HDF5StringPadding, utf8: Bool)
    case variableString(utf8: Bool)
    /// Enumeration over an integer base type; h5py stores `bool` as {FALSE: 0, TRUE: 1} over int8.
    case enumeration(size: Int, signed: Bool, bigEndian: Bool, names: [String], values: [Int64])
    /// A class this library does not convert (compound, opaque, array, reference, ...).
    case other(className: String, size: Int)

    /// Bytes per element as stored in the file.
    public var elementSize: Int {
        switch self {
        case .integer(let s, _, _), .float(let s, _), .enumeration(let s, _, _, _, _): return s
        case .fixedString(let n, _, _): return n
        case .variableString: return 16
        case .other(_, let s): return s
        }
    }

    public var isBool: Bool {
        if case .enumeration(_, _, _, let names, let values) = self {
            return names == ["FALSE", "TRUE"] && values == [0, 1]
        }
        return false
    }

    public var isNumeric: Bool {
        switch self {
        case .integer, .float, .enumeration: return true
        default: return false
        }
    }

    /// Short numpy-like name used by the inspector: "float32", "uint16be", "bool",
    /// "string(10,ascii,nullpad)", "vlstring(utf-8)", "enum(int8)", "compound".
    public var name: String {
        switch self {
        case .integer(let s, let signed, let be):
            return "\(signed ? "int" : "uint")\(s * 8)\(be ? "be" : "")"
        case .float(let s, let be):
            return "float\(s * 8)\(be ? "be" : "")"
        case .fixedString(let n, let pad, let utf8):
            return "string(\(n),\(utf8 ? "utf-8" : "ascii"),\(pad.rawValue))"
        case .variableString(let utf8):
            return "vlstring(\(utf8 ? "utf-8" : "ascii"))"
        case .enumeration(let s, let signed, let be, _, _):
            if isBool { return "bool" }
            return "enum(\(signed ? "int" : "uint")\(s * 8)\(be ? "be" : ""))"
        case .other(let c, _):
            return c
        }
    }
}
