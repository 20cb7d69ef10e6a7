// Exact decimal expansion of a Double. Every finite Double is m·2^e with an odd integer m, so
// for e < 0 it equals m·5^k / 10^k (k = −e): the digits of the integer m·5^k with the point k
// places from the right, and the last digit is 5 (no trailing zeros to strip). For e ≥ 0 it is
// the integer m·2^e. Values with at most 60 fraction bits (or integers below 2^64) take a
// 64-bit fast path; the rest use big integers in base 10^9 limbs, so printing is trivial.
// The largest case (2^−1074) has 1,074 fraction digits.

extension DatFormat {
    /// "-"? integer digits ("." fraction digits without trailing zeros)?; zero is "0" (also −0),
    /// never an exponent. Non-finite values give "nan", "inf", "-inf" (writers reject them).
    public static func exactDecimal(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        if x == 0 { return "0" }
        let a = x.magnitude
        var m: UInt64
        var e: Int
        if a.exponentBitPattern == 0 {
            m = a.significandBitPattern
            e = -1074
        } else {
            m = a.significandBitPattern | (1 << 52)
            e = Int(a.exponentBitPattern) - 1075
        }
        let tz = m.trailingZeroBitCount
        m >>= UInt64(tz)
        e += tz
        let digits = small(m, e) ?? large(m, e)
        return x < 0 ? "-" + digits : digits
    }

    /// Fast path with 64-bit words: m·2^e below 2^64, or m/2^k with k ≤ 60, printed by the
    /// schoolbook method (fraction·10: the integer part is the next digit; exact, k digits).
    private static func small(_ m: UInt64, _ e: Int) -> String? {
        if e >= 0 {
            guard e < 64, m.leadingZeroBitCount > e else { return nil }
            return String(m << UInt64(e))
        }
        let k = -e
        guard k <= 60 else { return nil }
        let mask: UInt64 = (1 << UInt64(k)) - 1
        var fraction = m & mask
        var digits = [UInt8]()
        digits.reserveCapacity(k)
        while fraction != 0 {
            fraction *= 10
            digits.append(0x30 + UInt8(truncatingIfNeeded: fraction >> UInt64(k)))
            fraction &= mask
        }
        return String(m >> UInt64(k)) + "." + String(decoding: digits, as: UTF8.self)
    }

    /// General path with base-10^9 big integers.
    private static func large(_ m: UInt64, _ e: Int) -> String {
        var n = DecimalLimbs(m)
        let digits: String
        if e >= 0 {
            n.multiply(byPowerOf: 2, exponent: e)
            digits = n.decimalString()
        } else {
            let k = -e
            n.multiply(byPowerOf: 5, exponent: k)
            var s = n.decimalString()
            if s.count <= k { s = String(repeating: "0", count: k + 1 - s.count) + s }
            let point = s.index(s.endIndex, offsetBy: -k)
            digits = s[..<point] + "." + s[point...]
        }
        return digits
    }
}

/// A non-negative big integer in little-endian base-10^9 limbs; only what exactDecimal needs.
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

    func decimalString() -> String {
        var s = String(limbs.last ?? 0)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            s += String(repeating: "0", count: 9 - part.count) + part
        }
        return s
    }
}
