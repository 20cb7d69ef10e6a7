/// The estimate of one layer: its resources and where it sits in the trial's schedule.
public struct LayerEstimate: Hashable, Sendable {
    public var name: String
    public var op: String
    /// Strategy and reuse as costed ("resource rf=70/64"), "-" for ops without products.
    public var implementation: String
    /// Cycles from the layer's start to its last output.
    public var latency: Int
    /// Cycles the layer is busy per trial: the interval at which it could accept the next trial.
    public var interval: Int
    public var start: Int
    public var end: Int
    public var resources: Resources

    public var dsp: Int { resources.dsp }
    public var lut: Int { resources.lut }
    public var ff: Int { resources.ff }
    public var bram18: Int { resources.bram18 }
    public var uram: Int { resources.uram }
}

/// A pre-synthesis estimate of a whole design on a device at a clock.
public struct DesignEstimate: Hashable, Sendable {
    public var graphName: String
    public var device: Device
    public var clockMHz: Double
    public var layers: [LayerEstimate]
    /// Cycles from the first input step to the last output of the primary and other outputs.
    public var latencyCycles: Int
    /// Cycles between trials when trials are pipelined through the dataflow (the busiest layer; with several trials
    /// per call, the call's interval over its trials).
    public var intervalCycles: Int
    /// Trials one call of the design carries (Graph.trialsInFlight); `latencyCycles` is the call's.
    public var trialsPerCall = 1
    public var resources: Resources
    /// Assumptions the estimate had to make (missing precisions, narrowed operands).
    public var notes: [String]
    /// True when the cycles are those of the schedule the HLS printer emits (a dataflow design); false when they
    /// price the intended schedule of a layer-by-layer design, which the emitted code is not checked against.
    public var fromEmittedSchedule = false
    /// Scheduling rules the design breaks (ScheduleLint), e.g. a weight ROM word over the reshape limit: such a design
    /// cannot be emitted, so the reuse pass treats it as not fitting.
    public var violations: [String] = []
    /// Beats (512-bit) a trial's inputs and primary output take through the Vitis kernel (KernelIO), when the
    /// graph lowers to hardware.
    public var kernelBeatsIn: Int?
    public var kernelBeatsOut: Int?
    /// One trial through the kernel: load, compute, store in sequence; and the kernel's interval between trials.
    public var kernelLatencyCycles: Int? { kernelBeatsIn.flatMap { i in kernelBeatsOut.map { trialsPerCall * (i + $0) + latencyCycles } } }
    public var kernelIntervalCycles: Int? { kernelBeatsIn.flatMap { i in kernelBeatsOut.map { max(i, intervalCycles, $0) } } }
    public var kernelLatencyMicroseconds: Double? { kernelLatencyCycles.map { Double($0) / effectiveClockMHz } }
    /// The clock the design is expected to close at (≤ clockMHz): see `AchievableClock`.
    public var achievableClockMHz: Double = 0

    /// The clock the µs figures use: the achievable one when known.
    public var effectiveClockMHz: Double { achievableClockMHz > 0 ? min(achievableClockMHz, clockMHz) : clockMHz }
    public var latencyMicroseconds: Double { Double(latencyCycles) / effectiveClockMHz }
    public var intervalMicroseconds: Double { Double(intervalCycles) / effectiveClockMHz }
    /// Fraction of the device per resource ("dsp", "lut", "ff", "bram18", "uram").
    public var utilization: [String: Double] { resources.utilization(of: device) }
    /// The largest fraction over all resources: what must stay below a budget such as 0.8.
    public var maxUtilization: Double { utilization.values.max() ?? 0 }

    /// The resources over 100 % of the device, by their table names ("DSP", "LUT", "FF", "BRAM18", "URAM").
    public var overfull: [String] {
        let u = utilization
        return Resources.kinds.filter { (u[$0.key] ?? 0) > 1 }.map(\.name)
    }

    /// True when every resource is within the device.
    public var fits: Bool { overfull.isEmpty }

    /// "DSP 165.6 % (14941 of 9024), FF 104.2 % (...)" for the over-full resources; empty when the design fits.
    public var overfullSummary: String {
        let u = utilization, used = resources.counts, total = Resources(dsp: device.dsp, lut: device.lut, ff: device.ff, bram18: device.bram18, uram: device.uram).counts
        return Resources.kinds.filter { (u[$0.key] ?? 0) > 1 }.map { k in
            let p = u[k.key] ?? 0
            return (p.isFinite ? "\(k.name) " + String(format: "%.1f %%", p * 100) : "\(k.name) (none on the device)")
                + " (\(used[k.key] ?? 0) of \(total[k.key] ?? 0))"
        }.joined(separator: ", ")
    }
}
