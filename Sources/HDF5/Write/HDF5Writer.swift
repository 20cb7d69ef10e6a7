// Builds an HDF5 file in memory: nested groups, numeric datasets (contiguous, or chunked with
// optional deflate) and attributes, then writes it in the "earliest" format family that every
// HDF5 reader accepts (FileEncoder.swift). Writing to disk goes through a temporary file in
// the target directory that is renamed into place.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct HDF5Writer {
    struct Dataset {
        let type: WriterType
        let shape: [Int]
        let data: RawElements
        let chunks: [Int]?
        let deflateLevel: Int?
    }

    struct Attribute {
        let name: String
        let type: WriterType
        let dims: [Int]
        /// Raw little-endian element bytes (nil for variable-length strings).
        let raw: [UInt8]?
        let strings: [String]
    }

    var groups: Set<String> = ["/"]
    var datasets: [String: Dataset] = [:]
    var attributes: [String: [Attribute]] = [:]

    public init() {}

    // MARK: building

    public mutating func createGroup(_ path: String) throws {
        let p = try Self.normalize(path)
        var current = ""
        for part in p.split(separator: "/") {
            current += "/" + part
            if datasets[current] != nil { throw Self.error(current, "a dataset already exists at this path") }
            groups.insert(current)
        }
    }

    public mutating func addDataset(_ path: String, shape: [Int], float32 values: [Float], chunks: [Int]? = nil, deflateLevel: Int? = nil) throws {
        try add(path, .float32, shape, values.count, .bytes(Self.littleEndian(values.map(\.bitPattern))), chunks, deflateLevel)
    }

    public mutating func addDataset(_ path: String, shape: [Int], float64 values: [Double], chunks: [Int]? = nil, deflateLevel: Int? = nil) throws {
        #if _endian(little)
        // The array's memory already is the file layout: no byte copy until the file image is assembled.
        try add(path, .float64, shape, values.count, .doubles(values), chunks, deflateLevel)
        #else
        try add(path, .float64, shape, values.count, .bytes(Self.littleEndian(values.map(\.bitPattern))), chunks, deflateLevel)
        #endif
    }

    public mutating func addDataset(_ path: String, shape: [Int], int64 values: [Int64], chunks: [Int]? = nil, deflateLevel: Int? = nil) throws {
        try add(path, .int(bytes: 8), shape, values.count, .bytes(Self.littleEndian(values)), chunks, deflateLevel)
    }

    public mutating func addDataset(_ path: String, shape: [Int], int32 values: [Int32], chunks: [Int]? = nil, deflateLevel: Int? = nil) throws {
        try add(path, .int(bytes: 4), shape, values.count, .bytes(Self.littleEndian(values)), chunks, deflateLevel)
    }

    public mutating func addDataset(_ path: String, shape: [Int], int16 values: [Int16], chunks: [Int]? = nil, deflateLevel: Int? = nil) throws {
        try add(path, .int(bytes: 2), shape, values.count, .bytes(Self.littleEndian(values)), chunks, deflateLevel)
    }

    public mutating func addDataset(_ path: String, shape: [Int], int8 values: [Int8], chunks: [Int]? = nil, deflateLevel: Int? = nil) throws {
        try add(path, .int(bytes: 1), shape, values.count, .bytes(values.map { UInt8(bitPattern: $0) }), chunks, deflateLevel)
    }

    /// Sets (or replaces) an attribute on the group or dataset at `objectPath` ("/" for root).
    /// Integers are stored as int64, doubles as float64, strings as variable-length UTF-8
    /// (like h5py's `str`) or, with `fixedLengthStrings`, as null-padded fixed-length strings
    /// (like Keras' `layer_names`). A single value is stored as a scalar unless `asArray`.
    public mutating func setAttribute(_ objectPath: String, _ name: String, _ value: HDF5Value,
                                      asArray: Bool = false, fixedLengthStrings: Bool = false) throws {
        let p = try Self.normalize(objectPath)
        guard groups.contains(p) || datasets[p] != nil else { throw Self.error(p, "no such group or dataset") }
        guard !name.isEmpty, !name.utf8.contains(0) else { throw Self.error(p, "invalid attribute name '\(name)'") }
        let count = value.count
        let dims = count == 1 && !asArray ? [] : [count]
        let attribute: Attribute
        switch value {
        case .integers(let v):
            attribute = Attribute(name: name, type: .int(bytes: 8), dims: dims, raw: Self.littleEndian(v), strings: [])
        case .doubles(let v):
            attribute = Attribute(name: name, type: .float64, dims: dims, raw: Self.littleEndian(v.map(\.bitPattern)), strings: [])
        case .strings(let v):
            if fixedLengthStrings {
                let length = max(1, v.map { $0.utf8.count }.max() ?? 1)
                let raw = v.flatMap { Array($0.utf8) + [UInt8](repeating: 0, count: length - $0.utf8.count) }
                attribute = Attribute(name: name, type: .fixedString(length: length), dims: dims, raw: raw, strings: [])
            } else {
                attribute = Attribute(name: name, type: .variableString, dims: dims, raw: nil, strings: v)
            }
        case .unsupported(let what):
            throw Self.error(p, "cannot write an attribute of unsupported type \(what)")
        }
        let dataBytes = attribute.raw?.count ?? attribute.strings.count * 16
        guard dataBytes + name.utf8.count <= 65_000 else {
            throw Self.error(p, "attribute '\(name)' is too large for an object header (\(dataBytes) bytes; limit 64 KiB)")
        }
        var list = attributes[p] ?? []
        list.removeAll { $0.name == name }
        list.append(attribute)
        attributes[p] = list
    }

    // MARK: output

    public func bytes() throws -> [UInt8] {
        var encoder = FileEncoder(writer: self)
        return try encoder.encode()
    }

    /// Writes to a temporary file in the same directory, then renames it to `path`.
    /// Refuses to replace an existing file unless `overwrite` is true.
    public func write(to path: String, overwrite: Bool = false) throws {
        let data = try bytes()
        let fm = FileManager.default
        if !overwrite && fm.fileExists(atPath: path) {
            throw HDF5Error(file: path, object: "/", message: "file exists (pass overwrite: true to replace it)")
        }
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try Data(data).write(to: temp)
        } catch {
            throw HDF5Error(file: path, object: "/", message: "cannot write temporary file \(temp.path): \(error.localizedDescription)")
        }
        if !overwrite && fm.fileExists(atPath: path) {
            try? fm.removeItem(at: temp)
            throw HDF5Error(file: path, object: "/", message: "file exists (pass overwrite: true to replace it)")
        }
        guard rename(temp.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? fm.removeItem(at: temp)
            throw HDF5Error(file: path, object: "/", message: "cannot rename temporary file into place: \(reason)")
        }
    }

    // MARK: helpers

    private mutating func add(_ path: String, _ type: WriterType, _ shape: [Int], _ count: Int, _ raw: RawElements,
                              _ chunks: [Int]?, _ deflateLevel: Int?) throws {
        let p = try Self.normalize(path)
        guard p != "/" else { throw Self.error(p, "the root is a group") }
        guard !groups.contains(p), datasets[p] == nil else { throw Self.error(p, "an object already exists at this path") }
        guard shape.allSatisfy({ $0 >= 0 }), shape.count <= 32 else { throw Self.error(p, "invalid shape \(shape)") }
        var n = 1
        for d in shape {
            let (r, o) = n.multipliedReportingOverflow(by: d)
            guard !o else { throw Self.error(p, "shape \(shape) overflows") }
            n = r
        }
        guard n == count else { throw Self.error(p, "shape \(shape) holds \(n) elements but \(count) values were given") }
        if let c = chunks {
            guard c.count == shape.count, !shape.isEmpty, c.allSatisfy({ $0 > 0 && $0 <= Int(UInt32.max) }) else {
                throw Self.error(p, "chunk shape \(c) does not fit dataset shape \(shape)")
            }
            let (bytes, o) = c.reduce(type.size) { $0 * $1 }.multipliedReportingOverflow(by: 1)
            guard !o, bytes < 1 << 32 else { throw Self.error(p, "chunks must be smaller than 4 GiB") }
        }
        if let level = deflateLevel {
            guard chunks != nil else { throw Self.error(p, "deflate needs a chunk shape") }
            guard (0...9).contains(level) else { throw Self.error(p, "deflate level \(level) is not in 0...9") }
        }
        let parent = String(p[..<(p.lastIndex(of: "/") ?? p.startIndex)])
        if !parent.isEmpty { try createGroup(parent) }
        datasets[p] = Dataset(type: type, shape: shape, data: raw, chunks: chunks, deflateLevel: deflateLevel)
    }

    /// Raw little-endian bytes of integer values (one copy on little-endian hosts).
    static func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        #if _endian(little)
        values.withUnsafeBytes { Array($0) }
        #else
        values.map(\.littleEndian).withUnsafeBytes { Array($0) }
        #endif
    }

    static func normalize(_ path: String) throws -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        for part in parts where part == "." || part == ".." || part.utf8.contains(0) {
            throw error(path, "invalid path component '\(part)'")
        }
        return "/" + parts.joined(separator: "/")
    }

    static func error(_ object: String, _ message: String) -> HDF5Error {
        HDF5Error(file: "<writer>", object: object, message: message)
    }
}

/// A dataset's element bytes, little-endian. Double values stay in the caller's array on little-endian hosts
/// (their memory is the file layout), so megabytes of simulation outputs are copied once, into the file image.
enum RawElements {
    case bytes([UInt8])
    case doubles([Double])

    var count: Int {
        switch self {
        case .bytes(let b): return b.count
        case .doubles(let d): return d.count * MemoryLayout<Double>.size
        }
    }

    var isEmpty: Bool { count == 0 }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch self {
        case .bytes(let b): return try b.withUnsafeBytes(body)
        case .doubles(let d): return try d.withUnsafeBytes(body)
        }
    }
}
