import Foundation
import LFADSIR

/// A GRU cell prepared for simulation: gate blocks reordered to z, r, h whatever the source order,
/// weight and bias quantizers applied once, missing biases as zeros.
///
/// One step, with h the state after the state quantizer (QKeras quantizes the incoming state first and
/// uses the quantized value everywhere in the step, including z ⊙ h):
///   xp = W·x + b (all gates),  hp_zr = U_zr·h + b'_zr
///   z = σ(xp_z + hp_z + updateBias), r = σ(xp_r + hp_r)
///   before: h̃ = φ(xp_h + U_h·(r ⊙ h) + b'_h);  after: h̃ = φ(xp_h + r ⊙ (U_h·h + b'_h))
///   h' = clip(z ⊙ h + (1 − z) ⊙ h̃)
/// A fused cell computes the same sums (one accumulation in the source); only float rounding order differs.
struct FloatGRUCell: Sendable {
    let hidden: Int
    let inputSize: Int
    /// W (3H × inputs), U_zr (2H × H), U_h (H × H), packed for gemmAccumulate.
    let kernel: PackedWeights
    let recurrentGates: PackedWeights
    let recurrentCandidate: PackedWeights
    let bias: [Double]
    let recurrentBias: [Double]
    let updateBias: Double
    let clip: Double?
    let resetAfter: Bool
    let recurrentActivation: Activation
    let activation: Activation
    let stateQuantizer: FixedType?

    init(_ cell: GRUCell) throws {
        let h = cell.hiddenSize
        let order: [Gate] = [.update, .reset, .candidate]
        func reorder(_ m: Matrix) -> Matrix {
            // Row blocks are already validated to be 3·H rows, so the ranges are in bounds.
            let parts = order.map { m.rows(cell.rows(of: $0)) }
            return (try? Matrix.stacking(parts)) ?? m
        }
        func reorder(_ v: [Double]?) -> [Double]? {
            guard let v else { return nil }
            return order.flatMap { Array(v[cell.rows(of: $0)]) }
        }
        let q = cell.quantizers
        hidden = h
        inputSize = cell.inputSize
        kernel = PackedWeights(try FloatMatrix(reorder(cell.kernel), quantizer: q.kernel))
        let u = reorder(cell.recurrentKernel)
        recurrentGates = PackedWeights(try FloatMatrix(u.rows(0..<(2 * h)), quantizer: q.recurrentKernel))
        recurrentCandidate = PackedWeights(try FloatMatrix(u.rows((2 * h)..<(3 * h)), quantizer: q.recurrentKernel))
        guard kernel.outputs == 3 * h, kernel.inputs == inputSize, recurrentGates.inputs == h, recurrentCandidate.inputs == h else {
            throw IRError.invalid("float simulator: GRU kernels do not fit \(h) units and \(inputSize) inputs")
        }
        bias = try preparedBias(reorder(cell.bias), count: 3 * h, quantizer: q.bias)
        recurrentBias = try preparedBias(reorder(cell.recurrentBias), count: 3 * h, quantizer: q.bias)
        updateBias = cell.updateBias
        clip = cell.clip
        resetAfter = cell.reset == .after
        recurrentActivation = cell.recurrentActivation
        activation = cell.activation
        stateQuantizer = q.state
    }

    /// Input side b + W·x of `rows` rows (x row stride xStride, may be empty when the cell has no inputs) into
    /// `out` (row stride outStride ≥ 3H).
    func inputPart(rows: Int, _ x: UnsafePointer<Double>?, xStride: Int, into out: UnsafeMutablePointer<Double>, outStride: Int) {
        let n = 3 * hidden
        bias.withUnsafeBufferPointer { b in
            guard let b0 = b.baseAddress else { return }
            for r in 0..<rows { (out + r * outStride).update(from: b0, count: n) }
        }
        if let x, inputSize > 0 { kernel.accumulate(rows: rows, x, lda: xStride, into: out, ldc: outStride) }
    }

    /// Scratch values per row for `step`: gates z, r (2H) | candidate (H) | r ⊙ h (H).
    var scratchPerRow: Int { 4 * hidden }

    /// Advances the states of `rows` trials by one step: `h` holds rows × H values, the input part of row i
    /// (3H values) is at xp + i·xpStride; `scratch` has rows·scratchPerRow values.
    func step(rows: Int, xp: UnsafePointer<Double>, xpStride: Int, h: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        let n = hidden, n2 = 2 * n
        let g = scratch, c = scratch + rows * n2, rh = c + rows * n
        if let q = stateQuantizer { for i in 0..<(rows * n) { h[i] = quantize(h[i], q) } }
        recurrentBias.withUnsafeBufferPointer { rb in
            guard let b = rb.baseAddress else { return }
            for r in 0..<rows {
                (g + r * n2).update(from: b, count: n2)
                (c + r * n).update(from: b + n2, count: n)
            }
        }
        recurrentGates.accumulate(rows: rows, h, lda: n, into: g, ldc: n2)
        for r in 0..<rows {
            let x = xp + r * xpStride, gr = g + r * n2
            Elementwise.add(x, into: gr, plus: updateBias, count: n)  // z: (x + U·h) + update bias
            Elementwise.add(x + n, into: gr + n, count: n)             // r
        }
        applyElementwise(recurrentActivation, g, count: rows * n2)
        if resetAfter {
            recurrentCandidate.accumulate(rows: rows, h, lda: n, into: c, ldc: n)
            for r in 0..<rows {
                Elementwise.addScaled(xp + r * xpStride + n2, g + r * n2 + n, into: c + r * n, count: n)
            }
        } else {
            for r in 0..<rows { Elementwise.multiply(g + r * n2 + n, h + r * n, into: rh + r * n, count: n) }
            recurrentCandidate.accumulate(rows: rows, rh, lda: n, into: c, ldc: n)
            for r in 0..<rows { Elementwise.add(xp + r * xpStride + n2, into: c + r * n, count: n) }
        }
        applyElementwise(activation, c, count: rows * n)
        for r in 0..<rows { Elementwise.update(h + r * n, z: g + r * n2, candidate: c + r * n, clip: clip, count: n) }
    }
}

/// A GRU layer over a sequence.
struct FloatGRULayer: Sendable {
    let cell: FloatGRUCell
    let reverse: Bool
    let returnSequences: Bool
    let learnedState: [Double]?

    init(_ layer: GRULayer) throws {
        cell = try FloatGRUCell(layer.cell)
        reverse = layer.reverse
        returnSequences = layer.returnSequences
        if case .learned(let v) = layer.initialState {
            guard v.count == cell.hidden else { throw IRError.invalid("float simulator: learned initial state has \(v.count) values, expected \(cell.hidden)") }
            learnedState = v
        } else {
            learnedState = nil
        }
    }

    /// Runs `trials` sequences of `steps` rows (x: trials × steps × inputs, trial-major) from `initial`
    /// (trials × H; zeros or the learned state when nil). Returns trials × steps × H (aligned with x's time
    /// index) or the final trials × H values. All trials advance together, so each step is one small GEMM.
    func run(trials: Int, steps: Int, _ x: [Double], initial: [Double]?, pool: ArrayPool) -> [Double] {
        let n = cell.hidden, n3 = 3 * n
        precondition(x.count == trials * steps * cell.inputSize, "GRU: input does not hold \(trials)×\(steps) rows")
        var xp = pool.take(trials * steps * n3)  // inputPart writes every row
        var h = pool.zeros(trials * n)
        if let initial {
            precondition(initial.count == trials * n, "GRU: initial state does not hold \(trials) rows")
            h.withUnsafeMutableBufferPointer { hb in _ = hb.update(from: initial) }
        } else if let learnedState {
            for r in 0..<trials { h.replaceSubrange((r * n)..<((r + 1) * n), with: learnedState) }
        }
        var out = pool.take(returnSequences ? trials * steps * n : 0)  // every step of every trial is stored
        var scratch = pool.take(trials * cell.scratchPerRow)
        defer { pool.recycle(xp, scratch, returnSequences ? h : out) }
        x.withUnsafeBufferPointer { xb in
            xp.withUnsafeMutableBufferPointer { pb in
                guard let p0 = pb.baseAddress else { return }
                cell.inputPart(rows: trials * steps, xb.baseAddress, xStride: cell.inputSize, into: p0, outStride: n3)
            }
        }
        xp.withUnsafeBufferPointer { pb in
            h.withUnsafeMutableBufferPointer { hb in
                scratch.withUnsafeMutableBufferPointer { sb in
                    out.withUnsafeMutableBufferPointer { ob in
                        guard let p0 = pb.baseAddress, let h0 = hb.baseAddress, let s0 = sb.baseAddress else { return }
                        for k in 0..<steps {
                            let t = reverse ? steps - 1 - k : k
                            cell.step(rows: trials, xp: p0 + t * n3, xpStride: steps * n3, h: h0, scratch: s0)
                            if returnSequences, let o = ob.baseAddress {
                                for r in 0..<trials { (o + (r * steps + t) * n).update(from: h0 + r * n, count: n) }
                            }
                        }
                    }
                }
            }
        }
        return returnSequences ? out : h
    }
}
