import Foundation

/// One of lfads-torch's reconstruction distributions (`lfads_torch.modules.recons`). Its readout has
/// `parameters × neurons` outputs, chunked parameter-major: outputs [p·n, (p+1)·n) are parameter p of every
/// neuron. The means `output_means=True` returns, with a, b, c the chunks:
///   Poisson, PoissonBPS   exp(a)
///   MSE, Gaussian         a (Gaussian's b is a log-variance)
///   Gamma                 exp(a) / exp(b) = exp(a − b)
///   ZeroInflatedGamma     q·(α/β + loc), α = s₀·σ̂(a), β = s₁·σ̂(b), q = σ̂(c), σ̂ = max(sigmoid, 1e−5),
///                         s = `recon.0.scale` [2, neurons], loc = the constructor's `gamma_loc`
struct TorchReconstruction: Equatable {
    enum Kind: String, CaseIterable {
        case poisson = "Poisson", poissonBPS = "PoissonBPS", mse = "MSE", gaussian = "Gaussian", gamma = "Gamma"
        case zeroInflatedGamma = "ZeroInflatedGamma"

        var parameters: Int {
            switch self {
            case .poisson, .poissonBPS, .mse: 1
            case .gaussian, .gamma: 2
            case .zeroInflatedGamma: 3
            }
        }

        /// What `output_params` holds, for the IR's metadata.
        var meaning: String {
            switch self {
            case .poisson, .poissonBPS: "rates in counts per bin (exp of the readout's log-rates)"
            case .mse: "means (the readout itself)"
            case .gaussian: "Gaussian means (the readout's first chunk; the log-variances are not computed)"
            case .gamma: "Gamma means alpha/beta = exp(log-alpha − log-beta)"
            case .zeroInflatedGamma: "zero-inflated Gamma means q·(alpha/beta + gamma_loc)"
            }
        }
    }

    var kind: Kind
    /// ZeroInflatedGamma's `gamma_loc`, when the text gives it.
    var gammaLoc: Double?

    static var names: String { Kind.allCases.map(\.rawValue).joined(separator: ", ") }

    /// Reads a name as the export writes it or a user types it: `Gamma`, `lfads_torch.modules.recons.Gamma`,
    /// `ZeroInflatedGamma(gamma_loc=0.1)` or the export's description `…ZeroInflatedGamma(scale=shape[2, 40],
    /// gamma_loc=0.1, …)`. Nil when the class is not one of lfads-torch's.
    init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let head = trimmed.prefix { $0 != "(" }
        let name = head.split(separator: ".").last.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        guard let kind = Kind.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
        self.kind = kind
        if let r = trimmed.range(of: "gamma_loc=") {
            let number = trimmed[r.upperBound...].prefix { !",) ".contains($0) }
            guard let v = Double(number), v.isFinite else { return nil }
            gammaLoc = v
        }
    }

    init(kind: Kind, gammaLoc: Double? = nil) {
        self.kind = kind
        self.gammaLoc = gammaLoc
    }

    var description: String {
        kind == .zeroInflatedGamma ? "ZeroInflatedGamma(gamma_loc=\(gammaLoc.map { "\($0)" } ?? "?"))" : kind.rawValue
    }
}
