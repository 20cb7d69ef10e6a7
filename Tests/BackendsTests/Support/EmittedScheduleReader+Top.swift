// The top function and the printed process functions of an emitted dataflow project, read into a DesignSchedule.
import Foundation
@testable import Backends
import LFADSIR

extension EmittedScheduleReader {
    /// The schedule the printed code describes, by the same composition rules as the builder.
    func schedule(top: String = "lfads_top") throws -> DesignSchedule {
        guard let cpp = files["firmware/\(top).cpp"], let body = Self.body(of: top, in: cpp) else {
            throw ReadError.malformed("no top function '\(top)'")
        }
        let lines = body.map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.contains("LFADS_PRAGMA(HLS DATAFLOW)") else { throw ReadError.malformed("the top function is not a DATAFLOW region") }
        // Channels: arrays declared in the region (ping-pong) and the top's parameters (ports), one step per word.
        var factor = [String: Int]()
        for l in lines where l.hasPrefix("LFADS_PRAGMA(HLS ARRAY_RESHAPE variable = ") {
            let parts = l.split(separator: " ")
            if let v = parts.firstIndex(of: "variable"), let f = parts.firstIndex(of: "factor") {
                factor[String(parts[v + 2])] = Int(parts[f + 2])
            }
        }
        var arrays = [(name: String, type: String, count: Int, kind: ScheduleChannel.Kind)]()
        for (name, _) in Self.parameters(of: top, in: cpp) ?? [] {
            guard let p = cpp.split(separator: "\n").first(where: { $0.hasPrefix("void \(top)(") }) else { continue }
            for param in Self.split(String(p[p.index(after: p.firstIndex(of: "(")!)..<p.lastIndex(of: ")")!])) where param.hasSuffix("]") {
                let words = param.split(separator: " ")
                let decl = words.last.map(String.init) ?? ""
                guard decl.hasPrefix(name + "[") else { continue }
                arrays.append((name, String(words[words.count - 2]), Int(decl.dropFirst(name.count + 1).dropLast()) ?? 0, .port))
            }
        }
        var calls = [(name: String, targs: [String], args: [String])]()
        var fifoDepth = [String: Int]()
        for l in lines where l.hasPrefix("LFADS_PRAGMA(HLS STREAM variable = ") {
            let parts = l.split(separator: " ")
            if let v = parts.firstIndex(of: "variable"), let d = parts.firstIndex(of: "depth") {
                fifoDepth[String(parts[v + 2])] = Int(parts[d + 2].dropLast())
            }
        }
        var fifos = [String: (type: String, width: Int)]()
        for l in lines where !l.hasPrefix("//") && !l.hasPrefix("LFADS_PRAGMA") {
            if l.hasPrefix("hls::stream<lfads_part<"), let close = l.range(of: "> > ") {
                // hls::stream<lfads_part<T, P, N> > NAME[K];
                let targs = Self.split(String(l[l.index(l.startIndex, offsetBy: 23)..<close.lowerBound]))
                let name = String(l[close.upperBound...].split(separator: "[")[0])
                guard targs.count == 3, let n = Int(targs[2]) else { throw ReadError.malformed("FIFO declaration: \(l)") }
                fifos[name] = (targs[0], n)
            } else if l.hasSuffix("];"), let open = l.firstIndex(of: "["), !l.contains("(") {
                let words = l[..<open].split(separator: " ")
                guard words.count >= 2 else { continue }
                arrays.append((String(words.last!), words.dropLast().joined(separator: " "),
                               Int(l[l.index(after: open)..<l.index(l.endIndex, offsetBy: -2)]) ?? 0, .pipo))
            } else if let c = Self.call(l) {
                calls.append(c)
            } else {
                throw ReadError.malformed("unexpected statement in the dataflow region: \(l)")
            }
        }
        var processes = [ScheduleProcess]()
        let known = Set(arrays.map(\.name)).union(fifos.keys)
        for c in calls { processes.append(try process(c, cpp: cpp, arrays: known)) }
        var producer = [String: Int](), consumers = [String: [Int]]()
        for (i, p) in processes.enumerated() {
            for o in p.outputs { producer[o] = i }
            for n in p.inputs { consumers[n, default: []].append(i) }
        }
        var channels = try arrays.map { a -> ScheduleChannel in
            let width = factor[a.name] ?? 1
            let bits = try elementBits(a.type)
            return ScheduleChannel(name: a.name, kind: a.kind, words: a.count / max(width, 1), wordBits: width * bits,
                                   producer: producer[a.name], consumers: consumers[a.name] ?? [])
        }
        for (name, f) in fifos {
            guard let depth = fifoDepth[name] else { throw ReadError.malformed("FIFO '\(name)' has no STREAM depth") }
            channels.append(ScheduleChannel(name: name, kind: .stream, words: depth, wordBits: f.width * (try elementBits(f.type)),
                                            producer: producer[name], consumers: consumers[name] ?? []))
        }
        channels.sort { $0.name < $1.name }
        // Trials per call, from the printed file's first line ("Generated by ... C trials per call, ...").
        var trials = 1
        if let head = cpp.split(separator: "\n").first, let r = head.range(of: " trials per call") {
            trials = Int(head[..<r.lowerBound].split(separator: " ").last ?? "") ?? 1
        }
        return DesignSchedule(processes: processes, channels: channels, trialsPerCall: trials)
    }

    func elementBits(_ type: String) throws -> Int {
        if let t = types[type] { return t.width }
        // CONFIG::accum_t of a projection channel.
        if type.hasSuffix("::accum_t") { return try fixed(config(String(type.dropLast(9))).typedefs["accum_t"]).width }
        return try FixedType(parsing: type).width
    }

    func process(_ c: (name: String, targs: [String], args: [String]), cpp: String, arrays: Set<String>) throws -> ScheduleProcess {
        func channels(_ names: [String]) -> [String] { names.filter { arrays.contains($0) } }
        switch c.name {
        case "dense_seq_lfads":
            guard c.targs.count == 4, c.args.count == 4, let steps = Int(c.targs[3]) else { throw ReadError.malformed("dense_seq_lfads call") }
            let m = try matrix(c.targs[2])
            let node = ScheduleRules.dense("dense", m.shape, accum: m.accum, inputBits: try fixed(c.targs[0]).width, countBits: m.counts,
                                           steps: steps, activation: try function(config(c.targs[2]).typedefs["activation"]), delays: delays)
            try checkII(node, printed: m.ii, c.targs[2])
            return stepped(ScheduleProcess(work: .split, name: c.targs[2], inputs: [c.args[0]], outputs: [c.args[1]], bindings: [:], body: [node]),
                           steps: steps, perStep: m.shape.reuse)
        case "gru_project_seq_lfads":
            guard c.targs.count == 3, c.args.count == 4, let steps = Int(c.targs[2]) else { throw ReadError.malformed("gru_project_seq_lfads call") }
            let m = try matrix(try config(c.targs[1]).typedefs["mult_x"] ?? "")
            let node = ScheduleRules.pipeline("project", m.shape, accum: m.accum, inputBits: try fixed(c.targs[0]).width, countBits: m.counts,
                                              steps: steps, tail: 1, delays: delays)
            try checkII(node, printed: m.ii, c.targs[1])
            return stepped(ScheduleProcess(work: .split, name: c.targs[1] + "_project", inputs: [c.args[0]], outputs: [c.args[1]], bindings: [:], body: [node]),
                           steps: steps, perStep: m.shape.reuse)
        case "gru_recur_lfads":
            guard c.targs.count == 3, c.args.count >= 3 else { throw ReadError.malformed("gru_recur_lfads call") }
            let (shape, steps, seq) = try cell(c.targs[2])
            return stepped(ScheduleProcess(work: .split, name: c.targs[2] + "_recurrence", inputs: channels([c.args[0], c.args[1]]), outputs: [c.args[2]],
                                           bindings: [:], body: ScheduleRules.recurrence(shape, steps: steps, returnSequences: seq, delays: delays)),
                           steps: steps, perStep: 1)
        case "gru_recur_ctx_lfads":
            guard c.targs.count == 4, c.args.count == 7, let words = Int(c.targs[3]) else { throw ReadError.malformed("gru_recur_ctx_lfads call") }
            let (shape, steps, seq) = try cell(c.targs[2])
            let cfg = try config(c.targs[2])
            let contexts = try int(cfg, "n_contexts"), slots = try int(cfg, "n_slots")
            guard words == 1 || words == contexts else { throw ReadError.malformed("\(c.targs[2]): \(words) initial-state words for \(contexts) trials") }
            let built = ScheduleRules.interleavedRecurrence(shape, steps: steps, contexts: contexts, returnSequences: seq, delays: delays)
            guard built.slots == slots else { throw ReadError.malformed("\(c.targs[2]): printed \(slots) slots, the rules give \(built.slots)") }
            guard try int(cfg, "distance") == contexts * slots else { throw ReadError.malformed("\(c.targs[2]): printed dependence distance is not C·slots") }
            return stepped(ScheduleProcess(work: .split, name: c.targs[2] + "_recurrence", inputs: channels([c.args[0], c.args[1]]), outputs: [c.args[2]],
                                           bindings: [:], body: built.body),
                           steps: steps * contexts, perStep: slots)
        default:
            guard let params = Self.parameters(of: c.name, in: cpp), params.count == c.args.count,
                  let body = Self.body(of: c.name, in: cpp) else { throw ReadError.malformed("no process function '\(c.name)'") }
            // Channels only: a sampling design passes the scalar trial index along.
            let ins = channels(zip(params, c.args).filter { $0.0.isInput }.map(\.1))
            let outs = channels(zip(params, c.args).filter { !$0.0.isInput }.map(\.1))
            let header = cpp.split(separator: "\n").first { $0.hasPrefix("static void \(c.name)(") }.map(String.init) ?? ""
            if c.name.hasPrefix("sample_") {
                let nodes = try sample(body, header: header)
                return stepped(ScheduleProcess(work: .split, name: c.name, inputs: ins, outputs: outs, bindings: [:], body: nodes),
                               steps: sampleSteps(nodes), perStep: 1)
            }
            if c.name.contains("_average_"), body.contains(where: { $0.contains(" r = lfads_from_raw<") }) {
                let (nodes, steps) = try average(body, header: header)
                return stepped(ScheduleProcess(work: .split, name: c.name, inputs: ins, outputs: outs, bindings: [:], body: nodes),
                               steps: steps, perStep: 1)
            }
            let nodes = c.name.hasPrefix("split_") || c.name.hasPrefix("glue_") ? try copyLoop(body) : try decoder(body, cpp: cpp)
            var steps = 1
            for n in nodes {
                if case .pipeline(_, let trips, _, _) = n { steps = trips }
                if case .loop(_, let trips, _) = n { steps = trips }
                // A decoder running N samples: N × its steps.
                if case .loop("samples", let n, let inner) = n, case .loop(_, let trips, _)? = inner.last { steps = n * trips }
            }
            return stepped(ScheduleProcess(work: .split, name: c.name, inputs: ins, outputs: outs, bindings: [:], body: nodes), steps: steps, perStep: 1)
        }
    }

    func stepped(_ p: ScheduleProcess, steps: Int, perStep: Int) -> ScheduleProcess {
        var p = p
        p.steps = steps
        p.iterationsPerStep = perStep
        return p
    }

    func checkII(_ node: ScheduleNode, printed: Int, _ where_: String) throws {
        if case .pipeline(_, _, let ii, _) = node, ii != printed {
            throw ReadError.malformed("\(where_): printed II \(printed), the rules give \(ii)")
        }
    }

    /// A fan-out or glue function: one pipelined loop over the steps; its depth is a read, the chain of functions
    /// of the deepest assignment, a write; its II the printed one, checked against ports and tables.
    func copyLoop(_ body: [String]) throws -> [ScheduleNode] {
        let lines = body.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let loop = lines.first(where: { $0.hasPrefix("for (") && $0.contains("t = 0; t < ") }),
              let trips = Int(loop.components(separatedBy: "t < ")[1].split(separator: ";")[0]),
              let pragma = lines.first(where: { $0.hasPrefix("LFADS_PRAGMA(HLS PIPELINE II = ") }),
              let ii = Int(pragma.dropFirst(31).dropLast(1)) else { throw ReadError.malformed("copy loop") }
        var depth = 0
        var leafSteps = [String: Set<String>]()
        for l in lines where l.hasPrefix("y") && l.contains(" = ") {
            let rhs = String(l[l.range(of: " = ")!.upperBound...])
            var stages = 0
            var rest = rhs[...]
            while let r = rest.range(of: "lfads_apply<") {
                let name = rest[r.upperBound...].split(separator: ",")[0]
                let lanes = 2  // a copy serves two lanes: one table read per cycle
                stages += ScheduleRules.functionStages(try function(String(name)), lanes: lanes)
                rest = rest[r.upperBound...]
            }
            depth = max(depth, stages)
            // Leaf reads: NAME[(T) * W + j...]
            var scan = rhs[...]
            while let b = scan.range(of: "[(") {
                let leaf = scan[..<b.lowerBound].split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).last.map(String.init) ?? ""
                let stepExpr = scan[b.upperBound...].components(separatedBy: ") * ")[0]
                leafSteps[leaf, default: []].insert(stepExpr)
                scan = scan[b.upperBound...]
            }
            if rhs.hasPrefix("x[") { leafSteps["x", default: []].insert("t") }
        }
        let ports = leafSteps.values.map { ($0.count + 1) / 2 }.max() ?? 1
        guard ii >= ports else { throw ReadError.malformed("copy loop reads \(ports * 2) words of one channel per iteration at II \(ii)") }
        return [.pipeline(name: "copy", trips: trips, ii: ii, depth: ScheduleRules.copyDepth + depth)]
    }

    /// A sample process: the seeding loop over the lanes, then the step loop whose II is printed and whose depth
    /// comes from the printed std functor, ε and result types and the lane count.
    func sample(_ body: [String], header: String) throws -> [ScheduleNode] {
        let lines = body.map { $0.trimmingCharacters(in: .whitespaces) }
        func trips(_ prefix: String) -> Int? {
            lines.first { $0.hasPrefix(prefix) }.flatMap { Int($0.components(separatedBy: " < ")[1].split(separator: ";")[0]) }
        }
        let samples = trips("for (unsigned s = 0; s < ") ?? 1
        guard let lanes = trips("for (unsigned j = 0; j < "), let steps = trips("for (unsigned t = 0; t < "),
              let pragma = lines.last(where: { $0.hasPrefix("LFADS_PRAGMA(HLS PIPELINE II = ") }),
              let ii = Int(pragma.dropFirst(31).dropLast(1)),
              let sd = lines.first(where: { $0.hasPrefix("const ") && $0.contains(" sd = lfads_apply<") }),
              let eps = lines.first(where: { $0.hasPrefix("const ") && $0.contains(" eps = lfads_gauss_next<") }),
              lines.contains(where: { $0.hasPrefix("y[") && $0.hasSuffix(" + sd * eps;") }),
              let open = header.firstIndex(of: "("), let close = header.lastIndex(of: ")") else {
            throw ReadError.malformed("sample process")
        }
        let act = String(sd.components(separatedBy: "lfads_apply<")[1].split(separator: ",")[0])
        let std = try function(act)
        let stdType = try FixedType(parsing: String(sd.dropFirst(6).components(separatedBy: " sd = ")[0]))
        let epsilon = try FixedType(parsing: String(eps.dropFirst(6).components(separatedBy: " eps = ")[0]))
        // The result type: y's parameter type.
        guard let yParam = Self.split(String(header[header.index(after: open)..<close]))
            .first(where: { $0.hasSuffix("]") && $0.split(separator: " ").last?.hasPrefix("y[") == true }) else {
            throw ReadError.malformed("sample process has no output y")
        }
        let result = try fixed(String(yParam.split(separator: " ")[0]))
        let nodes = ScheduleRules.sample(lanes: lanes, steps: steps, std: std, stdBits: stdType.width, epsilon: epsilon, result: result,
                                         delays: delays)
        if case .pipeline(_, _, let rulesII, _)? = nodes.last, rulesII != ii {
            throw ReadError.malformed("sample process: printed II \(ii), the rules give \(rulesII)")
        }
        return samples > 1 ? [.loop(name: "samples", trips: samples, body: nodes)] : nodes
    }

    func sampleSteps(_ nodes: [ScheduleNode]) -> Int {
        if case .pipeline(_, let trips, _, _)? = nodes.last { return trips }
        if case .loop(_, let n, let inner)? = nodes.last { return n * sampleSteps(inner) }
        return 1
    }

    /// An average process: its accumulate loop (N·T trips) and scale loop (T trips) with their printed IIs, the sum
    /// type of its buffer and the output type of y; nodes from ScheduleRules.average.
    func average(_ body: [String], header: String) throws -> ([ScheduleNode], steps: Int) {
        let lines = body.map { $0.trimmingCharacters(in: .whitespaces) }
        let iis = lines.filter { $0.hasPrefix("LFADS_PRAGMA(HLS PIPELINE II = ") }.compactMap { Int($0.dropFirst(31).dropLast(1)) }
        let loops = lines.filter { $0.hasPrefix("for (unsigned t = 0; t < ") }.compactMap { Int($0.components(separatedBy: " < ")[1].split(separator: ";")[0]) }
        guard loops.count == 2, case let (total, steps) = (loops[0], loops[1]), steps > 0, total % steps == 0,
              iis.count == 2, let accLine = lines.first(where: { $0.contains(" acc[") && $0.hasSuffix("];") && !$0.contains("=") }),
              let open = header.firstIndex(of: "("), let close = header.lastIndex(of: ")"),
              let y = Self.split(String(header[header.index(after: open)..<close])).last else {
            throw ReadError.malformed("average process: \(lines.count) lines, IIs \(iis), header '\(header)'")
        }
        let sum = try FixedType(parsing: String(accLine.components(separatedBy: " acc[")[0]))
        let result = try fixed(String(y.split(separator: " ")[0]))
        guard let rLine = lines.first(where: { $0.hasPrefix("const ap_ufixed<") && $0.contains(" r = lfads_from_raw<") }),
              let rBits = Int(rLine.dropFirst("const ap_ufixed<".count).split(separator: ",")[0]) else {
            throw ReadError.malformed("average process: no reciprocal")
        }
        let nodes = ScheduleRules.average(samples: total / steps, steps: steps, sumBits: sum.width, reciprocalBits: rBits, result: result,
                                          delays: delays)
        let rulesII = nodes.compactMap { n -> Int? in if case .pipeline(_, _, let ii, _) = n { return ii } else { return nil } }
        guard rulesII == iis else { throw ReadError.malformed("average process: printed IIs \(iis), the rules give \(rulesII)") }
        return (nodes, total)
    }

    /// The controller's std (and sample) function: lanes from its unrolled loop, the std functor and types from
    /// its statements, ε's type from its draw, the sample's type from its output parameter y.
    func controllerSample(_ name: String, cpp: String) throws -> ScheduleNode {
        guard let body = Self.body(of: name, in: cpp),
              let header = cpp.split(separator: "\n").first(where: { $0.hasPrefix("static void \(name)(") }).map(String.init) else {
            throw ReadError.malformed("no function '\(name)'")
        }
        let lines = body.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let loop = lines.first(where: { $0.hasPrefix("for (unsigned k = 0; k < ") }),
              let lanes = Int(loop.components(separatedBy: " < ")[1].split(separator: ";")[0]),
              let sd = lines.first(where: { $0.hasPrefix("sd[k] = lfads_apply<") }) else { throw ReadError.malformed("\(name) body") }
        let targs = Self.split(sd.dropFirst("sd[k] = lfads_apply<".count).components(separatedBy: " >(")[0])
        guard targs.count == 2 else { throw ReadError.malformed("\(name) std call") }
        let std = try function(targs[0])
        let stdType = try fixed(targs[1])
        var epsilon: FixedType?, result: FixedType?
        if let eps = lines.first(where: { $0.hasPrefix("const ") && $0.contains(" eps = lfads_gauss_next<") }) {
            guard lines.contains("y[k] = m[k] + sd[k] * eps;"),
                  let open = header.firstIndex(of: "("), let close = header.lastIndex(of: ")"),
                  let y = Self.split(String(header[header.index(after: open)..<close])).first(where: { $0.hasSuffix("y[\(lanes)]") }) else {
                throw ReadError.malformed("\(name) sample")
            }
            epsilon = try FixedType(parsing: String(eps.dropFirst(6).components(separatedBy: " eps = ")[0]))
            result = try fixed(String(y.dropLast(" y[\(lanes)]".count)))
        }
        return ScheduleRules.controllerSample(lanes: lanes, std: std, stdBits: stdType.width, epsilon: epsilon, result: result, delays: delays)
    }

    /// The decoder loop function: statements before the step loop are one block plus the products they call;
    /// inside the loop, every call is its pipelines (and cell), every run of other statements one cycle.
    func decoder(_ body: [String], cpp: String) throws -> [ScheduleNode] {
        var lines = body.map { $0.trimmingCharacters(in: .whitespaces) }
        // N posterior samples one after another: the whole body in a loop over s.
        var samples = 1
        if let s = lines.firstIndex(where: { $0.hasPrefix("for (unsigned s = 0; s < ") && $0.hasSuffix("{") }),
           let n = Int(lines[s].components(separatedBy: "s < ")[1].split(separator: ";")[0]) {
            samples = n
            lines.removeSubrange(s...s)
            guard lines.last == "}" else { throw ReadError.malformed("decoder samples loop") }
            lines.removeLast()
        }
        guard let loopAt = lines.firstIndex(where: { $0.hasPrefix("for (unsigned t = 0; t < ") && $0.hasSuffix("{") }),
              let steps = Int(lines[loopAt].components(separatedBy: "t < ")[1].split(separator: ";")[0]) else {
            throw ReadError.malformed("decoder loop")
        }
        func calls(_ ls: ArraySlice<String>) throws -> [[ScheduleNode]?] {
            try ls.map { l -> [ScheduleNode]? in
                if l.contains("lfads_gauss_seed(") {
                    guard let n = Int(l.components(separatedBy: "k < ")[1].split(separator: ";")[0]) else { throw ReadError.malformed("seed loop") }
                    return [ScheduleRules.gaussSeed(lanes: n, delays: delays)]
                }
                if let c = Self.call(l), c.name.hasSuffix("_co_std") || c.name.hasSuffix("_co_sample") {
                    return [try controllerSample(c.name, cpp: cpp)]
                }
                guard let c = Self.call(l), c.name == "dense_lfads" || c.name == "gru_step_lfads" else { return nil }
                if c.name == "dense_lfads" {
                    let m = try matrix(c.targs[2])
                    let node = ScheduleRules.dense("dense", m.shape, accum: m.accum, inputBits: try fixed(c.targs[0]).width, countBits: m.counts,
                                                   steps: 1, activation: try function(config(c.targs[2]).typedefs["activation"]), delays: delays)
                    try checkII(node, printed: m.ii, c.targs[2])
                    return [node]
                }
                let cfg = try config(c.targs[1])
                let m = try matrix(cfg.typedefs["mult_x"] ?? "")
                let x = ScheduleRules.pipeline("x", m.shape, accum: m.accum, inputBits: try fixed(c.targs[0]).width, countBits: m.counts,
                                               steps: 1, tail: 0, delays: delays)
                return [x] + ScheduleRules.cell(try cell(c.targs[1]).0, delays: delays)
            }
        }
        let prelude = try calls(lines[..<loopAt]).compactMap { $0 }.flatMap { $0 }
        var step = [ScheduleNode]()
        var inRun = false
        for c in try calls(lines[(loopAt + 1)...].dropLast()) {
            if let nodes = c {
                step += nodes
                inRun = false
            } else if !inRun {
                step.append(.block(name: "copy", depth: 1))
                inRun = true
            }
        }
        let body: [ScheduleNode] = [.block(name: "init", depth: 1)] + prelude + [.loop(name: "step", trips: steps, body: step)]
        return samples > 1 ? [.loop(name: "samples", trips: samples, body: body)] : body
    }
}
