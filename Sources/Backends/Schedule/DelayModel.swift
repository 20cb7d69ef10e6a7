// Pipeline depths at the target clock, from the operator chain the emitted code contains. Each number is a rule
// with its source; the schedule builder and the check that re-reads the emitted C++ both call these functions,
// so a depth is a function of what is printed (widths, chunk, memory depth), never a free constant.
import LFADSIR

public struct DelayModel: Hashable, Sendable {
    public var clockMHz: Double

    public init(clockMHz: Double) { self.clockMHz = clockMHz }

    /// hls4ml's default clock uncertainty (27 % of the period): the share of the period HLS keeps free for routing.
    public static let uncertainty = 0.27

    /// The logic budget of one pipeline stage in ns.
    public var budgetNs: Double { 1000 / clockMHz * (1 - Self.uncertainty) }

    /// An n-bit carry-chain add on UltraScale+ (-2): about 0.6 ns of LUT and routing plus 15 ps per bit of CARRY8
    /// (a 24-bit add ≈ 0.96 ns); saturation adds an overflow compare and a mux (≈ 0.5 ns).
    static func addNs(bits: Int, saturating: Bool) -> Double {
        0.6 + 0.015 * Double(bits) + (saturating ? 0.5 : 0)
    }

    /// Adder levels that fit one stage (at least one: HLS never splits an add across stages).
    public func addsPerStage(bits: Int, saturating: Bool = false) -> Int {
        max(1, Int(budgetNs / Self.addNs(bits: bits, saturating: saturating)))
    }

    /// Stages of a balanced tree over n terms (0 for one term).
    public func treeStages(terms n: Int, bits: Int) -> Int {
        guard n > 1 else { return 0 }
        var levels = 0
        var w = 1
        while w < n { w *= 2; levels += 1 }
        let per = addsPerStage(bits: bits)
        return (levels + per - 1) / per
    }

    /// A DSP48E2 product fully pipelined (A/B, M and P registers) above 250 MHz, M and P below (DS923 Fmax).
    public var dspStages: Int { clockMHz > 250 ? 3 : 2 }

    /// A fabric product of an n-bit unsigned integer by a w-bit weight: a shift-and-add tree of n partial products.
    public func fabricProductStages(countBits n: Int, weightBits w: Int) -> Int {
        max(1, treeStages(terms: n, bits: n + w))
    }

    /// Operands this narrow (or a spike count) make the product LUTs; wider ones a DSP (the cost model's rule).
    public static let fabricMaxBits = 10

    public func productStages(aBits: Int, bBits: Int, countBits: Int?) -> Int {
        if let n = countBits { return fabricProductStages(countBits: n, weightBits: bBits) }
        if min(aBits, bBits) <= Self.fabricMaxBits { return fabricProductStages(countBits: min(aBits, bBits), weightBits: max(aBits, bBits)) }
        return dspStages
    }

    /// ROMs this shallow are LUT ROMs read combinationally into a register (one stage); deeper ones are block RAM
    /// with its output register (two stages: address, data), as Vitis binds them by default.
    public static let lutRomMaxDepth = 32

    public static func romStages(depth: Int) -> Int { depth <= lutRomMaxDepth ? 1 : 2 }

    /// A cast that rounds (an increment) or saturates (a compare and a mux) costs one stage; truncation and
    /// wrap-around are wiring.
    public static func castStages(to t: FixedType) -> Int {
        (t.quantization == .trn && t.overflow == .wrap && t.saturationBits == 0) ? 0 : 1
    }

}

extension FixedType {
    /// Sums in this type are exact modulo 2^W (wrap-around, no saturated bits), so any order of addition gives the
    /// same bits: HLS may build adder trees; otherwise the sum must stay a chain in input order.
    public var addsAssociatively: Bool { overflow == .wrap && saturationBits == 0 }
}
