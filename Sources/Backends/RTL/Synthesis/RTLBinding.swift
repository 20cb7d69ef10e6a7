// The one operator binding the RTL chooses rather than the schedule: spike-count products are shift-and-add in
// fabric (about 1.2 LUTs per partial-product bit: 230 LUTs for an 8-bit count by a 16-bit weight) or one DSP48E2
// each. The schedule's cycles are the same either way (the lane registers its products one cycle after issue),
// so the choice only moves resources between LUTs and DSPs: it takes the count k (the same in every row of every
// count unit) that makes the larger of the design's DSP and CLB-LUT shares of the device smallest (LUTs with
// fit-rtl's guard), fewest DSPs on a tie. A design whose LUTs are not the scarcer resource keeps every count product in fabric.
import LFADSIR

enum RTLBinding {
    /// k for the design whose units and predicted totals (with every count product in fabric) are given.
    static func countDSPProducts(units: [RTLMatVecUnit], total: RTLCells, device: Device) -> Int {
        let counted = units.filter { $0.maxDSPCountProducts > 0 }
        guard let most = counted.map(\.maxDSPCountProducts).max(), device.dsp > 0, device.lut > 0 else { return 0 }
        func share(_ k: Int) -> Double {
            var (dsp, lut) = (total.dsp, total.clbLUTs)
            for u in counted {
                var bound = u
                bound.dspCountProducts = min(k, u.maxDSPCountProducts)
                let (before, after) = (RTLCostModel.rowLane(u), RTLCostModel.rowLane(bound))
                dsp += (after.dsp - before.dsp) * u.matrix.rows
                lut += (after.clbLUTs - before.clbLUTs) * u.matrix.rows
            }
            // LUTs as fit-rtl prices them (RTLDesignEstimate.lutGuard), so that the balance is the one the fit checks.
            return max(Double(dsp) / Double(device.dsp), Double(lut) / Double(device.lut) + RTLDesignEstimate.lutGuard)
        }
        var best = (k: 0, share: share(0))
        for k in 1...most {
            let s = share(k)
            if s < best.share { best = (k, s) }
        }
        return best.k
    }
}
