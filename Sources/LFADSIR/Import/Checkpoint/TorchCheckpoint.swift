import Foundation

/// A PyTorch / Lightning checkpoint read without Python: the zip archive torch.save writes, its `data.pkl`
/// interpreted by the whitelisting `Unpickler`, tensors decoded from the `data/<key>` storages on demand.
/// Only the parts lfadsc uses are looked at: `state_dict`, `hyper_parameters` and `lfadsc_modules`.
struct TorchCheckpoint {
    let archive: ZipArchive
    /// The archive's top-level folder (`archive` for torch ≥ 1.13, the file's stem before).
    let prefix: String
    let heap: PickleHeap
    let root: PickleDict
    /// state_dict in saved order.
    let stateDict: PickleDict

    /// Leading bytes of the legacy (pre-1.6) torch.save format: protocol 2, then the LONG1 magic number.
    static let legacyMagic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    static func isLegacyTorchFile(_ head: [UInt8]) -> Bool { head.starts(with: legacyMagic) }

    init(path: String) throws {
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)) } catch {
            throw CheckpointError("cannot read file (\(error.localizedDescription))")
        }
        try self.init(bytes: bytes)
    }

    init(bytes: [UInt8], checksCRC: Bool = true) throws {
        if Self.isLegacyTorchFile(bytes) {
            throw CheckpointError("legacy torch.save format (before torch 1.6) is not read; re-save it with a current torch.save")
        }
        guard ZipArchive.isZip(Array(bytes.prefix(4))) else { throw CheckpointError("not a PyTorch checkpoint (no zip signature)") }
        archive = try ZipArchive(bytes: bytes, checksCRC: checksCRC)
        let pickles = archive.entries.map(\.name).filter {
            $0.hasSuffix("/data.pkl") && $0.split(separator: "/", omittingEmptySubsequences: false).count == 2
        }
        guard let pickle = pickles.first else {
            let names = archive.entries.prefix(4).map(\.name).joined(separator: ", ")
            throw CheckpointError("zip archive without a <folder>/data.pkl entry: not a torch.save checkpoint (entries: \(names.isEmpty ? "none" : names))")
        }
        guard pickles.count == 1 else { throw CheckpointError("zip archive holds \(pickles.count) data.pkl entries") }
        prefix = String(pickle.dropLast("/data.pkl".count))
        if let order = archive.entry(prefix + "/byteorder") {
            let text = String(decoding: try archive.contents(of: order), as: UTF8.self)
            guard text == "little" else {
                throw CheckpointError(text == "big" ? "big-endian checkpoint (byteorder 'big') is not supported"
                                                    : "byteorder entry holds '\(text.prefix(16))', expected 'little'")
            }
        }
        guard let pickleEntry = archive.entry(pickle) else { throw CheckpointError("\(pickle) is missing") }
        let (top, heap) = try Unpickler.load(try archive.contents(of: pickleEntry))
        self.heap = heap
        guard let root = heap.dict(top) else {
            throw CheckpointError("data.pkl holds \(heap.describe(top)), expected a dict (a Lightning checkpoint)\(Self.refusal(top, heap))")
        }
        self.root = root
        guard let sd = root["state_dict"] else { throw CheckpointError("no 'state_dict' in the checkpoint (keys: \(Self.keyList(root)))") }
        guard let stateDict = heap.dict(sd) else {
            throw CheckpointError("'state_dict' is \(heap.describe(sd)), expected a dict\(Self.refusal(sd, heap))")
        }
        self.stateDict = stateDict
    }

    /// " (not on the whitelist; nothing was run)" for values an unknown global built.
    static func refusal(_ v: PickleValue, _ heap: PickleHeap) -> String {
        if case .opaque? = heap.object(v) { return ": refused, it is not on the reader's whitelist (nothing was run)" }
        return ""
    }

    static func keyList(_ d: PickleDict) -> String {
        let names = d.keys.prefix(8).map { if case .string(let s) = $0 { return s } else { return "?" } }
        return names.joined(separator: ", ") + (d.count > 8 ? ", ..." : "")
    }

    /// The state_dict keys that are strings, in order.
    var tensorNames: [String] {
        stateDict.keys.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
    }

    /// The tensor stored under a state_dict key; throws when the value is something else.
    func tensor(_ name: String) throws -> TensorRef {
        guard let v = stateDict[name] else { throw CheckpointError("missing") }
        guard case .tensor(let t)? = heap.object(v) else {
            throw CheckpointError("is \(heap.describe(v)), not a tensor\(Self.refusal(v, heap))")
        }
        return t
    }

    /// Largest number of elements one tensor may have (the products below cannot overflow under it).
    static let elementLimit = 1 << 31

    /// The elements of a tensor in row-major order, each rounded to float32 as tools/export_lfads_torch.py does
    /// (`astype(np.float32)`), so both paths give the same IR.
    func floats(_ t: TensorRef) throws -> [Float] {
        let s = t.storage
        guard let dtype = s.dtype else { throw CheckpointError("storage type \(s.typeName) is not supported (float32/64/16, bfloat16, integers, bool)") }
        // The archive holds the bytes whatever device they were saved from; a meta tensor has none.
        guard s.location != "meta" else { throw CheckpointError("is a meta tensor (saved without data)") }
        var count = 1, last = t.offset
        guard t.offset >= 0 else { throw CheckpointError("negative storage offset \(t.offset)") }
        for (n, st) in zip(t.shape, t.stride) {
            guard n >= 0, st >= 0 else { throw CheckpointError("negative size or stride (shape \(t.shape), stride \(t.stride))") }
            let (c, o1) = count.multipliedReportingOverflow(by: n)
            guard !o1, c <= Self.elementLimit else { throw CheckpointError("shape \(t.shape) is too large") }
            count = c
        }
        if count == 0 { return [] }
        for (n, st) in zip(t.shape, t.stride) {
            let (span, o1) = (n - 1).multipliedReportingOverflow(by: st)
            let (l, o2) = last.addingReportingOverflow(span)
            guard !o1, !o2 else { throw CheckpointError("strides \(t.stride) overflow") }
            last = l
        }
        guard last < s.count else {
            throw CheckpointError("shape \(t.shape), stride \(t.stride), offset \(t.offset) reach element \(last) of a storage of \(s.count)")
        }
        let name = "\(prefix)/data/\(s.key)"
        guard let entry = archive.entry(name) else { throw CheckpointError("storage '\(s.key)' (\(name)) is missing from the archive") }
        let (expected, o) = s.count.multipliedReportingOverflow(by: dtype.itemSize)
        guard !o, entry.size == expected else {
            throw CheckpointError("storage '\(s.key)' holds \(entry.size) bytes, expected \(s.count) × \(dtype.itemSize)")
        }
        let raw = try archive.contents(of: entry)
        var out = [Float](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: t.shape.count)
        var element = t.offset
        for i in 0..<count {
            out[i] = Self.decode(raw, element * dtype.itemSize, dtype)
            // Advance the multi-index (last axis fastest) and the storage element with it.
            var axis = t.shape.count - 1
            while axis >= 0 {
                // Wrapping arithmetic: a stride of a size-1 axis may be anything; only in-bounds elements are read.
                index[axis] += 1
                element &+= t.stride[axis]
                if index[axis] < t.shape[axis] { break }
                element &-= t.stride[axis] &* t.shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return out
    }

    /// One little-endian element at byte offset `at` (in bounds: checked above), rounded to float32.
    static func decode(_ b: [UInt8], _ at: Int, _ dtype: TorchDType) -> Float {
        func u(_ n: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<n { v |= UInt64(b[at + i]) << (8 * UInt64(i)) }
            return v
        }
        switch dtype {
        case .float32: return Float(bitPattern: UInt32(u(4)))
        case .float64: return Float(Double(bitPattern: u(8)))
        case .float16: return halfToFloat(UInt16(u(2)))
        case .bfloat16: return Float(bitPattern: UInt32(u(2)) << 16)
        case .int64: return Float(Int64(bitPattern: u(8)))
        case .int32: return Float(Int32(bitPattern: UInt32(u(4))))
        case .int16: return Float(Int16(bitPattern: UInt16(u(2))))
        case .int8: return Float(Int8(bitPattern: UInt8(u(1))))
        case .uint8: return Float(u(1))
        case .bool: return u(1) != 0 ? 1 : 0
        }
    }

    /// IEEE binary16 to binary32 (exact).
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1F), mantissa = Float(h & 0x3FF)
        switch exponent {
        case 0: return sign * mantissa * 0x1p-24
        case 31: return mantissa == 0 ? sign * .infinity : .nan
        default: return sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
