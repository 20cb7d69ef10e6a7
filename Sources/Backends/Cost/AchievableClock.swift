// The clock a design can be expected to close at, from its size. A heuristic, stated as one: timing cannot be
// known without place and route. It is there so that µs figures are not quoted at a target clock a large design
// will not reach.
//
// Rules (each a bound; the lowest applies):
// - the target clock, for a design that fits in one SLR (every resource ≤ 1/slrs of the device);
// - 250 MHz once the design spans SLRs: unregistered SLR crossings cost ~1 ns of the 3.33 ns period (UG949
//   "SLR crossing"), and HLS inserts no crossing registers between dataflow processes;
// - 200 MHz above 70 % of any resource: routing congestion (UG949 recommends ≤ 70 % LUT for timing closure
//   at high clocks); the published 41.97 µs LFADS design ran at 200 MHz on a U55C.
enum AchievableClock {
    static let multiSLRMHz = 250.0
    static let congestedMHz = 200.0
    static let congestedUtilization = 0.70

    static func estimate(target: Double, utilization: [String: Double], device: Device) -> Double {
        let worst = utilization.values.filter(\.isFinite).max() ?? 0
        var f = target
        if device.slrs > 1, worst > 1 / Double(device.slrs) { f = min(f, multiSLRMHz) }
        if worst > congestedUtilization { f = min(f, congestedMHz) }
        return f
    }
}
