import XCTest
@testable import LFADSIR

/// IR text in, IR text out.
final class InterleavePassTests: XCTestCase {
    let input = """
    lfadsir 1
    graph "i"
    %x = input() : seq<2x2>
    %d = dense(%x) { weight = @d.weight, bias = @d.bias, activation = linear, normalize_rows = false } : seq<2x1>
    output %d
    tensor @d.weight : 1x2 = [
      0.5 -0.25
    ]
    tensor @d.bias : 1 = [
      0.125
    ]

    """

    func testSetsTrialsInFlightAndNothingElse() throws {
        let graph = try IRParser.parse(input)
        let out = try InterleavePass(trials: 3).run(graph)
        let text = IRPrinter.print(out)
        XCTAssertEqual(text, input.replacingOccurrences(of: "graph \"i\"\n", with: "graph \"i\"\ntrials_in_flight 3\n"))
        XCTAssertEqual(try IRParser.parse(text), out)
        // Back to one trial per call: the statement disappears.
        XCTAssertEqual(IRPrinter.print(try InterleavePass(trials: 1).run(out)), input)
        XCTAssertThrowsError(try InterleavePass(trials: 65).run(graph)) { e in XCTAssertTrue("\(e)".contains("1...64"), "\(e)") }
    }
}
