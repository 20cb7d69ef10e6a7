import Foundation

/// Element-wise functions as the source frameworks define them.
public enum ActivationFunction: String, Sendable, CaseIterable {
    case linear, relu, sigmoid, tanh, exp, softmax
    /// QKeras' internal hard sigmoid: clip(0.5·x + 0.5, 0, 1) (used by quantized_sigmoid when use_real_sigmoid is false).
    case hardSigmoid = "hard_sigmoid"
    /// QKeras' hard tanh: 2·hard_sigmoid(x) − 1 = clip(x, −1, 1).
    case hardTanh = "hard_tanh"
    /// Keras 2's own hard_sigmoid: clip(0.2·x + 0.5, 0, 1).
    case kerasHardSigmoid = "keras_hard_sigmoid"
    /// log(max(sigmoid(x), 1e−5)): lfads-torch's ZeroInflatedGamma clamps its sigmoids at 1e−5; the log lets one
    /// exp form q·α/β (TorchReadout.swift).
    case logSigmoidFloor = "log_sigmoid_floor"

    /// lfads-torch's floor under ZeroInflatedGamma's sigmoids.
    public static let sigmoidFloor = 1e-5

    /// Evaluates the function on one scalar (softmax is handled per vector by the caller).
    public func apply(_ x: Double) -> Double {
        switch self {
        case .linear, .softmax: return x
        case .relu: return x > 0 ? x : 0
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        case .tanh: return Foundation.tanh(x)
        case .exp: return Foundation.exp(x)
        case .hardSigmoid: return min(max(0.5 * x + 0.5, 0), 1)
        case .hardTanh: return min(max(x, -1), 1)
        case .kerasHardSigmoid: return min(max(0.2 * x + 0.5, 0), 1)
        case .logSigmoidFloor: return TableFunction.logSigmoidFloor.evaluate(x)
        }
    }
}

/// An activation as the source model computes it, with an optional QKeras output quantizer.
/// The quantizer is part of the trained model's float semantics (QKeras rounds in the forward pass),
/// so the float reference applies it; the quantisation pass also reads it as a precision hint.
public struct Activation: Hashable, Sendable, CustomStringConvertible {
    public var function: ActivationFunction
    public var quantizer: FixedType?

    public init(_ function: ActivationFunction, quantizer: FixedType? = nil) {
        self.function = function
        self.quantizer = quantizer
    }

    public static let linear = Activation(.linear)

    /// Applies the function and then the quantizer (if any) to one scalar.
    public func apply(_ x: Double) -> Double {
        let y = function.apply(x)
        guard let q = quantizer else { return y }
        return q.double(raw: q.cast(y).raw)
    }

    public var description: String {
        quantizer.map { "\(function.rawValue)|\($0)" } ?? function.rawValue
    }
}
