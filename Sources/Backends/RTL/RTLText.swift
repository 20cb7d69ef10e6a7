// Small pieces of Verilog text shared by the RTL generators.

enum RTLText {
    /// Bits of a counter over 0..<n (at least 1).
    static func bits(for n: Int) -> Int {
        var b = 1
        while (1 << b) < n { b += 1 }
        return b
    }

    /// A sized literal of a raw code's two's complement bits.
    static func literal(_ raw: Int64, bits: Int) -> String {
        let mask: UInt64 = bits >= 64 ? .max : (UInt64(1) << UInt64(bits)) - 1
        return "\(bits)'h" + String(UInt64(bitPattern: raw) & mask, radix: 16)
    }

    /// Values of `bits` each, value 0 in the lowest bits, as one hexadecimal word (MSB first) for $readmemh.
    static func hexWord(_ values: [Int64], bits: Int) -> String {
        var nibbles = [UInt8](repeating: 0, count: (values.count * bits + 3) / 4)
        for (j, v) in values.enumerated() {
            let u = UInt64(bitPattern: v)
            for b in 0..<bits where b >= 64 ? v < 0 : (u >> UInt64(b)) & 1 == 1 {
                let pos = j * bits + b
                nibbles[pos / 4] |= UInt8(1 << (pos % 4))
            }
        }
        let digits = Array("0123456789abcdef")
        return String(nibbles.reversed().map { digits[Int($0)] })
    }

    /// A balanced sum of `bits`-bit terms (wrap-around: the sum is taken modulo 2^bits).
    static func balancedSum(_ terms: [String], bits: Int) -> String {
        if terms.isEmpty { return "\(bits)'d0" }
        if terms.count == 1 { return terms[0] }
        let h = terms.count / 2
        return "(\(balancedSum(Array(terms[..<h]), bits: bits)) + \(balancedSum(Array(terms[h...]), bits: bits)))"
    }

    /// `expr` × `k` (k ≥ 0) as a sum of shifts, `bits` wide: control arithmetic in fabric (Yosys maps a `*` by a
    /// constant to a DSP48E2, which the schedule does not price).
    static func times(_ expr: String, _ k: Int, bits: Int) -> String {
        let shifts = (0..<62).filter { k >> $0 & 1 == 1 }
        if shifts.isEmpty { return "\(bits)'d0" }
        return "(" + shifts.map { $0 == 0 ? expr : "(\(expr) << \($0))" }.joined(separator: " + ") + ")"
    }

    /// A module's black box for synthesis: its header (name and ports) with an empty body, so that a unit that
    /// instantiates it is synthesised without it.
    static func blackBox(_ module: String) -> String {
        let header = module.range(of: "\n);\n").map { String(module[..<$0.upperBound]) } ?? module
        return "(* blackbox *)\n" + header + "endmodule\n"
    }
}
