// Spellings in and out: C++ and hls4ml names, defaults, round trips, and one-line errors that quote the input.
import XCTest
@testable import LFADSIR

final class FixedTypeParsingTests: XCTestCase {
    func testParsesCppAndHls4mlSpellings() throws {
        let plain = try FixedType(parsing: "ap_fixed<16,6>")
        XCTAssertEqual([plain.width, plain.integer, plain.fraction, plain.saturationBits], [16, 6, 10, 0])
        XCTAssertTrue(plain.signed)
        XCTAssertEqual(plain.quantization, .trn)
        XCTAssertEqual(plain.overflow, .wrap)

        let full = try FixedType(parsing: "ap_ufixed<8,0,AP_RND,AP_SAT,0>")
        XCTAssertEqual(full, try FixedType(width: 8, integer: 0, signed: false, quantization: .rnd, overflow: .sat))

        XCTAssertEqual(try FixedType(parsing: "fixed<16,6,RND_CONV,SAT>"),
                       try FixedType(width: 16, integer: 6, quantization: .rndConv, overflow: .sat))
        XCTAssertEqual(try FixedType(parsing: "ufixed<16,0,RND_CONV,SAT>"),
                       try FixedType(width: 16, integer: 0, signed: false, quantization: .rndConv, overflow: .sat))
        XCTAssertEqual(try FixedType(parsing: "ap_int<8>"), try FixedType(width: 8, integer: 8))
        XCTAssertEqual(try FixedType(parsing: "int<8>"), try FixedType(width: 8, integer: 8))
        XCTAssertEqual(try FixedType(parsing: "ap_uint<3>"), try FixedType(width: 3, integer: 3, signed: false))
        XCTAssertEqual(try FixedType(parsing: "uint<3>"), try FixedType(width: 3, integer: 3, signed: false))
        XCTAssertEqual(try FixedType(parsing: "  ap_fixed < 18 , -2 , AP_TRN_ZERO , AP_WRAP_SM , 3 > "),
                       try FixedType(width: 18, integer: -2, quantization: .trnZero, overflow: .wrapSM, saturationBits: 3))
        // Either family's mode names are accepted in the other.
        XCTAssertEqual(try FixedType(parsing: "fixed<8,3,AP_RND_INF,AP_SAT_SYM>"),
                       try FixedType(parsing: "ap_fixed<8,3,RND_INF,SAT_SYM>"))
    }

    func testPrintsCanonicalSpellingsWithDefaultsOmitted() throws {
        XCTAssertEqual(try FixedType(parsing: "ap_fixed<16,6,AP_TRN,AP_WRAP,0>").description, "ap_fixed<16,6>")
        XCTAssertEqual(try FixedType(parsing: "ufixed<16,0,RND_CONV,SAT>").description, "ap_ufixed<16,0,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(try FixedType(parsing: "ap_fixed<16,6,AP_RND>").description, "ap_fixed<16,6,AP_RND>")
        XCTAssertEqual(try FixedType(parsing: "ap_fixed<16,6,AP_TRN,AP_SAT>").description, "ap_fixed<16,6,AP_TRN,AP_SAT>")
        XCTAssertEqual(try FixedType(parsing: "ap_fixed<16,6,AP_TRN,AP_WRAP,2>").description,
                       "ap_fixed<16,6,AP_TRN,AP_WRAP,2>")
        XCTAssertEqual(try FixedType(parsing: "ap_uint<3>").description, "ap_ufixed<3,3>")
        XCTAssertEqual(try FixedType(parsing: "ap_fixed<16,6,AP_RND_CONV,AP_SAT>").hls4mlDescription,
                       "fixed<16,6,RND_CONV,SAT>")
        XCTAssertEqual(try FixedType(parsing: "ap_ufixed<8,0>").hls4mlDescription, "ufixed<8,0>")
    }

    func testEveryTypeRoundTripsThroughBothSpellings() throws {
        var random = SeededRandom(seed: 42)
        for _ in 0..<2000 {
            let signed = random.chance(0.5)
            let width = random.int(1...(signed ? 64 : 63))
            let overflow = random.pick(signed ? Overflow.allCases : Overflow.allCases.filter { $0 != .wrapSM })
            let type = try FixedType(width: width, integer: random.int(-70...70), signed: signed,
                                     quantization: random.pick(Quantization.allCases), overflow: overflow,
                                     saturationBits: random.chance(0.3) ? random.int(0...width) : 0)
            XCTAssertEqual(try FixedType(parsing: type.description), type, type.description)
            XCTAssertEqual(try FixedType(parsing: type.hls4mlDescription), type, type.hls4mlDescription)
        }
    }

    func testRejectsBadSpellingsWithOneLineMessages() {
        let cases: [(String, String)] = [
            ("ap_fixed<0,3>", "invalid fixed-point type 'ap_fixed<0,3>': width 0 is outside 1...64"),
            ("fixed<16>", "invalid fixed-point type 'fixed<16>': fixed expects 2 to 5 parameters, found 1"),
            ("ap_fixed<16,6,AP_FOO>", "invalid fixed-point type 'ap_fixed<16,6,AP_FOO>': unknown quantisation mode 'AP_FOO'"),
            ("ap_fixed<16,6,AP_RND,AP_BAR>", "invalid fixed-point type 'ap_fixed<16,6,AP_RND,AP_BAR>': unknown overflow mode 'AP_BAR'"),
            ("ap_fixed<65,3>", "invalid fixed-point type 'ap_fixed<65,3>': width 65 is outside 1...64"),
            ("ap_ufixed<64,3>", "invalid fixed-point type 'ap_ufixed<64,3>': ap_ufixed width 64 is not supported (raw values are Int64), use 1...63"),
            ("ap_ufixed<8,2,AP_TRN,AP_WRAP_SM>", "invalid fixed-point type 'ap_ufixed<8,2,AP_TRN,AP_WRAP_SM>': ap_ufixed does not support AP_WRAP_SM"),
            ("ap_fixed<8,3,AP_TRN,AP_WRAP,9>", "invalid fixed-point type 'ap_fixed<8,3,AP_TRN,AP_WRAP,9>': saturation bits 9 outside 0...8"),
            ("ap_fixed<16,x>", "invalid fixed-point type 'ap_fixed<16,x>': integer bits 'x' is not an integer"),
            ("ap_fixed<16,6", "invalid fixed-point type 'ap_fixed<16,6': expected NAME<...>"),
            ("float<16,6>", "invalid fixed-point type 'float<16,6>': unknown type name 'float'"),
            ("ap_int<8,2>", "invalid fixed-point type 'ap_int<8,2>': ap_int expects 1 parameter, found 2"),
            ("ap_fixed<16,6,,AP_SAT>", "invalid fixed-point type 'ap_fixed<16,6,,AP_SAT>': unknown quantisation mode ''"),
            ("", "invalid fixed-point type '': expected NAME<...>"),
            ("ap_fixed<16,\n6,AP_X>", "invalid fixed-point type 'ap_fixed<16,\\n6,AP_X>': unknown quantisation mode 'AP_X'"),
            ("ap_fixed<8,99999>", "invalid fixed-point type 'ap_fixed<8,99999>': integer bits 99999 outside ±4096"),
            ("ap_fixed<99999999999999999999,1>",
             "invalid fixed-point type 'ap_fixed<99999999999999999999,1>': width '99999999999999999999' is not an integer"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try FixedType(parsing: text), text) { error in
                XCTAssertEqual((error as? FixedPointError)?.description, message)
                XCTAssertFalse("\(error)".contains("\n"))
            }
        }
    }

    func testMemberwiseInitialiserValidates() {
        XCTAssertThrowsError(try FixedType(width: 16, integer: 6, signed: false, overflow: .wrapSM)) { error in
            XCTAssertEqual("\(error)",
                           "invalid fixed-point type 'ap_ufixed<16,6,AP_TRN,AP_WRAP_SM,0>': ap_ufixed does not support AP_WRAP_SM")
        }
        XCTAssertThrowsError(try FixedType(width: 8, integer: 2, saturationBits: -1))
    }
}
