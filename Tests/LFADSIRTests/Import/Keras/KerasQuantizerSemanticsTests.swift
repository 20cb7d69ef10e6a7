import XCTest
@testable import LFADSIR

/// The importer's reading of QKeras quantizers, checked against QKeras' forward formulas evaluated in float32
/// as TensorFlow does (round = half to even), over grids that include rounding ties and saturation.
final class KerasQuantizerSemanticsTests: XCTestCase {
    private let site = KerasSite(file: "t.h5", path: "q")

    private func activation(_ text: String, qkeras: Bool = true) throws -> Activation {
        try QKerasSemantics.activation(try QKerasSpec.parse(text, site: site), qkeras: qkeras, site: site)
    }

    private func type(_ text: String, role: QuantizerRole = .other) throws -> FixedType {
        try QKerasSemantics.fixedType(try QKerasSpec.parse(text, site: site), role: role, site: site)
    }

    // MARK: reference formulas (QKeras' __call__ with scale 1, in Float)

    private func quantizedBits(_ x: Float, bits: Int, integer: Int, symmetric: Bool, keepNegative: Bool) -> Float {
        let m = Float(pow(2.0, Double(bits - (keepNegative ? 1 : 0))))
        let mi = Float(pow(2.0, Double(integer)))
        let p = (x * m / mi).rounded(.toNearestOrEven)
        let lower = keepNegative ? -m + (symmetric ? 1 : 0) : 0
        return mi * min(max(p, lower), m - 1) / m
    }

    private func quantizedTanh(_ x: Float, bits: Int, symmetric: Bool) -> Float {
        let m = Float(pow(2.0, Double(bits - 1)))
        let p = 2 * min(max(0.5 * x + 0.5, 0), 1) - 1
        return min(max((p * m).rounded(.toNearestOrEven) / m, -1 + (symmetric ? 1 : 0) / m), 1 - 1 / m)
    }

    private func quantizedSigmoid(_ x: Float, bits: Int) -> Float {
        let m = Float(pow(2.0, Double(bits)))
        let p = min(max(0.5 * x + 0.5, 0), 1)
        return min(max((p * m).rounded(.toNearestOrEven) / m, 0), 1 - 1 / m)
    }

    /// x = k·2^-17 over [−80, 80]: hits ties of every grid used below and both saturation ends.
    private var grid: [Float] { stride(from: -10_485_760, through: 10_485_760, by: 997).map { Float($0) / 131_072 } }

    func testQuantizedBitsMatchesQKeras() throws {
        let cases: [(String, Int, Int, Bool, Bool)] = [
            ("quantized_bits(16,6,alpha=1)", 16, 6, false, true),
            ("quantized_bits(16,1,0,alpha=1)", 16, 1, false, true),
            ("quantized_bits(8,2,1,alpha=1)", 8, 2, true, true),
            ("quantized_bits(8,3,0,keep_negative=False,alpha=1)", 8, 3, false, false),
            ("quantized_bits(6,-1,alpha=1)", 6, -1, false, true),
        ]
        for (text, bits, integer, symmetric, keepNegative) in cases {
            let a = try activation(text)
            XCTAssertEqual(a.function, .linear)
            var mismatches = 0
            for x in grid where Double(quantizedBits(x, bits: bits, integer: integer, symmetric: symmetric, keepNegative: keepNegative)) != a.apply(Double(x)) {
                mismatches += 1
            }
            XCTAssertEqual(mismatches, 0, text)
        }
        XCTAssertEqual(try type("quantized_bits(16,6,alpha=1)").description, "ap_fixed<16,7,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(try type("quantized_bits(8,2,1,alpha=1)").description, "ap_fixed<8,3,AP_RND_CONV,AP_SAT_SYM>")
        XCTAssertEqual(try type("quantized_bits(8,3,keep_negative=0,alpha=1)").description, "ap_ufixed<8,3,AP_RND_CONV,AP_SAT>")
    }

    func testQuantizedTanhAndSigmoidMatchQKeras() throws {
        for (bits, symmetric) in [(16, false), (8, false), (8, true)] {
            let a = try activation("quantized_tanh(\(bits),0,\(symmetric ? 1 : 0))")
            XCTAssertEqual(a.function, .hardTanh)
            let bad = grid.filter { Double(quantizedTanh($0, bits: bits, symmetric: symmetric)) != a.apply(Double($0)) }
            XCTAssertEqual(bad.count, 0, "quantized_tanh(\(bits)) first mismatch at \(bad.first.map { "\($0)" } ?? "-")")
        }
        for bits in [16, 8] {
            let a = try activation("quantized_sigmoid(\(bits))")
            XCTAssertEqual(a.function, .hardSigmoid)
            let bad = grid.filter { Double(quantizedSigmoid($0, bits: bits)) != a.apply(Double($0)) }
            XCTAssertEqual(bad.count, 0, "quantized_sigmoid(\(bits)) first mismatch at \(bad.first.map { "\($0)" } ?? "-")")
        }
        XCTAssertEqual(try activation("quantized_tanh(16,use_real_tanh=True)"),
                       Activation(.tanh, quantizer: try FixedType(parsing: "ap_fixed<16,1,AP_RND_CONV,AP_SAT>")))
        XCTAssertEqual(try activation("quantized_sigmoid(16,0,1)"),
                       Activation(.sigmoid, quantizer: try FixedType(parsing: "ap_ufixed<16,0,AP_RND_CONV,AP_SAT>")))
    }

    func testBareNamesDependOnTheFramework() throws {
        XCTAssertEqual(try activation("hard_sigmoid", qkeras: true).function, .hardSigmoid)
        XCTAssertEqual(try activation("hard_sigmoid", qkeras: false).function, .kerasHardSigmoid)
        XCTAssertEqual(try activation("exponential").function, .exp)
        XCTAssertThrowsError(try activation("hard_tanh", qkeras: false))
    }

    func testUnrepresentableQuantizersAreRefused() {
        XCTAssertThrowsError(try type("quantized_bits(8,0)", role: .kernel))        // alpha None → auto_po2
        XCTAssertNoThrow(try type("quantized_bits(8,0)", role: .other))
        XCTAssertThrowsError(try type("quantized_bits(8,0,alpha='auto_po2')"))
        XCTAssertThrowsError(try type("quantized_bits(8,0,alpha=0.5)"))
        XCTAssertThrowsError(try type("quantized_bits(1,0,alpha=1)"))               // sign function
        XCTAssertThrowsError(try type("quantized_bits(8,0,alpha=1,qnoise_factor=0.5)"))
        XCTAssertThrowsError(try type("quantized_relu(8,0)"))
        XCTAssertThrowsError(try activation("quantized_sigmoid(8,1)"))              // symmetric: minimum 2^-8
        XCTAssertThrowsError(try activation("quantized_bits(8,0,alpha=1,2)"))        // positional after keyword
        XCTAssertThrowsError(try activation("quantized_bits(8,0,alpha=1"))
    }
}
