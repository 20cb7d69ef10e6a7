import Foundation
import XCTest
@testable import Backends

final class NeuronMetricsTests: XCTestCase {
    // 2 trials × 3 bins × 2 channels, channel fastest.
    let values: [Double] = [1, 10, 2, 20, 3, 30,
                            3, 30, 4, 40, 5, 50]

    func testTrialMeanColumnAndBusiest() {
        XCTAssertEqual(NeuronMetrics.trialMean(values, trials: 2, bins: 3, channels: 2, channel: 0), [2, 3, 4])
        XCTAssertEqual(NeuronMetrics.trialMean(values, trials: 2, bins: 3, channels: 2, channel: 1), [20, 30, 40])
        XCTAssertEqual(NeuronMetrics.trialMean(values, trials: 2, bins: 3, channels: 2, channel: 2), [], "out-of-range channel")
        XCTAssertEqual(NeuronMetrics.trialMean(values, trials: 3, bins: 3, channels: 2, channel: 0), [], "shape mismatch")
        XCTAssertEqual(NeuronMetrics.column(values, channels: 2, channel: 1), [10, 20, 30, 30, 40, 50])
        XCTAssertEqual(NeuronMetrics.busiest(values, channels: 2, count: 1), [1])
        XCTAssertEqual(NeuronMetrics.busiest([1, 1, 1, 1], channels: 2, count: 5), [0, 1], "ties by index, at most the channels")
    }

    func testPerNeuronBitsPerSpikeMatchesOneChannelMetric() throws {
        let spikes: [Double] = [0, 1, 2, 0, 1, 3, 0, 2, 1, 0, 0, 1]
        let rates: [Double] = [0.5, 1, 1.5, 0.2, 1, 2, 0.3, 1.5, 1, 0.1, 0.2, 1]
        let perNeuron = NeuronMetrics.bitsPerSpike(rates: rates, spikes: spikes, channels: 2)
        XCTAssertEqual(perNeuron.count, 2)
        let c0 = try SpikeMetrics.bitsPerSpike(rates: NeuronMetrics.column(rates, channels: 2, channel: 0),
                                               spikes: NeuronMetrics.column(spikes, channels: 2, channel: 0), neurons: 1)
        XCTAssertEqual(perNeuron[0], c0, accuracy: 1e-15)
        // A neuron that never fires has no bits per spike: NaN, not a crash.
        XCTAssertTrue(NeuronMetrics.bitsPerSpike(rates: [1, 1, 1, 1], spikes: [0, 1, 0, 2], channels: 2)[0].isNaN)
        // The held-out subset: channel 1 of the rates against its own spikes equals the per-neuron value.
        let co = try NeuronMetrics.bitsPerSpike(rates: rates, rateChannels: 2, range: 1..<2, spikes: NeuronMetrics.column(spikes, channels: 2, channel: 1))
        XCTAssertEqual(co, perNeuron[1], accuracy: 1e-15)
        XCTAssertThrowsError(try NeuronMetrics.bitsPerSpike(rates: rates, rateChannels: 2, range: 1..<3, spikes: []))
    }

    func testR2() {
        let truth: [Double] = [1, 5, 2, 6, 3, 7]
        XCTAssertEqual(NeuronMetrics.r2(prediction: truth, truth: truth, channels: 2), [1, 1])
        // Predicting each channel's mean scores 0; a constant truth has no variance to explain.
        let r = NeuronMetrics.r2(prediction: [2, 6, 2, 6, 2, 6], truth: truth, channels: 2)
        XCTAssertEqual(r[0], 0, accuracy: 1e-12)
        XCTAssertTrue(NeuronMetrics.r2(prediction: [1, 1], truth: [2, 2], channels: 1)[0].isNaN)
        XCTAssertEqual(NeuronMetrics.r2(prediction: [1], truth: [1, 2], channels: 1), [])
    }

    /// An exact affine map is recovered on the held-out rows; noise lowers R² below 1.
    func testLinearFitRecoversAffineMap() {
        var rng = SplitMix64(seed: 7)
        let rows = 200, p = 3
        var features = [Double](), targets = [Double](), noisy = [Double]()
        for _ in 0..<rows {
            let x = (0..<p).map { _ in rng.unit() * 2 - 1 }
            features += x
            let y0 = 2 * x[0] - x[1] + 0.5, y1 = 0.3 * x[2] - 1
            targets += [y0, y1]
            noisy += [y0 + (rng.unit() - 0.5), y1]
        }
        let fit = (0..<rows).map { $0 % 2 == 0 }
        let exact = NeuronMetrics.linearFitR2(features: features, p: p, targets: targets, q: 2, fit: fit)
        XCTAssertEqual(exact[0], 1, accuracy: 1e-9)
        XCTAssertEqual(exact[1], 1, accuracy: 1e-9)
        let withNoise = NeuronMetrics.linearFitR2(features: features, p: p, targets: noisy, q: 2, fit: fit)
        XCTAssertLessThan(withNoise[0], 0.99)
        XCTAssertGreaterThan(withNoise[0], 0.5)
        // A constant feature (collinear with the intercept) still solves thanks to the ridge.
        let constant = [Double](repeating: 1, count: rows)
        let r = NeuronMetrics.linearFitR2(features: constant, p: 1, targets: targets.enumerated().filter { $0.offset % 2 == 0 }.map(\.element), q: 1, fit: fit)
        XCTAssertEqual(r.count, 1)
        XCTAssertEqual(NeuronMetrics.linearFitR2(features: [1], p: 2, targets: [1], q: 1, fit: [true]), [], "bad shapes give nothing")
    }
}
