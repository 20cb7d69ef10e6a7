// The word a glue process writes: element-wise functions, concatenations, slices and time shifts of its leaf
// channels, read at the step's lags (one read port per distinct lag), exactly as DataflowEmitter's glue prints
// them (the same implicit casts where a value meets a type).
import LFADSIR

extension RTLProcessEmitter {
    /// A piece of the output: `count` features from `start`, of `type`, feature j's Verilog expression.
    private struct Segment {
        var start: Int
        var count: Int
        var type: FixedType
        var value: (Int) -> String
    }

    /// The lags (step offsets) at which a glue process reads each leaf channel, in first-use order: one read port each.
    static func glueLags(_ p: ScheduleProcess, output o: Int, plan: HardwarePlan) -> [String: [Int]] {
        let producer = plan.producers
        var lags = [String: [Int]]()
        func collect(_ t: Int, lag: Int) {
            if let c = p.bindings[t] {
                if !(lags[c] ?? []).contains(lag) { lags[c, default: []].append(lag) }
                return
            }
            guard let k = producer[t] else { return }
            switch plan.stages[k] {
            case .activation(let i, _, _), .copy(let i, _), .slice(let i, _, _): collect(i, lag: lag)
            case .timeShift(let i, let l, _): collect(i, lag: lag + l)
            case .concat(let inputs, _): for i in inputs { collect(i, lag: lag) }
            default: break
            }
        }
        collect(o, lag: 0)
        return lags
    }

    mutating func glueWord(_ p: ScheduleProcess, output o: Int, _ fs: inout RTLFunctions,
                           _ body: inout [String]) throws -> (String, [String: Int]) {
        let producer = plan.producers
        let lags = Self.glueLags(p, output: o, plan: plan)
        body.append("    wire signed [31:0] tt = $signed({1'b0, s_i});")
        for (c, ls) in lags.sorted(by: { $0.key < $1.key }) {
            let ch = try channel(c)
            for (k, l) in ls.enumerated() {
                if ch.kind == .stream && l != 0 { throw HardwareError.unsupported("RTL: FIFO \(c) read at lag \(l)") }
                body.append("    assign \(c)_raddr\(k) = tt - \(l);")
            }
        }
        var failure: Error?
        var functionCells = RTLCells()
        func segments(_ t: Int, lag: Int) -> [Segment] {
            let x = plan.tensors[t]
            if let c = p.bindings[t] {
                let k = lags[c]?.firstIndex(of: lag) ?? 0
                let w = x.type.width
                return [Segment(start: 0, count: x.width, type: x.type) { j in "\(c)_rdata\(k)[\(j * w) +: \(w)]" }]
            }
            guard let k = producer[t] else { return [] }
            do {
                switch plan.stages[k] {
                case .activation(let i, let out, let f):
                    let fn = try RTLArith.element(&fs, name: "L\(k)_act", f)
                    let yType = plan.tensors[out].type
                    var result = [Segment]()
                    for s in segments(i, lag: lag) {
                        functionCells = functionCells + RTLCostModel.registeredFunction(f, inputBits: s.type.width) * s.count
                        let toInput = s.type == f.input ? nil : Self.castName(s.type, f.input)
                        if toInput != nil { _ = try Self.cast(&fs, "", from: s.type, to: f.input) }
                        let toY = f.output == yType ? nil : Self.castName(f.output, yType)
                        if toY != nil { _ = try Self.cast(&fs, "", from: f.output, to: yType) }
                        result.append(Segment(start: s.start, count: s.count, type: yType) { j in
                            var e = s.value(j)
                            if let c = toInput { e = "\(c)(\(e))" }
                            e = "\(fn)(\(e))"
                            if let c = toY { e = "\(c)(\(e))" }
                            return e
                        })
                    }
                    return result
                case .copy(let i, _):
                    return segments(i, lag: lag)
                case .concat(let inputs, _):
                    var out = [Segment](), offset = 0
                    for i in inputs {
                        out += segments(i, lag: lag).map { s in Segment(start: s.start + offset, count: s.count, type: s.type, value: s.value) }
                        offset += plan.tensors[i].width
                    }
                    return out
                case .slice(let i, let start, let out):
                    let w = plan.tensors[out].width
                    return segments(i, lag: lag).compactMap { s in
                        let a = max(s.start, start), b = min(s.start + s.count, start + w)
                        guard a < b else { return nil }
                        return Segment(start: a - start, count: b - a, type: s.type) { j in s.value(j + a - s.start) }
                    }
                case .timeShift(let i, let l, let out):
                    let y = plan.tensors[out]
                    let total = lag + l
                    var result = [Segment]()
                    for s in segments(i, lag: total) {
                        let c = s.type == y.type ? nil : Self.castName(s.type, y.type)
                        if c != nil { _ = try Self.cast(&fs, "", from: s.type, to: y.type) }
                        let w = y.type.width
                        result.append(Segment(start: s.start, count: s.count, type: y.type) { j in
                            let v = c.map { "\($0)(\(s.value(j)))" } ?? s.value(j)
                            return "((tt - \(total) >= 0 && tt - \(total) < \(y.steps)) ? \(v) : \(w)'d0)"
                        })
                    }
                    return result
                default:
                    return []
                }
            } catch {
                failure = error
                return []
            }
        }
        let y = plan.tensors[o]
        var features = [String](repeating: "\(y.type.width)'d0", count: y.width)
        for s in segments(o, lag: 0) {
            let c = s.type == y.type ? nil : try Self.cast(&fs, "", from: s.type, to: y.type)
            for j in 0..<s.count where s.start + j < y.width {
                let v = s.value(j)
                features[s.start + j] = c == nil ? v : "\(Self.castName(s.type, y.type))(\(v))"
            }
        }
        if let failure { throw failure }
        processCells[p.name, default: RTLCells()] = processCells[p.name, default: RTLCells()] + functionCells
        return ("{\(features.reversed().joined(separator: ", "))}", lags.mapValues(\.count))
    }
}
