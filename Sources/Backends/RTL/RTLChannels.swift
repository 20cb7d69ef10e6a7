// What a process module needs to know of each channel: its words, its element type and how it is accessed.
// Ports are named after the channel: CH_raddrK/CH_rdataK (read port K, combinational; the address's top bit is the
// trial's bank), CH_wtot (words written over all trials, for a FIFO), CH_pdone (trials its producer finished, for a
// ping-pong buffer), CH_cdone (trials its consumer finished) and CH_we/CH_waddr/CH_wdata (the writer).
import LFADSIR

struct RTLChannel {
    var name: String
    var kind: ScheduleChannel.Kind
    var words: Int
    var element: FixedType
    var width: Int
    var producer: Int?

    var wordBits: Int { width * element.width }
    var addressBits: Int { RTLText.bits(for: words) }
    /// An input port of the design: ready from the start of the trial.
    var isInputPort: Bool { kind == .port && producer == nil }
}

extension RTLChannel {
    /// The channels of a schedule with their element types (read from the plan through the processes' bindings).
    static func all(_ schedule: DesignSchedule, plan: HardwarePlan) throws -> [String: RTLChannel] {
        var element = [String: (FixedType, Int)]()
        for t in plan.inputs { element[plan.tensors[t].cName] = (plan.tensors[t].type, plan.tensors[t].width) }
        let primary = plan.tensors[plan.outputs[0]]
        element["out"] = (primary.type, primary.width)
        for p in schedule.processes {
            for (t, c) in p.bindings { element[c] = (plan.tensors[t].type, plan.tensors[t].width) }
            switch p.work {
            case .glue(let o):
                for c in p.outputs { element[c] = (plan.tensors[o].type, plan.tensors[o].width) }
            case .projection(let k):
                if case .gru(let g) = plan.stages[k] { element[p.outputs[0]] = (g.accum, 3 * g.hidden) }
            default: break
            }
        }
        var out = [String: RTLChannel]()
        for c in schedule.channels {
            guard let (type, width) = element[c.name] else {
                throw HardwareError.unsupported("RTL: no element type for channel \(c.name)")
            }
            guard width * type.width == c.wordBits else {
                throw HardwareError.unsupported("RTL: channel \(c.name) is \(c.wordBits) bits per word, its values \(width) × \(type.width)")
            }
            out[c.name] = RTLChannel(name: c.name, kind: c.kind, words: c.words, element: type, width: width, producer: c.producer)
        }
        return out
    }
}
