// Poisson metrics of predicted rates (counts per bin) against observed counts.
//   NLL per element = λ − n·ln λ + ln Γ(n+1); `mean` divides the total by the element count
//   (bins · neurons · trials). The ln n! term does not depend on the model; the totals are
//   also given without it (what a Poisson loss without the constant reports).
//   Bits per spike (as the Neural Latents Benchmark defines it): (NLL(null) − NLL(model)) /
//   (total spikes · ln 2), where the null model gives each neuron its mean count over all the
//   given trials and bins.
// Rates below `rateFloor` (1e-9, NLB's floor; includes 0) are raised to it before taking the log
// and counted in `flooredRates`. NaN or infinite rates, and non-finite or negative counts, throw.
import Foundation

public struct PoissonNLL: Equatable, Sendable {
    public let elements: Int
    /// Σ (λ − n ln λ + ln n!).
    public let total: Double
    /// Σ (λ − n ln λ).
    public let totalWithoutLogFactorial: Double
    /// Rates that were at or below the floor.
    public let flooredRates: Int

    public var mean: Double { total / Double(elements) }
    public var meanWithoutLogFactorial: Double { totalWithoutLogFactorial / Double(elements) }
}

public enum SpikeMetrics {
    public static let rateFloor = 1e-9

    public static func poissonNLL(rates: [Double], spikes: [Double]) throws -> PoissonNLL {
        try nll(rates: rates, spikes: spikes, logFactorial: true)
    }

    /// `logFactorial: false` leaves `total` equal to `totalWithoutLogFactorial` (bits per spike
    /// does not need the term, and lgamma dominates the cost).
    static func nll(rates: [Double], spikes: [Double], logFactorial: Bool) throws -> PoissonNLL {
        guard rates.count == spikes.count else {
            throw DataIOError(file: "<metrics>", message: "\(rates.count) rates but \(spikes.count) spike counts")
        }
        guard !rates.isEmpty else { throw DataIOError(file: "<metrics>", message: "no values to score") }
        var total = 0.0, without = 0.0, floored = 0
        for (i, (r, n)) in zip(rates, spikes).enumerated() {
            guard r.isFinite else { throw DataIOError(file: "<metrics>", message: "rate \(r) at element \(i)") }
            guard n.isFinite, n >= 0 else { throw DataIOError(file: "<metrics>", message: "spike count \(n) at element \(i)") }
            var lambda = r
            if lambda <= rateFloor {
                lambda = rateFloor
                floored += 1
            }
            let term = lambda - n * Foundation.log(lambda)
            without += term
            total += logFactorial ? term + lgamma(n + 1) : term
        }
        return PoissonNLL(elements: rates.count, total: total, totalWithoutLogFactorial: without, flooredRates: floored)
    }

    /// Bits per spike of `rates` for `spikes`, both [trials, bins, neurons] flattened with the
    /// neuron index fastest. Throws when there are no spikes (the measure is undefined).
    public static func bitsPerSpike(rates: [Double], spikes: [Double], neurons: Int) throws -> Double {
        guard neurons > 0, spikes.count % neurons == 0, !spikes.isEmpty else {
            throw DataIOError(file: "<metrics>", message: "\(spikes.count) spike counts do not split into \(neurons) neurons")
        }
        let model = try nll(rates: rates, spikes: spikes, logFactorial: false)
        var sums = [Double](repeating: 0, count: neurons)
        for (i, n) in spikes.enumerated() { sums[i % neurons] += n }
        let totalSpikes = sums.reduce(0, +)
        guard totalSpikes > 0 else { throw DataIOError(file: "<metrics>", message: "bits per spike is undefined without spikes") }
        let rows = Double(spikes.count / neurons)
        let meanRates = sums.map { $0 / rows }
        let nullRates = (0..<spikes.count).map { meanRates[$0 % neurons] }
        let null = try nll(rates: nullRates, spikes: spikes, logFactorial: false)
        return (null.totalWithoutLogFactorial - model.totalWithoutLogFactorial) / totalSpikes / Foundation.log(2.0)
    }

    /// Convenience: the rates of an output tensor against a loaded split's targets.
    public static func bitsPerSpike(rates: OutputTensor, spikes: SpikeDataset) throws -> Double {
        guard rates.values.count == spikes.values.count, rates.perTrialShape == [spikes.bins, spikes.channels] else {
            throw DataIOError(file: spikes.source, object: rates.name,
                              message: "rates of shape \(rates.perTrialShape) × \(rates.trials) trials do not match spikes [\(spikes.bins), \(spikes.channels)] × \(spikes.trials)")
        }
        return try bitsPerSpike(rates: rates.values, spikes: spikes.values, neurons: spikes.channels)
    }
}
