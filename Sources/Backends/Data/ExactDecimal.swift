// Exact decimal text of dyadic numbers: a Double, or a fixed-point code raw · 2^-fraction. Both are
// ±m·2^e with an integer m, so one writer serves the .dat files, the C++ literals of the HLS emitter and
// the C simulation harness (tb/csim_main.cpp prints with the same algorithm):
// optional '-', integer digits, and '.' plus the fraction digits without trailing zeros when the fraction is
// non-zero; zero is "0" (never "-0"); never an exponent.
//
// For e < 0, m·2^e = m·5^k / 10^k (k = −e): k fraction digits at most. Values with at most 60 fraction bits
// and an integer part below 2^64 take a 64-bit path that writes bytes straight into the caller's buffer
// (the simulator's output writer calls it once per value); the rest use big integers in base-10^9 limbs.
// The largest case (2^−1074) has 1,074 fraction digits.

public enum ExactDecimal {
    /// raw · 2^-fraction written exactly.
    public static func string(raw: Int64, fraction: Int) -> String {
        var bytes = [UInt8]()
        append(raw: raw, fraction: fraction, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A finite Double written exactly; non-finite values give "nan", "inf", "-inf" (writers reject them).
    public static func string(_ x: Double) -> String {
        var bytes = [UInt8]()
        append(x, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One line of a .dat file: values separated by one space, ending in '\n'.
    public static func line(raws: [Int64], fraction: Int) -> String {
        var bytes = [UInt8]()
        for (i, r) in raws.enumerated() {
            if i > 0 { bytes.append(0x20) }
            append(raw: r, fraction: fraction, to: &bytes)
        }
        bytes.append(0x0A)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func append(raw: Int64, fraction: Int, to out: inout [UInt8]) {
        append(negative: raw < 0, magnitude: raw.magnitude, exponent: -fraction, to: &out)
    }

    public static func append(_ x: Double, to out: inout [UInt8]) {
        guard x.isFinite else {
            out.append(contentsOf: x.isNaN ? Array("nan".utf8) : x < 0 ? Array("-inf".utf8) : Array("inf".utf8))
            return
        }
        let a = x.magnitude
        let subnormal = a.exponentBitPattern == 0
        let m = subnormal ? a.significandBitPattern : a.significandBitPattern | (1 << 52)
        let e = subnormal ? -1074 : Int(a.exponentBitPattern) - 1075
        append(negative: x < 0, magnitude: m, exponent: e, to: &out)
    }

    /// ±m·2^e. Trailing zero bits of m are folded into e first, so a fraction's last digit is never 0.
    static func append(negative: Bool, magnitude: UInt64, exponent: Int, to out: inout [UInt8]) {
        if magnitude == 0 {
            out.append(0x30)
            return
        }
        let tz = magnitude.trailingZeroBitCount
        let m = magnitude >> UInt64(tz)
        let (e, o) = exponent.addingReportingOverflow(tz)
        precondition(!o, "ExactDecimal: exponent out of range")
        if negative { out.append(0x2D) }
        if !appendSmall(m, e, &out) { appendLarge(m, e, &out) }
    }

    /// The 64-bit path: m·2^e below 2^64, or m/2^k with k ≤ 60, by the schoolbook method (fraction·10: the
    /// bits above the point are the next digit; exact, k digits at most). The digits go to a stack buffer
    /// (at most 20 + 1 + 60 bytes) and reach `out` in one append.
    private static func appendSmall(_ m: UInt64, _ e: Int, _ out: inout [UInt8]) -> Bool {
        if e >= 0 {
            guard e < 64, m.leadingZeroBitCount > e else { return false }
            appendInteger(m << UInt64(e), &out)
            return true
        }
        let k = -e
        guard k <= 60 else { return false }
        let mask: UInt64 = (1 << UInt64(k)) - 1
        var fraction = m & mask
        guard fraction != 0 else {
            appendInteger(m >> UInt64(k), &out)
            return true
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 84) { buffer in
            var n = writeInteger(m >> UInt64(k), buffer)
            buffer[n] = 0x2E
            n &+= 1
            while fraction != 0 {
                fraction &*= 10  // fraction < 2^60: ·10 < 2^64
                buffer[n] = 0x30 &+ UInt8(truncatingIfNeeded: fraction >> UInt64(k))
                n &+= 1
                fraction &= mask
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<n]))
        }
        return true
    }

    private static func appendInteger(_ v: UInt64, _ out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            let n = writeInteger(v, digits)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[..<n]))
        }
    }

    /// The decimal digits of v at the start of `buffer` (room for 20); returns how many.
    private static func writeInteger(_ v: UInt64, _ buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        if v < 10 {
            buffer[0] = 0x30 &+ UInt8(truncatingIfNeeded: v)
            return 1
        }
        var count = 0
        var n = v
        while n > 0 {
            count &+= 1
            n /= 10
        }
        n = v
        var i = count
        while n > 0 {
            i &-= 1
            buffer[i] = 0x30 &+ UInt8(truncatingIfNeeded: n % 10)
            n /= 10
        }
        return count
    }

    /// The general path with base-10^9 big integers.
    private static func appendLarge(_ m: UInt64, _ e: Int, _ out: inout [UInt8]) {
        var n = DecimalLimbs(m)
        if e >= 0 {
            n.multiply(byPowerOf: 2, exponent: e)
            out.append(contentsOf: n.decimalDigits())
            return
        }
        let k = -e
        n.multiply(byPowerOf: 5, exponent: k)
        var s = n.decimalDigits()
        if s.count <= k { s = [UInt8](repeating: 0x30, count: k + 1 - s.count) + s }
        out.append(contentsOf: s[..<(s.count - k)])
        out.append(0x2E)
        out.append(contentsOf: s[(s.count - k)...])
    }
}

/// A non-negative big integer in little-endian base-10^9 limbs; only what ExactDecimal needs.
struct DecimalLimbs {
    static let base: UInt64 = 1_000_000_000
    private(set) var limbs: [UInt64]

    init(_ v: UInt64) {
        limbs = []
        var r = v
        repeat {
            limbs.append(r % Self.base)
            r /= Self.base
        } while r > 0
    }

    /// self *= f for f < 2^31 (limb·f + carry stays below 2^63).
    mutating func multiply(by f: UInt64) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let p = limbs[i] * f + carry
            limbs[i] = p % Self.base
            carry = p / Self.base
        }
        while carry > 0 {
            limbs.append(carry % Self.base)
            carry /= Self.base
        }
    }

    /// self *= p^exponent for p 2 or 5, in steps of the largest power below 2^31.
    mutating func multiply(byPowerOf p: UInt64, exponent: Int) {
        let stepExponent = p == 2 ? 30 : 13
        var stepFactor: UInt64 = 1
        for _ in 0..<stepExponent { stepFactor *= p }
        var left = exponent
        while left >= stepExponent {
            multiply(by: stepFactor)
            left -= stepExponent
        }
        var rest: UInt64 = 1
        for _ in 0..<left { rest *= p }
        if rest > 1 { multiply(by: rest) }
    }

    /// ASCII digits, most significant first, no leading zeros.
    func decimalDigits() -> [UInt8] {
        var s = Array(String(limbs.last ?? 0).utf8)
        for limb in limbs.dropLast().reversed() {
            let part = Array(String(limb).utf8)
            s += [UInt8](repeating: 0x30, count: 9 - part.count) + part
        }
        return s
    }
}
