// The estimate of a dataflow design: cycles and interval are those of the DesignSchedule the HLS printer emits
// (one row per process), resources are the layers' operators plus the schedule's channel buffers.
import LFADSIR

extension CostModel {
    /// The schedule of a graph that lowers to a dataflow design (a product and no LSTM), with `outputs` as extra
    /// ports, nil otherwise.
    func dataflowSchedule(_ graph: Graph) -> (HardwarePlan, DesignSchedule)? {
        // Lowering is the expensive part: skip it for graphs that cannot be one.
        guard graph.nodes.contains(where: { Self.hasProduct($0.op) }),
              !graph.nodes.contains(where: { if case .lstm = $0.op { return true } else { return false } }),
              let plan = HardwarePlan.$shapesOnly.withValue(true, operation: { try? HardwarePlan(graph: graph).emitting(outputs, strict: false).batched().averaged() }),
              let s = ScheduleBuilder.build(plan, delays: DelayModel(clockMHz: clockMHz)) else { return nil }
        return (plan, s)
    }

    /// Why a graph without an LSTM has no dataflow schedule: the lowering's error (an op or output the fixed-point
    /// backends do not implement), nil when it lowers or has an LSTM.
    func loweringProblem(_ graph: Graph) -> String? {
        guard graph.nodes.contains(where: { Self.hasProduct($0.op) }),
              !graph.nodes.contains(where: { if case .lstm = $0.op { return true } else { return false } }) else { return nil }
        do {
            _ = try HardwarePlan.$shapesOnly.withValue(true) { try HardwarePlan(graph: graph).batched().averaged() }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// A ping-pong channel: two buffers of `words` × `wordBits`; a FIFO: one (LUTRAM when shallow, BRAM18 otherwise).
    static func channelResources(_ c: ScheduleChannel) -> Resources {
        switch c.kind {
        case .port: return .zero
        case .pipo: return MatVecCost.buffer(width: c.wordBits, depth: c.words) * 2
        case .stream: return MatVecCost.buffer(width: c.wordBits, depth: c.words)
        }
    }

    /// Glue and copy processes: a register per output bit per stage, a LUT per bit per function stage.
    static func processLogic(_ p: ScheduleProcess, _ channels: [String: ScheduleChannel]) -> Resources {
        let bits = p.outputs.compactMap { channels[$0]?.wordBits }.reduce(0, +)
        switch p.work {
        case .split: return Resources(ff: bits)
        case .glue:
            let depth = p.body.first.map { n -> Int in
                if case .pipeline(_, _, _, let d) = n { return d }
                return 1
            } ?? 1
            return Resources(lut: bits * max(0, depth - 2), ff: bits * depth)
        default: return .zero
        }
    }

    /// An average process: its T-word sum buffer (every lane's sum side by side), one adder per lane, and one
    /// sum × reciprocal product per lane (a DSP48E2 multiplies 27 × 18 bits: the 25-bit reciprocal takes the wide
    /// port, a sum over 18 bits a second DSP).
    static func averageLogic(_ a: AverageStage, _ plan: HardwarePlan) -> Resources {
        let y = plan.tensors[a.output]
        let sum = (try? a.average.sumType(y.type).width) ?? y.type.width
        return MatVecCost.buffer(width: y.width * sum, depth: y.steps)
            + Resources(dsp: y.width * (sum > 18 ? 2 : 1), lut: y.width * sum, ff: y.width * (2 * sum + y.type.width))
    }

    func dataflowEstimate(_ graph: Graph, _ plan: HardwarePlan, _ schedule: DesignSchedule,
                          nodeResources: [String: Resources], nodeImplementation: [String: String], notes: [String]) -> DesignEstimate {
        let channels = Dictionary(schedule.channels.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let timings = schedule.timings
        var charged = Set<String>()
        var rows = [LayerEstimate]()
        var total = Resources()
        for (i, p) in schedule.processes.enumerated() {
            let layer = Self.layerName(p, plan)
            var r = Self.processLogic(p, channels)
            if case .average(let k) = p.work, plan.stages.indices.contains(k), case .average(let a) = plan.stages[k] {
                r += Self.averageLogic(a, plan)
            }
            // A layer's operators are charged to its first process (a GRU's projection carries the whole layer).
            if let l = layer, !charged.contains(l), let nr = nodeResources[l] {
                r += nr
                charged.insert(l)
            }
            for o in p.outputs { if let c = channels[o] { r += Self.channelResources(c) } }
            // An interleaved recurrence keeps a state per trial in flight (registers, like the one state of C = 1),
            // and its product's chunk operands and the gates' h operands choose among the C states (a LUT6 is a 4:1
            // mux per bit).
            if case .recurrence(let k) = p.work, plan.stages.indices.contains(k), case .gru(let g) = plan.stages[k], g.contexts > 1 {
                let chunk = ScheduleBuilder.cellShape(g).recurrent[0].chunk
                r += Resources(lut: (chunk + g.hidden) * g.state.width * ((g.contexts + 3) / 4),
                               ff: (g.contexts - 1) * g.hidden * g.state.width)
            }
            total += r
            rows.append(LayerEstimate(name: p.name, op: Self.kind(p.work), implementation: layer.flatMap { nodeImplementation[$0] } ?? "-",
                                      latency: p.latency, interval: p.latency, start: timings[i].start, end: timings[i].end,
                                      resources: r))
        }
        var e = DesignEstimate(graphName: graph.name, device: device, clockMHz: clockMHz, layers: rows,
                               latencyCycles: timings.map(\.end).max() ?? 0, intervalCycles: schedule.intervalPerTrial, resources: total, notes: notes)
        e.fromEmittedSchedule = true
        e.trialsPerCall = schedule.trialsPerCall
        if schedule.trialsPerCall > 1 {
            e.notes.append("\(schedule.trialsPerCall) trials per call (interleaved in the recurrences): the latency is the call's, "
                           + "the interval per trial is the call's interval \(schedule.interval) over \(schedule.trialsPerCall)")
        }
        if plan.posteriorSamples > 1 {
            e.notes.append("\(plan.posteriorSamples) posterior samples per trial run one after another through every process after the sampling "
                           + "(the encoders run once), then one average process per sampled output")
        }
        let io = KernelIO(plan: plan)
        (e.kernelBeatsIn, e.kernelBeatsOut) = (io.beatsIn, io.beatsOut)
        if let v = ScheduleLint.violation(schedule, plan) {
            e.violations.append(v)
            e.notes.append("not emittable: \(v)")
        }
        e.achievableClockMHz = AchievableClock.estimate(target: clockMHz, utilization: e.utilization, device: device)
        return e
    }

    static func hasProduct(_ op: Op) -> Bool {
        switch op {
        case .dense, .gru, .bidirectionalGRU, .decoder: return true
        default: return false
        }
    }

    static func kind(_ w: ScheduleProcess.Work) -> String {
        switch w {
        case .split: return "split"
        case .glue: return "glue"
        case .dense: return "dense"
        case .projection: return "gru-proj"
        case .recurrence: return "gru-rec"
        case .decoder: return "decoder"
        case .sample: return "sample"
        case .average: return "average"
        }
    }

    /// The IR node a process computes (a bidirectional GRU's directions are "name.fwd" / "name.bwd").
    static func layerName(_ p: ScheduleProcess, _ plan: HardwarePlan) -> String? {
        let stage: Int
        switch p.work {
        case .dense(let k), .projection(let k), .recurrence(let k), .decoder(let k), .sample(let k): stage = k
        default: return nil
        }
        guard plan.stages.indices.contains(stage) else { return nil }
        let name = ScheduleBuilder.stageName(plan.stages[stage])
        if name.hasSuffix(".fwd") || name.hasSuffix(".bwd") { return String(name.dropLast(4)) }
        return name
    }
}
