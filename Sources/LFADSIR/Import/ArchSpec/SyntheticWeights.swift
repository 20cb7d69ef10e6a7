/// Deterministic, dense weights for models described only by their architecture (`lfadsc estimate --arch`).
///
/// The cost model reads weights only through their shapes and how many are non-zero, so every value here is
/// non-zero: magnitude in [0.25, 1) · 1/√(fan-in), random sign. Each tensor draws from its own stream seeded
/// by its name, so a tensor's values do not depend on the order in which a builder asks for them.
struct SyntheticWeights {
    /// FNV-1a of the name: a stable seed (Swift's `hashValue` is randomised per process).
    static func seed(_ name: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// `count` values for the tensor `name` whose rows have `fanIn` inputs.
    static func values(_ name: String, count: Int, fanIn: Int) -> [Double] {
        var state = seed(name)
        let scale = 1 / Double(max(fanIn, 1)).squareRoot()
        return (0..<max(count, 0)).map { _ in
            let r = splitMix(&state)
            let magnitude = 0.25 + 0.75 * Double(r >> 11) * 0x1p-53
            return (r & 1 == 0 ? magnitude : -magnitude) * scale
        }
    }

    static func matrix(_ name: String, rows: Int, columns: Int) throws -> Matrix {
        try Matrix(rows: rows, columns: columns, values: values(name, count: rows * columns, fanIn: columns))
    }

    static func vector(_ name: String, _ count: Int) -> [Double] { values(name, count: count, fanIn: 1) }

    /// SplitMix64: one 64-bit step.
    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
