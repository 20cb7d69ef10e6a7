import Backends
import Foundation

/// The words of `compile --precision auto`'s progress line.
enum AutoProgressText {
    static func line(_ phase: AutoQuantize.Phase, elapsed: Double) -> String {
        let time = ProgressLine.duration(elapsed) + " elapsed"
        switch phase {
        case .reference(let trials):
            return "auto precision: float reference on \(trials) trials, \(time)"
        case .search(let p):
            // ETA: the mean time per evaluation so far × the evaluations left, plus one for the baseline's NLL.
            let eta = p.evaluations == 0 ? "ETA --"
                : "ETA " + ProgressLine.duration(p.seconds / Double(p.evaluations) * Double(p.estimatedTotal - p.evaluations + 1))
            let pass = p.pass == 0 ? "" : ", pass \(p.pass)/\(p.passes)"
            return "auto precision: candidate \(min(p.evaluations + 1, p.estimatedTotal)) of ~\(p.estimatedTotal)\(pass), \(time), \(eta)"
        case .baseline:
            return "auto precision: search done; 16-bit baseline NLL, \(time)"
        case .pipeline:
            return "auto precision: quantising the chosen design, \(time)"
        }
    }

    static func final(_ r: AutoQuantize.Report) -> String {
        String(format: "auto precision: %d candidates evaluated in %@ (%.2f s each), NLL %+.3f %% of float, %.1f %% of the 16-bit weight bits",
               r.evaluations, ProgressLine.duration(r.seconds), r.seconds / Double(max(r.evaluations, 1)), 100 * r.relativeIncrease,
               100 * Double(r.weightBits) / Double(max(r.baselineWeightBits, 1)))
    }
}

extension AutoQuantize.Phase {
    /// Phase changes are always shown; search steps are rate-limited.
    var isMilestone: Bool {
        if case .search = self { return false }
        return true
    }
}
