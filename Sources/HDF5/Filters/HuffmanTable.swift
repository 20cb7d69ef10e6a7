// Spec: RFC 1951 section 3.2.2 (canonical Huffman codes). Decoding tables for inflate: a
// primary table indexed by the next `primaryBits` stream bits (codes are stored bit-reversed
// because deflate packs Huffman codes starting at their most significant bit), plus
// subtables for longer codes, as in zlib's inflate_table design.
//
// Entry layout (UInt32): bits 0-4 bits to consume, bits 5-9 extra bits (or subtable index
// bits), bits 10-12 kind, bits 16-31 value (literal, base or subtable offset).

enum HuffmanEntry {
    static let literal: UInt32 = 0
    static let base: UInt32 = 1
    static let endOfBlock: UInt32 = 2
    static let subtable: UInt32 = 3
    static let invalid: UInt32 = 4

    @inline(__always) static func make(bits: Int, extra: Int, kind: UInt32, value: Int) -> UInt32 {
        UInt32(bits) | UInt32(extra) << 5 | kind << 10 | UInt32(value) << 16
    }
    @inline(__always) static func bits(_ e: UInt32) -> UInt32 { e & 31 }
    @inline(__always) static func extra(_ e: UInt32) -> UInt32 { (e >> 5) & 31 }
    @inline(__always) static func kind(_ e: UInt32) -> UInt32 { (e >> 10) & 7 }
    @inline(__always) static func value(_ e: UInt32) -> Int { Int(e >> 16) }
}

struct HuffmanTable {
    private(set) var entries: [UInt32] = []
    let primaryBits: Int

    init(primaryBits: Int) { self.primaryBits = primaryBits }

    /// Symbol meaning for the literal/length alphabet.
    static func literalLength(_ symbol: Int) -> (kind: UInt32, value: Int, extra: Int) {
        if symbol < 256 { return (HuffmanEntry.literal, symbol, 0) }
        if symbol == 256 { return (HuffmanEntry.endOfBlock, 0, 0) }
        let i = symbol - 257
        if i < 29 { return (HuffmanEntry.base, lengthBase[i], lengthExtra[i]) }
        return (HuffmanEntry.invalid, 0, 0)
    }

    static func distance(_ symbol: Int) -> (kind: UInt32, value: Int, extra: Int) {
        if symbol < 30 { return (HuffmanEntry.base, distanceBase[symbol], distanceExtra[symbol]) }
        return (HuffmanEntry.invalid, 0, 0)
    }

    static func codeLength(_ symbol: Int) -> (kind: UInt32, value: Int, extra: Int) {
        (HuffmanEntry.literal, symbol, 0)
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                               2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// Builds the table from code lengths. Over-subscribed codes are rejected; incomplete codes
    /// only when they are more than a single one-bit code (as zlib does) unless `allowIncomplete`.
    mutating func build(_ lengths: UnsafeBufferPointer<UInt8>,
                        _ meaning: (Int) -> (kind: UInt32, value: Int, extra: Int),
                        allowIncomplete: Bool = false) throws {
        var count = [Int](repeating: 0, count: 16)
        for l in lengths { count[Int(l)] += 1 }
        count[0] = 0
        var left = 1
        var maxLength = 0
        for len in 1...15 {
            left <<= 1
            left -= count[len]
            if left < 0 { throw InflateError("over-subscribed Huffman code") }
            if count[len] > 0 { maxLength = len }
        }
        if left > 0 && maxLength > 0 && !(allowIncomplete || maxLength == 1) {
            throw InflateError("incomplete Huffman code")
        }
        // First canonical code of each length.
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for len in 1...15 {
            code = (code + count[len - 1]) << 1
            nextCode[len] = code
        }
        let p = primaryBits
        let primarySize = 1 << p
        let invalid = HuffmanEntry.make(bits: 1, extra: 0, kind: HuffmanEntry.invalid, value: 0)
        var codes = [Int](repeating: 0, count: lengths.count)
        var subMax = [Int](repeating: 0, count: primarySize)
        for s in 0..<lengths.count {
            let len = Int(lengths[s])
            guard len > 0 else { continue }
            codes[s] = nextCode[len]
            nextCode[len] += 1
            if len > p {
                let idx = reverse(codes[s] >> (len - p), p)
                subMax[idx] = max(subMax[idx], len)
            }
        }
        var subOffset = [Int](repeating: 0, count: primarySize)
        var total = primarySize
        for i in 0..<primarySize where subMax[i] > 0 {
            subOffset[i] = total
            total += 1 << (subMax[i] - p)
        }
        entries.removeAll(keepingCapacity: true)
        entries.append(contentsOf: repeatElement(invalid, count: total))
        for i in 0..<primarySize where subMax[i] > 0 {
            entries[i] = HuffmanEntry.make(bits: p, extra: subMax[i] - p, kind: HuffmanEntry.subtable, value: subOffset[i])
        }
        for s in 0..<lengths.count {
            let len = Int(lengths[s])
            guard len > 0 else { continue }
            let m = meaning(s)
            let rev = reverse(codes[s], len)
            if len <= p {
                let e = HuffmanEntry.make(bits: len, extra: m.extra, kind: m.kind, value: m.value)
                var i = rev
                while i < primarySize { entries[i] = e; i += 1 << len }
            } else {
                let prefix = rev & (primarySize - 1)
                let subBits = subMax[prefix] - p
                let e = HuffmanEntry.make(bits: len - p, extra: m.extra, kind: m.kind, value: m.value)
                var i = rev >> p
                while i < 1 << subBits { entries[subOffset[prefix] + i] = e; i += 1 << (len - p) }
            }
        }
    }

    private func reverse(_ code: Int, _ length: Int) -> Int {
        var r = 0, c = code
        for _ in 0..<length { r = (r << 1) | (c & 1); c >>= 1 }
        return r
    }
}
