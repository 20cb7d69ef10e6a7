import XCTest
@testable import LFADSIR

/// Malformed IR text: every case gives one `IRError.parse` line naming the source, line and problem.
final class IRTextErrorTests: XCTestCase {
    static let valid = """
        lfadsir 1
        graph "small"
        meta importer = "test"
        %x = input() : seq<4x3>
        %d = dense(%x) { weight = @d.weight, bias = @d.bias, activation = relu, normalize_rows = false } : seq<4x2>
        %s = slice(%d) { start = 0, count = 1 } : seq<4x1>
        output %d
        output %s
        tensor @d.weight : 2x3 = [
          0.5 -1.0 2.0 0.25 0.0 1e-3
        ]
        tensor @d.bias : 2 = [
          0.1 -0.1
        ]

        """

    func testValidTextParses() throws {
        let g = try IRParser.parse(Self.valid)
        XCTAssertEqual(g.nodes.map(\.name), ["x", "d", "s"])
        XCTAssertEqual(g.outputs, ["d", "s"])
        XCTAssertEqual(g.metadata, ["importer": "test"])
        guard case .dense(let d) = g.nodes[1].op else { return XCTFail("not dense") }
        XCTAssertEqual(d.weight.values, [0.5, -1, 2, 0.25, 0, 0.001])
        XCTAssertEqual(d.activation, Activation(.relu))
    }

    /// Hand-written text may leave out fields that have defaults; the result equals the builder's graph.
    func testDefaultsInHandWrittenText() throws {
        let text = """
            lfadsir 1
            graph "hand"
            %x = input() : seq<2x1>
            %h = gru(%x) { return_sequences = false, reset = before, kernel = @k, recurrent_kernel = @u } : vec<1>
            %y = dense(%h) { weight = @w } : vec<1>
            %r = lfads_decoder(%y) { steps = 2, generator = { reset = after, kernel = @gk, recurrent_kernel = @gu },
                                     factors = { weight = @f, normalize_rows = true } } : seq<2x1>, seq<2x1>
            output %r.factors
            tensor @k : 3x1 = [ 1 2 3 ]
            tensor @u : 3x1 = [ 4 5 6 ]
            tensor @w : 1x1 = [ 0.5 ]
            tensor @gk : 3x0 = []
            tensor @gu : 3x1 = [ 7 8 9 ]
            tensor @f : 1x1 = [ 2 ]
            """
        var b = GraphBuilder(name: "hand")
        let x = try b.value("x", .input(InputOp(type: .sequence(steps: 2, width: 1))))
        let h = try b.value("h", .gru(GRULayer(cell: try GRUCell(reset: .before, kernel: try Matrix(rows: 3, columns: 1, values: [1, 2, 3]),
                                                                 recurrentKernel: try Matrix(rows: 3, columns: 1, values: [4, 5, 6])),
                                               returnSequences: false)), [x])
        let y = try b.value("y", .dense(try DenseLayer(weight: try Matrix(rows: 1, columns: 1, values: [0.5]), bias: nil)), [h])
        let decoder = try LFADSDecoderLayer(steps: 2, generator: try GRUCell(reset: .after, kernel: try Matrix(rows: 3, columns: 0, values: []),
                                                                             recurrentKernel: try Matrix(rows: 3, columns: 1, values: [7, 8, 9])),
                                            factors: try DenseLayer(weight: try Matrix(rows: 1, columns: 1, values: [2]), bias: nil, normalizeRows: true),
                                            controller: nil)
        let r = try b.add("r", .decoder(decoder), [y])
        let expected = try b.finish(outputs: [r[0]])
        XCTAssertEqual(try IRParser.parse(text), expected)
        assertRoundTrip(expected)
    }

    /// Applies `edit` to the valid text and expects a parse error at `line` containing `fragment`.
    private func expectError(_ text: String, line: Int, _ fragment: String, file: StaticString = #filePath, at: UInt = #line) {
        do {
            let g = try IRParser.parse(text, source: "t.ir")
            XCTFail("parsed: \(g.nodes.map(\.name))", file: file, line: at)
        } catch IRError.parse(let m) {
            XCTAssertTrue(m.hasPrefix("t.ir:\(line):"), "wrong line: \(m)", file: file, line: at)
            XCTAssertTrue(m.contains(fragment), "'\(fragment)' not in: \(m)", file: file, line: at)
            XCTAssertFalse(m.contains("\n"), "multi-line message: \(m)", file: file, line: at)
            XCTAssertLessThan(m.count, 400, file: file, line: at)
        } catch {
            XCTFail("not a parse error: \(error)", file: file, line: at)
        }
    }

    private func replacing(_ old: String, _ new: String) -> String {
        XCTAssertTrue(Self.valid.contains(old), "fixture lacks \(old)")
        return Self.valid.replacingOccurrences(of: old, with: new)
    }

    func testEmptyAndHeaderErrors() {
        expectError("", line: 1, "header")
        expectError("# only a comment\n\n", line: 3, "header")
        expectError(replacing("lfadsir 1", "lfadsir 2"), line: 1, "version '2'")
        expectError(replacing("graph \"small\"", "graph small"), line: 2, "quoted string")
        expectError(replacing("graph \"small\"", "graph \"small"), line: 2, "unterminated string")
        expectError(replacing("meta importer", "frobnicate importer"), line: 3, "expected a statement")
        expectError(replacing("meta importer = \"test\"", "meta importer = \"test\"\nmeta importer = \"again\""), line: 4, "given twice")
    }

    func testTruncatedText() {
        let cut = Self.valid.range(of: "tensor @d.bias : 2 = [\n  0.1")!.upperBound
        expectError(String(Self.valid[..<cut]), line: 13, "expected a number or ']'")
        let inNode = Self.valid.range(of: "{ weight = @d.wei")!.upperBound
        expectError(String(Self.valid[..<inNode]), line: 5, "expected ','")
        let inType = Self.valid.range(of: "%x = input() : seq<4x")!.upperBound
        expectError(String(Self.valid[..<inType]), line: 4, "expected '>'")
    }

    func testBadTypes() {
        expectError(replacing("seq<4x3>", "seq<4>"), line: 4, "bad type")
        expectError(replacing("seq<4x3>", "mat<4x3>"), line: 4, "bad type")
        expectError(replacing("seq<4x3>", "vec<3x>"), line: 4, "bad dimension")
        expectError(replacing("seq<4x3>", "seq<0x3>"), line: 4, "empty type")
        expectError(replacing("seq<4x3>", "vec<-1>"), line: 4, "bad dimension")
        expectError(replacing("seq<4x3>", "seq<99999999999999999999x3>"), line: 4, "bad dimension '99999999999999999999'")
        expectError(replacing("seq<4x3>", "seq<100000000x100000000>"), line: 4, "exceeds")
        expectError(replacing(": seq<4x2>", ": seq<4x7>"), line: 5, "declares seq<4x7> but dense gives seq<4x2>")
        expectError(replacing(": seq<4x2>", ": seq<4x2>, vec<1>"), line: 5, "1 result(s), 2 type(s)")
    }

    func testUnknownOpsAndAttributes() {
        expectError(replacing("dense(%x)", "densely(%x)"), line: 5, "unknown op 'densely'")
        expectError(replacing("dense(%x)", String(repeating: "q", count: 100_000) + "(%x)"), line: 5, "unknown op 'qqq")
        expectError(replacing("count = 1 }", "count = 1, stride = 2 }"), line: 6, "unknown attribute 'stride'")
        expectError(replacing("activation = relu", "activation = relu, activation = tanh"), line: 5, "given twice")
        expectError(replacing("activation = relu", "activation = relux"), line: 5, "unknown value 'relux'")
        expectError(replacing("weight = @d.weight, ", ""), line: 5, "missing attribute 'weight'")
        expectError(replacing("%x = input() :", "%x = gru(%x) { reset = after } :"), line: 4, "%x, which is not defined")
        expectError(replacing("normalize_rows = false", "normalize_rows = 0"), line: 5, "true or false")
        expectError(replacing("%x = input() :", "%x = input() { precision = ap_fixed<99,6> } :"), line: 4, "width 99")
        expectError(replacing("%x = input() :", "%x = input() { precision = 16 } :"), line: 4, "fixed-point type")
        expectError(replacing("%x = input() :", "%x = input() λ :"), line: 4, "unexpected character")
        let deep = String(repeating: "{ a = ", count: 100) + "1" + String(repeating: " }", count: 100)
        expectError(replacing("{ start = 0, count = 1 }", deep), line: 6, "nested deeper")
    }

    func testNamesAndOperands() {
        expectError(replacing("%x = input() : seq<4x3>\n", "%x = input() : seq<4x3>\n%x = input() : seq<4x3>\n"), line: 5, "duplicate node name '%x'")
        expectError(replacing("slice(%d)", "slice(%q)"), line: 6, "%q, which is not defined")
        expectError(replacing("slice(%d)", "slice(%d, %x)"), line: 6, "operand")
        expectError(replacing("output %s", "output %zz"), line: 8, "output %zz is not a value")
        expectError(replacing("output %s", "output %d"), line: 8, "listed twice")
        expectError(replacing("output %d\noutput %s\n", ""), line: 13, "no 'output")
        expectError(replacing("seq<4x3>", "seq<4x5>"), line: 5, "dense takes width 3")
    }

    func testNumbersAndSizes() {
        expectError(replacing("start = 0", "start = 99999999999999999999"), line: 6, "'start' must be an integer")
        expectError(replacing("count = 1", "count = 9"), line: 6, "slice 0..<9 outside")
        expectError(replacing("count = 1", "count = 1.5"), line: 6, "'count' must be an integer")
        expectError(replacing("0.25", "nan"), line: 10, "not a finite number")
        expectError(replacing("0.25", "1e999"), line: 10, "not a finite number")
        expectError(replacing("0.25", "inf"), line: 10, "not a finite number")
    }

    func testTensorErrors() {
        expectError(replacing("0.1 -0.1", "0.1"), line: 14, "needs 2 values, found 1")
        expectError(replacing("0.1 -0.1", "0.1 -0.1 0.2"), line: 13, "more than 2 values")
        expectError(replacing("@d.weight : 2x3", "@d.weight : 100000x100000"), line: 9, "exceeds")
        expectError(replacing("@d.weight : 2x3", "@d.weight : 3x2"), line: 5, "dense")
        expectError(replacing("@d.weight : 2x3", "@d.weight : 6"), line: 5, "2-D tensor")
        expectError(replacing("@d.weight : 2x3", "@d.weight : 2x3x1"), line: 9, "bad shape")
        expectError(replacing("bias = @d.bias,", "bias = @d.bias2,"), line: 5, "@d.bias2, which is not declared")
        expectError(replacing("]\ntensor @d.bias", "]\ntensor @extra : 1 = [ 1.0 ]\ntensor @d.bias"), line: 12, "@extra is not used")
        expectError(replacing("tensor @d.bias : 2 = [\n  0.1 -0.1\n]\n", "tensor @d.bias : 2 = [\n  0.1 -0.1\n]\ntensor @d.bias : 2 = [ 1 2 ]\n"), line: 15, "declared twice")
        expectError(replacing("tensor @d.bias : 2 = [", "tensor @d.bias : 2 summary min=0"), line: 12, "summary")
    }
}
