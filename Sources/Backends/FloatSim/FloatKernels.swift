import Foundation
import LFADSIR

/// A row-major weight block prepared for the float simulator (effective weights, quantizers applied).
struct FloatMatrix: Sendable {
    let rows: Int
    let columns: Int
    let values: [Double]

    init(_ m: Matrix, quantizer: FixedType? = nil) {
        rows = m.rows
        columns = m.columns
        values = m.values.map { quantize($0, quantizer) }
    }

    init(rows: Int, columns: Int, values: [Double]) {
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// out[r] += Σ_c W[r, c]·x[c] for every row. Callers guarantee `x` has `columns` and `out` has `rows` elements
    /// (sizes are fixed when the graph is verified), so the loop runs on raw pointers.
    @inline(__always)
    func accumulate(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let n = columns
        values.withUnsafeBufferPointer { w in
            guard let base = w.baseAddress else { return }
            for r in 0..<rows {
                let row = base + r * n
                var sum = 0.0
                for c in 0..<n { sum += row[c] * x[c] }
                out[r] += sum
            }
        }
    }
}

/// Rounds a value as the QKeras quantizer does (the IR's FixedType carries its rounding and overflow modes).
@inline(__always)
func quantize(_ x: Double, _ q: FixedType?) -> Double {
    guard let q else { return x }
    return q.double(raw: q.cast(x).raw)
}

/// Applies an activation to `count` values in place. Softmax works on the whole vector, then the quantizer.
@inline(__always)
func applyActivation(_ a: Activation, _ p: UnsafeMutablePointer<Double>, count: Int) {
    switch a.function {
    case .linear where a.quantizer == nil:
        return
    case .softmax:
        var m = -Double.infinity
        for i in 0..<count { m = max(m, p[i]) }
        var sum = 0.0
        for i in 0..<count { p[i] = exp(p[i] - m); sum += p[i] }
        for i in 0..<count { p[i] = quantize(p[i] / sum, a.quantizer) }
    default:
        for i in 0..<count { p[i] = a.apply(p[i]) }
    }
}

/// Bias vector or zeros, with the bias quantizer applied.
func preparedBias(_ b: [Double]?, count: Int, quantizer: FixedType?) -> [Double] {
    guard let b else { return Array(repeating: 0, count: count) }
    return b.map { quantize($0, quantizer) }
}
