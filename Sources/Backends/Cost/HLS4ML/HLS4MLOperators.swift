/// What Vivado HLS's operator table charges for the wide reads hls4ml's templates leave in a design, read off public
/// csynth reports (benchmarks/calibration/operators.json; none is a held-out report). These are priced, not fitted
/// to the calibration corpus: two of its entries hold them.
public enum HLS4MLOperators {
    /// LUT of a variable shift of an n-bit word: a barrel shifter, ≈ n·⌈log2 n⌉/2 (16 bits: 35 in the reports, 256
    /// bits: 950), which the table stops at 2,171 (2,160- to 6,272-bit shifts all cost 2,171).
    public static func shiftLUT(_ n: Int) -> Int {
        guard n > 1 else { return 0 }
        return Int(min(2171, (Double(n) * Double(ceilLog2(n)) / 2).rounded()))
    }

    /// LUT of a bitwise and/or/xor/select of an n-bit word: one a bit, stopping at 4,096.
    public static func wordLogicLUT(_ n: Int) -> Int { min(max(0, n), 4096) }

    /// Share of runtime reads of a reshaped word that HLS builds with a mask as well: a second shift (of the mask),
    /// an and and a select (HLS cannot prove the range in bounds). 68 of the 90 reads in two reports: a first
    /// Dense layer's 84 (L1CaloTriggerAD, 2020.1, 68 masked) and a first GRU's 6 (VS_MANUAL GRU, 2019.2, none).
    public static let maskedReadShare = 68.0 / 90.0

    /// LUT of one runtime read of a w-bit element from an n-bit reshaped word.
    public static func wordReadLUT(bits n: Int) -> Int {
        let masked = Double(shiftLUT(n) + 2 * wordLogicLUT(n))
        return shiftLUT(n) + Int((maskedReadShare * masked).rounded())
    }

    /// The largest mux core in the reports has 256 inputs; where a core would be larger (QuickDraw-model1's local
    /// 3,200-input product, 2019.1) HLS builds shared two-input selects instead (the fitted `mux` feature).
    public static let largestMuxCore = 256

    /// The LUT Vivado HLS (2019.1 to 2020.1) reports for each mux core of a run. It prices every core of a run
    /// at one figure, that of the last core the run creates, whatever the other cores' sizes or widths: in
    /// 24 public single-stage runs (benchmarks/calibration/operators.json, `mux_core_runs`) every core of a run
    /// shows one figure, and that figure follows the last core's input count: 10 inputs cost 55 at 8, 14, 16 and
    /// 18 bits (47 and 53 on two 2019.1 builds); 32 inputs cost 145 at 5, 15 and 16 bits. Across runs the figure is
    /// 4.1 to 5.5 LUT per input of that core (4 inputs: 17 to 21; 64: 273; 256: 1,362), so a core is priced at
    /// their median, 4.69 an input, within 16 % of every run.
    public static func muxCoreLUT(inputs n: Int) -> Int {
        Int((muxCoreLUTPerInput * Double(min(max(0, n), 1 << 40))).rounded())
    }

    /// Median LUT per input of the last core's figure over the public runs in operators.json.
    public static let muxCoreLUTPerInput = 4.69

    /// One FIFO of an io_stream design (one per value of a layer's output), as the public reports' FIFO tables
    /// give it (benchmarks/calibration/README.md, "Stream FIFOs"): Vivado HLS 2019.x holds a FIFO deeper than 32 in
    /// ⌈bits/18⌉ BRAM18 per 1,024 entries (73 × 8/16/17 bits: 1; 100 × 20 bits: 2) with bits + 19 FF and about 46
    /// LUT, a shallow one in registers (depth 1: 5 FF, about 1.5 LUT a bit); Vitis HLS 2022.2 keeps a FIFO of up
    /// to 2,048 bits out of BRAM (73 × 16 bits: none; 73 × 33 bits: 2). Depths 2 to 32 are in no report.
    public static func streamFIFO(depth: Int, bits: Int, backend: HLS4MLBackend) -> (bram18: Int, lut: Int, ff: Int) {
        // Clamped so that sizes read from a model file cannot overflow (an ap_fixed is at most 1,024 bits wide).
        let d = min(max(1, depth), 1 << 40), b = min(max(1, bits), 1 << 20)
        let inBRAM = backend == .vivado ? d > 32 : d * b > 2048
        guard inBRAM else { return (0, 3 * b / 2, 5) }
        return (times((b + 17) / 18, (d + 1023) / 1024), 46, b + 19)
    }

    /// a + b, saturating (sums of saturated per-item costs).
    static func plus(_ a: Int, _ b: Int) -> Int {
        let r = a.addingReportingOverflow(b)
        return r.overflow ? Int.max / 4 : min(r.partialValue, Int.max / 4)
    }

    /// n × a per-item cost (LUT or FF), saturating instead of overflowing (sizes come from model files).
    static func times(_ n: Int, _ each: Int) -> Int {
        let r = max(0, n).multipliedReportingOverflow(by: max(0, each))
        return r.overflow ? Int.max / 4 : r.partialValue
    }
}
