/// How one product of an a-bit by a b-bit operand becomes hardware on a device.
struct MultiplierCost: Hashable {
    var dsp: Int
    var lut: Int

    /// A general (run-time) product: DSP slices when both operands are wide, LUTs when one is narrow.
    /// Wider operands are split over several slices: ceil(wide/dspWide) · ceil(narrow/dspNarrow) slices,
    /// the standard decomposition of a large product into 27×18 (or 25×18) partial products.
    static func product(_ a: Int, _ b: Int, device: Device) -> MultiplierCost {
        let (wide, narrow) = (max(a, b), min(a, b))
        if narrow <= CostConstants.lutMultiplierMaxBits {
            return MultiplierCost(dsp: 0, lut: lutMultiplier(wide, narrow))
        }
        return MultiplierCost(dsp: dspSlices(wide, narrow, device: device), lut: 0)
    }

    static func dspSlices(_ wide: Int, _ narrow: Int, device: Device) -> Int {
        let w = max(wide, narrow), n = min(wide, narrow)
        return ceilDiv(w, device.dspWide) * ceilDiv(n, device.dspNarrow)
    }

    static func lutMultiplier(_ a: Int, _ b: Int) -> Int {
        Int((Double(a * b) * CostConstants.lutPerPartialProductBit).rounded(.up))
    }

    /// A product by a constant turned into shift-and-add logic.
    static func constantLUT(inputBits: Int, weightBits: Int) -> Int {
        let adders = max(1.0, Double(weightBits) * CostConstants.csdDigitsPerWeightBit)
        return Int((adders * Double(inputBits + weightBits / 2)).rounded(.up))
    }
}

func ceilDiv(_ a: Int, _ b: Int) -> Int { b <= 0 ? a : (a + b - 1) / b }

/// ⌈log2 n⌉ (0 for n ≤ 1): the levels of an adder or comparison tree over n values.
public func ceilLog2(_ n: Int) -> Int { n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount }
