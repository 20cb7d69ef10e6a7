/// Hardware resources of a layer or a design.
public struct Resources: Hashable, Sendable {
    public var dsp: Int
    public var lut: Int
    public var ff: Int
    public var bram18: Int
    public var uram: Int

    public init(dsp: Int = 0, lut: Int = 0, ff: Int = 0, bram18: Int = 0, uram: Int = 0) {
        self.dsp = dsp
        self.lut = lut
        self.ff = ff
        self.bram18 = bram18
        self.uram = uram
    }

    public static let zero = Resources()

    public static func + (a: Resources, b: Resources) -> Resources {
        Resources(dsp: a.dsp + b.dsp, lut: a.lut + b.lut, ff: a.ff + b.ff, bram18: a.bram18 + b.bram18, uram: a.uram + b.uram)
    }

    public static func += (a: inout Resources, b: Resources) { a = a + b }

    /// n copies (both directions of a bidirectional layer).
    public static func * (a: Resources, n: Int) -> Resources {
        Resources(dsp: a.dsp * n, lut: a.lut * n, ff: a.ff * n, bram18: a.bram18 * n, uram: a.uram * n)
    }

    /// The resources in table order: utilisation key and display name.
    public static let kinds: [(key: String, name: String)] = [("dsp", "DSP"), ("lut", "LUT"), ("ff", "FF"), ("bram18", "BRAM18"), ("uram", "URAM")]

    /// The amounts by utilisation key.
    public var counts: [String: Int] { ["dsp": dsp, "lut": lut, "ff": ff, "bram18": bram18, "uram": uram] }

    /// Fraction of the device each resource takes (URAM 0 on devices without it).
    public func utilization(of d: Device) -> [String: Double] {
        func f(_ used: Int, _ total: Int) -> Double { total > 0 ? Double(used) / Double(total) : (used > 0 ? .infinity : 0) }
        return ["dsp": f(dsp, d.dsp), "lut": f(lut, d.lut), "ff": f(ff, d.ff), "bram18": f(bram18, d.bram18), "uram": f(uram, d.uram)]
    }
}
