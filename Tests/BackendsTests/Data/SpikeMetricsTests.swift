import Foundation
import HDF5
import XCTest
@testable import Backends

final class SpikeMetricsTests: XCTestCase {
    /// lfads-torch float64 posterior-mean rates of the first 20 validation trials against their
    /// counts. Expected numbers computed with numpy (math.lgamma for ln n!) at development time;
    /// the null rates are each neuron's mean over these 20 trials.
    func testLorenzReferenceMetrics() throws {
        let expected: [(String, Double, Double, Double)] = [
            ("lorenz_nocon", 0.7679857110895834, 0.53283183316522, 0.7977954727269457),
            ("lorenz_con", 0.7557602753631413, 0.5206063974387777, 0.8316585340598537),
        ]
        for (model, mean, meanNoFactorial, bps) in expected {
            let path = DataFixtures.lorenzReference(model)
            let spec = [InputSpec(name: "rates", steps: 50, width: 40)]
            let rates = try SpikeDataReader.read(path: path, dataset: "valid_output_params", expectedInputs: spec).inputs[0]
            let spikes = try SpikeDataReader.read(path: path, dataset: "valid_encod_data", expectedInputs: spec).inputs[0]
            XCTAssertEqual(rates.trials, 20)
            let nll = try SpikeMetrics.poissonNLL(rates: rates.values, spikes: spikes.values)
            XCTAssertEqual(nll.elements, 40_000)
            XCTAssertEqual(nll.mean, mean, accuracy: 1e-12)
            XCTAssertEqual(nll.meanWithoutLogFactorial, meanNoFactorial, accuracy: 1e-12)
            XCTAssertEqual(nll.flooredRates, 0)
            XCTAssertEqual(try SpikeMetrics.bitsPerSpike(rates: rates.values, spikes: spikes.values, neurons: 40), bps, accuracy: 1e-12)
            var out = SimulationOutputs(split: "valid")
            try out.add("output_params", perTrialShape: [50, 40], values: rates.values)
            XCTAssertEqual(try SpikeMetrics.bitsPerSpike(rates: out.tensor("output_params")!, spikes: spikes), bps, accuracy: 1e-12)
        }
    }

    /// The FPGA template's Keras log-rates (1/s, 10 ms bins): README numbers 1903.696 / 1880.822.
    func testTemplateTrialNLL() throws {
        guard let dir = DataFixtures.templateDirectory else { throw XCTSkip("peer template not found next to the repository") }
        let spikes = try SpikeDataReader.read(path: dir.appendingPathComponent("tb_input_features.dat").path,
                                              expectedInputs: DataFixtures.templateInputs).inputs[0]
        let logf = try SpikeDataReader.read(path: dir.appendingPathComponent("tb_output_predictions.dat").path,
                                            expectedInputs: [InputSpec(name: "logrates", steps: 73, width: 70, kind: .real)])
        XCTAssertTrue(logf.warnings.isEmpty)
        XCTAssertEqual(logf.inputs[0][0, 0, 0], 0.70165)
        XCTAssertEqual(logf.inputs[0][0, 72, 69], 1.080003)
        let rates = logf.inputs[0].values.map { exp($0) * 0.01 }
        let nll = try SpikeMetrics.poissonNLL(rates: rates, spikes: spikes.values)
        XCTAssertEqual(nll.total, 1903.6961158853187, accuracy: 1e-9)
        XCTAssertEqual(nll.totalWithoutLogFactorial, 1880.8222589268407, accuracy: 1e-9)
    }

    func testHandComputedAndFloor() throws {
        // λ=2, n=3: 2 − 3 ln 2 + ln 6; λ=0 floored to 1e-9 with n=0 gives 1e-9.
        let nll = try SpikeMetrics.poissonNLL(rates: [2, 0], spikes: [3, 0])
        XCTAssertEqual(nll.total, 2 - 3 * log(2.0) + log(6.0) + 1e-9, accuracy: 1e-15)
        XCTAssertEqual(nll.totalWithoutLogFactorial, 2 - 3 * log(2.0) + 1e-9, accuracy: 1e-15)
        XCTAssertEqual(nll.flooredRates, 1)
        XCTAssertEqual(nll.mean, nll.total / 2)
        // rates equal to the per-neuron mean score exactly 0 bits per spike
        let spikes: [Double] = [1, 0, 3, 2, 0, 4]  // 3 bins × 2 neurons
        XCTAssertEqual(try SpikeMetrics.bitsPerSpike(rates: [4.0 / 3, 2, 4.0 / 3, 2, 4.0 / 3, 2], spikes: spikes, neurons: 2), 0, accuracy: 1e-15)
        // perfect-ish rates beat the null
        XCTAssertGreaterThan(try SpikeMetrics.bitsPerSpike(rates: spikes.map { max($0, 0.01) }, spikes: spikes, neurons: 2), 0.5)
    }

    func testMetricErrors() {
        assertDataError(["2 rates but 1 spike"]) { _ = try SpikeMetrics.poissonNLL(rates: [1, 2], spikes: [1]) }
        assertDataError(["no values"]) { _ = try SpikeMetrics.poissonNLL(rates: [], spikes: []) }
        assertDataError(["rate nan"]) { _ = try SpikeMetrics.poissonNLL(rates: [.nan], spikes: [1]) }
        assertDataError(["spike count -1.0"]) { _ = try SpikeMetrics.poissonNLL(rates: [1], spikes: [-1]) }
        assertDataError(["without spikes"]) { _ = try SpikeMetrics.bitsPerSpike(rates: [1, 1], spikes: [0, 0], neurons: 2) }
        assertDataError(["3 spike counts", "2 neurons"]) { _ = try SpikeMetrics.bitsPerSpike(rates: [1, 1, 1], spikes: [0, 1, 0], neurons: 2) }
    }
}
