// The LFADS decoder loop (FixedSimulator.runDecoder, statement for statement) as a step machine over the
// schedule's nodes: [init][factors of g0][step × ([controller input, controller x, cell, write, co mean]
// generator input, generator x, cell, write, factors, write)]. Each product is a matrix unit issued at its
// node's offset; each block is one event at its offset.
import LFADSIR

extension RTLProcessEmitter {
    mutating func decoder(_ p: ScheduleProcess, _ d: DecoderStage) throws -> String {
        guard p.body.count == 3, case .block(_, 1) = p.body[0], case .pipeline(_, let f0Trips, let f0II, let f0Depth) = p.body[1],
              case .loop(_, let steps, let stepNodes) = p.body[2], steps == d.steps else {
            throw HardwareError.unsupported("RTL: \(p.name) is not the decoder's [init][factors][step loop]")
        }
        let g = d.generator
        let (h, sw) = (g.hidden, g.state.width)
        let fac = d.factors
        let nf = fac.matrix.rows
        let facT = fac.function.output
        var fs = RTLFunctions()
        var body = [String]()
        var reads = [String: Int]()
        let prefix = 1 + p.body[1].latency
        let stepBody = stepNodes.reduce(0) { $0 + $1.latency }
        let machine = RTLStepMachine(prefix: prefix, steps: steps, body: stepBody, suffix: 0,
                                     ready: try readyExpression(p), avail: "1'b1")
        body += machine.declarations
        let (kb, pb) = (machine.kb, machine.pb)
        var actions = [String]()
        // Inputs: g0, then the controller input and the external input when present.
        var inputs = p.inputs.makeIterator()
        guard let g0Name = inputs.next() else { throw HardwareError.unsupported("RTL: \(p.name) has no g0 input") }
        reads[g0Name] = 1
        body.append("    assign \(g0Name)_raddr0 = 0;")
        let g0T = plan.tensors[d.g0].type
        let g0 = try (0..<h).map { j in try Self.cast(&fs, "\(g0Name)_rdata0[\(j * g0T.width) +: \(g0T.width)]", from: g0T, to: g.state) }
        let ciName = d.controllerInput == nil ? nil : inputs.next()
        let extName = d.externalInput == nil ? nil : inputs.next()
        for n in [ciName, extName].compactMap({ $0 }) {
            reads[n] = 1
            body.append("    assign \(n)_raddr0 = s;")
        }
        // The outputs something reads, by the channel the schedule gives them (the others are not written).
        var outName = [Int: String]()
        for t in [d.factorsOutput, d.generatorStates, d.controllerStates ?? -1, d.coMeans ?? -1] where t >= 0 {
            if let n = p.bindings[t] { outName[t] = n }
        }
        var writes = [String: (cycle: Int, data: String)]()

        body.append("    reg [\(h * sw - 1):0] gs;")
        body.append("    reg [\(nf * facT.width - 1):0] fv;")
        // The factors unit serves the prefix (factors of g0) and every step.
        guard let factorsNode = stepNodes.dropLast().last, case .pipeline(_, let fTrips, let fII, let fDepth) = factorsNode,
              fTrips == f0Trips, fII == f0II, fDepth == f0Depth else {
            throw HardwareError.unsupported("RTL: \(p.name): the factors product differs between prefix and steps")
        }
        let stepFactorsAt = stepBody - 1 - factorsNode.latency
        let (preIssue, preR) = issue(at: 1, trips: f0Trips, ii: f0II, kb: pb, run: "pre", kk: "kq")
        let (runIssue, runR) = issue(at: stepFactorsAt, trips: fTrips, ii: fII, kb: kb)
        let facAcc = try unit(&body, name: p.name + "_fac", fac.matrix, input: g.state, accum: fac.accum, countBits: nil,
                              latency: fDepth - 1, issue: "(\(preIssue) || \(runIssue))", r: "(pre ? \(preR) : \(runR))", x: "gs")
        let facFn = try RTLArith.element(&fs, name: p.name + "_fac_act", fac.function)
        let facWord = try denseWord(&fs, acc: facAcc, fac, fn: facFn, to: facT)
        actions.append("if (pre && kq == \(pb)'d0) gs <= {\(g0.reversed().joined(separator: ", "))};")
        actions.append("if (pre && kq == \(pb)'d\(1 + (f0Trips - 1) * f0II + f0Depth - 1)) fv <= \(facWord);")

        var cursor = 0
        var nodes = stepNodes[...]
        func take() throws -> ScheduleNode {
            guard let n = nodes.popFirst() else { throw HardwareError.unsupported("RTL: \(p.name): the step has fewer nodes than the decoder needs") }
            defer { cursor += n.latency }
            return n
        }
        /// A cell's input product (the next node): its unit issued at the node's offset, its sums held in `into` from
        /// the node's end (where the cell starts) for the cell's gates.
        func projection(_ c: GRUStage, input: FixedType, x: String, into: String, name: String) throws {
            guard case .pipeline(_, let trips, let ii, let depth) = try take() else { throw HardwareError.unsupported("RTL: \(name)") }
            let (iss, r) = issue(at: cursor - ((trips - 1) * ii + depth), trips: trips, ii: ii, kb: kb)
            let acc = try unit(&body, name: name, c.kernel, input: input, accum: c.accum, countBits: nil,
                               latency: depth, issue: iss, r: r, x: x)
            body.append("    reg [\(3 * c.hidden * c.accum.width - 1):0] \(into);")
            actions.append("if (run && kk == \(kb)'d\(cursor)) \(into) <= \(acc);")
        }
        func cellNodes(_ c: GRUStage) throws -> [ScheduleNode] {
            try (0..<(c.resetAfter ? 2 : 4)).map { _ in try take() }
        }
        var u: String?
        if let c = d.controller, let m = d.coMean, let ciName {
            let ci = try channel(ciName)
            guard ci.element == facT else { throw HardwareError.unsupported("RTL: \(p.name): controller input type differs from the factors'") }
            // controller input = ci[t] then the factors.
            let cinBits = (ci.width + nf) * facT.width
            let cinAt = cursor
            _ = try take()
            body.append("    reg [\(cinBits - 1):0] cin;")
            actions.append("if (run && kk == \(kb)'d\(cinAt)) cin <= {fv, \(ciName)_rdata0};")
            try projection(c, input: facT, x: "cin", into: "axc", name: p.name + "_con_x")
            body.append("    reg [\(c.hidden * c.state.width - 1):0] cs;")
            var c0 = [Int64](repeating: 0, count: c.hidden)
            if case .learned(let v) = c.initial {
                guard v.count == c.hidden else { throw HardwareError.unsupported("RTL: \(p.name): \(v.count) controller initial values for \(c.hidden) units") }
                c0 = v
            }
            actions.append("if (pre && kq == \(pb)'d0) cs <= {\(c0.reversed().map { RTLText.literal($0, bits: c.state.width) }.joined(separator: ", "))};")
            let cn = try cellNodes(c)
            let ev = try cell(&body, &fs, prefix: p.name + "_con", c, nodes: cn, at: cursor - cn.reduce(0) { $0 + $1.latency },
                              ax: "axc", hs: "cs", kb: kb)
            actions.append("if (run && kk == \(kb)'d\(ev.updateAt)) cs <= \(ev.next);")
            if let o = d.controllerStates, let n = outName[o] {
                let cw = c.state.width
                let lanes = (0..<c.hidden).map { j in "\(ev.result)(cs[\(j * cw) +: \(cw)])" }
                writes[n] = (cursor, "{\(lanes.reversed().joined(separator: ", "))}")
            }
            _ = try take()  // write_controller
            guard case .pipeline(_, let mt, let mii, let md) = try take() else { throw HardwareError.unsupported("RTL: co_mean") }
            let mAt = cursor - ((mt - 1) * mii + md)
            let (mi, mr) = issue(at: mAt, trips: mt, ii: mii, kb: kb)
            let mAcc = try unit(&body, name: p.name + "_co", m.matrix, input: c.state, accum: m.accum, countBits: nil,
                                latency: md - 1, issue: mi, r: mr, x: "cs")
            let mFn = try RTLArith.element(&fs, name: p.name + "_co_act", m.function)
            let uT = m.function.output
            body.append("    reg [\(m.matrix.rows * uT.width - 1):0] uv;")
            let uWord = try denseWord(&fs, acc: mAcc, m, fn: mFn, to: uT)
            actions.append("if (run && kk == \(kb)'d\(cursor - 1)) uv <= \(uWord);")
            if let o = d.coMeans, let n = outName[o] { writes[n] = (cursor - 1, uWord) }
            u = "uv"
        }
        // generator input: the co means, then the external input (or one zero when the generator has none).
        let ginT = d.generatorInputType
        let ginAt = cursor
        _ = try take()
        var parts = [String]()
        if d.generatorPadded {
            parts = ["\(ginT.width)'d0"]
        } else {
            if let u { parts.append(u) }
            if let extName { parts.append("\(extName)_rdata0") }
        }
        let ginBits = (d.generatorPadded ? 1 : g.kernel.columns) * ginT.width
        body.append("    reg [\(ginBits - 1):0] gin;")
        actions.append("if (run && kk == \(kb)'d\(ginAt)) gin <= {\(parts.reversed().joined(separator: ", "))};")
        try projection(g, input: ginT, x: "gin", into: "axg", name: p.name + "_gen_x")
        let gn = try cellNodes(g)
        let gev = try cell(&body, &fs, prefix: p.name + "_gen", g, nodes: gn, at: cursor - gn.reduce(0) { $0 + $1.latency },
                           ax: "axg", hs: "gs", kb: kb)
        actions.append("if (run && kk == \(kb)'d\(gev.updateAt)) gs <= \(gev.next);")
        if let n = outName[d.generatorStates] {
            let lanes = (0..<h).map { j in "\(gev.result)(gs[\(j * sw) +: \(sw)])" }
            writes[n] = (cursor, "{\(lanes.reversed().joined(separator: ", "))}")
        }
        _ = try take()  // write_generator
        guard case .pipeline = try take() else { throw HardwareError.unsupported("RTL: factors") }
        guard cursor - 1 - ((fTrips - 1) * fII + fDepth - 1) == stepFactorsAt else {
            throw HardwareError.unsupported("RTL: \(p.name): factors offset")
        }
        actions.append("if (run && kk == \(kb)'d\(cursor - 1)) fv <= \(facWord);")
        if let n = outName[d.factorsOutput] { writes[n] = (cursor, "fv") }
        _ = try take()  // write_factors
        guard nodes.isEmpty, cursor == stepBody else { throw HardwareError.unsupported("RTL: \(p.name): unexpected step nodes") }
        for n in p.outputs {
            guard let w = writes[n] else { throw HardwareError.unsupported("RTL: \(p.name): output \(n) is never written") }
            body.append("    assign \(n)_we = run && kk == \(kb)'d\(w.cycle);")
            body.append("    assign \(n)_waddr = s;")
            body.append("    assign \(n)_wdata = \(w.data);")
        }
        body += machine.always(actions)
        return try moduleText(p, reads: reads, fs, body)
    }

    /// act(acc) lane by lane, cast to `type` when the function's output differs.
    func denseWord(_ fs: inout RTLFunctions, acc: String, _ d: DenseStage, fn: String, to type: FixedType) throws -> String {
        let aw = d.accum.width
        let lanes = try (0..<d.matrix.rows).map { o -> String in
            var e = "\(acc)[\(o * aw) +: \(aw)]"
            if d.function.input != d.accum { e = try Self.cast(&fs, e, from: d.accum, to: d.function.input) }
            e = "\(fn)(\(e))"
            if d.function.output != type { e = try Self.cast(&fs, e, from: d.function.output, to: type) }
            return e
        }
        return "{\(lanes.reversed().joined(separator: ", "))}"
    }
}
