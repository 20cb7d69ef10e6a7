// The schedule of an emitted design: dataflow processes, the channels between them and each process's loop tree.
// The HLS printer prints it (process calls, channel arrays, trip counts, II and depth constants) and the cost
// model prices it with the rules below; a test re-reads the printed C++ and must arrive at the same numbers.
//
// Rules (UG1399 "Optimizing for Throughput"/"Loops Primer", and Calyx's static-latency composition):
// - a pipelined loop of N iterations at interval II with iteration latency D costs (N − 1)·II + D;
// - a loop that is not pipelined costs N·(body + 1): its body's children in sequence plus one cycle of loop
//   control per iteration (the exit test);
// - children of a body run in sequence and add;
// - a straight-line block (unrolled logic) costs its depth;
// - a dataflow region of processes linked by ping-pong (PIPO) channels and FIFOs: a process starts when every
//   producer of its PIPO inputs has finished; a FIFO word (one step) is available when its producer wrote it.
//   A pipelined process starts step t's first iteration at max(previous start + R·II, arrival of word t) and
//   writes word t (R − 1)·II + depth later; a step loop starts step t at max(previous start + body + 1, arrival
//   of word t) and writes word t at the end of its body. FIFOs hold a whole sequence, so a producer never waits
//   for its consumer. Successive trials overlap, so the interval is the slowest process's own latency.

/// One node of a process's loop tree.
public indirect enum ScheduleNode: Hashable, Sendable {
    /// `trips` iterations at `ii`, each `depth` cycles from start to end.
    case pipeline(name: String, trips: Int, ii: Int, depth: Int)
    /// A rolled loop: `trips` times the body in sequence plus one cycle per iteration.
    case loop(name: String, trips: Int, body: [ScheduleNode])
    /// Unrolled logic of fixed depth.
    case block(name: String, depth: Int)

    public var latency: Int {
        switch self {
        case .pipeline(_, let n, let ii, let d): return n > 0 ? (n - 1) * ii + d : 0
        case .loop(_, let n, let body): return n * (body.reduce(0) { $0 + $1.latency } + 1)
        case .block(_, let d): return d
        }
    }

    public var name: String {
        switch self {
        case .pipeline(let n, _, _, _), .loop(let n, _, _), .block(let n, _): return n
        }
    }
}

/// An array between processes (double-buffered, one word per step) or a top-level port.
public struct ScheduleChannel: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A ping-pong buffer inside the dataflow region.
        case pipo
        /// A top-level argument (an input or the output).
        case port
        /// A FIFO of whole steps, `words` deep, split into parts of at most 4,096 bits (Vitis's stream limit).
        case stream
    }
    /// The C name of the array.
    public var name: String
    public var kind: Kind
    /// Words (steps) × bits per word: the array is reshaped so that one step is one word.
    public var words: Int
    public var wordBits: Int
    /// Index of the process that writes it (nil for an input port).
    public var producer: Int?
    /// Indices of the processes that read it (at most one: fan-out is an explicit copy process).
    public var consumers: [Int]
}

/// A dataflow process: one function call in the top-level region.
public struct ScheduleProcess: Hashable, Sendable {
    /// What the process computes, as the printer needs it (indices into the HardwarePlan).
    public enum Work: Hashable, Sendable {
        /// Copies channel `inputs[0]` word by word into every channel of `outputs` (explicit fan-out).
        case split
        /// Element-wise functions, concatenations, slices, time shifts and copies ending at tensor `output`,
        /// read from the leaf tensors in `bindings`.
        case glue(output: Int)
        case dense(stage: Int)
        /// The input projection of every step of a GRU, ahead of its recurrence.
        case projection(stage: Int)
        case recurrence(stage: Int)
        case decoder(stage: Int)
        /// A gaussian posterior sample: its lanes' sources seeded, then mean + std·ε for every step.
        case sample(stage: Int)
        /// `--posterior average:N`: the N samples of an output summed into a buffer, then scaled by 1/N.
        case average(stage: Int)
    }

    public var work: Work
    /// A readable, unique C identifier (the layer it computes and its role).
    public var name: String
    /// Channels read and written, in the order of the printed call's arguments.
    public var inputs: [String]
    public var outputs: [String]
    /// Which channel carries each plan tensor this process reads or writes.
    public var bindings: [Int: String]
    public var body: [ScheduleNode]
    /// Steps of its stream channels and, for a single pipelined loop, its iterations per step (reuse).
    public var steps = 1
    public var iterationsPerStep = 1

    public var latency: Int { body.reduce(0) { $0 + $1.latency } }
}

/// Timing of one process inside the region.
public struct ProcessTiming: Hashable, Sendable {
    public var start: Int
    public var end: Int
}

public struct DesignSchedule: Hashable, Sendable {
    public var processes: [ScheduleProcess]
    public var channels: [ScheduleChannel]
    /// Trials one call carries (Graph.trialsInFlight): latency is the call's, interval per trial the call's / C.
    public var trialsPerCall = 1

    /// Start and end of every process in one trial (processes are listed producers first).
    public var timings: [ProcessTiming] { simulate().timings }

    /// Per process its start and end, and per FIFO channel the cycle each word is written.
    func simulate() -> (timings: [ProcessTiming], words: [String: [Int]]) {
        let kinds = Dictionary(channels.map { ($0.name, $0.kind) }, uniquingKeysWith: { a, _ in a })
        var ends = [String: Int]()
        var words = [String: [Int]]()
        var out = [ProcessTiming]()
        for p in processes {
            let ready = p.inputs.filter { kinds[$0] != .stream }.map { ends[$0] ?? 0 }.max() ?? 0
            let streams = p.inputs.filter { kinds[$0] == .stream }
            // Arrival of each step's input words (0 when nothing streams in).
            let arrival = (0..<max(1, p.steps)).map { t in streams.map { words[$0]?[min(t, (words[$0]?.count ?? 1) - 1)] ?? 0 }.max() ?? 0 }
            var written = [Int]()
            var start = ready, end = ready
            // One pipelined loop of R iterations per step — alone, or an interleaved recurrence's "step" pipeline
            // between its C initial-state and C final-state cycles.
            let stepLoop = p.body.count == 1 ? 0 : p.body.firstIndex { if case .pipeline("step", _, _, _) = $0 { return true } else { return false } }
            if let k = stepLoop, case .pipeline(_, let trips, let ii, let depth) = p.body[k], p.steps > 0, trips == p.steps * p.iterationsPerStep {
                let r = p.iterationsPerStep
                let prefix = p.body[..<k].reduce(0) { $0 + $1.latency }
                let suffix = p.body[(k + 1)...].reduce(0) { $0 + $1.latency }
                var first = Int.min
                for t in 0..<p.steps {
                    let s = max(first == Int.min ? ready + prefix : first + r * ii, arrival[t])
                    if t == 0 { start = k == 0 ? s : ready }
                    first = s
                    written.append(s + (r - 1) * ii + depth)
                }
                end = (written.last ?? ready + prefix) + suffix
            } else if let k = p.body.firstIndex(where: { if case .loop = $0 { return true } else { return false } }),
                      case .loop(_, let trips, let inner) = p.body[k], trips == p.steps {
                // Blocks before the step loop, the loop (step t waits for word t), blocks after.
                let prefix = p.body[..<k].reduce(0) { $0 + $1.latency }
                let suffix = p.body[(k + 1)...].reduce(0) { $0 + $1.latency }
                let body = inner.reduce(0) { $0 + $1.latency }
                var s = ready + prefix
                start = ready
                for t in 0..<trips {
                    s = t == 0 ? max(s, arrival[t]) : max(s + body + 1, arrival[t])
                    written.append(s + body)
                }
                end = trips > 0 ? s + body + 1 + suffix : ready + prefix + suffix
            } else {
                // Anything else waits for every input word and writes at its end.
                start = max(ready, arrival.max() ?? 0)
                end = start + p.latency
                written = Array(repeating: end, count: max(1, p.steps))
            }
            for o in p.outputs {
                ends[o] = end
                if kinds[o] == .stream { words[o] = written }
            }
            out.append(ProcessTiming(start: start, end: end))
        }
        return (out, words)
    }

    /// Cycles from the start of a trial to its last output.
    public var latency: Int { timings.map(\.end).max() ?? 0 }

    /// Cycles between the starts of successive calls: the slowest process.
    public var interval: Int { processes.map(\.latency).max() ?? 0 }

    /// Cycles between successive trials on average: a call's interval over the trials it carries, rounded up.
    public var intervalPerTrial: Int { (interval + trialsPerCall - 1) / max(1, trialsPerCall) }
}

extension ScheduleNode {
    func text(indent: String) -> [String] {
        switch self {
        case .pipeline(let n, let trips, let ii, let d):
            return ["\(indent)pipeline \(n): \(trips) × II \(ii), depth \(d) = \(latency)"]
        case .loop(let n, let trips, let body):
            return ["\(indent)loop \(n): \(trips) × (\(body.reduce(0) { $0 + $1.latency }) + 1) = \(latency)"]
                + body.flatMap { $0.text(indent: indent + "  ") }
        case .block(let n, let d):
            return ["\(indent)block \(n): \(d)"]
        }
    }
}

extension DesignSchedule {
    /// The schedule as text: processes in order with their start, end and loop trees, then the channels.
    public var text: String {
        let t = timings
        var lines = ["dataflow: latency \(latency) cycles, interval \(interval) cycles"
                     + (trialsPerCall > 1 ? " per call of \(trialsPerCall) trials (\(intervalPerTrial) per trial)" : "")]
        for (i, p) in processes.enumerated() {
            lines.append("process \(p.name) [\(t[i].start), \(t[i].end)) reads \(p.inputs.joined(separator: ", ")) writes \(p.outputs.joined(separator: ", "))")
            lines += p.body.flatMap { $0.text(indent: "  ") }
        }
        for c in channels {
            lines.append("channel \(c.name): \(c.kind) \(c.words) × \(c.wordBits) bits")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
