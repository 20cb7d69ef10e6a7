import LFADSIR

/// One matrix-vector product y[nOut] = W[nOut, nIn]·x as the emitter builds it under a strategy.
struct MatVecCost {
    var nIn: Int
    var nOut: Int
    var reuse: Int
    var strategy: Strategy
    var inputBits: Int
    var weightBits: Int
    var accumBits: Int
    /// Non-zero weights (constant-weight designs drop the zero products).
    var nonZero: Int

    var products: Int { nIn * nOut }
    /// The reuse the emitted product runs: lowering legalises every strategy's reuse to at most n_in (the chunk
    /// pipeline's iterations; a larger hls4ml-style factor would price fewer multipliers than are printed).
    var rf: Int { min(max(reuse, 1), max(nIn, 1)) }
    /// Multipliers of the chunk pipeline: every output times one chunk of ⌈n_in / rf⌉ inputs.
    var chunkLanes: Int { nOut * ceilDiv(nIn, rf) }

    /// Cycles from the input vector to the output vector.
    var cycles: Int {
        switch strategy {
        case .resource:
            return rf + CostConstants.resourceMatVecOverhead
        case .latency:
            return rf - 1 + CostConstants.multiplierStages + treeCycles(nIn) + 1
        case .lfads:
            // Each iteration reduces nIn/rf products per output in a pipelined tree, then accumulates.
            return rf + CostConstants.multiplierStages + treeCycles(ceilDiv(nIn, rf))
        }
    }

    private func treeCycles(_ inputs: Int) -> Int { ceilDiv(ceilLog2(max(inputs, 2)), CostConstants.adderLevelsPerCycle) }

    func resources(on device: Device) -> Resources {
        var r = Resources()
        // At RF 1 every weight is a constant operand of its own multiplier; the latency strategy also knows its
        // weights at compile time, so it drops zero products at any RF.
        let constantWeights = rf == 1
        // Constant weights (latency, or reuse 1) drop their zero products.
        let lanes = (strategy == .latency || constantWeights) ? min(chunkLanes, ceilDiv(nonZero, rf)) : chunkLanes
        let narrow = min(inputBits, weightBits) <= CostConstants.lutMultiplierMaxBits
        if narrow {
            let general = MultiplierCost.lutMultiplier(inputBits, weightBits)
            let perLane = constantWeights ? min(general, MultiplierCost.constantLUT(inputBits: inputBits, weightBits: weightBits)) : general
            r.lut += lanes * perLane
        } else if constantWeights {
            // Constant operands: HLS keeps ~3/4 of the wide products on DSPs and turns the rest into shift-adds.
            let slices = MultiplierCost.dspSlices(inputBits, weightBits, device: device)
            let onDSP = Int((Double(lanes) * CostConstants.constantWeightDSPShare).rounded())
            r.dsp += onDSP * slices
            r.lut += (lanes - onDSP) * MultiplierCost.constantLUT(inputBits: inputBits, weightBits: weightBits)
        } else {
            r.dsp += lanes * MultiplierCost.dspSlices(inputBits, weightBits, device: device)
        }
        let accumLUT = strategy == .resource ? CostConstants.lutPerAccumulatorBitResource : CostConstants.lutPerAccumulatorBitLatency
        r.lut += Int((Double(lanes * accumBits) * accumLUT).rounded())
        r.ff += Int((Double(lanes * (inputBits + weightBits + accumBits)) * CostConstants.ffStagesPerLane).rounded())
        if !constantWeights {
            if strategy == .latency {
                // Partitioned constant weights selected per iteration: one LUT6 is a 4:1 mux per bit.
                r.lut += lanes * weightBits * ceilDiv(rf, CostConstants.muxInputsPerLUT)
            } else {
                r += Self.rom(width: lanes * weightBits, depth: rf)
            }
        }
        return r
    }

    /// A read-only weight memory read `width` bits per cycle at `depth` addresses.
    static func rom(width: Int, depth: Int) -> Resources {
        if depth <= CostConstants.lutRomMaxDepth { return Resources(lut: width) }
        let banks = ceilDiv(width, CostConstants.bram18BitsPerCycle) * ceilDiv(depth, CostConstants.bram18DepthAt36)
        return Resources(bram18: banks)
    }

    /// A read-write buffer of `depth` words of `width` bits (sequence buffers, FIFOs): LUTRAM when shallow,
    /// BRAM18 banks when larger.
    static func buffer(width: Int, depth: Int) -> Resources {
        guard width > 0, depth > 0 else { return .zero }
        let lutram = width * ceilDiv(depth, CostConstants.lutRamDepth)
        let bram = ceilDiv(width, CostConstants.bram18BitsPerCycle) * ceilDiv(depth, CostConstants.bram18DepthAt36)
        // Vivado picks distributed RAM while it is cheaper than the BRAM's share of a tile (~ 1 BRAM18 ≈ 128 LUTs of area).
        return lutram <= bram * 128 ? Resources(lut: lutram) : Resources(bram18: bram)
    }
}

/// Non-zero weights of a matrix. A plain loop over the buffer: the reuse search calls this for every layer of
/// every candidate, and unoptimised (test) builds are slow on the generic reduce.
func nonZeroCount(_ m: Matrix) -> Int {
    m.values.withUnsafeBufferPointer { b in
        var n = 0
        for v in b where v != 0 { n &+= 1 }
        return n
    }
}
