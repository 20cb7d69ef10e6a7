// The exact decimal text of a fixed-point value, shared by the simulator's .dat output and the C simulation
// harness (tb/csim_main.cpp prints with the same algorithm): optional '-', integer digits, and '.' plus the
// fraction digits without trailing zeros when the fraction is non-zero; zero is "0", never "-0"; no exponent.

public enum ExactDecimal {
    /// raw · 2^-fraction written exactly.
    public static func string(raw: Int64, fraction: Int) -> String {
        if raw == 0 { return "0" }
        // Little-endian base-10 digits of |raw|.
        var digits = [UInt8]()
        var m = raw.magnitude
        while m > 0 {
            digits.append(UInt8(m % 10))
            m /= 10
        }
        // value = |raw| · 2^-F = |raw| · 5^F / 10^F for F > 0; |raw| · 2^|F| for F ≤ 0.
        let factor: UInt8 = fraction > 0 ? 5 : 2
        for _ in 0..<fraction.magnitude { multiply(&digits, by: factor) }
        let point = max(fraction, 0)
        while digits.count <= point { digits.append(0) }
        var integerPart = String(digits[point...].reversed().map { Character(String($0)) })
        while integerPart.count > 1 && integerPart.first == "0" { integerPart.removeFirst() }
        var fractionDigits = Array(digits[..<point].reversed())
        while fractionDigits.last == 0 { fractionDigits.removeLast() }
        var text = raw < 0 ? "-" : ""
        text += integerPart
        if !fractionDigits.isEmpty { text += "." + String(fractionDigits.map { Character(String($0)) }) }
        return text
    }

    /// Multiplies a little-endian digit array in place.
    private static func multiply(_ digits: inout [UInt8], by factor: UInt8) {
        var carry: UInt16 = 0
        for i in digits.indices {
            let v = UInt16(digits[i]) * UInt16(factor) + carry
            digits[i] = UInt8(v % 10)
            carry = v / 10
        }
        while carry > 0 {
            digits.append(UInt8(carry % 10))
            carry /= 10
        }
    }

    /// One line of a .dat file: values separated by one space, ending in '\n'.
    public static func line(raws: [Int64], fraction: Int) -> String {
        raws.map { string(raw: $0, fraction: fraction) }.joined(separator: " ") + "\n"
    }
}
