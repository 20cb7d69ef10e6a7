// A recurrence carrying C trials (contexts): its step, context and chunk loops flattened into one pipeline.
// Iteration (s, c, k) issues at ((s·C + c)·S + k)·II; chunk k < R of the merged recurrent product multiplies
// context c's state, and the last chunk's iteration also runs the gates and writes the new state. Context c's
// next step reads that state C·S iterations after its step began, so the pipeline needs
//     (C − 1)·S·II + II ≥ D     (D: the last chunk's product, accumulate, gates and state write),
// and S (the slots per step and context) is the smallest count ≥ R that meets it: slots past R are bubbles.
// The state array's dependence distance C·S is printed (HLS DEPENDENCE), so HLS checks the same inequality.
import LFADSIR

extension ScheduleRules {
    /// Slots per (step, context), the iteration interval and depth of an interleaved recurrence (reset after).
    public static func interleaved(_ c: CellShape, contexts: Int, delays: DelayModel) -> (slots: Int, ii: Int, depth: Int) {
        let m = c.recurrent[0]
        let product = matVec(m, accum: c.accum, inputBits: c.state.width, countBits: nil, delays: delays)
        let gates = cell(c, delays: delays).reduce(0) { n, node in
            if case .block(_, let d) = node { return n + d }
            return n
        }
        let depth = product.depth + gates + 1
        let ii = product.ii
        let need = max(0, depth - ii)
        let perSlot = max(1, (contexts - 1) * ii)
        let slots = max(m.reuse, (need + perSlot - 1) / perSlot)
        return (slots, ii, depth)
    }

    /// The process: the C initial states, the flattened step pipeline, and the C final states when only the last
    /// state is kept.
    public static func interleavedRecurrence(_ c: CellShape, steps: Int, contexts: Int, returnSequences: Bool,
                                             delays: DelayModel) -> (body: [ScheduleNode], slots: Int) {
        let t = interleaved(c, contexts: contexts, delays: delays)
        var body: [ScheduleNode] = [.pipeline(name: "init", trips: contexts, ii: 1, depth: 1),
                                    .pipeline(name: "step", trips: steps * contexts * t.slots, ii: t.ii, depth: t.depth)]
        if !returnSequences { body.append(.pipeline(name: "write", trips: contexts, ii: 1, depth: 1)) }
        return (body, t.slots)
    }
}
