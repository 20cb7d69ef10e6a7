import Foundation

/// The readout and the reconstruction's means (`TorchReconstruction`), built from the IR's own dense layers and
/// element functions so that the float path, the bit-accurate simulator, the HLS design and the cost model all
/// compute them without a special case:
///   Poisson        readout (log-rates) → exp
///   MSE, Gaussian  the first chunk's rows of the readout, linear
///   Gamma          one dense of W_a − W_b, b_a − b_b (log α − log β) → exp
///   ZIG            zig_logs = log σ̂ of the whole readout (one table), then one dense of 0/±1 weights
///                  to [log q + log α − log β + log(s₀/s₁), log q + log|loc|] → exp, then the sum of the two halves
///                  (q·α/β + q·loc); without loc the first half alone is the mean.
/// Raw parameters: for every distribution but Poisson, the whole readout is the extra output `readout`
/// (lfads-torch's output_params before `compute_means`, parameter-major); ZIG adds `zig_params` = [α, β, q] as
/// its loss uses them (exp(log σ̂ + log s)). Hardware computes neither unless `--outputs` asks.
extension TorchGraphBuilder {
    func readout(_ b: inout GraphBuilder, factors: String, reconstruction r: TorchReconstruction,
                 neurons n: Int) throws -> [String] {
        let rows = r.kind.parameters * n
        let w = try weights.matrix("readout.0.weight", rows, hp.facDim)
        let hasBias = weights.has("readout.0.bias")
        let bias = hasBias ? try weights.vector("readout.0.bias", rows) : [Double](repeating: 0, count: rows)
        func chunk(_ p: Int) -> (Matrix, [Double]) { (w.rows((p * n)..<((p + 1) * n)), Array(bias[(p * n)..<((p + 1) * n)])) }
        func dense(_ m: Matrix, _ b: [Double]?) throws -> Op { .dense(try DenseLayer(weight: m, bias: b)) }
        switch r.kind {
        case .poisson, .poissonBPS:
            let logRates = try b.value("readout", dense(w, hasBias ? bias : nil), [factors])
            _ = try b.value("output_params", .activation(ActivationOp(Activation(.exp))), [logRates])
            return []
        case .mse:
            _ = try b.value("output_params", dense(w, hasBias ? bias : nil), [factors])
            return []
        case .gaussian:
            let (m, mb) = chunk(0)
            _ = try b.value("output_params", dense(m, hasBias ? mb : nil), [factors])
        case .gamma:
            let (a, ab) = chunk(0), (c, cb) = chunk(1)
            let diff = try Matrix(rows: n, columns: hp.facDim, values: zip(a.values, c.values).map { $0 - $1 })
            let logMeans = try b.value("log_means", dense(diff, hasBias ? zip(ab, cb).map { $0 - $1 } : nil), [factors])
            _ = try b.value("output_params", .activation(ActivationOp(Activation(.exp))), [logMeans])
        case .zeroInflatedGamma:
            try zeroInflatedGamma(&b, factors: factors, w: w, bias: bias, loc: r.gammaLoc ?? 0, neurons: n)
        }
        _ = try b.value("readout", dense(w, hasBias ? bias : nil), [factors])
        return r.kind == .zeroInflatedGamma ? ["readout", "zig_params"] : ["readout"]
    }

    private func zeroInflatedGamma(_ b: inout GraphBuilder, factors: String, w: Matrix, bias: [Double], loc: Double,
                                   neurons n: Int) throws {
        let scale = try weights.values("recon.0.scale", shape: [2, n])
        if let i = scale.firstIndex(where: { $0 <= 0 }) {
            throw weights.fail("recon.0.scale", "element \(i) is \(scale[i]); Gamma scales must be positive")
        }
        let logs = try b.value("zig_logs", .dense(DenseLayer(weight: w, bias: bias, activation: Activation(.logSigmoidFloor))), [factors])
        // Row j: +log α_j − log β_j + log q_j; row n + j: log q_j (bias log|loc|).
        let rows = loc == 0 ? n : 2 * n
        var m = Matrix(zeros: rows, 3 * n)
        var mb = [Double](repeating: 0, count: rows)
        for j in 0..<n {
            m[j, j] = 1
            m[j, n + j] = -1
            m[j, 2 * n + j] = 1
            mb[j] = Foundation.log(scale[j]) - Foundation.log(scale[n + j])
            if loc != 0 {
                m[n + j, 2 * n + j] = 1
                mb[n + j] = Foundation.log(abs(loc))
            }
        }
        let parts = try b.value(loc == 0 ? "output_params" : "zig_parts",
                                .dense(DenseLayer(weight: m, bias: mb, activation: Activation(.exp), quantizers: Self.signs)), [logs])
        var identity = Matrix(zeros: 3 * n, 3 * n)
        for i in 0..<(3 * n) { identity[i, i] = 1 }
        _ = try b.value("zig_params", .dense(DenseLayer(weight: identity, bias: scale.map(Foundation.log) + [Double](repeating: 0, count: n),
                                                       activation: Activation(.exp))), [logs])
        guard loc != 0 else { return }
        var sum = Matrix(zeros: n, 2 * n)
        for j in 0..<n {
            sum[j, j] = 1
            sum[j, n + j] = loc < 0 ? -1 : 1
        }
        _ = try b.value("output_params", .dense(DenseLayer(weight: sum, bias: nil, quantizers: Self.signs)), [parts])
    }

    /// 0/±1 weights are exact in ap_fixed<2,2> (−2…1): declared like a QKeras kernel quantizer (a no-op on these
    /// values), their products are 2-bit and priced and bound as narrow fabric products, not DSP multipliers.
    /// Constant and valid: the `try!` cannot fire.
    static let signs = DenseQuantizers(kernel: try! FixedType(width: 2, integer: 2))
}
