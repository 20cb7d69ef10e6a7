/// Every number the cost model uses that is not a device total, with where it comes from.
/// "hls-numerics" = facts from published hls4ml recurrent synthesis reports (Vivado HLS, 200 MHz) collected in
/// the project's shared notes; "template" = the published LFADS design's generated project (parameters.h and
/// the Vivado utilisation report), used only as the calibration point, never per-number fitting.
enum CostConstants {
    // MARK: multipliers

    /// An operand at most this wide makes the product a LUT multiplier (hls-numerics: with ≤ 8-bit operands the
    /// multiplies go almost entirely to LUTs; we extend to 10 bits because a 10×16 LUT product is still cheaper
    /// than a DSP slice plus its routing, and Vivado's own `use_dsp` auto threshold for small products is ~10 bits).
    static let lutMultiplierMaxBits = 10
    /// LUTs of an a×b LUT multiplier ≈ a·b/2: UltraScale+ LUT6 with the carry chain sums two partial-product bits
    /// per LUT (array multiplier; the vendor's multiplier generator reports within ±20 % of this for a,b ≤ 16).
    static let lutPerPartialProductBit = 0.5
    /// Latency strategy with constant weights: share of the (non-zero) multiplies kept on DSPs when both operands
    /// are wide (hls-numerics: DSP ≈ 70–77 % of the multiply count at RF 1; we take the midpoint).
    static let constantWeightDSPShare = 0.735
    /// A constant multiplier moved to LUTs costs about a shift-add tree: (weightBits/3) adders (canonical signed
    /// digits average one non-zero digit in three) of (inputBits + weightBits/2) bits.
    static let csdDigitsPerWeightBit = 1.0 / 3.0

    // MARK: schedule (cycles at the HLS target clock of 5 ns)

    /// Resource strategy: one matrix-vector product takes RF + this (hls-numerics: RF + 1..2; we take the upper end).
    static let resourceMatVecOverhead = 2
    /// Element-wise GRU logic after the products: gate sums, activations and state update
    /// (hls-numerics: 6–8 cycles; 7 for shift-and-clamp activations, 8 when a table ROM read is in the path).
    static let gateCyclesHard = 7
    static let gateCyclesTable = 8
    /// LSTM after the gates: c' = f·c + i·c̃ (a multiply-add), act(c') and o·act(c') are serial: 3 cycles with a
    /// shift-and-clamp activation, 4 with a table read (an estimate by analogy with the GRU's update; not calibrated).
    static let lstmCellCyclesHard = 3
    static let lstmCellCyclesTable = 4
    /// Time-loop overhead per step (hls-numerics: a sequence ≈ T × (step + 1..2); upper end).
    static let stepOverhead = 2
    /// Adder-tree levels that fit one 5 ns cycle for ~40-bit accumulators (latency strategy; carry chains of
    /// 5 CARRY8s ≈ 1.3 ns each level with routing).
    static let adderLevelsPerCycle = 3
    /// Pipeline registers between the multiplier and the adder tree.
    static let multiplierStages = 1
    /// lfads strategy: fused gate evaluation (one add of the hoisted input product, activation, update) in a
    /// pipelined stage: 3 cycles with shift-and-clamp activations, 4 with a table read.
    static let fusedGateCyclesHard = 3
    static let fusedGateCyclesTable = 4
    /// lfads strategy: its time loop is one flattened pipeline, one cycle of loop overhead per step.
    static let fusedStepOverhead = 1

    // MARK: memories

    /// A BRAM18 serves 36 bits per cycle (two 18-bit ports or one 36-bit SDP port); hls-numerics:
    /// BRAM18 per Resource matrix ≈ ceil(multipliers · weightBits / 36).
    static let bram18BitsPerCycle = 36
    static let bram18Bits = 18 * 1024
    /// BRAM18 depth at 36 bits wide (512×36 SDP mode).
    static let bram18DepthAt36 = 512
    /// ROMs this shallow or shallower are mapped to LUTs by Vivado (one LUT5/LUT6 per output bit);
    /// the template's RF-4 readout ROM is an example.
    static let lutRomMaxDepth = 32
    /// A LUT6 implements a 4:1 multiplexer (latency strategy at RF > 1 selects among RF constant weights).
    static let muxInputsPerLUT = 4
    /// Distributed RAM: one LUT (RAM64X1) per bit per 64 entries.
    static let lutRamDepth = 64
    /// Activation tables up to this many bits are LUT ROMs, larger ones BRAM (one BRAM18 per two lanes: dual port).
    static let tableLutMaxBits = 2_048
    static let tableLanesPerBram = 2

    // MARK: logic per bit

    /// Resource strategy: per multiplier lane, the accumulator adder plus the select of which output it
    /// accumulates into: 2 LUTs per accumulator bit.
    static let lutPerAccumulatorBitResource = 2.0
    /// Latency strategy: one adder-tree input per product: 1 LUT per accumulator bit.
    static let lutPerAccumulatorBitLatency = 1.0
    /// Element-wise logic of one GRU unit, in LUTs per accumulator bit: three gate sums (3), the state update's two
    /// adds and rounding/saturating casts of the gates, candidate and state (≈ 3).
    static let gruUnitLutPerAccumBit = 6.0
    /// Shift-and-clamp activation per lane: a comparator pair and a mux per output bit.
    static let hardActivationLutPerBit = 2.0
    /// Registers: each product and each accumulator is registered once per pipeline stage (HLS at 5 ns keeps
    /// about two stages on the multiplier path): FF ≈ 2 × (product bits + accumulator bits) per lane.
    static let ffStagesPerLane = 2.0
    /// Loop control, FSM and handshakes per layer (small, taken from the per-layer overhead HLS reports show).
    static let controlLutPerLayer = 300
    static let controlFfPerLayer = 300

    /// Type used when a node carries no precision (hls4ml's model default).
    static let defaultWidth = 16
    static let defaultInteger = 6
}
