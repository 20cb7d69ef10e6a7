import XCTest
@testable import Backends

final class ExactDecimalCodesTests: XCTestCase {
    func testFormats() {
        XCTAssertEqual(ExactDecimal.string(raw: 0, fraction: 10), "0")
        XCTAssertEqual(ExactDecimal.string(raw: 0, fraction: -3), "0")
        XCTAssertEqual(ExactDecimal.string(raw: -3, fraction: 1), "-1.5")
        XCTAssertEqual(ExactDecimal.string(raw: 1, fraction: 3), "0.125")
        XCTAssertEqual(ExactDecimal.string(raw: -1, fraction: 10), "-0.0009765625")
        XCTAssertEqual(ExactDecimal.string(raw: 5, fraction: -2), "20")
        XCTAssertEqual(ExactDecimal.string(raw: 1024, fraction: 10), "1")
        XCTAssertEqual(ExactDecimal.string(raw: 1536, fraction: 10), "1.5")
        XCTAssertEqual(ExactDecimal.string(raw: 7, fraction: 0), "7")
        XCTAssertEqual(ExactDecimal.string(raw: Int64.min, fraction: 0), "-9223372036854775808")
        // 1 − 2^-63 has exactly 63 fraction digits.
        XCTAssertEqual(ExactDecimal.string(raw: Int64.max, fraction: 63), "0.999999999999999999891579782751449556599254719913005828857421875")
        XCTAssertEqual(ExactDecimal.line(raws: [2, -1, 0], fraction: 2), "0.5 -0.25 0\n")
    }

    /// Every 12-bit code at several fractions: the text parses back to exactly the value.
    func testRoundTripsThroughDouble() {
        for fraction in [-4, 0, 1, 7, 12, 20] {
            for raw in Int64(-2048)...2047 {
                let text = ExactDecimal.string(raw: raw, fraction: fraction)
                XCTAssertFalse(text.contains("e") || text.hasSuffix(".") || text == "-0")
                if text.contains(".") { XCTAssertFalse(text.hasSuffix("0"), text) }
                XCTAssertEqual(Double(text), Double(sign: .plus, exponent: -fraction, significand: Double(raw)), text)
            }
        }
    }

    /// A code and the Double of the same value print the same text (one writer serves both).
    func testCodesAndDoublesAgree() {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let raw = Int64.random(in: -(1 << 52)...(1 << 52), using: &g)
            let fraction = Int.random(in: -10...70, using: &g)
            let x = Double(sign: .plus, exponent: -fraction, significand: Double(raw))
            XCTAssertEqual(ExactDecimal.string(raw: raw, fraction: fraction), ExactDecimal.string(x), "\(raw) 2^-\(fraction)")
        }
    }
}
