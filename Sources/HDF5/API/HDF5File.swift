// An open HDF5 file: immutable after opening (but for a lock-protected cache), safe to read from several threads.

import Foundation

public final class HDF5File: @unchecked Sendable {
    let core: FileCore
    public let path: String
    /// The links of every group listed so far, by object header address: importers look up dozens of datasets
    /// in one group, and listing a group parses its B-tree and heap each time.
    private var linkTables: [UInt64: [String: Link]] = [:]
    private let linkLock = NSLock()

    public init(path: String, options: HDF5ReadOptions = HDF5ReadOptions()) throws {
        self.path = path
        core = try withObject(path, "/") {
            try FileCore(name: path, file: try MappedFile(path: path), options: options)
        }
        try withObject(path, "/") { _ = try ObjectHeader(core: core, address: core.superblock.rootObjectHeader) }
    }

    public init(bytes: [UInt8], name: String, options: HDF5ReadOptions = HDF5ReadOptions()) throws {
        path = name
        core = try withObject(name, "/") { try FileCore(name: name, file: MappedFile(copying: bytes), options: options) }
        try withObject(name, "/") { _ = try ObjectHeader(core: core, address: core.superblock.rootObjectHeader) }
    }

    public var root: HDF5Group { HDF5Group(file: self, path: "/", address: core.superblock.rootObjectHeader) }

    /// Superblock version (0...3), for diagnostics.
    public var superblockVersion: Int { core.superblock.version }

    public func group(_ path: String) throws -> HDF5Group {
        let (p, address) = try resolve(path)
        let header = try withObject(self.path, p) { try ObjectHeader(core: core, address: address) }
        guard GroupMembers.isGroup(header) else { throw HDF5Error(file: self.path, object: p, message: "not a group") }
        return HDF5Group(file: self, path: p, address: address)
    }

    public func dataset(_ path: String) throws -> HDF5Dataset {
        let (p, address) = try resolve(path)
        return try HDF5Dataset(file: self, path: p, address: address)
    }

    public func exists(_ path: String) -> Bool {
        (try? resolve(path)) != nil
    }

    /// Kind of the object at `path`.
    public func kind(_ path: String) throws -> HDF5NodeKind {
        let (p, address) = try resolve(path)
        return try withObject(self.path, p) { try HDF5File.kind(core, address) }
    }

    static func kind(_ core: FileCore, _ address: UInt64) throws -> HDF5NodeKind {
        let h = try ObjectHeader(core: core, address: address)
        if GroupMembers.isDataset(h) { return .dataset }
        if GroupMembers.isGroup(h) { return .group }
        return .other
    }

    /// Absolute normalised path and object header address; follows soft links (bounded).
    func resolve(_ path: String, from base: String = "/", depth: Int = 0) throws -> (String, UInt64) {
        guard depth < 16 else { throw HDF5Error(file: self.path, object: path, message: "too many levels of soft links") }
        let absolute = path.hasPrefix("/") ? path : (base == "/" ? "/" : base + "/") + path
        let parts = absolute.split(separator: "/").map(String.init).filter { $0 != "." && !$0.isEmpty }
        var address = core.superblock.rootObjectHeader
        var current = "/"
        for part in parts {
            let parent = current
            let next = current == "/" ? "/" + part : current + "/" + part
            let groupAddress = address
            let link = try withObject(self.path, next) { () throws -> Link in
                guard let l = try linkTable(groupAddress, parent)[part] else { throw FormatError("no such object") }
                return l
            }
            switch link.target {
            case .hard(let a):
                address = a
            case .soft(let target):
                (_, address) = try resolve(target, from: parent, depth: depth + 1)
            case .external:
                throw HDF5Error(file: self.path, object: next, message: "unsupported HDF5 feature: external link")
            }
            current = next
        }
        return (current, address)
    }
}

extension HDF5File {
    /// The links of the group whose object header is at `address`, by name (the first of duplicate names, as a
    /// search of the list would find). Failures are not cached.
    fileprivate func linkTable(_ address: UInt64, _ path: String) throws -> [String: Link] {
        linkLock.lock()
        let cached = linkTables[address]
        linkLock.unlock()
        if let cached { return cached }
        let h = try ObjectHeader(core: core, address: address)
        guard GroupMembers.isGroup(h) else { throw FormatError("\(path) is not a group") }
        let table = Dictionary(try GroupMembers.links(core, h).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        linkLock.lock()
        linkTables[address] = table
        linkLock.unlock()
        return table
    }
}

public enum HDF5NodeKind: Sendable { case group, dataset, other }
