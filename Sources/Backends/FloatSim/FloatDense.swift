import Foundation
import LFADSIR

/// A dense layer as the simulator runs it: y = act(Ŵ·x + b) with Ŵ row-normalised (if asked) and then quantized.
struct FloatDense: Sendable {
    let weight: PackedWeights
    let bias: [Double]
    let activation: Activation

    init(_ d: DenseLayer) throws {
        weight = PackedWeights(try FloatMatrix(d.effectiveWeight, quantizer: d.quantizers.kernel))
        bias = try preparedBias(d.bias, count: d.outputSize, quantizer: d.quantizers.bias)
        activation = d.activation
    }

    var inputSize: Int { weight.inputs }
    var outputSize: Int { weight.outputs }

    /// `rows` vectors at once: row i of x at x + i·xStride (inputSize values) into out + i·outStride
    /// (outputSize values).
    func apply(rows: Int, _ x: UnsafePointer<Double>, xStride: Int, into out: UnsafeMutablePointer<Double>, outStride: Int) {
        let n = outputSize
        bias.withUnsafeBufferPointer { b in
            guard let b0 = b.baseAddress else { return }
            for i in 0..<rows { (out + i * outStride).update(from: b0, count: n) }
        }
        weight.accumulate(rows: rows, x, lda: xStride, into: out, ldc: outStride)
        if outStride == n && activation.function != .softmax {
            applyActivation(activation, out, count: rows * n)
        } else {
            for i in 0..<rows { applyActivation(activation, out + i * outStride, count: n) }
        }
    }

    /// Every row of a row-major block of `rows` vectors.
    func apply(rows: Int, _ x: [Double], pool: ArrayPool) -> [Double] {
        precondition(x.count == rows * inputSize, "dense: \(x.count) inputs for \(rows) rows of \(inputSize)")
        var out = pool.take(rows * outputSize)  // every row starts from the bias
        x.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { ob in
                guard let xp = xb.baseAddress ?? UnsafePointer(ob.baseAddress), let op = ob.baseAddress else { return }
                apply(rows: rows, xp, xStride: inputSize, into: op, outStride: outputSize)
            }
        }
        return out
    }
}
