// `--posterior average:N` in the emitted design: the N samples of a trial run one after another through every
// stage after the sampling (the encoders run once), and one average process per sampled output port turns its N
// samples into their mean. The replica alternative (N copies of the decoder) is not built.
import LFADSIR

extension HardwarePlan {
    /// The plan the printers and the schedule work on when N > 1 posterior samples are averaged: every sampled
    /// tensor holds the trial's N samples one after another (N·T words, sample-major), the sample and decoder
    /// stages loop over the samples (sample s seeding streams trial·N + s), and each sampled port reads an average
    /// stage whose input is the per-sample tensor (renamed `<name>.samples`). Stages downstream of a sample may be
    /// dense layers, glue without time shifts, and decoders; their other operands must not depend on the sample.
    public func averaged() throws -> HardwarePlan {
        let n = posteriorSamples
        guard n > 1, !isAveraged else { return self }
        let refuse = { (what: String) in
            HardwareError.unsupported("\(what) cannot follow a posterior sample averaged over \(n) samples yet (the samples run one after another through dense layers, glue and decoder loops)")
        }
        guard trialsPerCall == 1 else { throw refuse("\(trialsPerCall) trials in flight") }
        var stages = [Stage]()
        for s in self.stages {
            let ins = ScheduleBuilder.operands(of: s), outs = ScheduleBuilder.outputs(of: s)
            let sampledIns = ins.filter { sampledTensors.contains($0) }
            switch s {
            case .sample(var x):
                // Its mean and logvar are read once per sample at words t (they come from the encoders).
                if !sampledIns.isEmpty { throw refuse("posterior sample '\(x.name)' of a sampled value") }
                x.samples = n
                stages.append(.sample(x))
            case .decoder(var d):
                if let o = [d.controllerInput, d.externalInput].compactMap({ $0 }).first(where: { sampledTensors.contains($0) }) {
                    throw refuse("decoder '\(d.name)' input '\(tensors[o].name)' that depends on a sample")
                }
                if d.coSample != nil || sampledTensors.contains(d.g0) { d.samples = n }
                stages.append(.decoder(d))
            case .dense, .activation, .slice, .copy, .concat:
                if !sampledIns.isEmpty, sampledIns.count != ins.count {
                    throw refuse("'\(tensors[outs[0]].name)', which mixes sampled and unsampled operands,")
                }
                stages.append(s)
            case .gru, .lstm, .timeShift, .input, .average:
                if !sampledIns.isEmpty { throw refuse("'\(tensors[outs[0]].name)'") }
                stages.append(s)
            }
        }
        // The emitted loops and indices are 32-bit unsigned: N·T·W words must stay below 2^31.
        for i in sampledTensors where tensors[i].count > Int(Int32.max) / n {
            throw HardwareError.unsupported("'\(tensors[i].name)' averaged over \(n) samples holds over 2^31 words")
        }
        var wide = tensors.enumerated().map { i, t in
            sampledTensors.contains(i)
                ? HWTensor(name: t.name, cName: t.cName, type: t.type, steps: t.steps * n, width: t.width, isSequence: t.isSequence)
                : t
        }
        // Each sampled port: the per-sample tensor is renamed, and a new tensor with the port's names holds the mean.
        var portMap = [Int: Int]()
        var cNames = Set(tensors.map(\.cName)), names = Set(tensors.map(\.name))
        for p in ports where sampledTensors.contains(p) {
            let t = tensors[p]
            var suffix = "samples", k = 1
            while cNames.contains(t.cName + "_" + suffix) || names.contains(t.name + "." + suffix) { k += 1; suffix = "samples\(k)" }
            cNames.insert(t.cName + "_" + suffix)
            names.insert(t.name + "." + suffix)
            wide[p] = HWTensor(name: t.name + "." + suffix, cName: t.cName + "_" + suffix, type: t.type, steps: t.steps * n, width: t.width,
                               isSequence: t.isSequence)
            wide.append(t)
            portMap[p] = wide.count - 1
            stages.append(.average(AverageStage(name: "average_" + String(t.cName.dropFirst(2)), input: p, output: wide.count - 1,
                                                average: PosteriorAverage(samples: n))))
        }
        var plan = HardwarePlan(graphName: graphName, tensors: wide, stages: stages, inputs: inputs,
                                outputs: outputs.map { portMap[$0] ?? $0 }, extraPorts: extraPorts.map { portMap[$0] ?? $0 },
                                countsInput: countsInput, trialsPerCall: trialsPerCall)
        plan.isBatch = isBatch
        plan.posteriorSamples = n
        plan.sampledTensors = sampledTensors
        plan.isAveraged = true
        return plan
    }
}
