// Reads whitespace-separated text (.dat, as hls4ml test benches use): one trial per line, the
// model inputs concatenated in order, each time-major (bin 0's channels, then bin 1's, ...).
// Only the selected lines are parsed; every line is still counted so that trial indices match
// line numbers (trial t = line t+1). Blank lines at the end are ignored, elsewhere an error.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum DatTextReader {
    static func read(path: String, selection: TrialSelection, expected: [InputSpec], threads: Int = 1) throws -> LoadedInputs {
        guard !expected.isEmpty else { throw DataIOError(file: path, message: "the model has no inputs to read") }
        var perLine = 0
        for spec in expected {
            let (n, o1) = spec.steps.multipliedReportingOverflow(by: spec.width)
            let (sum, o2) = perLine.addingReportingOverflow(n)
            guard spec.steps > 0, spec.width > 0, !o1, !o2 else {
                throw DataIOError(file: path, message: "model input '\(spec.name)' has an invalid shape [\(spec.steps)×\(spec.width)]")
            }
            perLine = sum
        }
        var bytes: [UInt8]
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            bytes = [UInt8]()
            bytes.reserveCapacity(data.count + 1)  // + the NUL that strtod stops at
            bytes.append(contentsOf: data)
        } catch {
            throw DataIOError(file: path, message: "cannot read: \(error.localizedDescription)")
        }
        let lines = try splitLines(bytes, path: path)
        bytes.append(0)
        let rows = try selection.resolve(total: lines.count, file: path)
        let layoutText = expected.map { "\($0.name)[\($0.steps)×\($0.width)]" }.joined(separator: " + ")

        // Blocks of lines are parsed concurrently and joined in order; each block stops at its first bad line,
        // so the error reported is the first in the file whatever `threads` is.
        let ranges = Parallel.blocks(of: rows, threads: threads)
        let terminated = bytes  // NUL-terminated, and a let for the concurrent readers
        let valuesPerLine = perLine
        let blocks = Parallel.map(count: ranges.count, threads: threads) { b in
            try parseLines(terminated, lines, ranges[b], expected: expected, perLine: valuesPerLine, path: path, layout: layoutText)
        }
        var columns = try blocks[0].get()
        for block in blocks.dropFirst() {
            let part = try block.get()
            for i in columns.indices { columns[i] += part[i] }
        }

        let fileName = (path.split(separator: "/").last).map(String.init) ?? path
        var inputs: [SpikeDataset] = []
        var warnings: [String] = []
        for (i, spec) in expected.enumerated() {
            let d = try SpikeDataset(trials: rows.count, bins: spec.steps, channels: spec.width, values: columns[i], name: "",
                                     source: "\(fileName):lines \(rows.lowerBound + 1)-\(rows.upperBound) (\(spec.name))",
                                     firstTrial: rows.lowerBound)
            warnings += try CountValidation.check(d, spikes: spec.isSpikes(at: i), file: path, object: "input '\(spec.name)'")
            inputs.append(d)
        }
        return LoadedInputs(inputs: inputs, layout: .text, split: "", trials: rows, totalTrials: lines.count,
                            recon: nil, heldout: nil, zeroFilled: [], warnings: warnings)
    }

    /// The values of lines `rows`, one array per model input (trial-major). Reservations are capped by the
    /// file size: a line of n numbers needs at least n bytes, so an absurd model shape cannot make us allocate
    /// before the count check rejects it.
    private static func parseLines(_ terminated: [UInt8], _ lines: [Range<Int>], _ rows: Range<Int>, expected: [InputSpec],
                                   perLine: Int, path: String, layout: String) throws -> [[Double]] {
        var columns = expected.map { _ in [Double]() }
        for (i, spec) in expected.enumerated() {
            let (n, o) = rows.count.multipliedReportingOverflow(by: spec.steps * spec.width)
            columns[i].reserveCapacity(o ? terminated.count : min(n, terminated.count))
        }
        var line = [Double]()
        line.reserveCapacity(min(perLine, terminated.count))
        try terminated.withUnsafeBufferPointer { text in
            for t in rows {
                line.removeAll(keepingCapacity: true)
                try parseLine(text, lines[t], into: &line, limit: perLine, path: path, lineNumber: t + 1, layout: layout)
                var offset = 0
                for (i, spec) in expected.enumerated() {
                    let n = spec.steps * spec.width
                    columns[i].append(contentsOf: line[offset..<(offset + n)])
                    offset += n
                }
            }
        }
        return columns
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C }

    /// Byte ranges of the lines (without '\n'); trailing blank lines dropped, inner ones rejected.
    static func splitLines(_ bytes: [UInt8], path: String) throws -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            while start < buf.count, let hit = memchr(base + start, 0x0A, buf.count - start) {
                let i = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                lines.append(start..<i)
                start = i + 1
            }
        }
        if start < bytes.count { lines.append(start..<bytes.count) }
        func blank(_ r: Range<Int>) -> Bool { bytes[r].allSatisfy(isSpace) }
        while let last = lines.last, blank(last) { lines.removeLast() }
        if let empty = lines.firstIndex(where: blank) {
            throw DataIOError(file: path, object: "line \(empty + 1)", message: "empty line (one trial per line expected)")
        }
        return lines
    }

    /// Parses one line's numbers: plain decimals (spike counts, rates) in one pass over their bytes, anything
    /// else with strtod on the file bytes (the buffer ends in a NUL, so strtod stops at the latest there); a token
    /// must be consumed entirely. strtod follows LC_NUMERIC, which stays "C" (decimal point '.') unless the
    /// process calls setlocale.
    static func parseLine(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into values: inout [Double], limit: Int,
                          path: String, lineNumber: Int, layout: String) throws {
        guard let base = text.baseAddress else { return }
        let end = range.upperBound
        var i = range.lowerBound
        var count = 0
        try powersOfTen.withUnsafeBufferPointer { tens in
            while i < end {
                while i < end, isSpace(base[i]) { i &+= 1 }
                guard i < end else { break }
                let tokenStart = i
                count &+= 1
                if let (v, next) = plainDecimal(base, i, end, tens), count <= limit {
                    values.append(v)
                    i = next
                    continue
                }
                while i < end, !isSpace(base[i]) { i &+= 1 }
                guard count <= limit else { continue }  // keep counting for the message
                var stop: UnsafeMutablePointer<CChar>?
                let v = strtod(UnsafeRawPointer(base + tokenStart).assumingMemoryBound(to: CChar.self), &stop)
                let consumed = stop.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? tokenStart
                guard consumed == i else {
                    let token = String(decoding: UnsafeBufferPointer(rebasing: text[tokenStart..<i]), as: UTF8.self)
                    let shown = token.count > 40 ? String(token.prefix(40)) + "…" : token
                    throw DataIOError(file: path, object: "line \(lineNumber)", message: "value \(count) '\(shown)' is not a number")
                }
                values.append(v)
            }
        }
        guard count == limit else {
            throw DataIOError(file: path, object: "line \(lineNumber)",
                              message: "has \(count) numbers but the model inputs \(layout) need \(limit)")
        }
    }

    /// Exact powers of ten up to 10^22 (every one is a Double).
    private static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { v, _ in v * 10 } }

    /// The value of a plain decimal token [+-]digits[.digits] with at most 15 digits that starts at `start` and
    /// ends at a space or `end`, and the index after it; else nil (then strtod decides). Such a token is m / 10^k
    /// with m < 2^53 and k ≤ 15, both exact Doubles, so the one division is correctly rounded: the same Double
    /// strtod returns. Spike counts ("0", "3.0") all take this path.
    static func plainDecimal(_ text: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
                             _ tens: UnsafeBufferPointer<Double>) -> (Double, Int)? {
        var i = start
        let negative = text[i] == 0x2D
        if negative || text[i] == 0x2B { i &+= 1 }
        var m: UInt64 = 0
        var digits = 0
        var fractionDigits = -1  // −1 until the point
        while i < end {
            let b = text[i]
            let d = b &- 0x30
            if d < 10 {
                m = m &* 10 &+ UInt64(d)
                digits &+= 1
                if fractionDigits >= 0 { fractionDigits &+= 1 }
            } else if b == 0x2E, fractionDigits < 0 {
                fractionDigits = 0
            } else if isSpace(b) {
                break
            } else {
                return nil
            }
            i &+= 1
        }
        guard digits > 0, digits <= 15 else { return nil }
        let v = fractionDigits > 0 ? Double(m) / tens[fractionDigits] : Double(m)
        return (negative ? -v : v, i)
    }
}
