// Spec: HDF5 File Format, section III.A.2 "Disk Format: Level 1A2 - Version 2 B-trees":
// header ("BTHD"), internal ("BTIN") and leaf ("BTLF") nodes, all checksummed. Used here for
// dense link and attribute name indexes (types 5, 8) and chunk indexes (types 10, 11).
// All records are enumerated; node depth strictly decreases so corrupt pointers cannot loop.

enum BTreeV2 {
    struct Tree {
        let type: UInt8
        let recordSize: Int
        /// File offsets of every record, in key order.
        let records: [Int]
    }

    static func enumerate(_ core: FileCore, address: UInt64, expectedTypes: Set<UInt8>) throws -> Tree {
        var r = try core.reader(at: address, "v2 B-tree header")
        let start = r.position
        try r.signature("BTHD")
        let version = try r.u8()
        try require(version == 0, "unsupported v2 B-tree version \(version)")
        let type = try r.u8()
        try require(expectedTypes.contains(type), "v2 B-tree has record type \(type), expected one of \(expectedTypes.sorted())")
        let nodeSize = Int(try r.u32())
        let recordSize = Int(try r.u16())
        let depth = Int(try r.u16())
        _ = try r.u8(); _ = try r.u8()
        let root = try r.address(core)
        let rootCount = Int(try r.u16())
        _ = try r.length(core)
        try r.verifyChecksum(from: start, "v2 B-tree header")
        try require(recordSize > 0 && nodeSize > 10 + recordSize, "v2 B-tree node size \(nodeSize) / record size \(recordSize) invalid")
        try require(depth <= 32, "v2 B-tree depth \(depth) is invalid")
        guard let root else { return Tree(type: type, recordSize: recordSize, records: []) }

        // Per-level limits, as the reference library derives them from node and record sizes.
        func encSize(_ v: Int) -> Int { (Int.bitWidth - 1 - max(v, 1).leadingZeroBitCount) / 8 + 1 }
        var maxRecords = [(nodeSize - 10) / recordSize]
        var cumulative = [maxRecords[0]]
        var cumulativeSize = [0]
        let countSize = encSize(maxRecords[0])
        if depth > 0 {
            for level in 1...depth {
                let pointerSize = core.offsetSize + countSize + cumulativeSize[level - 1]
                let m = (nodeSize - 10 - pointerSize) / (recordSize + pointerSize)
                try require(m > 0, "v2 B-tree nodes too small for depth \(depth)")
                maxRecords.append(m)
                let (c1, o1) = (m + 1).multipliedReportingOverflow(by: cumulative[level - 1])
                let c = o1 ? Int.max : c1.addingReportingOverflow(m).overflow ? Int.max : c1 + m
                cumulative.append(c)
                cumulativeSize.append(encSize(c))
            }
        }

        var records: [Int] = []
        var visited: Set<UInt64> = []
        func visit(_ address: UInt64, level: Int, count: Int) throws {
            try require(visited.insert(address).inserted, "v2 B-tree node at \(address) is referenced twice (cycle)")
            try require(count <= maxRecords[level], "v2 B-tree node at \(address) claims \(count) records")
            var n = try core.reader(at: address, length: nodeSize, "v2 B-tree node")
            let nodeStart = n.position
            try n.signature(level == 0 ? "BTLF" : "BTIN")
            _ = try n.u8()
            let t = try n.u8()
            try require(t == type, "v2 B-tree node type \(t) differs from its header (\(type))")
            let recordStart = n.position
            try n.skip(try checkedMul(count, recordSize, "v2 B-tree node records"))
            if level == 0 {
                try n.verifyChecksum(from: nodeStart, "v2 B-tree leaf node")
                for i in 0..<count { records.append(recordStart + i * recordSize) }
                return
            }
            var children: [(UInt64, Int)] = []
            for _ in 0...count {
                guard let child = try n.address(core) else { throw FormatError("v2 B-tree node with an undefined child") }
                let childCount = try toInt(try n.uint(size: countSize), "v2 B-tree child record count")
                if level > 1 { _ = try n.uint(size: cumulativeSize[level - 1]) }
                children.append((child, childCount))
            }
            try n.verifyChecksum(from: nodeStart, "v2 B-tree internal node")
            // In-order: child 0, record 0, child 1, record 1, ...
            for (i, (child, childCount)) in children.enumerated() {
                try visit(child, level: level - 1, count: childCount)
                if i < count { records.append(recordStart + i * recordSize) }
            }
        }
        try visit(root, level: depth, count: rootCount)
        return Tree(type: type, recordSize: recordSize, records: records)
    }
}
