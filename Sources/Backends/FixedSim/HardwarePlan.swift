// The quantised graph both the simulator and the HLS emitter execute: tensors with one fixed-point type each,
// weights as raw codes, activations resolved to ElementFunction. Building it once and sharing it is what keeps
// the two bit-identical (the emitter prints exactly these codes and these casts).
import LFADSIR

/// One value of the graph in hardware: `steps` × `width` codes of `type` (steps is 1 for a vector).
public struct HWTensor: Hashable, Sendable {
    /// IR value name.
    public let name: String
    /// A C identifier unique in the project.
    public let cName: String
    public let type: FixedType
    public let steps: Int
    public let width: Int
    public let isSequence: Bool

    public var count: Int { steps * width }
}

/// y = W·x + b computed in an accumulator: W [rows × columns] row-major and b as raw codes of their types.
public struct QuantizedMatrix: Hashable, Sendable {
    public private(set) var rows: Int
    public let columns: Int
    public let weightType: FixedType
    public private(set) var weights: [Int64]
    public let biasType: FixedType
    public private(set) var bias: [Int64]
    /// Strategy and (legalised) reuse factor of this product.
    public let strategy: Strategy
    public let reuse: Int

    init(weight: Matrix, rows: Range<Int>, bias: [Double]?, weightType: FixedType, biasType: FixedType,
         strategy: Strategy, reuse: Int) {
        self.rows = rows.count
        self.columns = weight.columns
        self.weightType = weightType
        self.biasType = biasType
        var w = [Int64]()
        if HardwarePlan.shapesOnly {
            self.bias = []
        } else {
            w.reserveCapacity(rows.count * weight.columns)
            for r in rows { for c in 0..<weight.columns { w.append(weightType.cast(weight[r, c]).raw) } }
            self.bias = rows.map { r in bias.map { biasType.cast($0[r]).raw } ?? 0 }
        }
        self.weights = w
        self.strategy = strategy
        // Every schedule splits the inputs into `reuse` chunks (the latency strategy's too: its reuse is the chunk
        // pipeline's, not hls4ml's sharing of multipliers across rows): more chunks than inputs is meaningless.
        self.reuse = min(max(1, reuse), max(1, weight.columns))
    }
}

extension QuantizedMatrix {
    /// The rows of `self` then the rows of `other` as one matrix (same columns, types, strategy and reuse): every
    /// row's sum is unchanged, so one product computes both. nil when they cannot be stacked.
    public func stacked(_ other: QuantizedMatrix) -> QuantizedMatrix? {
        guard columns == other.columns, weightType == other.weightType, biasType == other.biasType,
              strategy == other.strategy, reuse == other.reuse else { return nil }
        var m = self
        m.rows += other.rows
        m.weights += other.weights
        m.bias += other.bias
        return m
    }
}

public struct DenseStage: Hashable, Sendable {
    public let name: String
    public let input: Int
    public let output: Int
    public let matrix: QuantizedMatrix
    public let accum: FixedType
    public let function: ElementFunction
}

public struct GRUStage: Hashable, Sendable {
    public enum Initial: Hashable, Sendable {
        case zeros
        /// Raw codes of the state type.
        case learned([Int64])
        /// A tensor cast to the state type.
        case operand(Int)
    }

    public let name: String
    public let input: Int
    public let output: Int
    public let hidden: Int
    public let resetAfter: Bool
    public let reverse: Bool
    public let returnSequences: Bool
    /// Input kernel [3H × in] in canonical z, r, h row order, with the input bias (update bias folded in).
    public let kernel: QuantizedMatrix
    /// Recurrent rows of z and r [2H × H] with their recurrent bias.
    public let recurrentZR: QuantizedMatrix
    /// Recurrent rows of the candidate [H × H] with its recurrent bias.
    public let recurrentH: QuantizedMatrix
    public let accum: FixedType
    public let gate: ElementFunction
    public let candidate: ElementFunction
    public let state: FixedType
    public let result: FixedType
    /// The clip bound as a state code (state.cast(clip)), nil for none.
    public let clip: Int64?
    public let initial: Initial
    /// Trials interleaved in this recurrence (HardwarePlan.batched): 1 in the plan the simulator runs.
    public internal(set) var contexts = 1
}

/// A Keras LSTM over a sequence from h = 0, c = 0 (docs/hardware-numerics.md, "LSTM step").
public struct LSTMStage: Hashable, Sendable {
    public let name: String
    public let input: Int
    public let output: Int
    public let hidden: Int
    public let reverse: Bool
    public let returnSequences: Bool
    /// Input kernel [4H × in], rows i, f, c, o (Keras order), with the bias.
    public let kernel: QuantizedMatrix
    /// Recurrent kernel [4H × H], same row order, zero bias.
    public let recurrent: QuantizedMatrix
    public let accum: FixedType
    /// i, f, o: accum → gate type.
    public let gate: ElementFunction
    /// c̃: accum → activation type.
    public let candidate: ElementFunction
    /// act(c): cell-state type → activation type (the same function and table as the candidate).
    public let cellActivation: ElementFunction
    public let cell: FixedType
    public let state: FixedType
    public let result: FixedType
    /// The layer asked for the lfads strategy, which has no LSTM schedule: it runs the resource schedule.
    public let strategyFallback: Bool
}

/// The LFADS decoder loop (LFADSDecoderLayer): per step the controller (optional) on [ci_t, f_{t−1}], u_t from
/// co_mean on its state, the generator on [u_t, ext_t] (a single zero when it has no input), factors on its state.
/// g = (state)g0 and f_{−1} = factors(g) before the loop; the cells' `input`/`output` fields are unused.
public struct DecoderStage: Hashable, Sendable {
    public let name: String
    public let steps: Int
    public let g0: Int
    public let controllerInput: Int?
    public let externalInput: Int?
    public let generator: GRUStage
    /// Type of the generator's input vector [u_t, ext_t] (or of its single zero).
    public let generatorInputType: FixedType
    /// True when the generator has no input and reads one zero instead (its kernel has one zero column).
    public let generatorPadded: Bool
    public let factors: DenseStage
    public let controller: GRUStage?
    public let coMean: DenseStage?
    public let factorsOutput: Int
    public let generatorStates: Int
    public let controllerStates: Int?
    public let coMeans: Int?
    /// The controller's co_logvar product and std = exp table at co_logvar/2 (present with co_stds or sampling).
    public let coLogvar: DenseStage?
    public let coStd: ElementFunction?
    public let coStds: Int?
    /// The controller-output sample u_t = (result)(co_mean + std·ε), when the controller samples.
    public let coSample: ControllerSample?
    /// Posterior samples run one after another per trial (`averaged()`).
    public internal(set) var samples = 1
}

/// u_t = (result)(co_mean + std·ε): ε from lanes `laneBase + k` of the trial's on-chip source, cast to `epsilon`.
public struct ControllerSample: Hashable, Sendable {
    /// Controller lanes start here so they never meet the initial condition's lanes (0, 1, …).
    public static let laneBase: UInt64 = 1 << 32
    public let seed: UInt64
    public let epsilon: FixedType
    public let result: FixedType
}

/// A posterior sample mean + exp(logvar/2)·ε (docs/hardware-numerics.md, "Gaussian source"). Feature j of the
/// operands is lane j of the trial's on-chip source; step t of a sequence takes the lane's t-th draw.
public struct SampleStage: Hashable, Sendable {
    /// The IR node's name.
    public let name: String
    public let mean: Int
    public let logvar: Int
    public let output: Int
    public let seed: UInt64
    /// exp read at logvar/2: its input type is logvar's with one more fraction bit (the same code, halved).
    public let std: ElementFunction
    public let epsilon: FixedType
    public let result: FixedType
    /// Posterior samples drawn one after another per trial (`averaged()`): sample s seeds streams trial·N + s.
    public internal(set) var samples = 1
}

/// `--posterior average:N` in the emitted design: the N samples of a sampled output (sample-major, N·T words) into
/// their mean (T words), as PosteriorAverage computes it.
public struct AverageStage: Hashable, Sendable {
    public let name: String
    public let input: Int
    public let output: Int
    public let average: PosteriorAverage
}

public enum Stage: Hashable, Sendable {
    case decoder(DecoderStage)
    case input(output: Int)
    case dense(DenseStage)
    case gru(GRUStage)
    case lstm(LSTMStage)
    case activation(input: Int, output: Int, function: ElementFunction)
    /// Feature-axis concatenation of operands of one type.
    case concat(inputs: [Int], output: Int)
    case slice(input: Int, start: Int, output: Int)
    case timeShift(input: Int, lag: Int, output: Int)
    /// The value unchanged (the posterior-mean sample).
    case copy(input: Int, output: Int)
    case sample(SampleStage)
    case average(AverageStage)
}

public struct HardwarePlan: Hashable, Sendable {
    /// Set (with `$shapesOnly.withValue(true)`) while lowering only to schedule or price a design: matrices keep
    /// their shapes, types and reuse but no weight codes (quantising every weight on each estimate of the reuse
    /// search would dominate its run time). Such a plan must never be simulated or printed.
    @TaskLocal public static var shapesOnly = false

    public let graphName: String
    public let tensors: [HWTensor]
    public let stages: [Stage]
    /// Tensor indices of the graph inputs in graph order.
    public let inputs: [Int]
    /// Tensor indices of the graph outputs (the first is the primary one).
    public let outputs: [Int]
    /// Outputs the emitted design writes besides the primary one (`emitting(_:)`, `--outputs`), in port order.
    public internal(set) var extraPorts: [Int] = []
    /// Whether the first input holds spike counts (Graph.countInput): only then may the lfads strategy narrow it.
    public internal(set) var countsInput = true
    /// Trials one call of the emitted design carries (Graph.trialsInFlight); the simulator ignores it, the
    /// schedule and the printers work on `batched()`.
    public internal(set) var trialsPerCall = 1
    /// True for the plan `batched()` returns (tensors already C·T words long): never simulate it.
    public internal(set) var isBatch = false
    /// Posterior samples averaged per trial (Graph.posteriorSamples) and the tensors that depend on a sample
    /// (Graph.sampledValues): the simulator runs N samples and averages those; `averaged()` lays them out for the
    /// emitted design.
    public internal(set) var posteriorSamples = 1
    public internal(set) var sampledTensors: Set<Int> = []
    /// True for the plan `averaged()` returns (sampled tensors N·T words long): never simulate it.
    public internal(set) var isAveraged = false

    /// The emitted design's output ports: the primary output, then `extraPorts`. Other graph outputs are
    /// simulated but not emitted.
    public var ports: [Int] { Array(outputs.prefix(1)) + extraPorts }

    public func tensor(named name: String) -> Int? { tensors.firstIndex { $0.name == name } }

    /// True when a stage draws from the Gaussian source (the design then takes a trial index).
    public var samples: Bool {
        stages.contains {
            switch $0 {
            case .sample: return true
            case .decoder(let d): return d.coSample != nil
            default: return false
            }
        }
    }
}
