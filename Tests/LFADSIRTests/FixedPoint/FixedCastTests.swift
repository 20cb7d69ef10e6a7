// Hand-checked casts: each quantisation mode on ties, each overflow mode on both sides of the range, the
// overflow flag, doubles (incl. special values), wide intermediates, and the Quantizer agreeing with cast.
import XCTest
@testable import LFADSIR

final class FixedCastTests: XCTestCase {
    private func type(_ text: String) throws -> FixedType { try FixedType(parsing: text) }

    func testQuantisationModesOnTies() throws {
        let inputs: [Double] = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -1.25, 1.75]
        let expected: [Quantization: [Int64]] = [
            .trn: [-3, -2, -1, 0, 1, 2, -2, 1],
            .trnZero: [-2, -1, 0, 0, 1, 2, -1, 1],
            .rnd: [-2, -1, 0, 1, 2, 3, -1, 2],
            .rndZero: [-2, -1, 0, 0, 1, 2, -1, 2],
            .rndMinInf: [-3, -2, -1, 0, 1, 2, -1, 2],
            .rndInf: [-3, -2, -1, 1, 2, 3, -1, 2],
            .rndConv: [-2, -2, 0, 0, 2, 2, -1, 2],
        ]
        for (mode, values) in expected {
            let target = try FixedType(width: 8, integer: 8, quantization: mode)
            XCTAssertEqual(inputs.map { target.cast($0).raw }, values, "\(mode) from double")
            // The same values as raw codes with 2 fraction bits.
            XCTAssertEqual(inputs.map { target.cast(raw: Int64($0 * 4), fraction: 2).raw }, values, "\(mode) from raw")
        }
    }

    func testOverflowModesOnBothSides() throws {
        // ap_fixed<4,4>: −8...7.
        let cases: [(Overflow, [Int64])] = [
            (.wrap, [-7, 7, -8, 7]),
            (.sat, [7, -8, -8, 7]),
            (.satZero, [0, 0, -8, 7]),
            (.satSym, [7, -7, -7, 7]),
        ]
        for (mode, values) in cases {
            let target = try FixedType(width: 4, integer: 4, overflow: mode)
            XCTAssertEqual([9.0, -9, -8, 7].map { target.cast($0).raw }, values, "\(mode)")
        }
        let flags = try FixedType(width: 4, integer: 4, overflow: .satSym)
        XCTAssertEqual([9.0, -9, -8, 7, -7].map { flags.cast($0).overflowed }, [true, true, true, false, false])
        let wrap = try type("ap_fixed<4,4>")
        XCTAssertEqual([9.0, -9, -8, 7].map { wrap.cast($0).overflowed }, [true, true, false, false])

        let unsigned = try type("ap_ufixed<4,4>")
        XCTAssertEqual(unsigned.cast(-1.0).raw, 15)
        XCTAssertEqual(try type("ap_ufixed<4,4,AP_TRN,AP_SAT>").cast(-1.0).raw, 0)
        XCTAssertEqual(try type("ap_ufixed<4,4,AP_TRN,AP_SAT>").cast(99.0).raw, 15)
        // AP_WRAP with N = 2: the top two bits saturate, the rest wrap.
        XCTAssertEqual(try type("ap_fixed<6,6,AP_TRN,AP_WRAP,2>").cast(raw: 37, fraction: 0).raw, 0b01_0101)
    }

    func testRoundingCarryIntoOverflow() throws {
        // 7.75 rounds to 8, one past ap_fixed<4,4>'s maximum.
        XCTAssertEqual(try type("ap_fixed<4,4,AP_RND,AP_SAT>").cast(7.75).raw, 7)
        XCTAssertEqual(try type("ap_fixed<4,4,AP_RND,AP_WRAP>").cast(7.75).raw, -8)
        XCTAssertTrue(try type("ap_fixed<4,4,AP_RND,AP_SAT>").cast(7.75).overflowed)
        // −0.25 rounds to 0 in an unsigned target: no overflow.
        let result = try type("ap_ufixed<4,4,AP_RND,AP_SAT>").cast(-0.25)
        XCTAssertEqual(result.raw, 0)
        XCTAssertFalse(result.overflowed)
    }

    func testDoublesIncludingSpecialValues() throws {
        let t = try type("ap_fixed<16,6,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(t.cast(1.3).raw, 1331)  // 1.3·1024 = 1331.2
        XCTAssertEqual(t.cast(-0.0).raw, 0)
        XCTAssertEqual(t.cast(.infinity).raw, t.maxRaw)
        XCTAssertEqual(t.cast(-.infinity).raw, t.minRaw)
        XCTAssertEqual(t.cast(.nan).raw, t.maxRaw)
        XCTAssertEqual(t.cast(-Double.nan).raw, t.minRaw)
        XCTAssertEqual(try type("ap_fixed<16,6>").cast(.infinity).raw, 0)
        XCTAssertEqual(t.cast(Double.leastNonzeroMagnitude).raw, 0)
        XCTAssertEqual(try type("ap_fixed<16,6>").cast(-Double.leastNonzeroMagnitude).raw, -1)  // floor

        XCTAssertEqual(t.double(raw: 1331), 1331.0 / 1024)
        XCTAssertEqual(try type("ap_fixed<8,20>").double(raw: -3), -3 * 4096)
    }

    /// Just above and below −½ LSB the dropped fraction scaled + 1 rounds to exactly ½ in Double; the Double
    /// fast path must still agree with the exact Int128 cast in every quantisation mode.
    func testDoublesNextToMinusHalfLSB() throws {
        for mode in ["AP_TRN", "AP_TRN_ZERO", "AP_RND", "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF", "AP_RND_CONV"] {
            let t = try type("ap_fixed<16,6,\(mode),AP_SAT>")
            for scaled in [-0.5 + 0x1p-54, -0.5 - 0x1p-55, -0.5, -0.5 + 0x1p-53, -0x1p-60, -1 + 0x1p-60] {
                let value = scaled * 0x1p-10
                let bits = value.bitPattern
                let exponent = Int((bits >> 52) & 0x7ff) - 1023
                let mantissa = -Int128(bits & 0x000f_ffff_ffff_ffff | 0x0010_0000_0000_0000)
                XCTAssertEqual(t.cast(value).raw, t.cast(raw: mantissa, fraction: 52 - exponent).raw, "\(mode) at \(scaled) LSB")
            }
        }
    }

    func testWideAndSixtyFourBitValues() throws {
        let accumulator = try type("ap_fixed<64,24>")
        XCTAssertEqual(accumulator.minRaw, Int64.min)
        XCTAssertEqual(accumulator.maxRaw, Int64.max)
        XCTAssertEqual(try type("ap_ufixed<63,3>").maxRaw, Int64.max)
        XCTAssertEqual(try type("ap_fixed<1,1>").minRaw, -1)
        XCTAssertEqual(try type("ap_fixed<1,1>").maxRaw, 0)
        // Exact product of two 64-bit codes, then one cast.
        let product = Int128(Int64.max) * Int128(Int64.max)  // (2^63 − 1)^2 ≈ 2^126
        let narrowed = try type("ap_fixed<64,64,AP_TRN,AP_SAT>").cast(raw: product, fraction: 64)
        XCTAssertEqual(narrowed.raw, Int64((product >> 64)))
        XCTAssertFalse(narrowed.overflowed)
        XCTAssertEqual(try type("ap_fixed<64,64,AP_TRN,AP_SAT>").cast(raw: product, fraction: 0).raw, Int64.max)
        // Extreme fraction counts neither trap nor misbehave.
        XCTAssertEqual(try type("ap_fixed<8,4,AP_RND,AP_SAT>").cast(raw: 5, fraction: Int.max).raw, 0)
        XCTAssertEqual(try type("ap_fixed<8,4,AP_RND,AP_SAT>").cast(raw: 5, fraction: Int.min).raw, 127)
        XCTAssertEqual(try type("ap_fixed<8,4,AP_RND,AP_SAT>").cast(raw: -5, fraction: Int.min).raw, -128)
        XCTAssertEqual(try type("ap_fixed<8,4>").cast(raw: -5, fraction: Int.max).raw, -1)
    }

    func testQuantizerAgreesWithCastAndCountsOverflows() throws {
        var random = SeededRandom(seed: 7)
        for _ in 0..<200 {
            let target = try FixedType(width: random.int(1...40), integer: random.int(-4...20),
                                       quantization: random.pick(Quantization.allCases),
                                       overflow: random.pick([.wrap, .sat, .satSym, .satZero]))
            let fraction = random.int(-10...50)
            let quantizer = Quantizer(fromFraction: fraction, to: target)
            var counted = 0
            var expected = 0
            for _ in 0..<200 {
                let raw = Int64(bitPattern: random.next()) >> random.int(0...63)
                let reference = target.cast(raw: raw, fraction: fraction)
                XCTAssertEqual(quantizer.apply(raw), reference.raw)
                XCTAssertEqual(quantizer.apply(raw, overflows: &counted), reference.raw)
                if reference.overflowed { expected += 1 }
            }
            XCTAssertEqual(counted, expected)
        }
    }
}
