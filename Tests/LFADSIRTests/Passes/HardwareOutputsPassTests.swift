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

    let posterior = """
    lfadsir 1
    graph "p"
    %x = input() : vec<2>
    %mean = activation(%x) { function = tanh } : vec<2>
    %logvar = activation(%x) { function = exp } : vec<2>
    %std = posterior_std(%logvar) { variance_floor = 0.0001 } : vec<2>
    %z = sample(%mean, %logvar) { mode = mean } : vec<2>
    output %z
    output %std

    """

    /// The posterior mean reads no log-variance: its producer goes unless a kept output (the std) needs it.
    func testPosteriorMeanDropsTheLogvarUnlessAnOutputNeedsIt() throws {
        let graph = try IRParser.parse(posterior)
        let pruned = try HardwareOutputsPass().run(graph)
        XCTAssertEqual(pruned.nodes.map(\.name), ["x", "mean", "z"])
        XCTAssertEqual(pruned.node(named: "z")?.operands, ["mean"])
        try Verifier.verify(pruned)
        // The text form of the one-operand sample parses back.
        XCTAssertEqual(try IRParser.parse(IRPrinter.print(pruned)), pruned)

        let keepStd = try HardwareOutputsPass(keep: ["std"]).run(graph)
        XCTAssertEqual(keepStd.nodes.map(\.name), ["x", "mean", "logvar", "std", "z"])
        XCTAssertEqual(keepStd.node(named: "z")?.operands, ["mean"])

        // A Gaussian draw does read the log-variance.
        let drawn = try HardwareOutputsPass().run(try IRParser.parse(posterior.replacingOccurrences(of: "mode = mean", with: "mode = gaussian, seed = 7")))
        XCTAssertEqual(drawn.node(named: "z")?.operands, ["mean", "logvar"])
        XCTAssertTrue(drawn.nodes.contains { $0.name == "logvar" })
    }
}
