// The reuse pass at each clock tier of AchievableClock: a design under a tier's utilisation may close a faster
// clock, so the fastest design in µs is not always the one that fills the budget. Runs the reuse search once per
// budget (the user's, and each lower tier's threshold that is below it) and keeps the fastest result.
import LFADSIR

struct ClockTierReusePass: Pass {
    var name: String { "reuse" }
    var summary: String { "choose per-layer reuse factors to meet a latency or resource budget (at each clock tier)" }

    let budgets: [Double]
    let cost: ReuseFactorPass.CostFunction

    /// The user's budget and every tier threshold below it (above 70 % the clock tier is 200 MHz, above one SLR
    /// 250 MHz).
    init(maxUtilization: Double, device: Device, cost: @escaping ReuseFactorPass.CostFunction) {
        var b = [maxUtilization]
        let tiers = [AchievableClock.congestedUtilization] + (device.slrs > 1 ? [1 / Double(device.slrs)] : [])
        for t in tiers where t < maxUtilization { b.append(t) }
        budgets = b
        self.cost = cost
    }

    func run(_ graph: Graph) throws -> Graph {
        var best: (Graph, Double)?
        var firstError: Error?
        for u in budgets {
            do {
                let g = try ReuseFactorPass(target: .utilization(u), cost: cost).run(graph)
                let (us, _) = try cost(g)
                if best == nil || us < (best?.1 ?? .infinity) { best = (g, us) }
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let (g, _) = best { return g }
        throw firstError ?? IRError.unsupported("reuse: no budget gave a design")
    }
}
