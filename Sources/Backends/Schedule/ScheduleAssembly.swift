// The parts of ScheduleBuilder that walk the plan: which stages compute, what they read and write, the glue and
// decoder loop trees, and the final assembly of channels with explicit fan-out copies.
import LFADSIR

extension ScheduleBuilder {
    /// Where a process reads or writes: a plan tensor (its channel is named at assembly), a process-private
    /// channel, or a top-level port.
    enum Source: Hashable {
        case leaf(Int)
        case channel(String)
        case port(String)
    }

    /// The order in which a process reads or writes the steps of a channel: a FIFO needs both sides to agree.
    enum Order: Hashable {
        case forward, reverse, random
    }

    struct Draft {
        var work: ScheduleProcess.Work
        var name: String
        var reads: [Source]
        var writes: [Source]
        var body: [ScheduleNode]
        var readOrders: [Order]
        var writeOrders: [Order]
        var steps: Int
        var iterationsPerStep = 1
    }

    static func isCompute(_ s: Stage) -> Bool {
        switch s {
        case .input, .dense, .gru, .decoder, .lstm, .sample, .average: return true
        case .activation, .concat, .slice, .timeShift, .copy: return false
        }
    }

    static func stageName(_ s: Stage) -> String {
        switch s {
        case .dense(let d): return d.name
        case .gru(let g): return g.name
        case .decoder(let d): return d.name
        case .lstm(let l): return l.name
        case .sample(let s): return s.name
        case .average(let a): return a.name
        default: return "glue"
        }
    }

    static func decoderOutputs(_ d: DecoderStage) -> [Int] {
        ([d.factorsOutput, d.generatorStates] + [d.controllerStates, d.coMeans, d.coStds].compactMap { $0 }).filter { $0 >= 0 }
    }

    static func outputs(of s: Stage) -> [Int] {
        switch s {
        case .input(let o): return [o]
        case .dense(let d): return [d.output]
        case .gru(let g): return [g.output]
        case .decoder(let d): return decoderOutputs(d)
        case .lstm(let l): return [l.output]
        case .sample(let s): return [s.output]
        case .average(let a): return [a.output]
        case .activation(_, let o, _), .concat(_, let o), .slice(_, _, let o), .timeShift(_, _, let o), .copy(_, let o): return [o]
        }
    }

    static func operands(of s: Stage) -> [Int] {
        switch s {
        case .input: return []
        case .dense(let d): return [d.input]
        case .gru(let g):
            if case .operand(let o) = g.initial { return [g.input, o] }
            return [g.input]
        case .decoder(let d): return [d.g0] + [d.controllerInput, d.externalInput].compactMap { $0 }
        case .lstm(let l): return [l.input]
        case .sample(let s): return [s.mean, s.logvar]
        case .average(let a): return [a.input]
        case .activation(let i, _, _), .slice(let i, _, _), .timeShift(let i, _, _), .copy(let i, _): return [i]
        case .concat(let inputs, _): return inputs
        }
    }

    /// A glue process: one pipelined loop over the output's steps. Its interval is bounded by the memory ports
    /// (two per channel: distinct steps of one leaf read in an iteration, e.g. t − 1 and t + 1) and by the
    /// activation tables (two reads per cycle each); its depth is a read, the longest chain of functions, a write.
    /// Also returns the lags (sums of time shifts) at which it reads each leaf: a leaf read only at lag 0 can be a FIFO.
    static func glueTiming(_ plan: HardwarePlan, _ t: Int, producer: [Int: Int]) -> (ii: Int, depth: Int, lags: [Int: Set<Int>]) {
        var lags = [Int: Set<Int>]()
        var tableII = 1
        func walk(_ t: Int, lag: Int) -> Int {
            guard let k = producer[t], !isCompute(plan.stages[k]) else {
                lags[t, default: []].insert(lag)
                return 0
            }
            switch plan.stages[k] {
            case .activation(let i, let o, let f):
                let shape = FunctionShape(f), lanes = plan.tensors[o].width
                tableII = max(tableII, ScheduleRules.tableReadCycles(shape, lanes: lanes))
                return walk(i, lag: lag) + ScheduleRules.functionStages(shape, lanes: lanes)
            case .timeShift(let i, let l, _): return walk(i, lag: lag + l)
            case .slice(let i, _, _), .copy(let i, _): return walk(i, lag: lag)
            case .concat(let inputs, _): return inputs.map { walk($0, lag: lag) }.max() ?? 0
            default: return 0
            }
        }
        let path = walk(t, lag: 0)
        let ports = lags.values.map { ($0.count + 1) / 2 }.max() ?? 1
        return (max(ports, tableII), ScheduleRules.copyDepth + path, lags)
    }

    /// Tensors the outputs read, each with the feature ranges read (compute stages read all of their operands;
    /// glue maps ranges through slices and concatenations).
    static func featureReads(_ plan: HardwarePlan, outputs: [Int], producer: [Int: Int]) -> [Int: [Range<Int>]] {
        var reads = [Int: [Range<Int>]]()
        var work = outputs.reversed().map { ($0, 0..<plan.tensors[$0].width) }
        while let (t, r) = work.popLast() {
            guard !r.isEmpty, !(reads[t] ?? []).contains(where: { $0.lowerBound <= r.lowerBound && r.upperBound <= $0.upperBound }) else { continue }
            reads[t, default: []].append(r)
            guard let k = producer[t] else { continue }
            switch plan.stages[k] {
            case .slice(let i, let start, _):
                work.append((i, (r.lowerBound + start)..<(r.upperBound + start)))
            case .concat(let inputs, _):
                var offset = 0
                for i in inputs {
                    let w = plan.tensors[i].width
                    let lo = max(r.lowerBound, offset), hi = min(r.upperBound, offset + w)
                    if lo < hi { work.append((i, (lo - offset)..<(hi - offset))) }
                    offset += w
                }
            case .activation(let i, _, _), .timeShift(let i, _, _), .copy(let i, _):
                work.append((i, r))
            default:
                for o in operands(of: plan.stages[k]) { work.append((o, 0..<plan.tensors[o].width)) }
            }
        }
        return reads
    }

    static func decoderBody(_ plan: HardwarePlan, _ d: DecoderStage, delays: DelayModel) -> [ScheduleNode] {
        let g = d.generator
        let f = d.factors
        let factors = { (name: String) in dense(name, f, inputBits: g.state.width, countBits: nil, steps: 1, delays: delays) }
        var step = [ScheduleNode]()
        if let c = d.controller, let m = d.coMean {
            step += [.block(name: "controller_input", depth: 1),
                     ScheduleRules.pipeline("controller_x", MatrixShape(c.kernel), accum: c.accum, inputBits: f.function.output.width,
                                            countBits: nil, steps: 1, tail: 0, delays: delays)]
            step += cell(c, delays: delays)
            step += [.block(name: "write_controller", depth: 1),
                     dense("co_mean", m, inputBits: c.state.width, countBits: nil, steps: 1, delays: delays)]
            if let lv = d.coLogvar, let std = d.coStd {
                step += [dense("co_logvar", lv, inputBits: c.state.width, countBits: nil, steps: 1, delays: delays),
                         ScheduleRules.controllerSample(lanes: m.matrix.rows, std: FunctionShape(std), stdBits: std.output.width,
                                                        epsilon: d.coSample?.epsilon, result: d.coSample?.result, delays: delays)]
            }
        }
        // One cycle of copies between products: writing u_t (with a controller) and assembling the generator input.
        step += [.block(name: "generator_input", depth: 1),
                 ScheduleRules.pipeline("generator_x", MatrixShape(g.kernel), accum: g.accum, inputBits: d.generatorInputType.width,
                                        countBits: nil, steps: 1, tail: 0, delays: delays)]
        step += cell(g, delays: delays)
        step += [.block(name: "write_generator", depth: 1), factors("factors"), .block(name: "write_factors", depth: 1)]
        let seed = d.coSample == nil ? [] : [ScheduleRules.gaussSeed(lanes: d.coMean?.matrix.rows ?? 0, delays: delays)]
        return [.block(name: "init", depth: 1), factors("factors_g0")] + seed + [.loop(name: "step", trips: d.steps, body: step)]
    }

    static func assemble(_ plan: HardwarePlan, _ drafts: [Draft], producer: [Int: Int],
                         isLeaf: (Int) -> Bool) -> DesignSchedule {
        // Readers of every leaf: draft indices, and −1 − j for output port j.
        var readers = [Int: [Int]]()
        for (i, d) in drafts.enumerated() {
            for case .leaf(let t) in d.reads { readers[t, default: []].append(i) }
        }
        for (j, t) in plan.ports.enumerated() where isLeaf(t) { readers[t, default: []].append(-1 - j) }
        // The tensor each port carries.
        var portTensor = [String: Int]()
        for (j, t) in plan.ports.enumerated() { portTensor[plan.portName(j)] = t }
        func cName(_ t: Int) -> String { plan.tensors[t].cName }
        /// The channel reader r of leaf t reads.
        func readName(_ t: Int, _ r: Int) -> String {
            let rs = readers[t] ?? []
            if r < 0 { return plan.portName(-1 - r) }
            if rs.count == 1 { return cName(t) }
            return "\(cName(t))_c\(rs.firstIndex(of: r) ?? 0)"
        }
        /// The channel the producer of leaf t writes: a port directly when the port is its only reader.
        func writeName(_ t: Int) -> String {
            let rs = readers[t] ?? []
            if rs.count == 1, let r = rs.first, r < 0 { return plan.portName(-1 - r) }
            return cName(t)
        }
        func name(_ s: Source, reader: Int?) -> String {
            switch s {
            case .leaf(let t): return reader.map { readName(t, $0) } ?? writeName(t)
            case .channel(let c), .port(let c): return c
            }
        }
        var channels = [String: (words: Int, bits: Int, kind: ScheduleChannel.Kind)]()
        func declare(_ n: String, tensor t: Int?, words: Int = 0, bits: Int = 0) {
            if let t = t {
                let x = plan.tensors[t]
                channels[n] = (x.steps, x.width * x.type.width, portTensor[n] != nil || plan.inputs.contains(t) && n == cName(t) ? .port : .pipo)
            } else {
                channels[n] = (words, bits, .pipo)
            }
        }
        var processes = [ScheduleProcess]()
        var writeOrder = [String: Order](), readOrder = [String: Order]()
        /// The order in which reader r (a draft index) reads leaf t.
        func order(of t: Int, reader r: Int) -> Order {
            guard drafts.indices.contains(r) else { return .random }
            let i = drafts[r].reads.firstIndex(of: .leaf(t)) ?? 0
            return drafts[r].readOrders.indices.contains(i) ? drafts[r].readOrders[i] : .random
        }
        func splitIfNeeded(_ t: Int) {
            let rs = readers[t] ?? []
            guard rs.count > 1 else { return }
            let outs = rs.map { readName(t, $0) }
            for o in outs { declare(o, tensor: t) }
            readOrder[cName(t)] = .forward
            for o in outs { writeOrder[o] = .forward }
            var split = ScheduleProcess(work: .split, name: "split_\(cName(t))", inputs: [cName(t)], outputs: outs,
                                        bindings: [t: cName(t)],
                                        body: [.pipeline(name: "copy", trips: plan.tensors[t].steps, ii: 1, depth: ScheduleRules.copyDepth)])
            split.steps = plan.tensors[t].steps
            processes.append(split)
        }
        for t in plan.inputs {
            declare(cName(t), tensor: t)
            splitIfNeeded(t)
        }
        for (i, d) in drafts.enumerated() {
            var bindings = [Int: String]()
            let ins = d.reads.enumerated().map { k, s -> String in
                let n = name(s, reader: i)
                if case .leaf(let t) = s { bindings[t] = n }
                readOrder[n] = d.readOrders.indices.contains(k) ? d.readOrders[k] : .random
                return n
            }
            let outs = d.writes.map { s -> String in
                let n = name(s, reader: nil)
                switch s {
                case .leaf(let t): bindings[t] = n; declare(n, tensor: t)
                case .port(let c): declare(n, tensor: portTensor[c] ?? plan.ports[0])
                case .channel(let c):
                    if case .glue(let o) = d.work {
                        declare(c, tensor: o)
                    } else if case .projection(let k) = d.work, case .gru(let g) = plan.stages[k] {
                        declare(c, tensor: nil, words: plan.tensors[g.input].steps, bits: 3 * g.hidden * g.accum.width)
                    }
                }
                return n
            }
            for (k, n) in outs.enumerated() { writeOrder[n] = d.writeOrders.indices.contains(k) ? d.writeOrders[k] : .random }
            var process = ScheduleProcess(work: d.work, name: d.name, inputs: ins, outputs: outs, bindings: bindings, body: d.body)
            process.steps = d.steps
            process.iterationsPerStep = d.iterationsPerStep
            processes.append(process)
            for case .leaf(let t) in d.writes { splitIfNeeded(t) }
        }
        var producerOf = [String: Int](), consumersOf = [String: [Int]]()
        for (i, p) in processes.enumerated() {
            for o in p.outputs { producerOf[o] = i }
            for n in p.inputs { consumersOf[n, default: []].append(i) }
        }
        let list = channels.keys.sorted().compactMap { n -> ScheduleChannel? in
            guard let c = channels[n] else { return nil }
            // A FIFO when both sides walk the steps in the same order; a ping-pong buffer otherwise.
            var kind = c.kind
            if kind == .pipo, c.words > 1, let w = writeOrder[n], w != .random, readOrder[n] == w { kind = .stream }
            return ScheduleChannel(name: n, kind: kind, words: c.words, wordBits: c.bits,
                                   producer: producerOf[n], consumers: consumersOf[n] ?? [])
        }
        return DesignSchedule(processes: processes, channels: list, trialsPerCall: plan.trialsPerCall)
    }
}
