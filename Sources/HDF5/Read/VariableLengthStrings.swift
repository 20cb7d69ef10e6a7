// Variable-length strings (datatype class 9, IV.A.2.d): each element is a 4-byte length and a
// global heap ID (collection address, object index); the bytes live in the global heap (III.E).

extension HDF5Datatype {
    /// Bytes per element in this file: variable-length elements hold a 4-byte length, a heap
    /// collection address (Size of Offsets) and a 4-byte index.
    func storageSize(_ core: FileCore) -> Int {
        if case .variableString = self { return 8 + core.offsetSize }
        return elementSize
    }
}

enum VariableLengthStrings {
    static func decode(_ core: FileCore, _ raw: UnsafeRawBufferPointer, count: Int) throws -> [String] {
        let elementSize = 8 + core.offsetSize
        try require(raw.count >= count * elementSize, "variable-length string data is truncated")
        var collections: [UInt64: GlobalHeapCollection] = [:]
        var out: [String] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            var r = try ByteReader(raw, at: i * elementSize, end: (i + 1) * elementSize)
            let length = Int(try r.u32())
            let address = try r.address(core)
            let index = UInt16(truncatingIfNeeded: try r.u32())
            guard let address, length > 0 else { out.append(""); continue }
            if collections[address] == nil {
                try require(collections.count < 4096, "too many global heap collections")
                collections[address] = try GlobalHeapCollection(core, address: address)
            }
            guard let range = collections[address]?.objects[index] else {
                throw FormatError("global heap object \(index) not found in collection at \(address)")
            }
            try require(length <= range.count, "variable-length string of \(length) bytes exceeds its heap object")
            var bytes = UnsafeRawBufferPointer(rebasing: core.bytes[range.lowerBound..<(range.lowerBound + length)])
            // Some writers include a terminating NUL in the length.
            if let nul = bytes.firstIndex(of: 0) { bytes = UnsafeRawBufferPointer(rebasing: bytes[0..<nul]) }
            out.append(String(decoding: bytes, as: UTF8.self))
        }
        return out
    }
}
