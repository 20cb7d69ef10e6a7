// Spec: RFC 1951 (deflate) and RFC 1950 (zlib) — the compressing side, for the writer.
// Level 0 emits stored blocks; levels 1-9 emit one fixed-Huffman block per 64 KiB of input
// with greedy LZ77 matches from a hash chain (longer chains at higher levels). Whenever a
// block would not shrink, it is stored instead. Simple by design: writing is not hot.

public enum Deflate {
    public static func zlibCompress(_ input: [UInt8], level: Int = 6) -> [UInt8] {
        var w = BitSink()
        w.bytes.append(0x78)
        w.bytes.append(0x01)
        let blockSize = 65535
        var start = 0
        var matcher = Matcher(maxChain: level <= 0 ? 0 : level <= 3 ? 8 : level <= 6 ? 32 : 256)
        repeat {
            let end = min(start + blockSize, input.count)
            let last = end == input.count
            var compressed = BitSink()
            compressed.bits = w.bits
            compressed.count = w.count
            if level > 0 {
                compressed.put(last ? 1 : 0, 1)
                compressed.put(1, 2)
                matcher.encode(input, start, end, &compressed)
                compressed.huffman(Fixed.literalCode[256], Fixed.literalLength[256])
            }
            if level > 0 && compressed.bytes.count < end - start + 5 {
                w.bytes += compressed.bytes
                w.bits = compressed.bits
                w.count = compressed.count
            } else {
                w.put(last ? 1 : 0, 1)
                w.put(0, 2)
                w.flushByte()
                let n = end - start
                w.bytes += [UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8((~n >> 8) & 0xff)]
                w.bytes += input[start..<end]
            }
            start = end
        } while start < input.count
        w.flushByte()
        let adler = Adler32.checksum(input)
        w.bytes += [UInt8(adler >> 24), UInt8((adler >> 16) & 0xff), UInt8((adler >> 8) & 0xff), UInt8(adler & 0xff)]
        return w.bytes
    }

    /// Fixed Huffman codes of RFC 1951 section 3.2.6, bit-reversed for LSB-first output.
    private enum Fixed {
        static let literalLength: [Int] = (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 }
        static let literalCode: [UInt32] = (0..<288).map { s in
            let code = s < 144 ? 0x30 + s : s < 256 ? 0x190 + s - 144 : s < 280 ? s - 256 : 0xC0 + s - 280
            return reverse(UInt32(code), literalLength[s])
        }
        static let distanceCode: [UInt32] = (0..<30).map { reverse(UInt32($0), 5) }

        static func reverse(_ c: UInt32, _ n: Int) -> UInt32 {
            var r: UInt32 = 0, c = c
            for _ in 0..<n { r = (r << 1) | (c & 1); c >>= 1 }
            return r
        }
    }

    private struct BitSink {
        var bytes: [UInt8] = []
        var bits: UInt64 = 0
        var count = 0

        mutating func put(_ value: UInt32, _ n: Int) {
            bits |= UInt64(value) << UInt64(count)
            count += n
            while count >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: bits))
                bits >>= 8
                count -= 8
            }
        }

        mutating func huffman(_ reversedCode: UInt32, _ n: Int) { put(reversedCode, n) }

        mutating func flushByte() {
            if count > 0 { bytes.append(UInt8(truncatingIfNeeded: bits)) }
            bits = 0
            count = 0
        }
    }

    private struct Matcher {
        let maxChain: Int
        var head = [Int](repeating: -1, count: 1 << 15)
        var prev = [Int](repeating: -1, count: 1 << 15)

        init(maxChain: Int) { self.maxChain = maxChain }

        private static func hash(_ d: [UInt8], _ i: Int) -> Int {
            ((Int(d[i]) << 10) ^ (Int(d[i + 1]) << 5) ^ Int(d[i + 2])) & 0x7fff
        }

        private mutating func insert(_ d: [UInt8], _ i: Int) {
            guard i + 2 < d.count else { return }
            let h = Self.hash(d, i)
            prev[i & 0x7fff] = head[h]
            head[h] = i
        }

        mutating func encode(_ d: [UInt8], _ start: Int, _ end: Int, _ out: inout BitSink) {
            var i = start
            while i < end {
                var bestLength = 0, bestDistance = 0
                if i + 2 < end {
                    var candidate = head[Self.hash(d, i)]
                    var chain = maxChain
                    let limit = min(258, end - i)
                    while candidate >= 0 && i - candidate <= 32768 && chain > 0 {
                        var n = 0
                        while n < limit && d[candidate + n] == d[i + n] { n += 1 }
                        if n > bestLength { bestLength = n; bestDistance = i - candidate; if n == limit { break } }
                        let p = prev[candidate & 0x7fff]
                        if p >= candidate { break }
                        candidate = p
                        chain -= 1
                    }
                }
                if bestLength >= 3 {
                    Self.length(bestLength, &out)
                    Self.distance(bestDistance, &out)
                    for k in 0..<bestLength { insert(d, i + k) }
                    i += bestLength
                } else {
                    out.huffman(Fixed.literalCode[Int(d[i])], Fixed.literalLength[Int(d[i])])
                    insert(d, i)
                    i += 1
                }
            }
        }

        private static func length(_ n: Int, _ out: inout BitSink) {
            var s = HuffmanTable.lengthBase.count - 1
            while HuffmanTable.lengthBase[s] > n { s -= 1 }
            let sym = 257 + s
            out.huffman(Fixed.literalCode[sym], Fixed.literalLength[sym])
            let extra = HuffmanTable.lengthExtra[s]
            if extra > 0 { out.put(UInt32(n - HuffmanTable.lengthBase[s]), extra) }
        }

        private static func distance(_ d: Int, _ out: inout BitSink) {
            var s = HuffmanTable.distanceBase.count - 1
            while HuffmanTable.distanceBase[s] > d { s -= 1 }
            out.huffman(Fixed.distanceCode[s], 5)
            let extra = HuffmanTable.distanceExtra[s]
            if extra > 0 { out.put(UInt32(d - HuffmanTable.distanceBase[s]), extra) }
        }
    }
}
