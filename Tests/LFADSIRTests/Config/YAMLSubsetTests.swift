import XCTest
@testable import LFADSIR

final class YAMLSubsetTests: XCTestCase {
    func parse(_ s: String) throws -> YAMLNode { try YAMLSubsetParser.parse(s, file: "t.yml") }

    func assertError(_ text: String, line: Int, _ fragment: String, file: StaticString = #filePath, at: UInt = #line) {
        XCTAssertThrowsError(try parse(text), file: file, line: at) { e in
            guard let c = e as? ConfigError else { return XCTFail("not a ConfigError: \(e)", file: file, line: at) }
            XCTAssertEqual(c.line, line, "\(c)", file: file, line: at)
            XCTAssertTrue(c.description.hasPrefix("t.yml:\(line): "), c.description, file: file, line: at)
            XCTAssertTrue(c.message.contains(fragment), c.description, file: file, line: at)
        }
    }

    func testMapsListsScalarsAndComments() throws {
        let text = """
        # leading comment
        ---
        Backend: Vivado   # trailing comment
        ClockPeriod: 5
        Empty:
        Quoted: 'it''s # not a comment'
        Double: "a\\tb: c"
        KerasModel: !keras_model './hls_model/x.h5'
        HLSConfig:
          Model:
            Precision: ap_fixed<16,6>
          List:
          - 1
          - key: v
            other: w
          -
            nested: 2
          Flow: [1, -2.5, 'x, y', [a, b], {k: v}]
          Inline: {a: 1, b: [2, 3]}
        Url: a:b
        """
        let root = try parse(text)
        XCTAssertEqual(root["Backend"]?.text, "Vivado")
        XCTAssertEqual(root["ClockPeriod"]?.line, 4)
        XCTAssertTrue(root["Empty"]?.isNull ?? false)
        XCTAssertEqual(root["Quoted"]?.text, "it's # not a comment")
        XCTAssertEqual(root["Double"]?.text, "a\tb: c")
        XCTAssertEqual(root["KerasModel"]?.text, "./hls_model/x.h5")
        XCTAssertEqual(root["HLSConfig"]?["Model"]?["Precision"]?.text, "ap_fixed<16,6>")
        guard case .list(let items, _)? = root["HLSConfig"]?["List"] else { return XCTFail("List") }
        XCTAssertEqual(items.count, 3)
        XCTAssertEqual(items[0].text, "1")
        XCTAssertEqual(items[1]["key"]?.text, "v")
        XCTAssertEqual(items[1]["other"]?.text, "w")
        XCTAssertEqual(items[2]["nested"]?.text, "2")
        guard case .list(let flow, _)? = root["HLSConfig"]?["Flow"] else { return XCTFail("Flow") }
        XCTAssertEqual(flow.count, 5)
        XCTAssertEqual(flow[2].text, "x, y")
        guard case .list(let inner, _) = flow[3] else { return XCTFail("inner") }
        XCTAssertEqual(inner.map(\.text), ["a", "b"])
        XCTAssertEqual(flow[4]["k"]?.text, "v")
        XCTAssertEqual(root["HLSConfig"]?["Inline"]?["a"]?.text, "1")
        XCTAssertEqual(root["Url"]?.text, "a:b")
        XCTAssertEqual(root.entries?.map(\.key), ["Backend", "ClockPeriod", "Empty", "Quoted", "Double", "KerasModel", "HLSConfig", "Url"])
    }

    func testListAtTheKeysIndentationAndCRLF() throws {
        let root = try parse("a:\r\n- x\r\n- y\r\nb: 2\r\n")
        guard case .list(let items, _)? = root["a"] else { return XCTFail("a") }
        XCTAssertEqual(items.map(\.text), ["x", "y"])
        XCTAssertEqual(root["b"]?.text, "2")
        XCTAssertEqual(try parse("").entries?.count, 0)
        XCTAssertEqual(try parse("# only a comment\n").entries?.count, 0)
    }

    func testErrorsCarryTheLineNumber() {
        assertError("a: 1\n  b: 2\n", line: 2, "unexpected indentation")
        assertError("a: 1\na: 2\n", line: 2, "duplicate key 'a'")
        assertError("a:\n\tb: 1\n", line: 2, "tab")
        assertError("a: 1\nb: 'open\n", line: 2, "unterminated single-quoted")
        assertError("a: 1\nb: [1, 2\n", line: 2, "unterminated '['")
        assertError("a: &anchor 1\n", line: 1, "anchors")
        assertError("a: |\n  text\n", line: 1, "block scalars")
        assertError("a: 1\njust text\n", line: 2, "expected 'key: value'")
        assertError("a:\n  - 1\n  b: 2\n", line: 3, "unexpected indentation")
        assertError("a: {x: 1, x: 2}\n", line: 1, "duplicate key 'x'")
        assertError("a: \"bad \\q\"\n", line: 1, "unsupported escape")
        assertError("a: [1] tail\n", line: 1, "unexpected text")
        assertError("  a: 1\n", line: 1, "column 1")
        assertError("a: 1\n--- \nb: 2\n", line: 2, "only one document")
    }

    func testDeepNestingIsRejectedNotOverflowed() {
        let deep = (0..<200).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
        XCTAssertThrowsError(try parse(deep)) { XCTAssertTrue("\($0)".contains("nesting"), "\($0)") }
        let flow = "a: " + String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        XCTAssertThrowsError(try parse(flow))
    }

    /// Random edits of a valid document: the parser returns or throws a ConfigError, never traps.
    func testMalformedInputsNeverTrap() {
        let seed = """
        HLSConfig:
          Model:
            Precision: ap_fixed<16,6>
            ReuseFactor: 1
          LayerName:
            enc:
              Precision: {weight: 'fixed<16,2>', bias: "x"}
              List: [1, 2, [3]]
              - item
        """
        let alphabet: [Character] = [" ", "\n", ":", "-", "'", "\"", "[", "]", "{", "}", ",", "#", "!", "&", "*", "|", ">", "\t", "\\", "a", "0", "\r"]
        var state: UInt64 = 0x9E3779B97F4A7C15
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        var parsed = 0, rejected = 0
        for _ in 0..<3000 {
            var chars = Array(seed)
            for _ in 0..<(1 + Int(next() % 6)) {
                let pos = Int(next() % UInt64(chars.count + 1))
                switch next() % 3 {
                case 0: chars.insert(alphabet[Int(next() % UInt64(alphabet.count))], at: pos)
                case 1: if pos < chars.count { chars.remove(at: pos) }
                default: if pos < chars.count { chars[pos] = alphabet[Int(next() % UInt64(alphabet.count))] }
                }
            }
            do { _ = try parse(String(chars)); parsed += 1 } catch is ConfigError { rejected += 1 } catch {
                XCTFail("unexpected error type \(error)")
            }
        }
        XCTAssertGreaterThan(parsed, 0)
        XCTAssertGreaterThan(rejected, 0)
    }
}
