// What QKeras quantizers compute, as IR fixed-point types and activation functions.
//
// quantized_bits(bits, integer, symmetric, keep_negative, alpha) with scale 1 computes
//   m = 2^(bits − keep_negative), xq = 2^integer · clip(round(x·m / 2^integer), keep_negative·(−m + symmetric), m − 1) / m
// with round = half to even, i.e. a cast to ap_fixed<bits, integer+1, AP_RND_CONV, AP_SAT> (symmetric: AP_SAT_SYM),
// or ap_ufixed<bits, integer, AP_RND_CONV, AP_SAT> when keep_negative is false.
// quantized_tanh(bits): p = tanh(x) or, with use_real_tanh false, 2·hard_sigmoid(x) − 1 = clip(x, −1, 1);
//   then round(p·2^(bits−1)) / 2^(bits−1) clipped to [−1 (+2^(1−bits) if symmetric), 1 − 2^(1−bits)]
//   = ap_fixed<bits, 1, AP_RND_CONV, AP_SAT or AP_SAT_SYM>.
// quantized_sigmoid(bits): p = sigmoid(x) or hard_sigmoid(x) = clip(0.5x + 0.5, 0, 1); round(p·2^bits) / 2^bits in
//   [0, 1 − 2^−bits] = ap_ufixed<bits, 0, AP_RND_CONV, AP_SAT>.
// "hard" assumes QKeras' module default internal sigmoid; set_internal_sigmoid() is a process-wide switch a
// saved file does not record. Stochastic rounding only acts in the training phase, so inference rounds to even.
// A numpy transcription of exactly these semantics (weights quantized, state quantized at each step start, hard
// activations) reproduces the LFADS template's tb_output_predictions to 7e-7 (float32 noise); with the real
// sigmoid/tanh the error is 1.9, without the state quantizer 0.027.
import Foundation

/// Weight quantizers on kernels follow a different default: QKeras replaces alpha=None there by the
/// data-dependent "auto_po2" scale (`_set_trainable_parameter`), which is not a fixed-point type.
enum QuantizerRole { case kernel, other }

enum QKerasSemantics {
    static func fixedType(_ spec: QKerasSpec, role: QuantizerRole, site: KerasSite) throws -> FixedType {
        guard spec.name == "quantized_bits" else {
            throw site.fail("\(spec.text): only quantized_bits is supported as a weight or state quantizer")
        }
        let bits = try integer(spec, "bits", default: 8, site: site)
        let integerBits = try integer(spec, "integer", default: 0, site: site)
        let symmetric = try flag(spec, "symmetric", default: false, site: site)
        let keepNegative = try flag(spec, "keep_negative", default: true, site: site)
        switch spec.arguments["alpha"] ?? QKerasArgument.none {
        case .none where role == .kernel:
            throw site.fail("\(spec.text): alpha=None on a kernel quantizer means QKeras' data-dependent auto_po2 scale, not a fixed-point type")
        case .none, .number(1):
            break
        default:
            throw site.fail("\(spec.text): only alpha=1 (or None outside kernels) is supported")
        }
        if let q = spec.arguments["qnoise_factor"], q != .number(1) {
            throw site.fail("\(spec.text): qnoise_factor other than 1 mixes quantized and float values")
        }
        if let s = spec.arguments["post_training_scale"], s != .none {
            throw site.fail("\(spec.text): post_training_scale is not supported")
        }
        guard bits - (keepNegative ? 1 : 0) > 0 else {
            throw site.fail("\(spec.text): 1-bit signed quantized_bits is a sign function, not a fixed-point type")
        }
        let (sum, overflow) = integerBits.addingReportingOverflow(1)
        guard !overflow else { throw site.fail("\(spec.text): integer bits out of range") }
        return try make(site, spec) {
            keepNegative
                ? try FixedType(width: bits, integer: sum, signed: true, quantization: .rndConv, overflow: symmetric ? .satSym : .sat)
                : try FixedType(width: bits, integer: integerBits, signed: false, quantization: .rndConv, overflow: .sat)
        }
    }

    /// The activation a layer applies. `qkeras` selects QKeras' name lookup (its own hard_sigmoid first)
    /// over Keras' (whose hard_sigmoid is clip(0.2x + 0.5, 0, 1)).
    static func activation(_ spec: QKerasSpec?, qkeras: Bool, site: KerasSite) throws -> Activation {
        guard let spec else { return .linear }
        switch spec.name {
        case "quantized_bits":
            return Activation(.linear, quantizer: try fixedType(spec, role: .other, site: site))
        case "quantized_tanh":
            let bits = try integer(spec, "bits", default: 8, site: site)
            let symmetric = try flag(spec, "symmetric", default: false, site: site)
            let real = try flag(spec, "use_real_tanh", default: false, site: site)
            let type = try make(site, spec) {
                try FixedType(width: bits, integer: 1, signed: true, quantization: .rndConv, overflow: symmetric ? .satSym : .sat)
            }
            return Activation(real ? .tanh : .hardTanh, quantizer: type)
        case "quantized_sigmoid":
            let bits = try integer(spec, "bits", default: 8, site: site)
            guard !(try flag(spec, "symmetric", default: false, site: site)) else {
                throw site.fail("\(spec.text): symmetric quantized_sigmoid (minimum 2^-bits) is not a fixed-point type")
            }
            let real = try flag(spec, "use_real_sigmoid", default: false, site: site)
            let type = try make(site, spec) { try FixedType(width: bits, integer: 0, signed: false, quantization: .rndConv, overflow: .sat) }
            return Activation(real ? .sigmoid : .hardSigmoid, quantizer: type)
        default:
            guard spec.isBareName || spec.arguments.isEmpty else {
                throw site.fail("\(spec.text): unsupported quantizer or activation")
            }
            return Activation(try function(named: spec.name, qkeras: qkeras, site: site))
        }
    }

    private static func function(named name: String, qkeras: Bool, site: KerasSite) throws -> ActivationFunction {
        switch name {
        case "linear": return .linear
        case "relu": return .relu
        case "sigmoid": return .sigmoid
        case "tanh": return .tanh
        case "exponential": return .exp
        case "softmax": return .softmax
        case "hard_sigmoid": return qkeras ? .hardSigmoid : .kerasHardSigmoid
        case "hard_tanh" where qkeras: return .hardTanh
        default: throw site.fail("unsupported activation '\(name)'")
        }
    }

    private static func integer(_ spec: QKerasSpec, _ key: String, default fallback: Int, site: KerasSite) throws -> Int {
        guard let arg = spec.arguments[key] else { return fallback }
        guard let d = arg.number, d == d.rounded(), abs(d) <= 4096 else { throw site.fail("\(spec.text): \(key) must be a small integer") }
        return Int(d)
    }

    private static func flag(_ spec: QKerasSpec, _ key: String, default fallback: Bool, site: KerasSite) throws -> Bool {
        guard let arg = spec.arguments[key] else { return fallback }
        if arg == .none { return false }
        guard let d = arg.number else { throw site.fail("\(spec.text): \(key) must be a boolean") }
        return d != 0
    }

    private static func make(_ site: KerasSite, _ spec: QKerasSpec, _ body: () throws -> FixedType) throws -> FixedType {
        do { return try body() } catch let e as FixedPointError { throw site.fail("\(spec.text): \(e.description)") }
    }
}
