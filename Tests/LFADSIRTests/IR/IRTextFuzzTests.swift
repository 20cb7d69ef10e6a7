import XCTest
@testable import LFADSIR

/// Seeded mutations of valid IR text: the parser must return a graph or throw `IRError.parse`, never trap.
final class IRTextFuzzTests: XCTestCase {
    private static let alphabet = Array("{}[]()<>%@=:,.x-+e0123456789\"\\#\n \tabz_λ".utf8)
    private static let tokens = ["99999999999999999999", "-1", "0", "nan", "1e999", "}", "{ a = 1 }", "@d.weight", "%x",
                                 "ap_fixed<", "seq<", "tensor", "output", "\"", "\n", "100000000x100000000"].map { Array($0.utf8) }

    func testMutatedTextNeverTraps() throws {
        var fixtures = IRTextFixtures(seed: 21)
        let bases = [Array(IRTextErrorTests.valid.utf8), Array(IRPrinter.print(try fixtures.lfadsGraph()).utf8),
                     Array(IRPrinter.print(try fixtures.lfadsGraph(controller: false, external: 0, precision: false)).utf8)]
        var rng = SeededRandom(seed: 0x1FAD5)
        var parsed = 0, rejected = 0
        for _ in 0..<2000 {
            var bytes = rng.pick(bases)
            for _ in 0..<rng.int(1...4) { mutate(&bytes, &rng) }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                try checkReprint(try IRParser.parse(text, source: "fuzz"))
                parsed += 1
            } catch IRError.parse(let m) {
                XCTAssertTrue(m.hasPrefix("fuzz:"), m)
                XCTAssertFalse(m.contains("\n"), m)
                rejected += 1
            } catch {
                XCTFail("unexpected error type: \(error)")
            }
        }
        XCTAssertEqual(parsed + rejected, 2000)
        XCTAssertGreaterThan(rejected, 1000, "mutations should mostly break the text")
        print("IR text fuzz: \(parsed) parsed, \(rejected) rejected")
    }

    /// Swaps whole words (numbers, names, keywords) between positions: the text stays well-formed more often,
    /// which drives the op decoders and the verifier with odd sizes and values rather than the lexer.
    func testWordSwapsNeverTrap() throws {
        var fixtures = IRTextFixtures(seed: 22)
        let base = IRPrinter.print(try fixtures.lfadsGraph())
        let words = base.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let pool = Set(words.flatMap { $0.split(whereSeparator: { "{}[](),=:<>\n".contains($0) }).map(String.init) }).sorted()
            + ["0", "-1", "99999999999999999999", "100000000", "1e308", "true", "none", "operand", "gaussian"]
        var rng = SeededRandom(seed: 0x5EED)
        var parsed = 0, rejected = 0
        for _ in 0..<2000 {
            var w = words
            for _ in 0..<rng.int(1...3) { w[rng.int(0...(w.count - 1))] = rng.pick(pool) }
            do {
                try checkReprint(try IRParser.parse(w.joined(separator: " "), source: "swap"))
                parsed += 1
            } catch IRError.parse(let m) {
                XCTAssertTrue(m.hasPrefix("swap:"), m)
                rejected += 1
            } catch {
                XCTFail("unexpected error type: \(error)")
            }
        }
        XCTAssertEqual(parsed + rejected, 2000)
        print("IR text word swaps: \(parsed) parsed, \(rejected) rejected")
    }

    /// Whatever parses must print and parse back to the same graph.
    private func checkReprint(_ g: Graph) throws {
        let text = IRPrinter.print(g)
        XCTAssertEqual(try IRParser.parse(text), g)
        XCTAssertEqual(IRPrinter.print(try IRParser.parse(text)), text)
    }

    private func mutate(_ bytes: inout [UInt8], _ rng: inout SeededRandom) {
        guard !bytes.isEmpty else { bytes = rng.pick(Self.tokens); return }
        let at = rng.int(0...(bytes.count - 1))
        let length = min(rng.int(1...8), bytes.count - at)
        switch rng.int(0...4) {
        case 0: bytes.removeSubrange(at..<(at + length))
        case 1: bytes.insert(contentsOf: Array(bytes[at..<(at + length)]), at: at)
        case 2: bytes[at] = rng.pick(Self.alphabet)
        case 3: bytes.insert(contentsOf: rng.pick(Self.tokens), at: at)
        default: bytes.removeSubrange(at...)
        }
    }
}
