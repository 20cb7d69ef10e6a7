// Collects an object's attributes: compact attribute messages in the header (IV.A.2.m) and
// dense storage (attribute info message IV.A.2.v -> fractal heap + v2 B-tree, record type 8).

enum AttributeReader {
    static func messages(_ core: FileCore, _ header: ObjectHeader) throws -> [AttributeMessage] {
        var out: [AttributeMessage] = []
        for m in header.all(MessageType.attribute) {
            if m.isShared { throw FormatError.unsupported("shared attribute message") }
            var r = try m.reader(core)
            out.append(try AttributeMessage.decode(&r, core))
        }
        if let ai = header.first(MessageType.attributeInfo) {
            var r = try ai.reader(core)
            let info = try DenseStorageInfo.decodeAttributeInfo(&r, core)
            if let heapAddress = info.fractalHeap, let index = info.nameIndex {
                let heap = try FractalHeap(core, address: heapAddress)
                let tree = try BTreeV2.enumerate(core, address: index, expectedTypes: [8])
                try require(tree.recordSize >= 17, "dense attribute index record size \(tree.recordSize) is invalid")
                for at in tree.records {
                    let range = try heap.object(idOffset: at, idLength: 8)
                    var ar = try ByteReader(core.bytes, at: range.lowerBound, end: range.upperBound)
                    out.append(try AttributeMessage.decode(&ar, core))
                }
            }
        }
        out.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        return out
    }

    static func value(_ core: FileCore, _ a: AttributeMessage) throws -> HDF5Value {
        let count = try a.dataspace.elementCount()
        let raw = UnsafeRawBufferPointer(rebasing: core.bytes[a.data])
        return try ValueDecoding.value(core, raw, a.datatype, count: count)
    }
}

enum ValueDecoding {
    /// Converts `count` raw elements to the closest HDF5Value.
    static func value(_ core: FileCore, _ raw: UnsafeRawBufferPointer, _ type: HDF5Datatype, count: Int) throws -> HDF5Value {
        switch type {
        case .integer(let size, let signed, _), .enumeration(let size, let signed, _, _, _):
            if !signed && size == 8 {
                do { return .integers(try ElementConversion.toInt64s(raw, type, count: count)) } catch {
                    return .unsupported("uint64 value out of Int64 range")
                }
            }
            return .integers(try ElementConversion.toInt64s(raw, type, count: count))
        case .float:
            return .doubles(try ElementConversion.toDoubles(raw, type, count: count))
        case .fixedString(let n, let pad, _):
            return .strings(ElementConversion.fixedStrings(raw, length: n, padding: pad, count: count))
        case .variableString:
            return .strings(try VariableLengthStrings.decode(core, raw, count: count))
        case .other(let c, _):
            return .unsupported(c)
        }
    }
}
