import Backends
import Foundation

/// The fit of record (HLS4MLConstants.fitted) and its error statistics, shared by the calibration tests and
/// benchmarks/calibration/fit-hls4ml.sh.
enum CalibrationFit {
    static let zero = HLS4MLConstants(denseOverhead: 0, stepOverhead: 0, lut: HLS4MLConstants.lutNames.map { _ in 0 },
                                      ff: HLS4MLConstants.ffNames.map { _ in 0 })

    /// Latency overheads: median excess over the reuse loop; LUT/FF: relative NNLS over the priced entries.
    static func fit(_ entries: [CalibrationEntry]) -> HLS4MLConstants {
        let priced = entries.filter { $0.price != nil }
        func overhead(_ kind: String) -> Int {
            let v = priced.compactMap { e -> Double? in
                guard let l = e.loop, l.kind == kind, let a = e.actual["latency"] else { return nil }
                return a - Double(l.reuse)
            }
            return Int((HLS4MLFit.median(v) ?? 0).rounded())
        }
        let modules = priced.map { $0.price!(zero) }
        let features = modules.map(\.features)
        // LUT priced from HLS's operator table or its mux-core figure and counted pipeline registers are not fitted: the
        // features explain the rest.
        let lut = HLS4MLFit.relative(rows: features.map(\.lutVector),
                                     targets: zip(priced, modules).map { ($0.actual["lut"] ?? 0) - Double($1.operatorLUT) - Double($1.muxCoreLUT) })
        let ff = HLS4MLFit.relative(rows: features.map(\.ffVector),
                                    targets: zip(priced, modules).map { ($0.actual["ff"] ?? 0) - Double($1.pipelineFF) })
        let dense = overhead("dense")
        return HLS4MLConstants(denseOverhead: dense, stepOverhead: overhead("step"), latencyTreeOverhead: overhead("tree"),
                               selectOverhead: overhead("select") - dense, lut: lut, ff: ff)
    }

    struct Stat { var median: Double; var max: Double; var count: Int }

    /// Median and maximum relative error per quantity; `constants` gives each entry's constants (the full fit, or
    /// the fit without its design).
    static func stats(_ entries: [CalibrationEntry], _ constants: (CalibrationEntry) -> HLS4MLConstants) -> [String: Stat] {
        var out: [String: Stat] = [:]
        for q in CalibrationEntry.quantities {
            let errs = entries.filter { $0.price != nil }.compactMap { $0.error(q, constants($0)) }
            guard let m = HLS4MLFit.median(errs) else { continue }
            out[q] = Stat(median: m, max: errs.max() ?? 0, count: errs.count)
        }
        return out
    }

    /// Constants with each design left out in turn.
    static func leaveOneDesignOut(_ entries: [CalibrationEntry]) -> [String: HLS4MLConstants] {
        let designs = Set(entries.filter { $0.price != nil }.map(\.design))
        var out: [String: HLS4MLConstants] = [:]
        for d in designs { out[d] = fit(entries.filter { $0.design != d }) }
        return out
    }

    static func describe(_ s: [String: Stat]) -> String {
        CalibrationEntry.quantities.compactMap { q in
            s[q].map { String(format: "%@ median %.1f%% max %.0f%% (n=%d)", q, $0.median * 100, $0.max * 100, $0.count) }
        }.joined(separator: "; ")
    }
}
