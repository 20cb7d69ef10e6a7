// What the libFuzzer harnesses in fuzz/ do with one input. Shared, file for file, by the harness binaries
// (fuzz/build.sh compiles this file into them) and by FuzzRegressionTests, so a committed crash input is
// replayed under `swift test` exactly as the fuzzer ran it. No XCTest here: the harnesses link without it.
@testable import HDF5

enum HDF5FuzzExercise {
    /// Reads are capped well below the library default so one input cannot allocate hundreds of MiB;
    /// one decode thread keeps the fuzzer's process single-threaded.
    static let options = HDF5ReadOptions(maxReadBytes: 4 << 20, decodeThreads: 1)

    /// Opens `bytes` as an HDF5 file and touches everything reachable: every group's members and attributes,
    /// every dataset's shape, type, layout, attributes and values. Errors are expected and ignored (each
    /// object independently, so one bad object does not hide the rest); only a trap is a failure.
    static func run(_ bytes: [UInt8]) {
        guard let file = try? HDF5File(bytes: bytes, name: "fuzz.h5", options: options) else { return }
        _ = file.superblockVersion
        _ = try? HDF5Inspector.text(file)
        _ = try? HDF5Inspector.json(file)
        var visited = Set<UInt64>()
        walk(file.root, file: file, depth: 0, visited: &visited)
    }

    private static func walk(_ group: HDF5Group, file: HDF5File, depth: Int, visited: inout Set<UInt64>) {
        _ = try? group.attributes()
        guard depth < 32, visited.insert(group.address).inserted, let names = try? group.memberNames() else { return }
        for name in names.prefix(256) {
            _ = try? group.attribute(name)
            switch try? group.kind(of: name) {
            case .group?:
                if let child = try? group.group(name) { walk(child, file: file, depth: depth + 1, visited: &visited) }
            case .dataset?:
                if let d = try? group.dataset(name) { dataset(d) }
            default:
                _ = file.exists(group.path == "/" ? "/" + name : group.path + "/" + name)
            }
        }
    }

    private static func dataset(_ d: HDF5Dataset) {
        _ = (d.shape, d.isNull, d.maxShape, d.datatype.name, d.datatype.elementSize, d.layoutDescription)
        _ = (d.elementCount, d.chunkShape, d.filterNames)
        _ = try? d.attributeNames()
        _ = try? d.attributes()
        _ = try? d.readDoubles()
        _ = try? d.readFloats()
        _ = try? d.readInt64s()
        _ = try? d.readStrings()
        _ = try? d.readValue()
        if let rows = d.shape.first, rows > 0 {
            _ = try? d.readDoubles(rows: (rows / 2)..<rows)
            _ = try? d.readFloats(rows: 0..<1)
        }
    }
}

enum InflateFuzzExercise {
    /// The first byte picks the entry point and a size hint; the rest is the compressed stream.
    static func run(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        let stream = Array(bytes.dropFirst())
        let limit = 1 << 20
        switch mode % 4 {
        case 0: _ = try? Inflate.zlibDecompress(stream, expectedSize: nil, maxSize: limit)
        case 1: _ = try? Inflate.rawInflate(stream, maxSize: limit)
        case 2:
            // An exact expected size, as the chunk reader uses it: derived from the mode byte.
            _ = try? Inflate.zlibDecompress(stream, expectedSize: Int(mode) * 64, maxSize: limit)
        default:
            var out = [UInt8](repeating: 0, count: Int(mode) * 16)
            _ = try? stream.withUnsafeBytes { input in
                try out.withUnsafeMutableBytes { try Inflate.zlibDecompress(input, into: $0) }
            }
        }
        // Round trip through the compressor: anything it produces must inflate back to the input.
        if mode % 8 == 7 {
            let packed = Deflate.zlibCompress(stream, level: Int(mode >> 4) % 10)
            guard let back = try? Inflate.zlibDecompress(packed, expectedSize: stream.count), back == stream else {
                fatalError("deflate/inflate round trip failed for \(stream.count) bytes")
            }
        }
    }
}
