// Spec: HDF5 File Format, section IV.A.2.l, filter 2 "shuffle": byte k of every element is
// stored in plane k. Trailing bytes that do not fill an element are left in place.

enum Shuffle {
    static func unshuffle(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer, elementSize: Int) {
        let count = min(src.count, dst.count)
        guard elementSize > 1, count >= elementSize,
              let s = src.baseAddress?.assumingMemoryBound(to: UInt8.self),
              let d = dst.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            if count > 0 { dst.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: count) }
            return
        }
        let n = count / elementSize
        if elementSize == 4 {
            let p0 = s, p1 = s + n, p2 = s + 2 * n, p3 = s + 3 * n
            var o = d
            for i in 0..<n {
                o[0] = p0[i]; o[1] = p1[i]; o[2] = p2[i]; o[3] = p3[i]
                o += 4
            }
        } else {
            for b in 0..<elementSize {
                let plane = s + b * n
                var o = d + b
                for i in 0..<n { o.pointee = plane[i]; o += elementSize }
            }
        }
        let tail = count - n * elementSize
        if tail > 0 { (d + n * elementSize).update(from: s + n * elementSize, count: tail) }
    }

    static func shuffle(_ src: [UInt8], elementSize: Int) -> [UInt8] {
        guard elementSize > 1, src.count >= elementSize else { return src }
        let n = src.count / elementSize
        var out = src
        for b in 0..<elementSize {
            for i in 0..<n { out[b * n + i] = src[i * elementSize + b] }
        }
        return out
    }
}
