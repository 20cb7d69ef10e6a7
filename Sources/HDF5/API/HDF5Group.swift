// A group: lists members (sorted by name), opens children, reads attributes.

public struct HDF5Group: Sendable {
    let file: HDF5File
    let address: UInt64
    public let path: String

    init(file: HDF5File, path: String, address: UInt64) {
        self.file = file
        self.path = path
        self.address = address
    }

    private var core: FileCore { file.core }

    func links() throws -> [Link] {
        try withObject(file.path, path) {
            let h = try ObjectHeader(core: core, address: address)
            return try GroupMembers.links(core, h)
        }
    }

    public func memberNames() throws -> [String] { try links().map(\.name) }

    private func childPath(_ name: String) -> String { path == "/" ? "/" + name : path + "/" + name }

    public func kind(of name: String) throws -> HDF5NodeKind {
        guard let link = try links().first(where: { $0.name == name }) else {
            throw HDF5Error(file: file.path, object: childPath(name), message: "no such object")
        }
        switch link.target {
        case .hard(let a): return try withObject(file.path, childPath(name)) { try HDF5File.kind(core, a) }
        case .soft: return try file.kind(childPath(name))
        case .external: return .other
        }
    }

    public func group(_ name: String) throws -> HDF5Group { try file.group(childPath(name)) }
    public func dataset(_ name: String) throws -> HDF5Dataset { try file.dataset(childPath(name)) }

    public func attributeNames() throws -> [String] {
        try withObject(file.path, path) {
            try AttributeReader.messages(core, try ObjectHeader(core: core, address: address)).map(\.name)
        }
    }

    public func attribute(_ name: String) throws -> HDF5Attribute? {
        try HDF5Attribute.read(file, path, address, name)
    }

    public func attributes() throws -> [HDF5Attribute] {
        try HDF5Attribute.readAll(file, path, address)
    }
}
