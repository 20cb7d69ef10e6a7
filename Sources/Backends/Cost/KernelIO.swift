// The Vitis kernel's I/O term: each trial's inputs and output ports cross m_axi as 512-bit beats of raw codes,
// one beat per cycle, in a load → compute → store dataflow loop over trials. A step of a tensor takes
// ⌈width / lanes⌉ beats (lanes = ⌊512 / bits⌋ codes of the tensor's type), so the load process writes whole step
// words of the top function's ports (reshaped one step per word) and needs no shifter across steps.
// Not wired into CostModel.estimate: a kernel-level figure, printed with the emitted project.
import LFADSIR

public struct KernelIO: Hashable, Sendable {
    public static let beatBits = 512

    /// One tensor crossing the kernel boundary, and where its beats sit in a trial's block of beats.
    public struct Port: Hashable, Sendable {
        public let name: String
        public let steps: Int
        /// Values per step.
        public let width: Int
        /// Bits per code: the width of the tensor's fixed-point type.
        public let bits: Int
        /// Index of its first beat within the trial's input (or output) block.
        public let firstBeat: Int

        /// Codes per beat; code k of a beat occupies bits [k·bits, (k+1)·bits).
        public var lanes: Int { KernelIO.beatBits / bits }
        public var beatsPerStep: Int { (width + lanes - 1) / lanes }
        public var beats: Int { steps * beatsPerStep }
    }

    public let inputs: [Port]
    /// The output ports in order (the primary output, then any `--outputs` extras), one after another in a
    /// trial's output block.
    public let outputs: [Port]
    /// The primary output.
    public var output: Port { outputs[0] }

    /// Shapes as (name, steps, width, bits); bits must be in 1...64 (every FixedType is), sizes positive.
    public init(inputs: [(name: String, steps: Int, width: Int, bits: Int)], output: (name: String, steps: Int, width: Int, bits: Int)) {
        self.init(inputs: inputs, outputs: [output])
    }

    /// As above with several outputs (at least one).
    public init(inputs: [(name: String, steps: Int, width: Int, bits: Int)], outputs: [(name: String, steps: Int, width: Int, bits: Int)]) {
        func block(_ shapes: [(name: String, steps: Int, width: Int, bits: Int)]) -> [Port] {
            var ports = [Port](), next = 0
            for i in shapes {
                let p = Port(name: i.name, steps: i.steps, width: i.width, bits: i.bits, firstBeat: next)
                ports.append(p)
                next += p.beats
            }
            return ports
        }
        self.inputs = block(inputs)
        self.outputs = block(outputs.isEmpty ? [(name: "", steps: 0, width: 0, bits: 1)] : outputs)
    }

    /// The graph inputs in graph order and the design's output ports, each at its type's width.
    /// Per trial, also for a batched plan (whose tensors hold C trials).
    public init(plan: HardwarePlan) {
        let c = plan.isBatch ? plan.trialsPerCall : 1
        let shape = { (t: HWTensor) in (name: t.name, steps: t.steps / c, width: t.width, bits: t.type.width) }
        self.init(inputs: plan.inputs.map { shape(plan.tensors[$0]) }, outputs: plan.ports.map { shape(plan.tensors[$0]) })
    }

    /// Input beats of one trial (its block size in the input buffer).
    public var beatsIn: Int { inputs.reduce(0) { $0 + $1.beats } }
    /// Output beats of one trial.
    public var beatsOut: Int { outputs.reduce(0) { $0 + $1.beats } }

    /// Cycles of the load and store processes per trial at one beat per cycle. Pipeline fill (a few cycles per
    /// loop) and the m_axi/HBM latency of the first burst of a call are not included.
    public var loadCycles: Int { beatsIn }
    public var storeCycles: Int { beatsOut }

    /// One trial alone: the processes run in sequence (a ping-pong buffer is handed over when its producer ends).
    public func latency(computeLatency: Int) -> Int { loadCycles + computeLatency + storeCycles }

    /// Steady state with n_trials > 1: load of trial i+1 and store of trial i−1 overlap compute of trial i, so a
    /// trial leaves every `interval` cycles, the slowest process's.
    public func interval(computeInterval: Int) -> Int { max(loadCycles, computeInterval, storeCycles) }

    /// A call with `trials` trials: the first trial's latency, then one interval per further trial.
    public func cycles(trials: Int, computeLatency: Int, computeInterval: Int) -> Int {
        trials <= 0 ? 0 : latency(computeLatency: computeLatency) + (trials - 1) * interval(computeInterval: computeInterval)
    }
}
