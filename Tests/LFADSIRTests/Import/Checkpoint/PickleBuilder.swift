@testable import LFADSIR

/// Writes pickle opcodes by hand (protocol 2 binary forms), for streams Python would write and ones it would not,
/// and wraps them as a torch.save zip archive.
struct PickleBuilder {
    var bytes: [UInt8] = [0x80, 0x02]

    mutating func op(_ b: UInt8...) { bytes += b }
    mutating func mark() { op(0x28) }
    mutating func emptyDict() { op(0x7D) }
    mutating func emptyList() { op(0x5D) }
    mutating func emptyTuple() { op(0x29) }
    mutating func tuple() { op(0x74) }
    mutating func setItems() { op(0x75) }
    mutating func setItem() { op(0x73) }
    mutating func appends() { op(0x65) }
    mutating func reduce() { op(0x52) }
    mutating func build() { op(0x62) }
    mutating func stop() { op(0x2E) }
    mutating func none() { op(0x4E) }
    mutating func bool(_ v: Bool) { op(v ? 0x88 : 0x89) }
    mutating func put(_ i: UInt8) { op(0x71, i) }
    mutating func get(_ i: UInt8) { op(0x68, i) }
    mutating func persistentId() { op(0x51) }

    mutating func int(_ v: Int32) {
        op(0x4A)
        bytes += (0..<4).map { UInt8((UInt32(bitPattern: v) >> (8 * UInt32($0))) & 0xFF) }
    }

    mutating func long1(_ le: [UInt8]) { op(0x8A, UInt8(le.count)); bytes += le }

    mutating func float(_ v: Double) {
        op(0x47)
        bytes += (0..<8).map { UInt8((v.bitPattern >> (8 * UInt64(7 - $0))) & 0xFF) }
    }

    mutating func string(_ s: String) {
        let u = Array(s.utf8)
        op(0x58)
        bytes += (0..<4).map { UInt8((UInt32(u.count) >> (8 * UInt32($0))) & 0xFF) } + u
    }

    mutating func global(_ module: String, _ name: String) {
        op(0x63)
        bytes += Array("\(module)\n\(name)\n".utf8)
    }

    /// `ints` as a tuple.
    mutating func intTuple(_ ints: [Int32]) {
        mark()
        for i in ints { int(i) }
        tuple()
    }

    /// A tensor as torch.save writes it: _rebuild_tensor_v2(storage pid, offset, size, stride, False, OrderedDict()).
    mutating func tensor(storage: String = "FloatStorage", key: String, numel: Int32, offset: Int32 = 0, shape: [Int32], stride: [Int32]) {
        global("torch._utils", "_rebuild_tensor_v2")
        mark()
        mark()
        string("storage"); global("torch", storage); string(key); string("cpu"); int(numel)
        tuple()
        persistentId()
        int(offset)
        intTuple(shape)
        intTuple(stride)
        bool(false)
        global("collections", "OrderedDict"); emptyTuple(); reduce()
        tuple()
        reduce()
    }

    /// A checkpoint dict {'state_dict': {...}, 'hyper_parameters': {...}} whose parts the closures write.
    static func checkpoint(stateDict: (inout PickleBuilder) -> Void, hyper: (inout PickleBuilder) -> Void) -> [UInt8] {
        var p = PickleBuilder()
        p.emptyDict()
        p.mark()
        p.string("state_dict"); p.emptyDict(); p.mark(); stateDict(&p); p.setItems()
        p.string("hyper_parameters"); p.emptyDict(); p.mark(); hyper(&p); p.setItems()
        p.setItems()
        p.stop()
        return p.bytes
    }

    /// A zip archive laid out like torch.save's: archive/data.pkl, archive/data/<key>, archive/byteorder.
    static func archive(_ pickle: [UInt8], storages: [String: [UInt8]] = [:], byteorder: String? = "little") -> [UInt8] {
        var w = ZipWriter()
        w.add("archive/data.pkl", pickle)
        if let byteorder { w.add("archive/byteorder", Array(byteorder.utf8)) }
        for (k, v) in storages.sorted(by: { $0.key < $1.key }) { w.add("archive/data/\(k)", v) }
        w.add("archive/version", Array("3\n".utf8))
        return w.finished()
    }

    static func float32(_ v: [Float]) -> [UInt8] {
        v.flatMap { f in (0..<4).map { UInt8((f.bitPattern >> (8 * UInt32($0))) & 0xFF) } }
    }
}
