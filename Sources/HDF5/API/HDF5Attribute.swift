// Attribute values as plain Swift values.

public enum HDF5Value: Sendable, Equatable {
    case integers([Int64])
    case doubles([Double])
    case strings([String])
    /// The datatype could not be converted; the payload names it ("compound", ...).
    case unsupported(String)

    /// The first string, if this is a string value.
    public var stringValue: String? {
        if case .strings(let s) = self { return s.first }
        return nil
    }

    /// Numeric values as doubles (integers converted), nil for strings and unsupported values.
    public var doubleValues: [Double]? {
        switch self {
        case .doubles(let d): return d
        case .integers(let i): return i.map(Double.init)
        default: return nil
        }
    }

    public var integerValues: [Int64]? {
        if case .integers(let i) = self { return i }
        return nil
    }

    public var stringValues: [String]? {
        if case .strings(let s) = self { return s }
        return nil
    }

    public var count: Int {
        switch self {
        case .integers(let v): return v.count
        case .doubles(let v): return v.count
        case .strings(let v): return v.count
        case .unsupported: return 0
        }
    }
}

public struct HDF5Attribute: Sendable {
    public let name: String
    /// [] for scalar and for null (empty) dataspaces; see `isNull`.
    public let shape: [Int]
    public let value: HDF5Value
    public let datatype: HDF5Datatype
    /// True for a null dataspace (h5py.Empty): no value at all.
    public let isNull: Bool

    static func make(_ core: FileCore, _ m: AttributeMessage) throws -> HDF5Attribute {
        HDF5Attribute(name: m.name, shape: m.dataspace.dims, value: try AttributeReader.value(core, m),
                      datatype: m.datatype, isNull: m.dataspace.kind == .null)
    }

    static func read(_ file: HDF5File, _ path: String, _ address: UInt64, _ name: String) throws -> HDF5Attribute? {
        try withObject(file.path, path + "@" + name) {
            let h = try ObjectHeader(core: file.core, address: address)
            guard let m = try AttributeReader.messages(file.core, h).first(where: { $0.name == name }) else { return nil }
            return try make(file.core, m)
        }
    }

    static func readAll(_ file: HDF5File, _ path: String, _ address: UInt64) throws -> [HDF5Attribute] {
        try withObject(file.path, path) {
            let h = try ObjectHeader(core: file.core, address: address)
            return try AttributeReader.messages(file.core, h).map { try make(file.core, $0) }
        }
    }
}
