// A call of the emitted design carrying C trials (Graph.trialsInFlight): every channel and port holds the C trials
// step-major (word t·C + c is trial c's step t; a per-trial vector is C words, one per trial), so every process
// but a recurrence walks them as one sequence of C·T steps with unchanged code; a recurrence keeps C states and
// interleaves the trials step by step (ScheduleRules.interleavedRecurrence).
import LFADSIR

extension HardwarePlan {
    /// The plan the schedule and the printers work on: tensors of C·T words, GRU stages with C contexts, time shifts
    /// by lag·C words. The constructs whose time index is not yet the word index (decoder loops, sampling, LSTM) and
    /// GRUs with the reset gate before the product are refused when C > 1.
    public func batched() throws -> HardwarePlan {
        let c = trialsPerCall
        guard c > 1, !isBatch else { return self }
        let refuse = { (what: String) in
            HardwareError.unsupported("\(what) cannot carry \(c) trials per call yet (trials in flight are built for GRU encoders, "
                                      + "dense layers and glue); use --trials-in-flight 1")
        }
        var stages = [Stage]()
        for s in self.stages {
            switch s {
            case .decoder(let d): throw refuse("decoder '\(d.name)'")
            case .sample(let x): throw refuse("posterior sample '\(x.name)'")
            case .lstm(let l): throw refuse("LSTM '\(l.name)'")
            case .timeShift(let i, let lag, let o):
                // Step t − lag of trial c is word (t − lag)·C + c: the word index shifts by lag·C, and the bounds
                // 0 ≤ t − lag < T are those of the word, 0 ≤ w − lag·C < T·C.
                stages.append(.timeShift(input: i, lag: lag * c, output: o))
            case .gru(var g):
                guard g.resetAfter else { throw refuse("GRU '\(g.name)' with its reset gate before the product") }
                g.contexts = c
                stages.append(.gru(g))
            default: stages.append(s)
            }
        }
        let wide = tensors.map { HWTensor(name: $0.name, cName: $0.cName, type: $0.type, steps: $0.steps * c, width: $0.width, isSequence: $0.isSequence) }
        var plan = HardwarePlan(graphName: graphName, tensors: wide, stages: stages, inputs: inputs, outputs: outputs,
                                extraPorts: extraPorts, countsInput: countsInput, trialsPerCall: c)
        plan.isBatch = true
        plan.posteriorSamples = posteriorSamples
        plan.sampledTensors = sampledTensors
        return plan
    }

    /// Values of tensor `t` in one trial (a batched plan's tensors hold the call's C trials).
    public func valuesPerTrial(_ t: HWTensor) -> Int { isBatch ? t.count / trialsPerCall : t.count }
}
