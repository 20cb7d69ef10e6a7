import XCTest
@testable import LFADSIR

/// IR text in, IR text out.
final class HardwareOutputsPassTests: XCTestCase {
    let input = """
    lfadsir 1
    graph "h"
    %x = input() : seq<2x2>
    %rates = activation(%x) { function = exp } : seq<2x2>
    %side = activation(%x) { function = tanh } : seq<2x2>
    output %rates
    output %side

    """

    func testDropsDiagnosticOutputsAndTheirNodes() throws {
        let out = try HardwareOutputsPass().run(try IRParser.parse(input))
        XCTAssertEqual(IRPrinter.print(out), """
        lfadsir 1
        graph "h"
        %x = input() : seq<2x2>
        %rates = activation(%x) { function = exp } : seq<2x2>
        output %rates

        """)
    }

    func testKeepsRequestedOutputsAndRejectsUnknownOnes() throws {
        let graph = try IRParser.parse(input)
        XCTAssertEqual(try HardwareOutputsPass(keep: ["side"]).run(graph).outputs, ["rates", "side"])
        XCTAssertThrowsError(try HardwareOutputsPass(keep: ["nope"]).run(graph))
    }
}
