/// Settings of an emitted HLS project.
public struct HLSOptions: Hashable, Sendable {
    /// FPGA part (Alveo U55C).
    public var part: String
    /// Vitis platform for the v++ flow.
    public var platform: String
    /// Target clock. 300 MHz is the usual Alveo kernel clock; the published LFADS design closed at 200 MHz,
    /// so lower it if timing fails.
    public var clockMHz: Double
    public var projectName: String
    /// Name of the top-level C++ function (a C identifier).
    public var topName: String
    /// Graph outputs the design writes besides the primary one (`--outputs`, as graph value names), each its own
    /// port of the top function, the test bench's line and the kernel's output beats, in this order.
    public var outputs: [String]

    public init(part: String = "xcu55c-fsvh2892-2L-e", platform: String = "xilinx_u55c_gen3x16_xdma_3_202210_1",
                clockMHz: Double = 300, projectName: String = "lfads", topName: String = "lfads_top", outputs: [String] = []) {
        self.outputs = outputs
        self.part = part
        self.platform = platform
        self.clockMHz = clockMHz
        self.projectName = projectName
        self.topName = topName
    }

    var clockPeriodNs: String {
        let ns = 1000 / clockMHz
        return String(format: "%.3f", ns)
    }
}
