// HardwarePlan → DesignSchedule for designs whose every matrix uses the lfads strategy: one top-level DATAFLOW
// region of layer processes linked by ping-pong channels, with explicit fan-out copies and the glue stages
// (activations, concatenations, slices, time shifts, posterior-mean copies) fused into one process per consumer.
// The HLS printer (DataflowEmitter) prints exactly this; CostModel prices exactly this.
import LFADSIR

extension HardwarePlan {
    /// Width of the narrow unsigned integer a spike count needs: the integer bits of the input type without its
    /// sign. Only the graph's first input holds spike counts (the cost model's convention); nil for any other
    /// operand, or when the type has no non-negative integer range.
    public func countBits(_ input: Int) -> Int? {
        guard input == inputs.first, tensors.indices.contains(input) else { return nil }
        let t = tensors[input].type
        let bits = min(t.signed ? t.integer - 1 : t.integer, 32)
        return bits >= 1 ? bits : nil
    }

    /// True when every matrix of the plan uses the lfads strategy (then the design is one dataflow region).
    public var isDataflowDesign: Bool {
        var any = false
        for stage in stages {
            let ms: [QuantizedMatrix]
            switch stage {
            case .dense(let d): ms = [d.matrix]
            // No lfads schedule for LSTM yet: a design with one is printed layer by layer.
            case .lstm: return false
            case .gru(let g): ms = [g.kernel, g.recurrentZR, g.recurrentH]
            case .decoder(let d):
                ms = [d.generator.kernel, d.generator.recurrentZR, d.generator.recurrentH, d.factors.matrix]
                    + (d.controller.map { [$0.kernel, $0.recurrentZR, $0.recurrentH] } ?? []) + (d.coMean.map { [$0.matrix] } ?? [])
            default: ms = []
            }
            if ms.contains(where: { $0.strategy != .lfads }) { return false }
            any = any || !ms.isEmpty
        }
        return any
    }
}

public enum ScheduleBuilder {
    /// Timing of one `matvec_lfads` iteration: interval and depth, from the operator chain.
    public struct MatVecTiming: Hashable, Sendable {
        public var ii: Int
        public var depth: Int
    }

    public static func matVec(_ m: QuantizedMatrix, accum: FixedType, inputBits: Int, countBits: Int?, delays: DelayModel) -> MatVecTiming {
        let reuse = max(1, m.reuse)
        let chunk = (m.columns + reuse - 1) / reuse
        let front = DelayModel.romStages(depth: reuse)
            + delays.productStages(aBits: inputBits, bBits: m.weightType.width, countBits: countBits)
            + DelayModel.castStages(to: accum)
        if accum.addsAssociatively {
            // A tree over the chunk's products, then one add into the accumulator (the only loop-carried step).
            return MatVecTiming(ii: 1, depth: front + delays.treeStages(terms: chunk, bits: accum.width) + 1)
        }
        // Saturating sums must stay a chain in input order: the chain is carried from one iteration to the next.
        let per = delays.addsPerStage(bits: accum.width, saturating: true)
        let chain = (chunk + per - 1) / per
        return MatVecTiming(ii: chain, depth: front + chain)
    }

    /// Stages of an element function applied to `lanes` values at once: a table serves two reads per cycle.
    public static func functionStages(_ f: ElementFunction, lanes: Int) -> Int {
        DelayModel.functionStages(f) + tableReadCycles(f, lanes: lanes) - (isTable(f) ? 1 : 0)
    }

    static func isTable(_ f: ElementFunction) -> Bool {
        if case .table = f.kind { return true }
        return false
    }

    /// Cycles to read `lanes` entries of the function's table (one copy, two ports); 0 when it has none.
    public static func tableReadCycles(_ f: ElementFunction, lanes: Int) -> Int {
        isTable(f) ? max(1, (lanes + 1) / 2) : 0
    }

    static func pipelineOf(_ name: String, _ m: QuantizedMatrix, accum: FixedType, inputBits: Int, countBits: Int?,
                           steps: Int, tail: Int, tailII: Int = 1, delays: DelayModel) -> ScheduleNode {
        let t = matVec(m, accum: accum, inputBits: inputBits, countBits: countBits, delays: delays)
        return .pipeline(name: name, trips: steps * max(1, m.reuse), ii: max(t.ii, tailII), depth: t.depth + tail)
    }

    /// One GRU step after its input projection (gru_cell_lfads): the recurrent products, then the gates, candidate
    /// and state update over all units at once.
    static func cell(_ g: GRUStage, delays: DelayModel) -> [ScheduleNode] {
        let h = g.hidden
        let sb = g.state.width
        let zr = pipelineOf("recurrent_zr", g.recurrentZR, accum: g.accum, inputBits: sb, countBits: nil, steps: 1, tail: 0, delays: delays)
        let hh = pipelineOf("recurrent_h", g.recurrentH, accum: g.accum, inputBits: sb, countBits: nil, steps: 1, tail: 0, delays: delays)
        let gates = 1 + functionStages(g.gate, lanes: 2 * h)
        let gateProduct = delays.productStages(aBits: g.gate.output.width, bBits: max(g.accum.width, sb), countBits: nil)
        let update = 1 + functionStages(g.candidate, lanes: h)
            + delays.productStages(aBits: g.gate.output.width, bBits: max(g.candidate.output.width, sb), countBits: nil)
            + 1 + DelayModel.castStages(to: g.state) + (g.clip != nil ? 1 : 0) + 1
        if g.resetAfter, let merged = g.recurrentZR.stacked(g.recurrentH) {
            let rec = pipelineOf("recurrent_zrh", merged, accum: g.accum, inputBits: sb, countBits: nil, steps: 1, tail: 0, delays: delays)
            return [rec, .block(name: "gates", depth: gates + gateProduct + DelayModel.castStages(to: g.accum) + update)]
        }
        if g.resetAfter {
            return [zr, hh, .block(name: "gates", depth: gates + gateProduct + DelayModel.castStages(to: g.accum) + update)]
        }
        return [zr, .block(name: "gates", depth: gates + gateProduct + DelayModel.castStages(to: g.state)), hh,
                .block(name: "update", depth: update)]
    }

    public static func build(_ plan: HardwarePlan, delays: DelayModel) -> DesignSchedule? {
        guard plan.isDataflowDesign, let primary = plan.outputs.first else { return nil }
        var producer = [Int: Int]()
        for (k, s) in plan.stages.enumerated() {
            for o in outputs(of: s) { producer[o] = k }
        }
        // Stages the primary output depends on.
        var needed = Set<Int>()
        var work = [primary]
        while let t = work.popLast() {
            guard let k = producer[t], !needed.contains(k) else { continue }
            needed.insert(k)
            work += operands(of: plan.stages[k])
        }
        func isLeaf(_ t: Int) -> Bool {
            guard let k = producer[t] else { return true }
            return isCompute(plan.stages[k])
        }
        /// Leaf tensors a glue tensor reads, in first-use order.
        func leaves(of t: Int) -> [Int] {
            if isLeaf(t) { return [t] }
            var out = [Int]()
            for o in operands(of: plan.stages[producer[t]!]) { for l in leaves(of: o) where !out.contains(l) { out.append(l) } }
            return out
        }

        var drafts = [Draft]()
        func glueDraft(_ t: Int, consumer: String) -> Draft {
            let ls = leaves(of: t)
            let y = plan.tensors[t]
            let timing = glueTiming(plan, t, producer: producer)
            return Draft(work: .glue(output: t), name: "glue_\(consumer)", reads: ls.map { .leaf($0) },
                         writes: [.channel("\(y.cName)_to_\(consumer)")],
                         body: [.pipeline(name: "glue", trips: y.steps, ii: timing.ii, depth: timing.depth)])
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
                let f = functionStages(d.function, lanes: d.matrix.rows)
                let node = pipelineOf("dense", d.matrix, accum: d.accum, inputBits: x.type.width, countBits: plan.countBits(d.input),
                                      steps: x.steps, tail: f + 1, tailII: tableReadCycles(d.function, lanes: d.matrix.rows), delays: delays)
                drafts.append(Draft(work: .dense(stage: k), name: base, reads: reads, writes: [.leaf(d.output)], body: [node]))
            case .gru(let g):
                let x = plan.tensors[g.input]
                let proj = pipelineOf("project", g.kernel, accum: g.accum, inputBits: x.type.width, countBits: plan.countBits(g.input),
                                      steps: x.steps, tail: 1, delays: delays)
                let ax = Source.channel("\(base)_ax")
                drafts.append(Draft(work: .projection(stage: k), name: base + "_project", reads: [reads[0]], writes: [ax], body: [proj]))
                var body: [ScheduleNode] = [.block(name: "init", depth: 1),
                                            .loop(name: "step", trips: x.steps, body: cell(g, delays: delays) + [.block(name: "write", depth: 1)])]
                if !g.returnSequences { body.append(.block(name: "write", depth: 1)) }
                drafts.append(Draft(work: .recurrence(stage: k), name: base + "_recurrence", reads: [ax] + reads.dropFirst(),
                                    writes: [.leaf(g.output)], body: body))
            case .decoder(let d):
                drafts.append(Draft(work: .decoder(stage: k), name: base, reads: reads,
                                    writes: decoderOutputs(d).map { .leaf($0) }, body: decoderBody(plan, d, delays: delays)))
            default: break
            }
        }
        if !isLeaf(primary) {
            var g = glueDraft(primary, consumer: "out")
            g.writes = [.port("out")]
            drafts.append(g)
        }
        return assemble(plan, drafts, primary: primary, producer: producer, isLeaf: isLeaf)
    }
}
