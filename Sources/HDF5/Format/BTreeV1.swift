// Spec: HDF5 File Format, section III.A.1 "Disk Format: Level 1A1 - Version 1 B-trees".
// Node type 0 indexes group symbol-table nodes, type 1 indexes raw data chunks. Keys and
// children interleave: key0 child0 key1 child1 ... keyN. Levels must strictly decrease
// towards the leaves and every node is visited once, so corrupt pointers cannot loop.

enum BTreeV1 {
    struct LeafEntry {
        /// File offset of the key that precedes (bounds from the left) the child.
        let keyOffset: Int
        let child: UInt64
    }

    static func leafEntries(_ core: FileCore, root: UInt64, nodeType: UInt8, keySize: Int) throws -> [LeafEntry] {
        var result: [LeafEntry] = []
        var visited: Set<UInt64> = []
        var stack: [(address: UInt64, expectedLevel: Int?)] = [(root, nil)]
        while let (address, expectedLevel) = stack.popLast() {
            try require(visited.insert(address).inserted, "v1 B-tree node at \(address) is referenced twice (cycle)")
            var r = try core.reader(at: address, "v1 B-tree node")
            try r.signature("TREE")
            let type = try r.u8()
            try require(type == nodeType, "v1 B-tree node at \(address) has type \(type), expected \(nodeType)")
            let level = Int(try r.u8())
            if let expectedLevel {
                try require(level == expectedLevel, "v1 B-tree node at \(address) has level \(level), expected \(expectedLevel)")
            }
            let entries = Int(try r.u16())
            _ = try r.address(core)  // left sibling
            _ = try r.address(core)  // right sibling
            let stride = keySize + core.offsetSize
            try require(entries * stride + keySize <= r.remaining, "v1 B-tree node at \(address) overruns the file")
            var children: [(UInt64, Int)] = []
            for _ in 0..<entries {
                let keyOffset = r.position
                try r.skip(keySize)
                guard let child = try r.address(core) else {
                    throw FormatError("v1 B-tree node at \(address) has an undefined child pointer")
                }
                children.append((child, keyOffset))
            }
            if level == 0 {
                for (child, keyOffset) in children { result.append(LeafEntry(keyOffset: keyOffset, child: child)) }
            } else {
                // Push in reverse so children are visited left to right.
                for (child, _) in children.reversed() { stack.append((child, level - 1)) }
            }
        }
        return result
    }
}
