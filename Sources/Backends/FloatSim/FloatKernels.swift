import Foundation
import LFADSIR

/// A row-major weight block prepared for the float simulator (effective weights, quantizers applied).
struct FloatMatrix: Sendable {
    let rows: Int
    let columns: Int
    let values: [Double]

    /// Throws when the matrix's value count disagrees with its shape (its fields are mutable), because the
    /// kernel below reads through raw pointers.
    init(_ m: Matrix, quantizer: FixedType? = nil) throws {
        let (count, overflow) = m.rows.multipliedReportingOverflow(by: m.columns)
        guard !overflow, count == m.values.count else {
            throw IRError.invalid("float simulator: matrix \(m.rows)x\(m.columns) holds \(m.values.count) values")
        }
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
            // Four partial sums break the add-latency chain (rounding differs from a serial sum by ~1 ulp).
            let n4 = n & ~3
            for r in 0..<rows {
                let row = base + r * n
                var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                var c = 0
                while c < n4 {
                    s0 += row[c] * x[c]
                    s1 += row[c + 1] * x[c + 1]
                    s2 += row[c + 2] * x[c + 2]
                    s3 += row[c + 3] * x[c + 3]
                    c += 4
                }
                while c < n { s0 += row[c] * x[c]; c += 1 }
                out[r] += (s0 + s1) + (s2 + s3)
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
/// Unquantized sigmoid, tanh and exp take the vectorised path (VectorMath).
func applyActivation(_ a: Activation, _ p: UnsafeMutablePointer<Double>, count: Int) {
    switch a.function {
    case .linear where a.quantizer == nil:
        return
    case .sigmoid where a.quantizer == nil:
        VectorMath.sigmoid(p, count: count)
    case .tanh where a.quantizer == nil:
        VectorMath.tanh(p, count: count)
    case .exp where a.quantizer == nil:
        VectorMath.exp(p, count: count)
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

/// As applyActivation, but softmax acts per element as in ActivationFunction.apply (identity, then the quantizer):
/// what a recurrent cell does with its gate activations.
func applyElementwise(_ a: Activation, _ p: UnsafeMutablePointer<Double>, count: Int) {
    if a.function == .softmax {
        for i in 0..<count { p[i] = a.apply(p[i]) }
    } else {
        applyActivation(a, p, count: count)
    }
}

/// Bias vector or zeros, with the bias quantizer applied.
func preparedBias(_ b: [Double]?, count: Int, quantizer: FixedType?) throws -> [Double] {
    guard let b else { return Array(repeating: 0, count: count) }
    guard b.count == count else { throw IRError.invalid("float simulator: bias has \(b.count) values, expected \(count)") }
    return b.map { quantize($0, quantizer) }
}
