// An HLS project for one graph: firmware, C-simulation test bench, Vitis kernel flow. Files are returned as
// relative path → contents; the caller writes them.
import LFADSIR

public enum HLSProject {
    public static func emit(graph: Graph, options: HLSOptions) throws -> [String: String] {
        guard isIdentifier(options.topName) else {
            throw HardwareError.unsupported("top name '\(options.topName)' is not a C identifier")
        }
        guard isIdentifier(options.projectName) else {
            throw HardwareError.unsupported("project name '\(options.projectName)' must be a C identifier")
        }
        guard options.clockMHz > 0, options.clockMHz <= 1000 else {
            throw HardwareError.unsupported("clock \(options.clockMHz) MHz outside 0...1000")
        }
        // With several trials per call every array holds them step-major (HardwarePlan.batched).
        let plan = try HardwarePlan(graph: graph).emitting(options.outputs).batched().averaged()
        if plan.samples, ScheduleBuilder.build(plan, delays: DelayModel(clockMHz: options.clockMHz)) == nil {
            throw HardwareError.unsupported("gaussian sampling is emitted only in dataflow designs (designs without an LSTM)")
        }
        var emitter = FirmwareEmitter(plan: plan, options: options)
        var files = emitter.emit()
        if let problem = ScheduleLint.pragmaViolation(files) { throw HardwareError.lint(problem) }
        if let s = ScheduleBuilder.build(plan, delays: DelayModel(clockMHz: options.clockMHz)) {
            if let problem = ScheduleLint.violation(s, plan) { throw HardwareError.lint(problem) }
            files["reports/schedule.txt"] = "# The dataflow schedule of this project, as lfadsc prints and prices it (cycles at \(options.clockMHz) MHz).\n" + s.text
        }
        files.merge(TestbenchEmitter.emit(plan: plan, options: options)) { a, _ in a }
        files.merge(VitisEmitter.emit(plan: plan, options: options)) { a, _ in a }
        return files
    }

    /// The dataflow schedule the printer emits for this graph (with `outputs` as extra ports), nil when the design
    /// is not one dataflow region.
    public static func schedule(graph: Graph, clockMHz: Double, outputs: [String] = []) throws -> DesignSchedule? {
        let plan = try HardwarePlan.$shapesOnly.withValue(true) { try HardwarePlan(graph: graph) }.emitting(outputs).batched().averaged()
        return ScheduleBuilder.build(plan, delays: DelayModel(clockMHz: clockMHz))
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, s.count <= 100 else { return false }
        let ok = { (c: Unicode.Scalar) in c.isASCII && (c.properties.isAlphabetic || c == "_" || ("0"..."9").contains(c)) }
        return !("0"..."9").contains(first) && s.unicodeScalars.allSatisfy(ok)
    }
}
