// A dataset: shape, type, storage description and typed reads (whole or rows a..<b).

public struct HDF5Dataset: Sendable {
    let file: HDF5File
    let address: UInt64
    let storage: DatasetStorage
    public let path: String

    init(file: HDF5File, path: String, address: UInt64) throws {
        self.file = file
        self.path = path
        self.address = address
        storage = try withObject(file.path, path) {
            let h = try ObjectHeader(core: file.core, address: address)
            guard GroupMembers.isDataset(h) else { throw FormatError("not a dataset") }
            return try DatasetStorage(file.core, header: h)
        }
    }

    private var core: FileCore { file.core }

    /// [] for scalar (and for a null dataspace; see `isNull`).
    public var shape: [Int] { storage.shape }
    public var isNull: Bool { storage.dataspace.kind == .null }
    /// Maximum dimensions (nil entries are unlimited); nil when not stored.
    public var maxShape: [Int?]? { storage.dataspace.maxDims }
    public var datatype: HDF5Datatype { storage.datatype }
    public var layoutDescription: String { storage.layout.name }
    public var elementCount: Int { (try? storage.dataspace.elementCount()) ?? 0 }

    public var chunkShape: [Int]? {
        if case .chunked(let c) = storage.layout { return c.chunkDims }
        return nil
    }

    public var filterNames: [String] { storage.filters.map(\.displayName) }

    public func attributeNames() throws -> [String] {
        try withObject(file.path, path) {
            try AttributeReader.messages(core, try ObjectHeader(core: core, address: address)).map(\.name)
        }
    }

    public func attribute(_ name: String) throws -> HDF5Attribute? { try HDF5Attribute.read(file, path, address, name) }
    public func attributes() throws -> [HDF5Attribute] { try HDF5Attribute.readAll(file, path, address) }

    /// Raw element bytes of the selection, in file byte order.
    public func readRawBytes(rows: Range<Int>? = nil) throws -> [UInt8] {
        try withObject(file.path, path) {
            let (_, bytes) = try storage.selectionCount(core, rows: rows)
            return try [UInt8](unsafeUninitializedCapacity: bytes) { buf, n in
                try storage.read(core, rows: rows, into: UnsafeMutableRawBufferPointer(buf))
                n = bytes
            }
        }
    }

    private func convert<T>(rows: Range<Int>?, _ f: (UnsafeRawBufferPointer, Int) throws -> [T]) throws -> [T] {
        try withObject(file.path, path) {
            let (count, _) = try storage.selectionCount(core, rows: rows)
            let raw = try readRawBytes(rows: rows)
            return try raw.withUnsafeBytes { try f($0, count) }
        }
    }

    private func requireNumeric() throws {
        guard datatype.isNumeric else {
            throw HDF5Error(file: file.path, object: path, message: "cannot read \(datatype.name) elements as numbers")
        }
    }

    public func readDoubles() throws -> [Double] { try readDoubles(rowRange: nil) }
    public func readDoubles(rows: Range<Int>) throws -> [Double] { try readDoubles(rowRange: rows) }

    private func readDoubles(rowRange: Range<Int>?) throws -> [Double] {
        try requireNumeric()
        return try convert(rows: rowRange) { try ElementConversion.toDoubles($0, datatype, count: $1) }
    }

    public func readFloats() throws -> [Float] { try readFloats(rowRange: nil) }
    public func readFloats(rows: Range<Int>) throws -> [Float] { try readFloats(rowRange: rows) }

    private func readFloats(rowRange: Range<Int>?) throws -> [Float] {
        try requireNumeric()
        if case .float(4, false) = datatype {
            // Native layout: decode straight into the result array.
            return try withObject(file.path, path) {
                let (count, bytes) = try storage.selectionCount(core, rows: rowRange)
                return try [Float](unsafeUninitializedCapacity: count) { buf, n in
                    try storage.read(core, rows: rowRange, into: UnsafeMutableRawBufferPointer(start: buf.baseAddress, count: bytes))
                    n = count
                }
            }
        }
        return try convert(rows: rowRange) { try ElementConversion.toFloats($0, datatype, count: $1) }
    }

    /// Integer (and enumeration/bool) datasets; floating-point data throws.
    public func readInt64s() throws -> [Int64] { try readInt64s(rowRange: nil) }
    public func readInt64s(rows: Range<Int>) throws -> [Int64] { try readInt64s(rowRange: rows) }

    private func readInt64s(rowRange: Range<Int>?) throws -> [Int64] {
        switch datatype {
        case .integer, .enumeration: break
        default: throw HDF5Error(file: file.path, object: path, message: "cannot read \(datatype.name) elements as integers")
        }
        return try convert(rows: rowRange) { try ElementConversion.toInt64s($0, datatype, count: $1) }
    }

    public func readStrings() throws -> [String] {
        switch datatype {
        case .fixedString(let n, let pad, _):
            return try convert(rows: nil) { raw, count in ElementConversion.fixedStrings(raw, length: n, padding: pad, count: count) }
        case .variableString:
            return try convert(rows: nil) { raw, count in try VariableLengthStrings.decode(core, raw, count: count) }
        default:
            throw HDF5Error(file: file.path, object: path, message: "cannot read \(datatype.name) elements as strings")
        }
    }

    /// All elements as an HDF5Value (like an attribute's value).
    public func readValue() throws -> HDF5Value {
        try convert(rows: nil) { raw, count in [try ValueDecoding.value(core, raw, datatype, count: count)] }[0]
    }
}
