import Foundation
import LFADSIR

/// A dense layer as the simulator runs it: y = act(Ŵ·x + b) with Ŵ row-normalised (if asked) and then quantized.
struct FloatDense: Sendable {
    let weight: FloatMatrix
    let bias: [Double]
    let activation: Activation

    init(_ d: DenseLayer) throws {
        weight = try FloatMatrix(d.effectiveWeight, quantizer: d.quantizers.kernel)
        bias = try preparedBias(d.bias, count: d.outputSize, quantizer: d.quantizers.bias)
        activation = d.activation
    }

    var inputSize: Int { weight.columns }
    var outputSize: Int { weight.rows }

    /// One vector: `x` has inputSize values, `out` receives outputSize values.
    @inline(__always)
    func apply(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        bias.withUnsafeBufferPointer { b in
            for i in 0..<outputSize { out[i] = b[i] }
        }
        weight.accumulate(x, into: out)
        applyActivation(activation, out, count: outputSize)
    }

    /// Every row of a row-major block of `rows` vectors.
    func apply(rows: Int, _ x: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: rows * outputSize)
        x.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { ob in
                guard let xp = xb.baseAddress, let op = ob.baseAddress else { return }
                for t in 0..<rows { apply(xp + t * inputSize, into: op + t * outputSize) }
            }
        }
        return out
    }
}
