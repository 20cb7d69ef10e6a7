// The bytes of `Double.description` without building a String. The .float writers call it once per value:
// description plus its UTF-8 cost about 95–110 ns a value, this about 32 ns (release build).
//
// Digits: Schubfach (R. Giulietti, "The Schubfach way to render doubles"). Of the decimals inside the
// rounding interval of c·2^q (ends included when c is even, as round-half-even parsing maps them back to c),
// take the one with the fewest digits, and among those the closest to c·2^q (ties to even). Swift's
// description makes the same choice. Scaled by 10^-k, the interval is 1 to 10 units wide, so the answer is
// either the one multiple of 10 inside it or s = floor(v) or s + 1. The products with 10^-k are
// rounded to odd, which keeps every comparison exact (proved in the paper).
//
// Layout (measured against description): plain decimal for 1e-4 <= |x| <= 2^53 ("0.0001", "2.0",
// "9007199254740992.0"), otherwise d[.ddd]e±XX with at least two exponent digits ("1e-05", "1e+16",
// "5e-324"); zero is "0.0" or "-0.0".

enum ShortestDecimal {
    /// Appends exactly the bytes of `x.description` (for every Double) to `out`, without creating a String.
    static func append(_ x: Double, to out: inout [UInt8]) {
        guard x.isFinite else { return out.append(contentsOf: x.description.utf8) }
        let t = x.significandBitPattern, be = Int(x.exponentBitPattern)
        let (f, e): (UInt64, Int)
        if be == 0 {
            if t == 0 { return out.append(contentsOf: x.sign == .minus ? zero[...] : zero[1...]) }
            (f, e) = shortest(c: t, q: -1074)
        } else {
            (f, e) = shortest(c: t | 1 << 52, q: be - 1075)
        }
        layout(negative: x.sign == .minus, f: f, e: e, exponentForm: x.magnitude > 0x1p53, to: &out)
    }

    private static let zero = Array("-0.0".utf8)

    /// Shortest, then closest, decimal f·10^e that reads back as c·2^q (f may end in zeros).
    static func shortest(c: UInt64, q: Int) -> (f: UInt64, e: Int) {
        let odd = c & 1  // ends of the interval excluded: both would read back as an even neighbour
        let cb = c &<< 2, cbr = cb &+ 2
        // At a power of 2 the gap below is half the gap above: a lopsided interval, 3/4 as wide, sets k.
        let lopsided = c == 1 << 52 && q > -1074
        let cbl = lopsided ? cb &- 1 : cb &- 2
        let k = lopsided ? floorLog10ThreeQuartersPow2(q) : floorLog10Pow2(q)
        let h = q &+ floorLog2Pow10(-k) &+ 2  // 2...5; makes vb = 4·c·2^q·10^-k
        let (g1, g0) = g.withUnsafeBufferPointer { ($0[2 &* (-k &- minPower)], $0[2 &* (-k &- minPower) &+ 1]) }
        let vb = roundToOdd(g1, g0, cb &<< h), vbl = roundToOdd(g1, g0, cbl &<< h)
        let vbr = roundToOdd(g1, g0, cbr &<< h)

        let s = vb >> 2, t = s &+ 1
        // Full length: s or t, whichever is inside; the closer (ties to even) if both are.
        let uin = vbl &+ odd <= s &<< 2, win = t &<< 2 &+ odd <= vbr
        let closer = vb &+ (s & 1) > (s &+ t) &<< 1 ? t : s  // past the midpoint, or on it with s odd
        let full = uin == win ? closer : uin ? s : t
        // One digit fewer wins when exactly one multiple of 10 around v is inside (at most one fits).
        // Selects, not branches: which case applies is unpredictable.
        let sp10 = s / 10 &* 10, tp10 = sp10 &+ 10
        let upin = vbl &+ odd <= sp10 &<< 2, wpin = tp10 &<< 2 &+ odd <= vbr
        return (upin == wpin ? full : upin ? sp10 : tp10, k)
    }

    /// g·cp / 2^127 rounded to odd (floor, lowest bit set if anything was cut off), g = g1·2^63 + g0.
    /// The paper shows the low 64 bits of g0·cp may be left out.
    @inline(__always)
    private static func roundToOdd(_ g1: UInt64, _ g0: UInt64, _ cp: UInt64) -> UInt64 {
        let x1 = g0.multipliedFullWidth(by: cp).high
        let y = g1.multipliedFullWidth(by: cp)
        let z = (y.low >> 1) &+ x1
        let mask: UInt64 = 1 << 63 - 1
        return (y.high &+ z >> 63) | ((z & mask) &+ mask) >> 63
    }

    // Fixed-point logarithms, exact over the ranges used here (checked in the tests):
    // 661_971_961_083 = floor(log10(2)·2^41), 274_743_187_321 = floor(log10(4/3)·2^41),
    // 913_124_641_741 = floor(log2(10)·2^38).
    static func floorLog10Pow2(_ e: Int) -> Int { (e &* 661_971_961_083) >> 41 }
    static func floorLog10ThreeQuartersPow2(_ e: Int) -> Int { (e &* 661_971_961_083 &- 274_743_187_321) >> 41 }
    static func floorLog2Pow10(_ e: Int) -> Int { (e &* 913_124_641_741) >> 38 }

    /// The table holds 10^n for n = -k in minPower...324: k runs from floorLog10Pow2(971) = 292 down to
    /// floorLog10Pow2(-1074) = -324.
    static let minPower = -292

    /// For each n, g = floor(10^n·2^-r) + 1 with r chosen so that 2^125 <= g < 2^126, as the pair
    /// (g >> 63, g & (2^63 - 1)). Computed at first use with exact big-integer arithmetic:
    /// 10^n has the leading bits of 5^n; 10^-m those of floor(2^900 / 5^m), and floor(floor(y) / 5) =
    /// floor(y / 5) lets each quotient come from the previous one.
    static let g: [UInt64] = {
        var table = [UInt64](repeating: 0, count: 2 * (324 - minPower + 1))
        func store(_ n: Int, _ limbs: [UInt32]) {
            let v = leading126Bits(limbs) + 1
            table[2 * (n - minPower)] = UInt64(v >> 63)
            table[2 * (n - minPower) + 1] = UInt64(v & (1 << 63 - 1))
        }
        var power: [UInt32] = [1]  // 5^n
        for n in 0...324 {
            store(n, power)
            var carry: UInt64 = 0
            for j in power.indices {
                let p = UInt64(power[j]) * 5 + carry
                power[j] = UInt32(truncatingIfNeeded: p)
                carry = p >> 32
            }
            if carry != 0 { power.append(UInt32(carry)) }
        }
        var quotient = [UInt32](repeating: 0, count: 900 / 32 + 1)  // floor(2^900 / 5^m)
        quotient[900 / 32] = 1 << (900 % 32)
        for m in 1...(-minPower) {
            var rest: UInt64 = 0
            for j in quotient.indices.reversed() {
                let d = rest << 32 | UInt64(quotient[j])
                quotient[j] = UInt32(d / 5)
                rest = d % 5
            }
            store(-m, quotient)
        }
        return table
    }()

    /// The first 126 bits of a nonzero big integer (little-endian 32-bit limbs), truncated, or padded with
    /// zero bits when it is shorter.
    private static func leading126Bits(_ limbs: [UInt32]) -> UInt128 {
        let top = limbs.lastIndex { $0 != 0 }!
        let length = 32 * top + 32 - limbs[top].leadingZeroBitCount
        var v: UInt128 = 0
        for bit in stride(from: length - 1, through: max(length - 126, 0), by: -1) {
            v = v << 1 | UInt128(limbs[bit / 32] >> (bit % 32) & 1)
        }
        return length < 126 ? v << (126 - length) : v
    }

    /// Writes ±f·10^e in description's layout. The digits stay in registers: written one byte at a time and
    /// read back in words they stall the loads, and a loop of divisions by 10 is one long dependency chain.
    private static func layout(negative: Bool, f: UInt64, e: Int, exponentForm: Bool, to out: inout [UInt8]) {
        // Normalized to 17 digits, 10^16 <= f < 10^17. Normal doubles give 16 or 17, both common, so the
        // first step is a select rather than a branch; only subnormals loop.
        let pad = f < 10_000_000_000_000_000
        var f = pad ? f &* 10 : f, e = pad ? e - 1 : e
        while f < 10_000_000_000_000_000 { f &*= 10; e -= 1 }
        // The first digit d0, then w holding digits 1...16 as bytes 0...9 (first in the lowest byte).
        let high = f / 100_000_000, top = high / 100_000_000
        let w = UInt128(digits8(UInt32(truncatingIfNeeded: high &- top &* 100_000_000)))
            | UInt128(digits8(UInt32(truncatingIfNeeded: f &- high &* 100_000_000))) << 64
        let lead = 0x30 | UInt8(truncatingIfNeeded: top)
        let rest = w | zeros  // the digits after lead, then '0's
        let count = 17 - (w == 0 ? 16 : w.leadingZeroBitCount / 8)  // without trailing zeros
        let point = e + 17  // value = 0.digits · 10^point

        // Writes the text at q and returns its length; the 16-byte stores reach up to 34 bytes past q.
        func write(_ q: UnsafeMutableRawPointer) -> Int {
            func put(_ byte: UInt8, at i: Int) { q.storeBytes(of: byte, toByteOffset: i, as: UInt8.self) }
            func put16(_ word: UInt128, at i: Int) { q.storeBytes(of: word.littleEndian, toByteOffset: i, as: UInt128.self) }
            var n = 0
            if negative { put(0x2D, at: 0); n = 1 }
            if exponentForm || point < -3 {
                put(lead, at: n)
                if count > 1 { put(0x2E, at: n + 1); put16(rest, at: n + 2); n += 1 }
                n += count
                let x = point - 1, a = UInt32(x.magnitude)
                put(0x65, at: n); put(x < 0 ? 0x2D : 0x2B, at: n + 1); n += 2
                if a >= 100 { put(0x30 | UInt8(truncatingIfNeeded: a / 100), at: n); n += 1 }
                let tens = a % 100 / 10
                put(0x30 | UInt8(truncatingIfNeeded: tens), at: n)
                put(0x30 | UInt8(truncatingIfNeeded: a % 10), at: n + 1); n += 2
            } else if point <= 0 {  // "0.", -point zeros, the digits
                put16(zeros ^ 0x1E00, at: n); n += 2 - point  // "0.000…": byte 1 turned to '.'
                put(lead, at: n); put16(rest, at: n + 1); n += count
            } else if point >= count {  // the digits, point - count zeros (rest's padding), ".0"
                put(lead, at: n); put16(rest, at: n + 1); n += point
                put(0x2E, at: n); put(0x30, at: n + 1); n += 2
            } else {  // integer digits, '.', fraction digits
                put(lead, at: n); put16(rest, at: n + 1); put(0x2E, at: n + point)
                put16(rest >> (8 * (point - 1)), at: n + point + 1); n += count + 1
            }
            return n
        }
        // Straight into the array's spare capacity where the standard library offers that (Swift 6.2),
        // else through a stack buffer (a copy more, about 4 ns).
        #if compiler(>=6.2)
        if #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *) {
            return out.append(addingCapacity: 48) { span in
                span.withUnsafeMutableBufferPointer { buffer, count in
                    count += write(UnsafeMutableRawPointer(buffer.baseAddress! + count))
                }
            }
        }
        #endif
        withUnsafeTemporaryAllocation(byteCount: 48, alignment: 16) { buffer in
            out.append(contentsOf: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: write(buffer.baseAddress!)))
        }
    }

    private static var zeros: UInt128 { UInt128(0x3030_3030_3030_3030) * 0x1_0000_0000_0000_0001 }  // 16 × '0'

    /// The 8 digits of v < 10^8 as bytes 0...9, first digit in the lowest byte. Each step splits every lane
    /// in two at once: 2 × 4 digits, 4 × 2, 8 × 1 (x·10486 >> 20 = x / 100 for x < 10^4, x·103 >> 10 =
    /// x / 10 for x < 100).
    @inline(__always)
    private static func digits8(_ v: UInt32) -> UInt64 {
        let hi = v / 10_000
        let w4 = UInt64(hi) | UInt64(v &- hi &* 10_000) << 32
        let h100 = (w4 &* 10_486) >> 20 & 0x0000_007F_0000_007F
        let w2 = h100 | (w4 &- h100 &* 100) << 16
        let h10 = (w2 &* 103) >> 10 & 0x000F_000F_000F_000F
        return h10 | (w2 &- h10 &* 10) << 8
    }
}
