// The reconstruction loss lfads-torch trains a non-Poisson model with (`compute_loss` of
// lfads_torch.modules.recons, reduction none), averaged over bins · neurons · trials. Per element, with x the
// observed value and the parameters parameter-major per bin (outputs [p·n, (p+1)·n) are parameter p):
//   MSE                (x − μ)²                                         params: output_params [μ]
//   Gaussian           ½(ln v + (x − μ)²/v), v = max(exp(logvar), 1e−6)  params: the readout [μ, logvar]
//                      (torch's gaussian_nll_loss without the constant)
//   Gamma              −ln Gamma(x; α, β), α = exp(a), β = exp(b)         params: the readout [a, b]
//   ZeroInflatedGamma  x = 0: −ln(1 − q); else −ln Gamma(x − loc; α, β) − ln q
//                                                                     params: `zig_params` [α, β, q]
// −ln Gamma(x; α, β) = −α ln β − (α − 1) ln x + βx + lnΓ(α), with (α − 1) ln x = 0 when α = 1 (torch's xlogy).
// Gamma of a zero count is infinite: the loss is then undefined (nil), as it is for lfads-torch.
import Foundation

public enum ReconstructionNLL {
    /// The output holding a reconstruction's loss parameters, or nil for the Poisson family (SpikeMetrics).
    public static func parameterOutput(kind: String) -> String? {
        switch kind {
        case "MSE": "output_params"  // the readout is the mean
        case "Gaussian", "Gamma": "readout"
        case "ZeroInflatedGamma": "zig_params"
        default: nil
        }
    }

    /// Whether a reconstruction is Poisson (or unnamed: Keras models and Poisson-era exports), so that bits per
    /// spike and the Poisson NLL are the model's own measures.
    public static func isPoisson(kind: String?) -> Bool {
        kind.map { $0 == "Poisson" || $0 == "PoissonBPS" } ?? true
    }

    /// Whether a reconstruction's means are rates (non-negative), so that Poisson metrics of them mean something.
    public static func meansAreRates(kind: String?) -> Bool {
        kind.map { $0 != "MSE" && $0 != "Gaussian" } ?? true
    }

    /// Mean loss per element, nil when it is undefined (a non-finite term) or the sizes do not agree.
    public static func mean(kind: String, gammaLoc: Double, params: [Double], targets: [Double], neurons n: Int) -> Double? {
        let k: Int
        switch kind {
        case "MSE": k = 1
        case "Gaussian", "Gamma": k = 2
        case "ZeroInflatedGamma": k = 3
        default: return nil
        }
        guard n > 0, !targets.isEmpty, targets.count % n == 0, params.count == k * targets.count else { return nil }
        var total = 0.0
        for (i, x) in targets.enumerated() {
            let base = (i / n) * k * n + i % n
            func p(_ q: Int) -> Double { params[base + q * n] }
            let term: Double
            switch kind {
            case "MSE":
                term = (x - p(0)) * (x - p(0))
            case "Gaussian":
                let v = max(Foundation.exp(p(1)), 1e-6)
                term = 0.5 * (Foundation.log(v) + (x - p(0)) * (x - p(0)) / v)
            case "Gamma":
                term = gammaNLL(x, alpha: Foundation.exp(p(0)), beta: Foundation.exp(p(1)))
            default:
                let q = p(2)
                term = x == 0 ? -Foundation.log(1 - q) : gammaNLL(x - gammaLoc, alpha: p(0), beta: p(1)) - Foundation.log(q)
            }
            guard term.isFinite else { return nil }
            total += term
        }
        return total / Double(targets.count)
    }

    static func gammaNLL(_ x: Double, alpha: Double, beta: Double) -> Double {
        let shape = alpha == 1 ? 0 : (alpha - 1) * Foundation.log(x)
        return -alpha * Foundation.log(beta) - shape + beta * x + lgamma(alpha)
    }
}
