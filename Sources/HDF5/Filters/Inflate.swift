// Spec: RFC 1951 "DEFLATE Compressed Data Format" (stored, fixed and dynamic Huffman blocks)
// and RFC 1950 "ZLIB Compressed Data Format" (2-byte header, big-endian Adler-32 trailer).
// HDF5's deflate filter stores zlib streams. The decoder keeps a 64-bit bit buffer refilled
// eight bytes at a time, decodes through two-level tables (HuffmanTable.swift) and copies
// matches eight bytes at a time; every input read, output write and distance is checked.

public struct InflateError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "inflate: \(message)" }
}

public enum Inflate {
    /// Decompresses a zlib stream. With `expectedSize` the output must have exactly that
    /// length; without it the output may grow up to `maxSize` bytes.
    public static func zlibDecompress(_ input: [UInt8], expectedSize: Int?, maxSize: Int = 1 << 30) throws -> [UInt8] {
        try input.withUnsafeBytes { try zlibDecompress($0, expectedSize: expectedSize, maxSize: maxSize) }
    }

    public static func zlibDecompress(_ input: UnsafeRawBufferPointer, expectedSize: Int?, maxSize: Int = 1 << 30) throws -> [UInt8] {
        if let n = expectedSize {
            guard n >= 0, n <= maxSize else { throw InflateError("expected size \(n) exceeds the limit of \(maxSize) bytes") }
            var out = [UInt8](repeating: 0, count: n)
            let written = try out.withUnsafeMutableBytes { try zlibDecompress(input, into: $0) }
            guard written == n else { throw InflateError("stream decompressed to \(written) bytes, expected \(n)") }
            return out
        }
        var state = InflateState(input: input, output: nil, capacity: 0, growLimit: maxSize)
        defer { state.releaseOwnedOutput() }
        try state.zlib()
        return Array(UnsafeBufferPointer(start: state.out, count: state.outPos))
    }

    /// Decompresses a zlib stream into `output`; returns the number of bytes written.
    /// Throws if the stream would produce more than `output.count` bytes.
    public static func zlibDecompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws -> Int {
        let base = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var state = InflateState(input: input, output: base, capacity: output.count, growLimit: nil)
        try state.zlib()
        return state.outPos
    }

    /// Decompresses raw deflate data (no zlib header or trailer).
    public static func rawInflate(_ input: [UInt8], maxSize: Int = 1 << 30) throws -> [UInt8] {
        try input.withUnsafeBytes { inp in
            var state = InflateState(input: inp, output: nil, capacity: 0, growLimit: maxSize)
            defer { state.releaseOwnedOutput() }
            try state.inflate()
            try state.finishInput()
            return Array(UnsafeBufferPointer(start: state.out, count: state.outPos))
        }
    }
}

/// Fixed Huffman tables of RFC 1951 section 3.2.6, built once.
private enum FixedTables {
    static let literal: [UInt32] = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        var t = HuffmanTable(primaryBits: 9)
        lengths.withUnsafeBufferPointer { try! t.build($0, HuffmanTable.literalLength) }
        return t.entries
    }()
    static let distance: [UInt32] = {
        let lengths = [UInt8](repeating: 5, count: 30)
        var t = HuffmanTable(primaryBits: 5)
        lengths.withUnsafeBufferPointer { try! t.build($0, HuffmanTable.distance, allowIncomplete: true) }
        return t.entries
    }()
}

struct InflateState {
    let input: UnsafePointer<UInt8>?
    let inCount: Int
    var inPos = 0
    var bitbuf: UInt64 = 0
    var bitcount: UInt64 = 0
    /// Zero bytes appended past the end of input while refilling (bounded; checked at the end).
    var overrun = 0
    var out: UnsafeMutablePointer<UInt8>?
    var capacity: Int
    var outPos = 0
    /// nil: fixed caller buffer; otherwise the output is owned here and may grow to this size.
    let growLimit: Int?
    private var litTable = HuffmanTable(primaryBits: 10)
    private var distTable = HuffmanTable(primaryBits: 8)
    private var lengthTable = HuffmanTable(primaryBits: 7)

    init(input: UnsafeRawBufferPointer, output: UnsafeMutablePointer<UInt8>?, capacity: Int, growLimit: Int?) {
        self.input = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        inCount = input.count
        out = output
        self.capacity = capacity
        self.growLimit = growLimit
    }

    mutating func releaseOwnedOutput() {
        if growLimit != nil, let out { out.deallocate() }
        out = nil
    }

    // MARK: zlib wrapper (RFC 1950)

    mutating func zlib() throws {
        guard inCount >= 2, let input else { throw InflateError("truncated zlib header") }
        let cmf = input[0], flg = input[1]
        guard cmf & 0x0f == 8, cmf >> 4 <= 7 else { throw InflateError("bad zlib header (compression method \(cmf & 0x0f))") }
        guard (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0 else { throw InflateError("bad zlib header check bits") }
        guard flg & 0x20 == 0 else { throw InflateError("zlib preset dictionary not supported") }
        inPos = 2
        try inflate()
        try finishInput()
        guard inPos + 4 <= inCount else { throw InflateError("truncated zlib stream (missing Adler-32)") }
        let stored = UInt32(input[inPos]) << 24 | UInt32(input[inPos + 1]) << 16 | UInt32(input[inPos + 2]) << 8 | UInt32(input[inPos + 3])
        let computed = Adler32.checksum(UnsafeRawBufferPointer(start: out, count: outPos))
        guard stored == computed else { throw InflateError("Adler-32 mismatch (stream corrupt)") }
        inPos += 4
    }

    /// Gives back whole unread bytes held in the bit buffer; fails if the decoder consumed
    /// bits beyond the end of the input.
    mutating func finishInput() throws {
        bitbuf >>= bitcount & 7
        bitcount -= bitcount & 7
        let unread = Int(bitcount >> 3)
        guard overrun <= unread else { throw InflateError("truncated deflate stream") }
        inPos -= unread - overrun
        overrun = 0
        bitbuf = 0
        bitcount = 0
    }

    // MARK: bit input

    @inline(__always)
    mutating func refill() throws {
        if inPos + 8 <= inCount, let input {
            let word = UInt64(littleEndian: UnsafeRawPointer(input + inPos).loadUnaligned(as: UInt64.self))
            bitbuf |= word << bitcount
            inPos += Int((63 - bitcount) >> 3)
            bitcount |= 56
        } else {
            try refillSlow()
        }
    }

    @inline(never)
    mutating func refillSlow() throws {
        // Stop at 56 bits so the fast path's shift and byte count never see a full buffer.
        while bitcount <= 48 {
            if inPos < inCount, let input {
                bitbuf |= UInt64(input[inPos]) << bitcount
                inPos += 1
            } else {
                overrun += 1
                if overrun > 16 { throw InflateError("truncated deflate stream") }
            }
            bitcount += 8
        }
    }

    @inline(__always)
    mutating func bits(_ n: UInt64) -> UInt64 {
        let v = bitbuf & ((1 << n) - 1)
        bitbuf >>= n
        bitcount -= n
        return v
    }

    // MARK: output

    @inline(never)
    mutating func ensureRoom(_ n: Int) throws {
        guard let limit = growLimit else {
            throw InflateError("output exceeds the expected size of \(capacity) bytes")
        }
        let needed = outPos + n
        guard needed <= limit else { throw InflateError("output exceeds the limit of \(limit) bytes") }
        var newCapacity = max(capacity * 2, 1 << 16)
        while newCapacity < needed { newCapacity *= 2 }
        newCapacity = min(newCapacity, limit)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        if let out {
            p.update(from: out, count: outPos)
            out.deallocate()
        }
        out = p
        capacity = newCapacity
    }

    // MARK: blocks (RFC 1951 section 3.2.3)

    mutating func inflate() throws {
        var last = false
        while !last {
            try refill()
            last = bits(1) == 1
            let type = bits(2)
            switch type {
            case 0: try stored()
            case 1:
                try FixedTables.literal.withUnsafeBufferPointer { lit in
                    try FixedTables.distance.withUnsafeBufferPointer { dist in
                        try codes(lit.baseAddress!, 9, dist.baseAddress!, 5)
                    }
                }
            case 2:
                try dynamicTables()
                let lt = litTable.entries, dt = distTable.entries
                try lt.withUnsafeBufferPointer { lit in
                    try dt.withUnsafeBufferPointer { dist in
                        try codes(lit.baseAddress!, 10, dist.baseAddress!, 8)
                    }
                }
            default:
                throw InflateError("invalid block type 3")
            }
        }
    }

    private mutating func stored() throws {
        try finishInput()
        guard inPos + 4 <= inCount, let input else { throw InflateError("truncated stored block header") }
        let len = Int(input[inPos]) | Int(input[inPos + 1]) << 8
        let nlen = Int(input[inPos + 2]) | Int(input[inPos + 3]) << 8
        guard len == (~nlen & 0xffff) else { throw InflateError("stored block length check failed") }
        inPos += 4
        guard inPos + len <= inCount else { throw InflateError("truncated stored block") }
        if outPos + len > capacity { try ensureRoom(len) }
        if len > 0, let out { (out + outPos).update(from: input + inPos, count: len) }
        inPos += len
        outPos += len
    }

    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private mutating func dynamicTables() throws {
        try refill()
        let nlen = Int(bits(5)) + 257
        let ndist = Int(bits(5)) + 1
        let ncode = Int(bits(4)) + 4
        guard nlen <= 286, ndist <= 30 else { throw InflateError("too many length or distance codes") }
        var lengths = [UInt8](repeating: 0, count: 320)
        for i in 0..<ncode {
            try refill()
            lengths[Self.codeLengthOrder[i]] = UInt8(bits(3))
        }
        try lengths.withUnsafeBufferPointer { try lengthTable.build(UnsafeBufferPointer(rebasing: $0[0..<19]), HuffmanTable.codeLength) }
        for i in 0..<19 { lengths[i] = 0 }
        var i = 0
        let table = lengthTable.entries
        while i < nlen + ndist {
            try refill()
            let e = table[Int(bitbuf & 127)]
            guard HuffmanEntry.kind(e) == HuffmanEntry.literal else { throw InflateError("invalid code-length code") }
            _ = bits(UInt64(HuffmanEntry.bits(e)))
            let sym = HuffmanEntry.value(e)
            if sym < 16 {
                lengths[i] = UInt8(sym); i += 1
                continue
            }
            var value: UInt8 = 0
            var repeatCount: Int
            switch sym {
            case 16:
                guard i > 0 else { throw InflateError("repeat of a code length with no previous length") }
                value = lengths[i - 1]
                repeatCount = 3 + Int(bits(2))
            case 17: repeatCount = 3 + Int(bits(3))
            default: repeatCount = 11 + Int(bits(7))
            }
            guard i + repeatCount <= nlen + ndist else { throw InflateError("code lengths overflow the alphabet") }
            for _ in 0..<repeatCount { lengths[i] = value; i += 1 }
        }
        guard lengths[256] != 0 else { throw InflateError("missing end-of-block code") }
        try lengths.withUnsafeBufferPointer { all in
            try litTable.build(UnsafeBufferPointer(rebasing: all[0..<nlen]), HuffmanTable.literalLength)
            try distTable.build(UnsafeBufferPointer(rebasing: all[nlen..<(nlen + ndist)]), HuffmanTable.distance)
        }
    }

    /// Decodes literal/length and distance codes until end-of-block (RFC 1951 section 3.2.5).
    /// The hot state lives in locals (registers) and is written back to `self` around the
    /// rare slow paths (byte-wise refill near the end of input, growing the output).
    private mutating func codes(_ lit: UnsafePointer<UInt32>, _ litBits: UInt64,
                                _ dist: UnsafePointer<UInt32>, _ distBits: UInt64) throws {
        let litMask = (UInt64(1) << litBits) - 1
        let distMask = (UInt64(1) << distBits) - 1
        let input = self.input
        let inCount = self.inCount
        var bitbuf = self.bitbuf, bitcount = self.bitcount, inPos = self.inPos, outPos = self.outPos
        var out = self.out, capacity = self.capacity
        defer {
            self.bitbuf = bitbuf; self.bitcount = bitcount; self.inPos = inPos; self.outPos = outPos
        }
        while true {
            if inPos + 8 <= inCount, let input {
                let word = UInt64(littleEndian: UnsafeRawPointer(input + inPos).loadUnaligned(as: UInt64.self))
                bitbuf |= word << bitcount
                inPos += Int((63 - bitcount) >> 3)
                bitcount |= 56
            } else {
                self.bitbuf = bitbuf; self.bitcount = bitcount; self.inPos = inPos
                try refillSlow()
                bitbuf = self.bitbuf; bitcount = self.bitcount; inPos = self.inPos
            }
            var e = lit[Int(bitbuf & litMask)]
            if HuffmanEntry.kind(e) == HuffmanEntry.subtable {
                bitbuf >>= litBits; bitcount -= litBits
                e = lit[HuffmanEntry.value(e) + Int(bitbuf & ((1 << UInt64(HuffmanEntry.extra(e))) - 1))]
            }
            let n = UInt64(HuffmanEntry.bits(e))
            bitbuf >>= n; bitcount -= n
            let kind = HuffmanEntry.kind(e)
            if kind == HuffmanEntry.literal {
                if outPos >= capacity {
                    self.outPos = outPos
                    try ensureRoom(1)
                    out = self.out; capacity = self.capacity
                }
                out.unsafelyUnwrapped[outPos] = UInt8(truncatingIfNeeded: HuffmanEntry.value(e))
                outPos += 1
                continue
            }
            if kind == HuffmanEntry.endOfBlock { return }
            guard kind == HuffmanEntry.base else { throw InflateError("invalid literal/length code") }
            let lengthExtra = UInt64(HuffmanEntry.extra(e))
            let length = HuffmanEntry.value(e) + Int(bitbuf & ((1 << lengthExtra) - 1))
            bitbuf >>= lengthExtra; bitcount -= lengthExtra
            var d = dist[Int(bitbuf & distMask)]
            if HuffmanEntry.kind(d) == HuffmanEntry.subtable {
                bitbuf >>= distBits; bitcount -= distBits
                d = dist[HuffmanEntry.value(d) + Int(bitbuf & ((1 << UInt64(HuffmanEntry.extra(d))) - 1))]
            }
            let dn = UInt64(HuffmanEntry.bits(d))
            bitbuf >>= dn; bitcount -= dn
            guard HuffmanEntry.kind(d) == HuffmanEntry.base else { throw InflateError("invalid distance code") }
            let distExtra = UInt64(HuffmanEntry.extra(d))
            let distance = HuffmanEntry.value(d) + Int(bitbuf & ((1 << distExtra) - 1))
            bitbuf >>= distExtra; bitcount -= distExtra
            guard distance <= outPos else { throw InflateError("distance \(distance) too far back (only \(outPos) bytes written)") }
            if outPos + length > capacity {
                self.outPos = outPos
                try ensureRoom(length)
                out = self.out; capacity = self.capacity
            }
            let o = out.unsafelyUnwrapped
            var dst = o + outPos
            var src = dst - distance
            let end = dst + length
            if distance >= 8 && outPos + length + 8 <= capacity {
                repeat {
                    UnsafeMutableRawPointer(dst).storeBytes(of: UnsafeRawPointer(src).loadUnaligned(as: UInt64.self), as: UInt64.self)
                    dst += 8; src += 8
                } while dst < end
            } else if distance == 1 {
                dst.update(repeating: src.pointee, count: length)
            } else {
                while dst < end { dst.pointee = src.pointee; dst += 1; src += 1 }
            }
            outPos += length
        }
    }
}
