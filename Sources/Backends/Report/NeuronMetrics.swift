import Foundation

/// Per-neuron views of [trials, bins, channels] arrays (channel fastest): trial averages, bits per spike, R².
enum NeuronMetrics {
    /// Mean over trials of one channel, per bin (a PSTH in the array's unit).
    static func trialMean(_ values: [Double], trials: Int, bins: Int, channels: Int, channel: Int) -> [Double] {
        guard trials > 0, bins > 0, channel >= 0, channel < channels, values.count == trials * bins * channels else { return [] }
        var out = [Double](repeating: 0, count: bins)
        for t in 0..<trials { for b in 0..<bins { out[b] += values[(t * bins + b) * channels + channel] } }
        return out.map { $0 / Double(trials) }
    }

    /// One channel's values, all trials and bins in order.
    static func column(_ values: [Double], channels: Int, channel: Int) -> [Double] {
        guard channels > 0, channel >= 0, channel < channels else { return [] }
        return stride(from: channel, to: values.count, by: channels).map { values[$0] }
    }

    /// Channels by mean value, largest first (ties by index).
    static func busiest(_ values: [Double], channels: Int, count: Int) -> [Int] {
        guard channels > 0 else { return [] }
        var sums = [Double](repeating: 0, count: channels)
        for (i, v) in values.enumerated() where v.isFinite { sums[i % channels] += v }
        return sums.indices.sorted { (sums[$0], $1) > (sums[$1], $0) }.prefix(max(0, count)).map { $0 }
    }

    /// Bits per spike of each channel against its own mean-rate null (NaN where undefined: no spikes, bad rates).
    static func bitsPerSpike(rates: [Double], spikes: [Double], channels: Int) -> [Double] {
        guard channels > 0, rates.count == spikes.count else { return [] }
        return (0..<channels).map { c in
            (try? SpikeMetrics.bitsPerSpike(rates: column(rates, channels: channels, channel: c),
                                            spikes: column(spikes, channels: channels, channel: c), neurons: 1)) ?? .nan
        }
    }

    /// Bits per spike over a range of channels of `rates` (e.g. held-out neurons) against `spikes` holding
    /// just those channels: the NLB co-bps when the range is the held-out neurons.
    static func bitsPerSpike(rates: [Double], rateChannels: Int, range: Range<Int>, spikes: [Double]) throws -> Double {
        guard rateChannels > 0, range.lowerBound >= 0, range.upperBound <= rateChannels, !range.isEmpty,
              rates.count % rateChannels == 0, spikes.count == rates.count / rateChannels * range.count else {
            throw DataIOError(file: "<metrics>", message: "rates of width \(rateChannels) do not cover channels \(range) of the held-out spikes")
        }
        var picked = [Double]()
        picked.reserveCapacity(spikes.count)
        for row in 0..<(rates.count / rateChannels) { picked += rates[(row * rateChannels + range.lowerBound)..<(row * rateChannels + range.upperBound)] }
        return try SpikeMetrics.bitsPerSpike(rates: picked, spikes: spikes, neurons: range.count)
    }

    /// R² of `prediction` against `truth` per channel: 1 − SS_res / SS_tot (NaN for a constant truth).
    static func r2(prediction: [Double], truth: [Double], channels: Int) -> [Double] {
        guard channels > 0, prediction.count == truth.count, truth.count % channels == 0 else { return [] }
        return (0..<channels).map { c in
            let p = column(prediction, channels: channels, channel: c), t = column(truth, channels: channels, channel: c)
            let mean = t.reduce(0, +) / Double(max(1, t.count))
            let total = t.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            let residual = zip(p, t).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            return total > 0 && residual.isFinite ? 1 - residual / total : .nan
        }
    }

    /// R² per target channel of an affine least-squares map from `features` (rows × p) to `targets` (rows × q),
    /// fitted on the rows where `fit` is true and scored on the others (all rows when none are left out).
    static func linearFitR2(features: [Double], p: Int, targets: [Double], q: Int, fit: [Bool]) -> [Double] {
        let rows = fit.count
        guard p > 0, q > 0, rows > 0, features.count == rows * p, targets.count == rows * q else { return [] }
        let k = p + 1
        // Normal equations with a tiny ridge so collinear features (e.g. a constant factor) stay solvable.
        var a = [Double](repeating: 0, count: k * k), b = [Double](repeating: 0, count: k * q)
        for r in 0..<rows where fit[r] {
            let x = [1.0] + features[(r * p)..<((r + 1) * p)]
            for i in 0..<k {
                for j in 0..<k { a[i * k + j] += x[i] * x[j] }
                for j in 0..<q { b[i * q + j] += x[i] * targets[r * q + j] }
            }
        }
        let scale = (0..<k).map { a[$0 * k + $0] }.max() ?? 1
        for i in 1..<k { a[i * k + i] += 1e-9 * max(scale, 1) }
        guard let beta = solve(a, b, n: k, columns: q) else { return [Double](repeating: .nan, count: q) }
        let scored = fit.contains(false) ? fit.map { !$0 } : fit
        var prediction = [Double](), truth = [Double]()
        for r in 0..<rows where scored[r] {
            let x = [1.0] + features[(r * p)..<((r + 1) * p)]
            for j in 0..<q {
                prediction.append((0..<k).reduce(0) { $0 + x[$1] * beta[$1 * q + j] })
                truth.append(targets[r * q + j])
            }
        }
        return r2(prediction: prediction, truth: truth, channels: q)
    }

    /// Gaussian elimination with partial pivoting: a (n × n) · x = b (n × columns); nil when singular.
    static func solve(_ a: [Double], _ b: [Double], n: Int, columns: Int) -> [Double]? {
        var a = a, b = b
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(a[$0 * n + col]) < abs(a[$1 * n + col]) }), abs(a[pivot * n + col]) > 1e-300 else { return nil }
            if pivot != col {
                for j in 0..<n { a.swapAt(col * n + j, pivot * n + j) }
                for j in 0..<columns { b.swapAt(col * columns + j, pivot * columns + j) }
            }
            for r in (col + 1)..<n where a[r * n + col] != 0 {
                let m = a[r * n + col] / a[col * n + col]
                for j in col..<n { a[r * n + j] -= m * a[col * n + j] }
                for j in 0..<columns { b[r * columns + j] -= m * b[col * columns + j] }
            }
        }
        var x = [Double](repeating: 0, count: n * columns)
        for row in stride(from: n - 1, through: 0, by: -1) {
            for j in 0..<columns {
                var s = b[row * columns + j]
                for c in (row + 1)..<n { s -= a[row * n + c] * x[c * columns + j] }
                x[row * columns + j] = s / a[row * n + row]
            }
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }
}
