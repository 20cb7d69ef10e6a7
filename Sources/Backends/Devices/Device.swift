/// An FPGA part as data: the resource totals the cost model divides by, and the DSP slice's multiplier shape.
/// Counts are the device totals from the vendor's Alveo and 7-series data sheets (UltraScale+ Alveo cards:
/// DS962 family tables; Virtex-7: DS180), and for the U50 also the "Available" column of a Vivado 2022.2
/// utilisation report for that part.
public struct Device: Hashable, Sendable {
    public var name: String
    public var part: String
    public var dsp: Int
    public var lut: Int
    public var ff: Int
    public var bram18: Int
    public var uram: Int
    public var defaultClockMHz: Double
    /// Signed operand widths of one DSP slice's multiplier: 27×18 for DSP48E2 (UltraScale+), 25×18 for DSP48E1.
    public var dspWide: Int
    public var dspNarrow: Int
    /// Super logic regions (dies) of the part: a design larger than one crosses SLR boundaries.
    public var slrs: Int = 1

    public init(name: String, part: String, dsp: Int, lut: Int, ff: Int, bram18: Int, uram: Int,
                defaultClockMHz: Double, dspWide: Int = 27, dspNarrow: Int = 18) {
        self.name = name
        self.part = part
        self.dsp = dsp
        self.lut = lut
        self.ff = ff
        self.bram18 = bram18
        self.uram = uram
        self.defaultClockMHz = defaultClockMHz
        self.dspWide = dspWide
        self.dspNarrow = dspNarrow
    }

    /// Alveo U55C (the project's target). 300 MHz is the platform's default kernel clock.
    public static let u55c = Device(name: "u55c", part: "xcu55c-fsvh2892-2L-e", dsp: 9_024, lut: 1_303_680,
                                    ff: 2_607_360, bram18: 4_032, uram: 960, defaultClockMHz: 300).withSLRs(3)
    /// Alveo U50 (the part of the published design's synthesis report; totals match that report).
    public static let u50 = Device(name: "u50", part: "xcu50-fsvh2104-2L-e", dsp: 5_952, lut: 871_680,
                                   ff: 1_743_360, bram18: 2_688, uram: 640, defaultClockMHz: 300).withSLRs(2)
    /// Alveo U250 (the part named in the published hls4ml configuration).
    public static let u250 = Device(name: "u250", part: "xcu250-figd2104-2L-e", dsp: 12_288, lut: 1_728_000,
                                    ff: 3_456_000, bram18: 5_376, uram: 1_280, defaultClockMHz: 300).withSLRs(4)
    /// Alveo U280: same die size class as the U55C (same logic totals), DDR4 + HBM card.
    public static let u280 = Device(name: "u280", part: "xcu280-fsvh2892-2L-e", dsp: 9_024, lut: 1_303_680,
                                    ff: 2_607_360, bram18: 4_032, uram: 960, defaultClockMHz: 300).withSLRs(3)
    /// Virtex-7 690T (older hls4ml papers' reference part): DSP48E1 with a 25×18 multiplier, no URAM.
    public static let xc7vx690t = Device(name: "xc7vx690t", part: "xc7vx690tffg1927-2", dsp: 3_600, lut: 433_200,
                                         ff: 866_400, bram18: 2_940, uram: 0, defaultClockMHz: 200,
                                         dspWide: 25, dspNarrow: 18)

    func withSLRs(_ n: Int) -> Device {
        var d = self
        d.slrs = n
        return d
    }

    public static let all: [Device] = [.u55c, .u50, .u250, .u280, .xc7vx690t]

    /// Looks a device up by short name ("u55c") or part number, case-insensitively.
    public static func named(_ name: String) -> Device? {
        let key = name.lowercased()
        return all.first { $0.name == key || $0.part.lowercased() == key }
    }
}
