// Spec: HDF5 File Format, section III.E "Disk Format: Level 1E - Global Heap" ("GCOL"):
// the bodies of variable-length strings, addressed by (collection address, object index).

struct GlobalHeapCollection {
    /// Object index -> file range of its data.
    let objects: [UInt16: Range<Int>]

    init(_ core: FileCore, address: UInt64) throws {
        var r = try core.reader(at: address, "global heap collection")
        let start = r.position
        try r.signature("GCOL")
        let version = try r.u8()
        try require(version == 1, "unsupported global heap version \(version)")
        try r.skip(3)
        let size = try r.lengthInt(core, "global heap collection size")
        try require(size >= 8 + core.lengthSize && size <= r.buffer.count - start, "global heap collection size \(size) is invalid")
        // The collection header and each object header (index, reference count, reserved,
        // size) are padded to 8 bytes, and so is each object's data (the reference library's
        // layout; it matters when lengths are 4 bytes).
        let align8 = { (n: Int) in (n + 7) & ~7 }
        r = try ByteReader(core.bytes, at: start + align8(8 + core.lengthSize), end: start + size)
        var objects: [UInt16: Range<Int>] = [:]
        while r.remaining >= 8 + core.lengthSize {
            let index = try r.u16()
            _ = try r.u16()  // reference count
            try r.skip(4)
            let objectSize = try r.lengthInt(core, "global heap object size")
            if index == 0 { break }  // free space runs to the end of the collection
            try r.skip(align8(8 + core.lengthSize) - (8 + core.lengthSize))
            try require(objectSize <= r.remaining, "global heap object \(index) overruns its collection")
            objects[index] = r.position..<(r.position + objectSize)
            let padded = align8(objectSize)
            if padded > r.remaining { break }
            try r.skip(padded)
        }
        self.objects = objects
    }
}
