/// When a value is available: its first step at `first`, its last at `end` (cycles from the start of a trial).
struct Availability {
    var first: Int
    var end: Int
}

/// Places one layer in time given its operands' availability (dataflow: layers run as soon as their inputs allow,
/// step-wise consumers overlap with their producers).
enum Schedule {
    struct Placement {
        var start: Int
        var end: Int
        var firstOutput: Int
        /// Cycles the layer is busy per trial (its contribution to the design's initiation interval).
        var busy: Int
    }

    static func place(_ timing: LayerTiming, operands: [Availability], steps: Int) -> Placement {
        let first = operands.map(\.first).max() ?? 0
        let ready = operands.map(\.end).max() ?? 0
        switch timing {
        case .passThrough:
            return Placement(start: first, end: ready, firstOutput: first, busy: 0)
        case .whole(let cycles):
            return Placement(start: ready, end: ready + cycles, firstOutput: ready + cycles, busy: cycles)
        case .streaming(let perStep, let depth):
            // Operand 0 streams; any other operand (a vector) must be complete.
            let start = max(operands.first?.first ?? 0, operands.dropFirst().map(\.end).max() ?? 0)
            let end = max(start + steps * perStep, ready + perStep) + depth
            return Placement(start: start, end: end, firstOutput: start + perStep + depth, busy: steps * perStep)
        case .recurrent(let r):
            let seq = r.sequenceOperand.flatMap { $0 < operands.count ? operands[$0] : nil } ?? Availability(first: 0, end: 0)
            let initReady = r.initialStateOperand.flatMap { $0 < operands.count ? operands[$0].end : nil } ?? 0
            let inFirst: Int, inEnd: Int, start: Int
            if let stage = r.inputStage {
                start = seq.first
                inFirst = seq.first + stage.depth
                inEnd = max(seq.first + r.steps * stage.perStep, seq.end + stage.perStep) + stage.depth
            } else {
                inFirst = seq.first
                inEnd = seq.end
                start = max(seq.first, r.needsWholeInput ? 0 : initReady)
            }
            let recStart = max(initReady, r.needsWholeInput ? inEnd : inFirst)
            let recEnd = max(recStart + r.steps * r.step, inEnd + r.step)
            let busy = max(r.steps * r.step, r.steps * (r.inputStage?.perStep ?? 0))
            return Placement(start: min(start, recStart), end: recEnd,
                             firstOutput: r.streamsOutput ? recStart + r.step : recEnd, busy: busy)
        }
    }
}
