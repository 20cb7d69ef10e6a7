import Foundation

/// reports/utilization.json as written by `make synth` (synth/aggregate.tcl), for comparing Yosys's figures
/// with lfadsc's estimate. All counts are Yosys's (see docs/rtl-synthesis.md for its known biases).
public struct SynthesisReport: Decodable, Equatable, Sendable {
    public var format: Int
    public var tool: String
    public var flow: String
    public var device: DeviceTotals
    public var units: [Unit]
    public var totals: Resources
    /// Share of the device in percent, keyed dsp, lut, ff, bram18, uram.
    public var percent: [String: Double]
    public var composedUnits: [String]
    public var deepestPath: DeepestPath?
    /// Sum of the units' synthesis wall times (seconds); cached units count with their original time.
    public var yosysSeconds: Double
    public var dspCheckFailures: [String]

    public struct DeviceTotals: Decodable, Equatable, Sendable {
        public var name: String
        public var part: String
        public var dsp, lut, ff, bram18, uram: Int
    }

    /// Resource categories: `lut` sums LUT1..LUT6, `ff` FDRE/FDSE/FDCE/FDPE, `carry` CARRY4/CARRY8, `muxf`
    /// MUXF7..9, `bram18` counts RAMB36 as two, `lutram` counts RAM*M / RAM*X1* cells, `srl` SRL16E/SRLC32E.
    public struct Resources: Decodable, Equatable, Sendable {
        public var dsp, lut, ff, carry, muxf, bram18, uram, lutram, srl: Int
        /// LUTs the distributed-RAM cells occupy (8 per RAM64M8 or RAM32M16); absent in reports of older flows.
        public var lutramLuts: Int?

        /// CLB LUTs: logic, shift registers and distributed RAM.
        public var clbLUTs: Int { lut + srl + (lutramLuts ?? 0) }
    }

    public struct Unit: Decodable, Equatable, Sendable {
        public var name: String
        public var top: String
        public var instances: Int
        public var composed: Bool
        public var note: String
        /// The results came from the cache in this run (`yosysSeconds` is then the original run's time).
        public var cached: Bool
        public var yosysSeconds: Double
        /// Cells of one instance by primitive type.
        public var cells: [String: Int]
        public var perInstance: Resources
        public var total: Resources
        public var expectedDSP: Int?
        /// "pass", "fail", or nil when the plan gave no expected count.
        public var dspCheck: String?
        public var depth: Depth

        enum CodingKeys: String, CodingKey {
            case name, top, instances, composed, note, cached, yosysSeconds, cells, perInstance, total
            case expectedDSP = "expectedDsp", dspCheck, depth
        }
    }

    /// `levels`: cells on the longest path through combinational cells (LUTs, MUXF7-9, CARRY4, DSP48E2,
    /// LUTRAM), cut at flip-flops, SRLs, block RAM, URAM and the unit's ports. `lutLevels`: the LUTs among
    /// that path's cells. `loop`: `ltp` found a combinational loop (a design bug; the figures are then unreliable).
    /// Logic depth of a unit's longest path; −1 in both counts when the plan did not measure it.
    public struct Depth: Decodable, Equatable, Sendable {
        public var levels: Int
        public var lutLevels: Int
        public var loop: Bool
    }

    public struct DeepestPath: Decodable, Equatable, Sendable {
        public var unit: String
        public var levels: Int
        public var lutLevels: Int
    }

    /// Reads and checks a report; any problem is one `SynthesisError` naming the file.
    public static func load(path: String) throws -> SynthesisReport {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw SynthesisError(path, "cannot read the synthesis report (\(error.localizedDescription))")
        }
        return try decode(data, file: path)
    }

    public static func decode(_ data: Data, file: String) throws -> SynthesisReport {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let report: SynthesisReport
        do { report = try decoder.decode(SynthesisReport.self, from: data) } catch let e as DecodingError {
            throw SynthesisError(file, "not a synthesis report: \(describe(e))")
        } catch {
            throw SynthesisError(file, "not a synthesis report: \(error.localizedDescription)")
        }
        try report.check(file: file)
        return report
    }

    func check(file: String) throws {
        guard format == 1 else { throw SynthesisError(file, "report format \(format) is not 1") }
        for u in units {
            guard u.instances >= 1 else { throw SynthesisError(file, "unit \(u.name): instance count \(u.instances)") }
            let counts = u.cells.values.map { $0 } + u.perInstance.all + u.total.all + [u.expectedDSP ?? 0]
            // A depth of −1 means "not measured" (the plan's measureDepth: false).
            let depths = [u.depth.levels, u.depth.lutLevels]
            guard counts.allSatisfy({ $0 >= 0 }), depths.allSatisfy({ $0 >= -1 }), u.yosysSeconds >= 0 else {
                throw SynthesisError(file, "unit \(u.name): negative count or time")
            }
        }
        guard (totals.all + device.all).allSatisfy({ $0 >= 0 }) else { throw SynthesisError(file, "negative total") }
    }

    static func describe(_ e: DecodingError) -> String {
        func at(_ c: DecodingError.Context) -> String {
            let path = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "" : " at \(path)"
        }
        switch e {
        case .keyNotFound(let key, let c): return "missing \(key.stringValue)\(at(c))"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "wrong type\(at(c))"
        case .dataCorrupted(let c):
            let why = c.debugDescription.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            return (c.codingPath.isEmpty ? "malformed JSON" : "bad value\(at(c))") + (why.isEmpty ? "" : " (\(why))")
        @unknown default: return "unreadable"
        }
    }
}

extension SynthesisReport.Resources {
    var all: [Int] { [dsp, lut, ff, carry, muxf, bram18, uram, lutram, srl] }
}

extension SynthesisReport.DeviceTotals {
    var all: [Int] { [dsp, lut, ff, bram18, uram] }
}
