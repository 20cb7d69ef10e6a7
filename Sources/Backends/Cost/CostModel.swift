import LFADSIR

public enum CostModelError: Error, Equatable, CustomStringConvertible {
    case invalidClock(Double)
    case unknownOperand(layer: String, operand: String)
    case tooLarge(value: String, type: String)

    public var description: String {
        switch self {
        case .invalidClock(let c): return "cost model: clock \(c) MHz must be positive and finite"
        case .unknownOperand(let l, let o): return "cost model: layer '\(l)' uses '\(o)', which no earlier layer produces"
        case .tooLarge(let v, let t): return "cost model: value '\(v)' of type \(t) is beyond the sizes the model handles (2^24 steps or features)"
        }
    }
}

/// Pre-synthesis latency and resource estimate of a graph as the HLS backend would build it.
/// Cycle counts are those of the HLS schedule (the emitter targets 5 ns); `clockMHz` is the clock the kernel
/// runs at, which converts cycles to microseconds.
public struct CostModel: Sendable {
    public var device: Device
    public var clockMHz: Double
    /// Price the layer-by-layer schedule of hls4ml-style code (the structure the published design was built with,
    /// the calibration point) instead of the dataflow schedule lfadsc emits. Never what `estimate` shows for a
    /// design without an LSTM; calibration against published layer-by-layer reports only.
    public var layerByLayer = false
    /// Graph outputs the emitted design writes besides the primary one (`--outputs`, as graph value names): their
    /// ports, copies and output beats are priced. Names a graph does not have are skipped.
    public var outputs: [String] = []

    public init(device: Device, clockMHz: Double? = nil, outputs: [String] = []) {
        self.device = device
        self.clockMHz = clockMHz ?? device.defaultClockMHz
        self.outputs = outputs
    }

    static let sizeLimit = 1 << 24

    /// The model default type for nodes without a precision (hls4ml's ap_fixed<16,6>).
    public static let defaultType = "ap_fixed<\(CostConstants.defaultWidth),\(CostConstants.defaultInteger)>"

    public func estimate(_ graph: Graph) throws -> DesignEstimate {
        guard clockMHz.isFinite, clockMHz > 0 else { throw CostModelError.invalidClock(clockMHz) }
        let types = graph.valueTypes
        // Bounds every cycle and bit count below far from Int overflow, whatever sizes a file declared.
        for (name, t) in types.sorted(by: { $0.key < $1.key }) where t.width > Self.sizeLimit || (t.steps ?? 1) > Self.sizeLimit {
            throw CostModelError.tooLarge(value: name, type: t.description)
        }
        var bits = [String: Int](), integerBits = [String: Int]()
        // The spike trains: by the importers' convention the model's first input (external inputs come later).
        let spikes = graph.countInput
        var avail = [String: Availability]()
        var layers = [LayerEstimate](), notes = [String](), unprecise = [String]()
        var total = Resources(), interval = 0
        // A design without an LSTM is one dataflow region, whatever its strategies: its timing is the emitted schedule's.
        let dataflow = layerByLayer ? nil : dataflowSchedule(graph)
        var nodeResources = [String: Resources](), nodeImplementation = [String: String]()

        for node in graph.nodes {
            let operandAvail = try node.operands.map { o -> Availability in
                guard let a = avail[o] else { throw CostModelError.unknownOperand(layer: node.name, operand: o) }
                return a
            }
            let resultType = node.results.first?.type ?? .vector(width: 1)
            let firstOperand = node.operands.first
            let opSteps = firstOperand.flatMap { o in types[o]?.steps } ?? 1
            let context = OpContext(device: device, operandBits: node.operands.map { bits[$0] ?? CostConstants.defaultWidth },
                                    operandIsSpikeInput: firstOperand != nil && firstOperand == spikes,
                                    operandIntegerBits: firstOperand.flatMap { integerBits[$0] } ?? CostConstants.defaultInteger,
                                    operandSteps: opSteps, defaultWidth: CostConstants.defaultWidth, dataflow: dataflow != nil)
            let cost = OpCost.cost(node, resultType: resultType, context: context)

            // Result types flow to consumers; pass-through ops keep their operand's type.
            let own = Self.resultType(of: node.op)
            if own == nil, Self.needsPrecision(node.op) { unprecise.append(node.name) }
            for r in node.results {
                let t = own ?? firstOperand.flatMap { o in bits[o].map { ($0, integerBits[o] ?? CostConstants.defaultInteger) } }
                bits[r.name] = t?.0 ?? CostConstants.defaultWidth
                integerBits[r.name] = t?.1 ?? CostConstants.defaultInteger
            }

            let p: Schedule.Placement
            if case .input(let i) = node.op {
                // A model input streams in one time step per cycle (all features of a step in parallel).
                let n = i.type.steps ?? 1
                p = Schedule.Placement(start: 0, end: n, firstOutput: 1, busy: n)
            } else {
                p = Schedule.place(cost.timing, operands: operandAvail, steps: resultType.steps ?? 1)
            }
            for r in node.results { avail[r.name] = Availability(first: p.firstOutput, end: p.end) }
            notes += cost.notes.map { "\(node.name): \($0)" }
            nodeResources[node.name] = cost.resources
            nodeImplementation[node.name] = cost.strategy
            total += cost.resources
            interval = max(interval, p.busy)
            layers.append(LayerEstimate(name: node.name, op: node.op.mnemonic, implementation: cost.strategy,
                                        latency: p.end - p.start, interval: p.busy, start: p.start, end: p.end,
                                        resources: cost.resources))
            if Self.isLFADS(node.op), context.operandIsSpikeInput, (context.operandBits.first ?? 0) > context.operandIntegerBits {
                notes.append("\(node.name): lfads strategy treats its input as spike counts: products use \(max(1, context.operandIntegerBits))-bit integer operands")
            }
        }
        if !unprecise.isEmpty {
            notes.insert("no precision on \(unprecise.joined(separator: ", ")): assumed \(Self.defaultType) for all their types", at: 0)
        }
        if let (plan, schedule) = dataflow {
            return dataflowEstimate(graph, plan, schedule, nodeResources: nodeResources, nodeImplementation: nodeImplementation, notes: notes)
        }
        let ends = graph.outputs.compactMap { avail[$0]?.end }
        var e = DesignEstimate(graphName: graph.name, device: device, clockMHz: clockMHz, layers: layers,
                               latencyCycles: ends.max() ?? 0, intervalCycles: interval, resources: total, notes: notes)
        e.achievableClockMHz = AchievableClock.estimate(target: clockMHz, utilization: e.utilization, device: device)
        // The kernel's beats from the value types the loop above tracked (no lowering on the reuse search's path).
        if unprecise.isEmpty, let out = graph.outputs.first, let outType = types[out] {
            func port(_ name: String, _ t: ValueType) -> (name: String, steps: Int, width: Int, bits: Int) {
                (name, t.steps ?? 1, t.width, bits[name] ?? CostConstants.defaultWidth)
            }
            let extras = outputs.filter { graph.outputs.contains($0) && $0 != out }.compactMap { o in types[o].map { port(o, $0) } }
            let io = KernelIO(inputs: graph.inputs.map { port($0.name, $0.type) }, outputs: [port(out, outType)] + extras)
            (e.kernelBeatsIn, e.kernelBeatsOut) = (io.beatsIn, io.beatsOut)
        }
        if let problem = layerByLayer ? nil : loweringProblem(graph) {
            // E.g. --outputs ic_std or co_stds: the fixed-point backends have no posterior std, so no design emits it.
            e.notes.append("not emittable: \(problem); cycles price the intended layer-by-layer schedule")
        } else {
            e.notes.append("cycles price the intended layer-by-layer schedule, not the emitted code (designs with an LSTM are printed layer by layer; every other design is one emitted dataflow schedule)")
        }
        return e
    }

    /// The hardware type (width, integer bits) of a node's results when the node fixes it.
    static func resultType(of op: Op) -> (Int, Int)? {
        func t(_ f: FixedType?) -> (Int, Int)? { f.map { ($0.width, $0.integer) } }
        switch op {
        case .input(let i): return t(i.precision)
        case .gru(let g): return t(g.precision?.result)
        case .bidirectionalGRU(let b): return t(b.forward.precision?.result)
        case .dense(let d): return t(d.precision?.result)
        case .activation(let a): return t(a.precision?.result ?? a.activation.quantizer)
        case .posteriorStd(let p): return t(p.precision?.result)
        case .decoder(let d): return t(d.factors.precision?.result)
        case .lstm(let l): return t(l.precision?.result)
        case .concat, .slice, .timeShift, .sample: return nil
        }
    }

    static func needsPrecision(_ op: Op) -> Bool {
        switch op {
        case .concat, .slice, .timeShift, .sample: return false
        default: return true
        }
    }

    static func isLFADS(_ op: Op) -> Bool {
        switch op {
        case .gru(let g): return g.implementation?.strategy == .lfads
        case .bidirectionalGRU(let b): return b.forward.implementation?.strategy == .lfads
        case .dense(let d): return d.implementation?.strategy == .lfads
        case .decoder(let d): return d.implementation?.generator.strategy == .lfads
        default: return false
        }
    }
}
