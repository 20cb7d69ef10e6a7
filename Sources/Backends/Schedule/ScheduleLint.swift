// Emit-time lint of a dataflow design: the rules under which its schedule's numbers hold. Run on every emitted
// project (HLSProject.emit), so every test that emits one checks them; a violation is an internal error naming
// the channel, matrix or pragma, never a silently slow design.
import LFADSIR

public enum ScheduleLint {
    /// Vitis HLS rejects reshaped words wider than this (XFORM 203-133).
    public static let maxReshapeBits = 65_536
    /// Aggregated stream elements wider than this are rejected.
    public static let maxStreamBits = 4_096

    /// Width of the widest weight ROM word of a matrix (lanes × weight bits).
    public static func romWordBits(_ m: QuantizedMatrix) -> Int {
        let shape = MatrixShape(m)
        return m.rows * shape.chunk * m.weightType.width
    }

    /// Matrices of the stages the schedule computes.
    static func matrices(_ schedule: DesignSchedule, _ plan: HardwarePlan) -> [(String, QuantizedMatrix)] {
        var out = [(String, QuantizedMatrix)]()
        for p in schedule.processes {
            switch p.work {
            case .dense(let k):
                if case .dense(let d) = plan.stages[k] { out.append((d.name, d.matrix)) }
            case .projection(let k):
                if case .gru(let g) = plan.stages[k] { out.append((g.name + " input", g.kernel)) }
            case .recurrence(let k):
                if case .gru(let g) = plan.stages[k] {
                    out.append((g.name + " recurrent", g.resetAfter ? (g.recurrentZR.stacked(g.recurrentH) ?? g.recurrentZR) : g.recurrentZR))
                }
            case .decoder(let k):
                if case .decoder(let d) = plan.stages[k] {
                    out += [(d.name + " generator input", d.generator.kernel), (d.name + " factors", d.factors.matrix)]
                    if let c = d.controller { out.append((d.name + " controller input", c.kernel)) }
                    if let m = d.coMean { out.append((d.name + " co_mean", m.matrix)) }
                }
            default: break
            }
        }
        return out
    }

    /// The first rule the design breaks, as a message; nil when it keeps them all.
    public static func violation(_ schedule: DesignSchedule, _ plan: HardwarePlan) -> String? {
        // One writer and one reader per channel (a dataflow channel with fan-out is not canonical).
        var writers = [String: Int](), readers = [String: Int]()
        for p in schedule.processes {
            for o in p.outputs { writers[o, default: 0] += 1 }
            for i in p.inputs { readers[i, default: 0] += 1 }
        }
        for c in schedule.channels {
            if (writers[c.name] ?? 0) > 1 { return "channel '\(c.name)' has \(writers[c.name] ?? 0) writers" }
            if (readers[c.name] ?? 0) > 1 { return "channel '\(c.name)' has \(readers[c.name] ?? 0) readers (fan-out must be a copy process)" }
            if c.kind == .pipo, c.consumers.isEmpty, c.producer == nil { return "channel '\(c.name)' is neither written nor read" }
            if c.wordBits > maxReshapeBits { return "channel '\(c.name)': a \(c.wordBits)-bit word is over the \(maxReshapeBits)-bit reshape limit" }
        }
        for p in schedule.processes {
            for n in p.inputs + p.outputs where !schedule.channels.contains(where: { $0.name == n }) {
                return "process '\(p.name)' uses '\(n)', which is no channel of the region"
            }
        }
        // Latency matrices are partitioned into banks, not reshaped: no word limit (a long csynth instead, F16).
        for (name, m) in matrices(schedule, plan) where m.strategy != .latency && romWordBits(m) > maxReshapeBits {
            return "\(name): weight ROM word of \(romWordBits(m)) bits (reuse \(m.reuse)) is over the \(maxReshapeBits)-bit reshape limit"
        }
        // Processes are listed producers first, so the region's latency is computed in one pass.
        var written = Set(schedule.channels.filter { $0.kind == .port }.map(\.name))
        for p in schedule.processes {
            for i in p.inputs where !written.contains(i) { return "process '\(p.name)' reads '\(i)' before any process writes it" }
            written.formUnion(p.outputs)
        }
        return nil
    }

    /// Pragma arguments in printed text must be literals or static constants (no expressions).
    public static func pragmaViolation(_ files: [String: String]) -> String? {
        for (path, text) in files.sorted(by: { $0.key < $1.key }) where path.hasSuffix(".h") || path.hasSuffix(".cpp") {
            for line in text.split(separator: "\n") where line.contains("LFADS_PRAGMA(HLS ") {
                for key in ["factor = ", "II = ", "depth = ", "distance = "] {
                    guard let r = line.range(of: key) else { continue }
                    let rest = line[r.upperBound...].prefix { $0 != ")" }.split(separator: " ")
                    let arg = rest.first ?? ""
                    let isExpression = rest.count > 1 && ["*", "+", "-", "/", "<<", ">>", "%"].contains(String(rest[1]))
                    if isExpression || !arg.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }) {
                        return "\(path): pragma argument '\(arg)' is an expression: \(line.trimmingCharacters(in: .whitespaces))"
                    }
                }
            }
        }
        return nil
    }
}
