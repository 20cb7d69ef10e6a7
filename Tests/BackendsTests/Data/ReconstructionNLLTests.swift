// lfads-torch's reconstruction losses against values worked out by hand from the densities.
import Foundation
import XCTest
@testable import Backends

final class ReconstructionNLLTests: XCTestCase {
    /// Two neurons, one bin: parameters parameter-major ([p0 n0, p0 n1, p1 n0, p1 n1, ...]).
    func testEachLossAgainstItsDensity() throws {
        let x = [2.0, 0.5]
        let mse = try XCTUnwrap(ReconstructionNLL.mean(kind: "MSE", gammaLoc: 0, params: [1, 1], targets: x, neurons: 2))
        XCTAssertEqual(mse, (1 + 0.25) / 2, accuracy: 1e-15)
        // Gaussian: ½(ln v + (x − μ)²/v) with v = e^logvar, and v floored at 1e−6.
        let gaussian = try XCTUnwrap(ReconstructionNLL.mean(kind: "Gaussian", gammaLoc: 0, params: [1, 0.5, log(4), -40], targets: x, neurons: 2))
        let first: Double = 0.5 * (log(4.0) + 0.25), second: Double = 0.5 * log(1e-6)
        XCTAssertEqual(gaussian, (first + second) / 2, accuracy: 1e-12)
        // Gamma(α = 2, β = 3) at 2: −(2 ln 3 + ln 2 − 6 − lnΓ(2)); Gamma(α = 1, β = 1) at 0.5: 0.5 (exponential).
        let gamma = try XCTUnwrap(ReconstructionNLL.mean(kind: "Gamma", gammaLoc: 0, params: [log(2), 0, log(3), 0], targets: x, neurons: 2))
        let gammaAt2: Double = 6 - 2 * log(3.0) - log(2.0)
        XCTAssertEqual(gamma, (gammaAt2 + 0.5) / 2, accuracy: 1e-12)
        // A zero count has no Gamma density: undefined, as in lfads-torch.
        XCTAssertNil(ReconstructionNLL.mean(kind: "Gamma", gammaLoc: 0, params: [log(2), 0, log(3), 0], targets: [0, 1], neurons: 2))
        // ZIG with loc 0.5: neuron 0 sees 2 (Gamma(2, 3) at 1.5, q = 0.25), neuron 1 a zero (−ln(1 − 0.75)).
        let zig = try XCTUnwrap(ReconstructionNLL.mean(kind: "ZeroInflatedGamma", gammaLoc: 0.5,
                                                       params: [2, 1, 3, 1, 0.25, 0.75], targets: [2, 0], neurons: 2))
        let gammaAt15: Double = 4.5 - 2 * log(3.0) - log(1.5)
        XCTAssertEqual(zig, (gammaAt15 - 2 * log(0.25)) / 2, accuracy: 1e-12)
        // Sizes that do not agree and the Poisson family give nothing.
        XCTAssertNil(ReconstructionNLL.mean(kind: "Gamma", gammaLoc: 0, params: [1, 2, 3], targets: x, neurons: 2))
        XCTAssertNil(ReconstructionNLL.mean(kind: "Poisson", gammaLoc: 0, params: [1, 2], targets: x, neurons: 2))
        XCTAssertNil(ReconstructionNLL.parameterOutput(kind: "PoissonBPS"))
        XCTAssertEqual(ReconstructionNLL.parameterOutput(kind: "MSE"), "output_params")
        XCTAssertFalse(ReconstructionNLL.meansAreRates(kind: "Gaussian"))
        XCTAssertTrue(ReconstructionNLL.meansAreRates(kind: nil))
    }
}
