import XCTest
@testable import LFADSIR

/// IR text in, IR text out.
final class FoldQuantizersPassTests: XCTestCase {
    let input = """
    lfadsir 1
    graph "q"
    %x = input() : seq<2x2>
    %d = dense(%x) {
      weight = @d.weight,
      bias = @d.bias,
      activation = { function = linear },
      normalize_rows = false,
      quantizers = { kernel = ap_fixed<4,2,AP_RND_CONV,AP_SAT>, bias = ap_fixed<4,1,AP_RND_CONV,AP_SAT> }
    } : seq<2x1>
    output %d
    tensor @d.weight : 1x2 = [
      2.7 -0.3
    ]
    tensor @d.bias : 1 = [
      0.3
    ]

    """

    func testSaturatesAndRoundsWeightsLikeTheQuantizer() throws {
        let out = try FoldQuantizersPass().run(try IRParser.parse(input))
        let text = IRPrinter.print(out)
        // ap_fixed<4,2>: step 0.25, max 1.75 (2.7 saturates, -0.3 rounds to -0.25);
        // ap_fixed<4,1>: step 0.125, 0.3 rounds to 0.25.
        XCTAssertTrue(text.contains("tensor @d.weight : 1x2 = [\n  1.75 -0.25\n]"), text)
        XCTAssertTrue(text.contains("tensor @d.bias : 1 = [\n  0.25\n]"), text)
        // Idempotent: folding again changes nothing.
        XCTAssertEqual(IRPrinter.print(try FoldQuantizersPass().run(out)), text)
    }
}
