// Spec: HDF5 File Format, section IV.A.1 "Object Header" — IV.A.1.a version 1 prefix (messages
// 8-byte aligned) and IV.A.1.b version 2 ("OHDR", checksummed, continuation blocks "OCHK").
// Continuation messages (IV.A.2.q) chain further chunks; a visited set rejects cycles.

struct HeaderMessage: Sendable {
    let type: UInt16
    let flags: UInt8
    /// File offset and size of the message body.
    let offset: Int
    let size: Int

    var isShared: Bool { flags & 0x02 != 0 }

    func reader(_ core: FileCore) throws -> ByteReader {
        try ByteReader(core.bytes, at: offset, end: offset + size)
    }
}

enum MessageType {
    static let nilMessage: UInt16 = 0x00
    static let dataspace: UInt16 = 0x01
    static let linkInfo: UInt16 = 0x02
    static let datatype: UInt16 = 0x03
    static let fillValueOld: UInt16 = 0x04
    static let fillValue: UInt16 = 0x05
    static let link: UInt16 = 0x06
    static let externalFiles: UInt16 = 0x07
    static let layout: UInt16 = 0x08
    static let groupInfo: UInt16 = 0x0A
    static let filterPipeline: UInt16 = 0x0B
    static let attribute: UInt16 = 0x0C
    static let continuation: UInt16 = 0x10
    static let symbolTable: UInt16 = 0x11
    static let attributeInfo: UInt16 = 0x15
}

struct ObjectHeader: Sendable {
    let address: UInt64
    let version: Int
    let messages: [HeaderMessage]

    /// Upper bound on continuation chunks per header; real files use a handful.
    static let maxChunks = 4096

    init(core: FileCore, address: UInt64) throws {
        self.address = address
        var r = try core.reader(at: address, "object header")
        var chunks: [(start: Int, end: Int)] = []
        var messages: [HeaderMessage] = []
        var visited: Set<Int> = []
        let first = try r.u8()
        if first == 1 {
            version = 1
            _ = try r.u8()
            _ = try r.u16()  // number of messages (counted again while parsing)
            _ = try r.u32()  // reference count
            let size = Int(try r.u32())
            try r.skip(4)    // pad the 12-byte prefix to 16
            try require(size <= r.remaining, "object header size \(size) extends beyond the end of the file")
            chunks.append((r.position, r.position + size))
            visited.insert(r.position - 16)
            var index = 0
            while index < chunks.count {
                let c = chunks[index]; index += 1
                try ObjectHeader.parseV1(core, c.start, c.end, &messages, &chunks, &visited)
            }
        } else {
            var v = try core.reader(at: address, "object header")
            try v.signature("OHDR")
            version = Int(try v.u8())
            try require(version == 2, "unsupported object header version \(version)")
            let flags = try v.u8()
            if flags & 0x20 != 0 { try v.skip(16) }   // access/modification/change/birth times
            if flags & 0x10 != 0 { try v.skip(4) }    // attribute phase change values
            let chunkSize = try toInt(try v.uint(size: 1 << Int(flags & 3)), "object header chunk size")
            let start = v.position
            try require(chunkSize <= v.remaining - 4, "object header chunk size \(chunkSize) extends beyond the end of the file")
            // Checksum covers everything from the signature to the end of chunk 0.
            var ck = try ByteReader(core.bytes, at: start + chunkSize, end: start + chunkSize + 4)
            try ck.verifyChecksum(from: try core.offset(of: address, "object header"), "object header")
            let tracksOrder = flags & 0x04 != 0
            visited.insert(start)
            chunks.append((start, start + chunkSize))
            var index = 0
            while index < chunks.count {
                let c = chunks[index]; index += 1
                try ObjectHeader.parseV2(core, c.start, c.end, tracksOrder, &messages, &chunks, &visited)
            }
        }
        self.messages = messages
    }

    private static func parseV1(_ core: FileCore, _ start: Int, _ end: Int, _ messages: inout [HeaderMessage],
                                _ chunks: inout [(start: Int, end: Int)], _ visited: inout Set<Int>) throws {
        var r = try ByteReader(core.bytes, at: start, end: end)
        while r.remaining >= 8 {
            let type = try r.u16()
            let size = Int(try r.u16())
            let flags = try r.u8()
            try r.skip(3)
            try require(size <= r.remaining, "object header message (type \(type)) of \(size) bytes overruns its chunk")
            let m = HeaderMessage(type: type, flags: flags, offset: r.position, size: size)
            try r.skip(size)
            try handle(core, m, &messages, &chunks, &visited, v2: false)
        }
    }

    private static func parseV2(_ core: FileCore, _ start: Int, _ end: Int, _ tracksOrder: Bool,
                                _ messages: inout [HeaderMessage], _ chunks: inout [(start: Int, end: Int)],
                                _ visited: inout Set<Int>) throws {
        var r = try ByteReader(core.bytes, at: start, end: end)
        let headerSize = tracksOrder ? 6 : 4
        while r.remaining >= headerSize {
            let type = UInt16(try r.u8())
            let size = Int(try r.u16())
            let flags = try r.u8()
            if tracksOrder { _ = try r.u16() }
            try require(size <= r.remaining, "object header message (type \(type)) of \(size) bytes overruns its chunk")
            let m = HeaderMessage(type: type, flags: flags, offset: r.position, size: size)
            try r.skip(size)
            try handle(core, m, &messages, &chunks, &visited, v2: true)
        }
    }

    private static func handle(_ core: FileCore, _ m: HeaderMessage, _ messages: inout [HeaderMessage],
                               _ chunks: inout [(start: Int, end: Int)], _ visited: inout Set<Int>, v2: Bool) throws {
        switch m.type {
        case MessageType.nilMessage:
            return
        case MessageType.continuation:
            var r = try m.reader(core)
            guard let addr = try r.address(core) else { throw FormatError("continuation message with undefined address") }
            let length = try r.lengthInt(core, "continuation length")
            let range = try core.range(at: addr, length: length, "object header continuation")
            try require(visited.insert(range.lowerBound).inserted, "object header continuation chunks form a cycle")
            try require(chunks.count < maxChunks, "object header has more than \(maxChunks) continuation chunks")
            let total = chunks.reduce(length) { $0 + ($1.end - $1.start) }
            try require(total <= core.bytes.count, "object header chunks overlap (cycle or corrupt continuation)")
            if v2 {
                try require(length >= 8, "object header continuation block too small")
                var c = try ByteReader(core.bytes, at: range.lowerBound, end: range.upperBound)
                try c.signature("OCHK")
                try c.skip(length - 8)
                try c.verifyChecksum(from: range.lowerBound, "object header continuation block")
                chunks.append((range.lowerBound + 4, range.upperBound - 4))
            } else {
                chunks.append((range.lowerBound, range.upperBound))
            }
        default:
            messages.append(m)
        }
    }

    func first(_ type: UInt16) -> HeaderMessage? { messages.first { $0.type == type } }
    func all(_ type: UInt16) -> [HeaderMessage] { messages.filter { $0.type == type } }
    func has(_ type: UInt16) -> Bool { messages.contains { $0.type == type } }
}
