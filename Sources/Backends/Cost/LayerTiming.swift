/// How a layer occupies time, in cycles of the HLS schedule; the scheduler turns it into start/end times.
enum LayerTiming: Hashable {
    /// Costs nothing: inputs, concatenation, slicing, time shifts (wiring and addressing).
    case passThrough
    /// Starts when every operand is complete and runs for `cycles`.
    case whole(cycles: Int)
    /// Processes operand 0 step by step: a new step every `perStep` cycles, each done `depth` cycles later.
    case streaming(perStep: Int, depth: Int)
    case recurrent(RecurrentTiming)
}

/// A pipelined stage ahead of a recurrence: a new step every `perStep` cycles, each done `depth` cycles later.
struct InputStage: Hashable {
    var perStep: Int
    var depth: Int
}

/// A time loop: `steps` iterations of `step` cycles, optionally behind a hoisted input stage.
struct RecurrentTiming: Hashable {
    var steps: Int
    var step: Int
    /// Operand index of the input sequence (nil when the loop has none, e.g. a decoder fed only g0).
    var sequenceOperand: Int? = 0
    /// Input products computed ahead of the recurrence as their own pipelined stage (lfads strategy).
    var inputStage: InputStage?
    /// The recurrence cannot start before the whole input sequence is in (a reversed direction).
    var needsWholeInput: Bool
    /// Operand index of an initial state that must be complete before step 0.
    var initialStateOperand: Int?
    /// Emits a value per step (return_sequences in forward order) rather than only at the end.
    var streamsOutput: Bool
}

/// Cost of one layer before scheduling.
struct LayerCost {
    var timing: LayerTiming
    var resources: Resources
    var strategy: String
    var notes: [String] = []
}
