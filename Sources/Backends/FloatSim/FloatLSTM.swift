import Foundation
import LFADSIR

/// A Keras LSTM layer: gates i, f, c, o; zero initial state and cell.
struct FloatLSTMLayer: Sendable {
    let hidden: Int
    let inputSize: Int
    let kernel: FloatMatrix
    let recurrentKernel: FloatMatrix
    let bias: [Double]
    let recurrentActivation: Activation
    let activation: Activation
    let reverse: Bool
    let returnSequences: Bool

    init(_ layer: LSTMLayer) throws {
        hidden = layer.cell.hiddenSize
        inputSize = layer.cell.inputSize
        kernel = try FloatMatrix(layer.cell.kernel)
        recurrentKernel = try FloatMatrix(layer.cell.recurrentKernel)
        guard kernel.rows == 4 * hidden, recurrentKernel.rows == 4 * hidden, recurrentKernel.columns == hidden else {
            throw IRError.invalid("float simulator: LSTM kernels do not fit \(hidden) units")
        }
        bias = try preparedBias(layer.cell.bias, count: 4 * layer.cell.hiddenSize, quantizer: nil)
        recurrentActivation = layer.cell.recurrentActivation
        activation = layer.cell.activation
        reverse = layer.reverse
        returnSequences = layer.returnSequences
    }

    func run(steps: Int, _ x: [Double]) -> [Double] {
        let n = hidden
        var h = [Double](repeating: 0, count: n)
        var c = [Double](repeating: 0, count: n)
        var pre = [Double](repeating: 0, count: 4 * n)
        var out = [Double](repeating: 0, count: returnSequences ? steps * n : 0)
        x.withUnsafeBufferPointer { xb in
            guard let x0 = xb.baseAddress else { return }
            for k in 0..<steps {
                let t = reverse ? steps - 1 - k : k
                pre.withUnsafeMutableBufferPointer { pb in
                    guard let p = pb.baseAddress else { return }
                    for i in 0..<(4 * n) { p[i] = bias[i] }
                    kernel.accumulate(x0 + t * inputSize, into: p)
                    h.withUnsafeBufferPointer { hb in if let hp = hb.baseAddress { recurrentKernel.accumulate(hp, into: p) } }
                }
                for i in 0..<n {
                    let ig = recurrentActivation.apply(pre[i])
                    let fg = recurrentActivation.apply(pre[n + i])
                    let cand = activation.apply(pre[2 * n + i])
                    let og = recurrentActivation.apply(pre[3 * n + i])
                    c[i] = fg * c[i] + ig * cand
                    h[i] = og * activation.apply(c[i])
                }
                if returnSequences { for i in 0..<n { out[t * n + i] = h[i] } }
            }
        }
        return returnSequences ? out : h
    }
}
