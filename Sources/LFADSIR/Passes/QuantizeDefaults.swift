import Foundation

/// Where a chosen precision came from, strongest first (see docs/quantisation.md for the rule).
public enum PrecisionSource: String, Sendable, CaseIterable {
    /// A per-layer setting of the configuration or flags.
    case override
    /// Already on the node (IR text, an importer's input type, an earlier run of the pass).
    case ir
    /// The QKeras quantizer the model was trained with.
    case qkeras
    /// The spike-count input's integer type (model-wide data types do not apply to counts).
    case spikeCounts = "spike-counts"
    /// A model-wide setting of the configuration (hls4ml `Model: Precision`, lfadsc.json `precision`).
    case config
    /// lfadsc's built-in default.
    case builtin = "default"
}

/// One decision of the quantisation pass, for the precision table and for tests.
public struct PrecisionChoice: Hashable, Sendable {
    public var key: TensorKey
    public var type: FixedType
    public var source: PrecisionSource
    /// Table shapes for `table` entries ("sigmoid 1024 [-8, 8)").
    public var note: String?
}

/// Built-in types when nothing else says: hls4ml's defaults, with a wider accumulator.
public enum QuantizeDefaults {
    // Constant, valid parameters: the `try!` cannot fire.
    /// ap_fixed<16,6> (AP_TRN, AP_WRAP): hls4ml's default for every tensor.
    public static let tensor = try! FixedType(width: 16, integer: 6)
    /// ap_fixed<24,10>: 4 more integer bits for sums of many products, 4 more fraction bits so the
    /// products keep most of their precision before the sum is rounded to the result type.
    public static let accum = try! FixedType(width: 24, integer: 10)
    /// ap_ufixed<8,8,AP_TRN,AP_SAT>: spike counts per bin, 0...255, saturating (more than 255 spikes of one
    /// neuron in one bin is not physiological; saturating keeps a bad file from wrapping to small counts).
    public static let spikeCount = try! FixedType(width: 8, integer: 8, signed: false, quantization: .trn, overflow: .sat)
    /// ap_fixed<18,8>: hls4ml's table_t.
    public static let tableEntry = try! FixedType(width: 18, integer: 8)
    public static let tableSize = LookupTable.defaultSize

    /// The input range of an exp table whose entries are `entry`: 16 wide, its top at the largest integer x
    /// with e^x within the type (e^x beyond it would overflow the entries), e.g. [−12, 4) for ap_fixed<18,8>.
    public static func expRange(entry: FixedType, size: Int) -> (lower: Double, upper: Double) {
        let maxValue = Double(entry.maxRaw) * pow(2, Double(-entry.fraction))
        let top = maxValue > 0 ? max(-64, min(64, Foundation.floor(Foundation.log(maxValue)))) : 0
        // lower·size/16 must be an integer: lower a multiple of 16/size when size < 16.
        let grid = size >= 16 ? 1.0 : 16.0 / Double(max(size, 1))
        let lower = Foundation.floor((top - 16) / grid) * grid
        return (lower, lower + 16)
    }
}
