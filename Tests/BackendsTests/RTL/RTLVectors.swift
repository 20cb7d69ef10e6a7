// Input vectors for the RTL numerics tests: boundary values (ties of every rounding mode around the target's
// range, the extremes of the input width) and seeded random ones, all taken modulo 2^width of the input.
import LFADSIR

enum RTLVectors {
    /// `value` as the code an input of `width` bits holds (two's complement when `signed`).
    static func wrap(_ value: Int128, width: Int, signed: Bool) -> Int128 {
        let spare = 128 - width
        return signed ? (value << spare) >> spare : Int128(bitPattern: (UInt128(bitPattern: value) << spare) >> spare)
    }

    static func random(bits: Int, _ rng: inout SplitMix64) -> Int128 {
        let r = Int128(bitPattern: UInt128(rng.next()) << 64 | UInt128(rng.next()))
        return bits >= 128 ? r : r >> (128 - bits)
    }

    /// `count` inputs of a cast dropping `shift` bits (negative: shifting left) into `target`.
    static func castInputs(width: Int, signed: Bool, shift: Int, target: FixedType, count: Int, _ rng: inout SplitMix64) -> [Int128] {
        let w = Int128(target.width)
        var out: [Int128] = [0, 1, -1, Int128.max, Int128.min]
        let extremes: [Int128] = signed ? [(Int128(1) << (width - 1)) - 1, -(Int128(1) << (width - 1))] : [(Int128(1) << width) - 1]
        out += extremes
        let ks: [Int128] = [0, 1, -1, 2, -2, Int128(target.maxRaw), Int128(target.maxRaw) + 1, Int128(target.maxRaw) - 1,
                            Int128(target.minRaw), Int128(target.minRaw) - 1, Int128(target.minRaw) + 1, Int128(target.maxRaw) * 2 + 1]
        while out.count < count {
            let k = rng.next() % 3 == 0 ? random(bits: Int(w) + 2, &rng) : ks[Int(rng.next() % UInt64(ks.count))]
            var v: Int128
            if shift > 0 {
                let s = min(shift, 120)
                let one = Int128(1) << s, half = one >> 1
                let lows: [Int128] = [0, 1, half - 1, half, half + 1, one - 1, random(bits: s + 1, &rng) & (one - 1)]
                v = (k &<< s) &+ lows[Int(rng.next() % UInt64(lows.count))]
            } else {
                v = shift == 0 ? k : k >> min(-shift, 127)
                if rng.next() % 4 == 0 { v = random(bits: Int(rng.next() % UInt64(width)) + 1, &rng) }
            }
            out.append(wrap(v, width: width, signed: signed))
        }
        return out.map { wrap($0, width: width, signed: signed) }
    }
}
