import Foundation
import XCTest
@testable import Backends

final class DatTextReaderTests: XCTestCase {
    /// The published test bench input: 73×70 spikes then 73×64 decoder zeros on one line.
    func testTemplateInputSplitsIntoTwoInputs() throws {
        guard let dir = DataFixtures.templateDirectory else { throw XCTSkip("peer template not found next to the repository") }
        let path = dir.appendingPathComponent("tb_input_features.dat").path
        let r = try SpikeDataReader.read(path: path, expectedInputs: DataFixtures.templateInputs)
        XCTAssertEqual(r.layout, .text)
        XCTAssertEqual(r.totalTrials, 1)
        XCTAssertEqual(r.inputs.count, 2)
        let spikes = r.inputs[0], dec = r.inputs[1]
        XCTAssertEqual([spikes.trials, spikes.bins, spikes.channels], [1, 73, 70])
        XCTAssertEqual([dec.trials, dec.bins, dec.channels], [1, 73, 64])
        // numpy at development time: sum 737, row 0 starts 0 0 0 0 0 0 0 1 1 0, decoder all zero
        XCTAssertEqual(spikes.values.reduce(0, +), 737)
        XCTAssertEqual((0..<10).map { spikes[0, 0, $0] }, [0, 0, 0, 0, 0, 0, 0, 1, 1, 0])
        XCTAssertTrue(dec.values.allSatisfy { $0 == 0 })
        XCTAssertTrue(r.warnings.isEmpty)
        // one input only: the line has 4,672 numbers too many
        assertDataError([path, "line 1", "has 9782 numbers", "need 5110"]) {
            _ = try SpikeDataReader.read(path: path, expectedInputs: [DataFixtures.templateInputs[0]])
        }
    }

    private func dat(_ text: String, _ name: String = "in.dat") throws -> String {
        let path = try makeTempDirectory(self).appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testSlicesAndLayout() throws {
        // 4 trials of input a [2×2] and b [2×1]; trial t holds t, t+0.5, ... so lines are recognisable
        var text = ""
        for t in 0..<4 { text += (0..<6).map { "\(Double(t * 10 + $0))" }.joined(separator: " ") + "\n" }
        let path = try dat(text + "\n  \n")  // trailing blank lines are fine
        let spec = [InputSpec(name: "a", steps: 2, width: 2), InputSpec(name: "b", steps: 2, width: 1)]
        let r = try SpikeDataReader.read(path: path, selection: try .parse("1:3"), expectedInputs: spec)
        XCTAssertEqual(r.totalTrials, 4)
        XCTAssertEqual(r.trials, 1..<3)
        XCTAssertEqual(r.inputs[0].values, [10, 11, 12, 13, 20, 21, 22, 23])
        XCTAssertEqual(r.inputs[1].values, [14, 15, 24, 25])
        XCTAssertEqual(r.inputs[0].firstTrial, 1)
        assertDataError([path, "negative"]) {
            _ = try SpikeDataReader.read(path: path, trials: -1..<2, expectedInputs: spec)
        }
        assertDataError([path, "has 6 numbers"]) {
            _ = try SpikeDataReader.read(path: path, expectedInputs: [InputSpec(name: "huge", steps: 1 << 40, width: 1 << 20)])
        }
        assertDataError([path, "end 5", "4 trials"]) {
            _ = try SpikeDataReader.read(path: path, trials: 0..<5, expectedInputs: spec)
        }
    }

    /// Lines parsed by several threads come back in file order, and the error named is the first bad line
    /// whatever the split.
    func testThreadsChangeNothing() throws {
        var lines = (0..<37).map { t in (0..<6).map { "\(Double(t * 10 + $0) / 4)" }.joined(separator: " ") }
        let spec = [InputSpec(name: "a", steps: 2, width: 2), InputSpec(name: "b", steps: 2, width: 1)]
        let good = try dat(lines.joined(separator: "\n") + "\n")
        let one = try SpikeDataReader.read(path: good, selection: .all, expectedInputs: spec, threads: 1)
        for threads in [2, 3, 8, 64] {
            let many = try SpikeDataReader.read(path: good, selection: .all, expectedInputs: spec, threads: threads)
            XCTAssertEqual(many.inputs.map(\.values), one.inputs.map(\.values), "\(threads) threads")
        }
        lines[30] = "1 2 x"
        lines[9] = "1 2 3"
        let bad = try dat(lines.joined(separator: "\n") + "\n")
        for threads in [1, 3, 8] {
            assertDataError([bad, "line 10", "has 3 numbers"]) {
                _ = try SpikeDataReader.read(path: bad, selection: .all, expectedInputs: spec, threads: threads)
            }
        }
    }

    func testMalformedText() throws {
        let spec = [InputSpec(name: "a", steps: 2, width: 2)]
        let cases: [(String, [String])] = [
            ("1 2 3 4\n1 2 3\n", ["line 2", "has 3 numbers", "a[2×2]", "need 4"]),
            ("1 2 3 4 5\n", ["line 1", "has 5 numbers"]),
            ("1 2 x 4\n", ["line 1", "value 3 'x' is not a number"]),
            ("1 2 3 4\n\n1 2 3 4\n", ["line 2", "empty line"]),
            ("1 2 nan 4\n", ["non-finite", "trial 0, bin 1, channel 0"]),
            ("1 -2 0 4\n", ["negative spike count -2.0"]),
            ("", ["no trials"]),
            ("\u{0}\u{1}\u{FF}garbage\n", ["line 1", "not a number"]),
        ]
        for (text, fragments) in cases {
            let path = try dat(text)
            assertDataError([path] + fragments) { _ = try SpikeDataReader.read(path: path, expectedInputs: spec) }
        }
        // numbers beyond the selection are not parsed, but the count of lines is still checked
        let lazy = try dat("1 2 3 4\n1 2 x\n")
        XCTAssertEqual(try SpikeDataReader.read(path: lazy, trials: 0..<1, expectedInputs: spec).inputs[0].values, [1, 2, 3, 4])
        // Windows line ends and tabs are whitespace; non-integer counts only warn
        let crlf = try dat("1\t2 3 4.5\r\n")
        let r = try SpikeDataReader.read(path: crlf, expectedInputs: spec)
        XCTAssertEqual(r.inputs[0].values, [1, 2, 3, 4.5])
        XCTAssertEqual(r.warnings.count, 1)
        XCTAssertFalse(r.warnings[0].contains("rates"), r.warnings[0])
        // When no value is an integer the data is most likely rates given as spikes.
        let rates = try SpikeDataReader.read(path: try dat("0.5 1.25 0.01 3.5\n", "rates.dat"), expectedInputs: spec)
        XCTAssertEqual(rates.warnings.count, 1)
        XCTAssertTrue(rates.warnings[0].contains("looks like rates, not counts"), rates.warnings[0])
    }
}

final class DatTextFuzzTests: XCTestCase {
    /// Random printable and binary junk, with and without line structure: errors or data, never traps.
    func testRandomTextNeverTraps() throws {
        let dir = try makeTempDirectory(self)
        var rng = SplitMix64(seed: 12345)
        let alphabet = Array("0123456789 .-+eE\n\t\rnaix".utf8)
        let spec = [InputSpec(name: "a", steps: 2, width: 3), InputSpec(name: "b", steps: 1, width: 2)]
        var ok = 0
        for i in 0..<300 {
            let n = Int(rng.next() % 200)
            let bytes: [UInt8] = (0..<n).map { _ in
                i % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            let path = dir.appendingPathComponent("f\(i).dat").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let r = try SpikeDataReader.read(path: path, selection: .all, expectedInputs: spec)
                XCTAssertEqual(r.inputs[0].values.count, r.trials.count * 6)
                ok += 1
            } catch let e as DataIOError {
                XCTAssertTrue(e.description.hasPrefix(path), e.description)
            }
        }
        // well-formed lines are produced too: 8 numbers separated by spaces
        let good = dir.appendingPathComponent("good.dat").path
        try (0..<5).map { _ in (0..<8).map { _ in String(rng.next() % 7) }.joined(separator: " ") }
            .joined(separator: "\n").write(toFile: good, atomically: true, encoding: .utf8)
        XCTAssertEqual(try SpikeDataReader.read(path: good, expectedInputs: spec).totalTrials, 5)
    }
}
