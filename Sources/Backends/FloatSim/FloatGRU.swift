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
    let kernel: FloatMatrix
    let recurrentGates: FloatMatrix
    let recurrentCandidate: FloatMatrix
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
        kernel = try FloatMatrix(reorder(cell.kernel), quantizer: q.kernel)
        let u = reorder(cell.recurrentKernel)
        recurrentGates = try FloatMatrix(u.rows(0..<(2 * h)), quantizer: q.recurrentKernel)
        recurrentCandidate = try FloatMatrix(u.rows((2 * h)..<(3 * h)), quantizer: q.recurrentKernel)
        bias = try preparedBias(reorder(cell.bias), count: 3 * h, quantizer: q.bias)
        recurrentBias = try preparedBias(reorder(cell.recurrentBias), count: 3 * h, quantizer: q.bias)
        updateBias = cell.updateBias
        clip = cell.clip
        resetAfter = cell.reset == .after
        recurrentActivation = cell.recurrentActivation
        activation = cell.activation
        stateQuantizer = q.state
    }

    /// Input side W·x + b for `steps` rows of x at once (x may be empty when the cell has no inputs).
    func inputPart(steps: Int, _ x: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: steps * 3 * hidden)
        let n = 3 * hidden
        out.withUnsafeMutableBufferPointer { ob in
            guard let op = ob.baseAddress else { return }
            bias.withUnsafeBufferPointer { b in
                for t in 0..<steps { for i in 0..<n { op[t * n + i] = b[i] } }
            }
            guard inputSize > 0 else { return }
            x.withUnsafeBufferPointer { xb in
                guard let xp = xb.baseAddress else { return }
                for t in 0..<steps { kernel.accumulate(xp + t * inputSize, into: op + t * n) }
            }
        }
        return out
    }

    /// Input side for one vector x (inputSize values) into out (3H values).
    @inline(__always)
    func inputPart(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        bias.withUnsafeBufferPointer { b in for i in 0..<(3 * hidden) { out[i] = b[i] } }
        if inputSize > 0 { kernel.accumulate(x, into: out) }
    }

    /// Scratch space for one step: [hp (3H) | r⊙h (H) | z (H)].
    var scratchSize: Int { 5 * hidden }

    /// Advances `h` (hidden values) by one step given the input part `xp` (3H values).
    @inline(__always)
    func step(_ xp: UnsafePointer<Double>, _ h: UnsafeMutablePointer<Double>, scratch s: UnsafeMutablePointer<Double>) {
        let n = hidden
        if let q = stateQuantizer { for i in 0..<n { h[i] = quantize(h[i], q) } }
        let hp = s, rh = s + 3 * n, z = s + 4 * n
        recurrentBias.withUnsafeBufferPointer { b in for i in 0..<(3 * n) { hp[i] = b[i] } }
        recurrentGates.accumulate(UnsafePointer(h), into: hp)
        for i in 0..<n {
            z[i] = recurrentActivation.apply(xp[i] + hp[i] + updateBias)
            let r = recurrentActivation.apply(xp[n + i] + hp[n + i])
            rh[i] = r  // the reset gate, turned into r ⊙ h (before) below
        }
        if resetAfter {
            recurrentCandidate.accumulate(UnsafePointer(h), into: hp + 2 * n)
            for i in 0..<n { hp[2 * n + i] = xp[2 * n + i] + rh[i] * hp[2 * n + i] }
        } else {
            for i in 0..<n { rh[i] *= h[i] }
            recurrentCandidate.accumulate(UnsafePointer(rh), into: hp + 2 * n)
            for i in 0..<n { hp[2 * n + i] += xp[2 * n + i] }
        }
        for i in 0..<n {
            let candidate = activation.apply(hp[2 * n + i])
            var v = z[i] * h[i] + (1 - z[i]) * candidate
            if let c = clip { v = min(max(v, -c), c) }
            h[i] = v
        }
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

    /// Runs over `steps` rows of x from `initial` (zeros or the learned state when nil).
    /// Returns steps×H (aligned with x's time index) or the final H values.
    func run(steps: Int, _ x: [Double], initial: [Double]?) -> [Double] {
        let n = cell.hidden
        let xp = cell.inputPart(steps: steps, x)
        var h = initial ?? learnedState ?? [Double](repeating: 0, count: n)
        var out = [Double](repeating: 0, count: returnSequences ? steps * n : 0)
        var scratch = [Double](repeating: 0, count: cell.scratchSize)
        xp.withUnsafeBufferPointer { xb in
            h.withUnsafeMutableBufferPointer { hb in
                scratch.withUnsafeMutableBufferPointer { sb in
                    out.withUnsafeMutableBufferPointer { ob in
                        guard let x0 = xb.baseAddress, let h0 = hb.baseAddress, let s0 = sb.baseAddress else { return }
                        for k in 0..<steps {
                            let t = reverse ? steps - 1 - k : k
                            cell.step(x0 + t * 3 * n, h0, scratch: s0)
                            if returnSequences, let o = ob.baseAddress {
                                for i in 0..<n { o[t * n + i] = h0[i] }
                            }
                        }
                    }
                }
            }
        }
        return returnSequences ? out : h
    }
}
