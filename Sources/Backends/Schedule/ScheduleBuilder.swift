// HardwarePlan → DesignSchedule for every design without an LSTM, whatever the strategies of its matrices (lfads,
// resource, latency, or a mix): one top-level DATAFLOW region of layer processes linked by ping-pong channels and
// FIFOs, with explicit fan-out copies and the glue stages (activations, concatenations, slices, time shifts,
// posterior-mean copies) fused into one process per consumer. Every product is the same chunk pipeline; the
// strategy only picks its binding (lfads: spike counts as narrow integers; resource: reshaped ROM; latency:
// partitioned weights). The HLS printer (DataflowEmitter) prints exactly this; CostModel prices exactly this.
import LFADSIR

extension HardwarePlan {
    /// Width of the narrow unsigned integer a spike count needs: the integer bits of the input type without its
    /// sign. Only the graph's first input holds spike counts (the cost model's convention; none for a model of
    /// real-valued data, Graph.countInput); nil for any other operand, or when the type has no non-negative
    /// integer range.
    public func countBits(_ input: Int) -> Int? {
        guard countsInput, input == inputs.first, tensors.indices.contains(input) else { return nil }
        let t = tensors[input].type
        let bits = min(t.signed ? t.integer - 1 : t.integer, 32)
        return bits >= 1 ? bits : nil
    }

    /// The narrow count width the products of `m` on `input` use: only the lfads strategy narrows spike counts
    /// (its C simulation stops on a non-count input); resource and latency multiply the full input type.
    public func countBits(_ input: Int, for m: QuantizedMatrix) -> Int? {
        m.strategy == .lfads ? countBits(input) : nil
    }

    /// True when the plan is one dataflow region: it has a product and no LSTM (there is no LSTM schedule yet: a
    /// design with one is printed layer by layer and its estimate is the strategy's intent).
    public var isDataflowDesign: Bool {
        var any = false
        for stage in stages {
            switch stage {
            case .lstm: return false
            case .dense, .gru, .decoder: any = true
            default: break
            }
        }
        return any
    }
}

extension HardwarePlan {
    /// The plan whose emitted design also writes `extras` (graph value names, `--outputs`) as ports after the
    /// primary output, in the order given. With `strict`, a name that is no output of the plan is an error;
    /// otherwise it is skipped (an estimate of a stage that does not have it).
    public func emitting(_ extras: [String], strict: Bool = true) throws -> HardwarePlan {
        var plan = self
        plan.extraPorts = []
        for name in extras {
            guard let t = outputs.first(where: { tensors[$0].name == name }) else {
                if strict { throw HardwareError.unsupported("output '\(name)' is no output of graph '\(graphName)'") }
                continue
            }
            if !plan.ports.contains(t) { plan.extraPorts.append(t) }
        }
        return plan
    }

    /// The C name of output port j of the emitted design: `out` for the primary output, `out_<tensor>` for the others
    /// (the tensor's C name without its `v_`, so `out_decoder_factors`; C names are unique, so these are too).
    public func portName(_ j: Int) -> String {
        guard j > 0 else { return "out" }
        let c = tensors[ports[j]].cName
        return "out_" + (c.hasPrefix("v_") ? String(c.dropFirst(2)) : c)
    }

    /// The stage that writes each tensor.
    var producers: [Int: Int] {
        var producer = [Int: Int]()
        for (k, s) in stages.enumerated() { for o in ScheduleBuilder.outputs(of: s) { producer[o] = k } }
        return producer
    }
}

public enum ScheduleBuilder {
    /// The cell shape of a GRU stage as the printer emits it (reset after: one merged 3H-row recurrent matrix).
    static func cellShape(_ g: GRUStage) -> CellShape {
        let merged = g.resetAfter ? g.recurrentZR.stacked(g.recurrentH) : nil
        return CellShape(hidden: g.hidden, resetAfter: g.resetAfter,
                         recurrent: merged.map { [MatrixShape($0)] } ?? [MatrixShape(g.recurrentZR), MatrixShape(g.recurrentH)],
                         accum: g.accum, state: g.state, gate: FunctionShape(g.gate), candidate: FunctionShape(g.candidate),
                         clip: g.clip != nil)
    }

    static func cell(_ g: GRUStage, delays: DelayModel) -> [ScheduleNode] { ScheduleRules.cell(cellShape(g), delays: delays) }

    public static func tableReadCycles(_ f: ElementFunction, lanes: Int) -> Int {
        ScheduleRules.tableReadCycles(FunctionShape(f), lanes: lanes)
    }

    static func dense(_ name: String, _ d: DenseStage, inputBits: Int, countBits: Int?, steps: Int, delays: DelayModel) -> ScheduleNode {
        ScheduleRules.dense(name, MatrixShape(d.matrix), accum: d.accum, inputBits: inputBits, countBits: countBits, steps: steps,
                            activation: FunctionShape(d.function), delays: delays)
    }

    public static func build(_ plan: HardwarePlan, delays: DelayModel) -> DesignSchedule? {
        // A plan carrying several trials per call must be the batched one (C·T words per tensor).
        guard !plan.ports.isEmpty, plan.trialsPerCall == 1 || plan.isBatch else { return nil }
        let producer = plan.producers
        // Stages the outputs (the ports: the primary, then any --outputs) depend on, feature by feature: a slice that
        // drops a whole operand of a concatenation does not keep that operand's producer alive.
        let reads = featureReads(plan, outputs: plan.ports, producer: producer)
        let readTensors = Set(reads.keys)
        let needed = Set(reads.keys.compactMap { producer[$0] })
        // Only the stages the output needs are built (none of them may be an LSTM).
        var live = HardwarePlan(graphName: plan.graphName, tensors: plan.tensors,
                                stages: plan.stages.indices.filter { needed.contains($0) }.map { plan.stages[$0] },
                                inputs: plan.inputs, outputs: plan.outputs, extraPorts: plan.extraPorts, countsInput: plan.countsInput,
                                trialsPerCall: plan.trialsPerCall)
        live.isBatch = plan.isBatch
        guard live.isDataflowDesign else { return nil }
        func isLeaf(_ t: Int) -> Bool {
            guard let k = producer[t] else { return true }
            return isCompute(plan.stages[k])
        }
        /// Leaf tensors a glue tensor reads (some feature of), in first-use order.
        func leaves(of t: Int) -> [Int] {
            if isLeaf(t) { return reads[t] == nil ? [] : [t] }
            guard let k = producer[t] else { return [] }
            var out = [Int]()
            for o in operands(of: plan.stages[k]) where reads[o] != nil {
                for l in leaves(of: o) where !out.contains(l) { out.append(l) }
            }
            return out
        }

        var drafts = [Draft]()
        func glueDraft(_ t: Int, consumer: String) -> Draft {
            let ls = leaves(of: t)
            let y = plan.tensors[t]
            let timing = glueTiming(plan, t, producer: producer)
            return Draft(work: .glue(output: t), name: "glue_\(consumer)", reads: ls.map { .leaf($0) },
                         writes: [.channel("\(y.cName)_to_\(consumer)")],
                         body: [.pipeline(name: "glue", trips: y.steps, ii: timing.ii, depth: timing.depth)],
                         readOrders: ls.map { timing.lags[$0] == [0] ? .forward : .random }, writeOrders: [.forward], steps: y.steps)
        }
        for k in plan.stages.indices where needed.contains(k) && isCompute(plan.stages[k]) {
            let stage = plan.stages[k]
            let base = "L\(k)_" + CppText.identifier(stageName(stage))
            var reads = [Source]()
            for o in operands(of: stage) {
                if isLeaf(o) { reads.append(.leaf(o)) } else {
                    let g = glueDraft(o, consumer: base)
                    drafts.append(g)
                    reads.append(g.writes[0])
                }
            }
            switch stage {
            case .dense(let d):
                let x = plan.tensors[d.input]
                let node = dense("dense", d, inputBits: x.type.width, countBits: plan.countBits(d.input, for: d.matrix), steps: x.steps, delays: delays)
                drafts.append(Draft(work: .dense(stage: k), name: base, reads: reads, writes: [.leaf(d.output)], body: [node],
                                    readOrders: [.forward], writeOrders: [.forward], steps: x.steps, iterationsPerStep: d.matrix.reuse))
            case .gru(let g):
                let x = plan.tensors[g.input]
                let proj = ScheduleRules.pipeline("project", MatrixShape(g.kernel), accum: g.accum, inputBits: x.type.width,
                                                  countBits: plan.countBits(g.input, for: g.kernel), steps: x.steps, tail: 1, delays: delays)
                let ax = Source.channel("\(base)_ax")
                // The projection walks the steps in the recurrence's order, so the channel between them is a FIFO.
                let walk: Order = g.reverse ? .reverse : .forward
                drafts.append(Draft(work: .projection(stage: k), name: base + "_project", reads: [reads[0]], writes: [ax], body: [proj],
                                    readOrders: [walk], writeOrders: [walk], steps: x.steps, iterationsPerStep: g.kernel.reuse))
                var body = ScheduleRules.recurrence(cellShape(g), steps: x.steps, returnSequences: g.returnSequences, delays: delays)
                var slots = 1
                if g.contexts > 1 {
                    // x.steps is C·T words: the true step count is T.
                    (body, slots) = ScheduleRules.interleavedRecurrence(cellShape(g), steps: x.steps / g.contexts, contexts: g.contexts,
                                                                        returnSequences: g.returnSequences, delays: delays)
                }
                drafts.append(Draft(work: .recurrence(stage: k), name: base + "_recurrence", reads: [ax] + reads.dropFirst(),
                                    writes: [.leaf(g.output)], body: body, readOrders: [walk, .random],
                                    writeOrders: [g.returnSequences ? walk : .random], steps: x.steps, iterationsPerStep: slots))
            case .decoder(let d):
                var body = decoderBody(plan, d, delays: delays)
                if d.samples > 1 { body = [.loop(name: "samples", trips: d.samples, body: body)] }
                // Outputs nothing reads get no channel (the printer skips their writes).
                let written = decoderOutputs(d).filter { readTensors.contains($0) }
                drafts.append(Draft(work: .decoder(stage: k), name: base, reads: reads,
                                    writes: written.map { .leaf($0) }, body: body,
                                    readOrders: reads.map { _ in .random }, writeOrders: written.map { _ in .random },
                                    steps: d.steps * d.samples))
            case .sample(let s):
                let y = plan.tensors[s.output]
                var body = ScheduleRules.sample(lanes: y.width, steps: y.steps / s.samples, std: FunctionShape(s.std), stdBits: s.std.output.width,
                                                epsilon: s.epsilon, result: s.result, delays: delays)
                if s.samples > 1 { body = [.loop(name: "samples", trips: s.samples, body: body)] }
                drafts.append(Draft(work: .sample(stage: k), name: "sample_" + base, reads: reads, writes: [.leaf(s.output)], body: body,
                                    readOrders: [.random, .random], writeOrders: [.random], steps: y.steps))
            case .average(let a):
                let y = plan.tensors[a.output]
                let sumBits = (try? a.average.sumType(y.type).width) ?? y.type.width
                let body = ScheduleRules.average(samples: a.average.samples, steps: y.steps, sumBits: sumBits,
                                                 reciprocalBits: a.average.reciprocalFraction(y.type) + 1, result: y.type, delays: delays)
                drafts.append(Draft(work: .average(stage: k), name: base, reads: reads, writes: [.leaf(a.output)], body: body,
                                    readOrders: [.forward], writeOrders: [.random], steps: y.steps * a.average.samples))
            default: break
            }
        }
        // A port whose tensor is glue gets its own glue process; a leaf port is one more reader of its leaf (the
        // producer writes the port directly when nothing else reads it, else a fan-out copy feeds it).
        for (j, t) in plan.ports.enumerated() where !isLeaf(t) {
            var g = glueDraft(t, consumer: plan.portName(j))
            g.writes = [.port(plan.portName(j))]
            drafts.append(g)
        }
        return assemble(plan, drafts, producer: producer, isLeaf: isLeaf)
    }
}
