import XCTest
@testable import LFADSIR

final class QuantizeAutoTests: XCTestCase {
    let big = TensorKey("gen", .recurrentWeight)      // 48 weights
    let mid = TensorKey("factors", .weight)           // 8 weights
    let small = TensorKey("logrates", .result)        // 3 values, feeding nothing

    var ranges: [TensorKey: ClosedRange<Double>] { [big: -0.3...0.3, mid: -1...1, small: -7.5...2] }

    /// A synthetic NLL that grows with the rounding step 2^-F of each searched tensor.
    func syntheticNLL(_ weights: [TensorKey: Double], float: Double = 100) -> (Graph) throws -> Double {
        { g in
            let inventory = TensorInventory(g)
            var total = float
            for (key, w) in weights {
                guard let t = inventory.type(key) else { throw IRError.invalid("no type for \(key)") }
                total += w * pow(2, Double(-t.fraction))
            }
            return total
        }
    }

    func search(_ weights: [TensorKey: Double], base: PrecisionOverrides = PrecisionOverrides()) -> AutoPrecision {
        let r = ranges
        return AutoPrecision(rangeProvider: { _ in r }, nll: syntheticNLL(weights), floatNLL: 100, maxIncrease: 0.005, base: base)
    }

    func testIntegerBitsFromRanges() {
        XCTAssertEqual(AutoPrecision.integerBits(for: -3.2...5.7), 4)
        XCTAssertEqual(AutoPrecision.integerBits(for: -8...7.9), 4)
        XCTAssertEqual(AutoPrecision.integerBits(for: -8.01...0), 5)
        XCTAssertEqual(AutoPrecision.integerBits(for: 0...8), 5)
        XCTAssertEqual(AutoPrecision.integerBits(for: -0.3...0.3), 0)
        XCTAssertEqual(AutoPrecision.integerBits(for: 0...0.01), -5)
    }

    func testGreedySearchSpendsTheBudgetOnTheExpensiveTensorFirst() throws {
        let result = try search([big: 1, mid: 1, small: 0.9]).run(try QuantizeTestGraphs.autoencoder())
        // Budget 0.5: the 48-weight matrix goes first and takes 2^-2, the 8 weights then 2^-3, the result 2^-3
        // (0.25 + 0.125 + 0.1125 ≤ 0.5; one bit less anywhere exceeds it).
        XCTAssertEqual(result.chosen[big]?.description, "ap_fixed<3,1,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(result.chosen[mid]?.description, "ap_fixed<6,3,AP_RND_CONV,AP_SAT>")
        XCTAssertEqual(result.chosen[small]?.description, "ap_fixed<8,5,AP_TRN,AP_SAT>")
        XCTAssertEqual(result.nll, 100.4875, accuracy: 1e-12)
        XCTAssertLessThanOrEqual(result.nll, result.limit)
        XCTAssertLessThan(result.finalCost, result.startCost)
        // The returned graph carries the chosen types, and re-measuring it gives the reported NLL.
        XCTAssertEqual(try syntheticNLL([big: 1, mid: 1, small: 0.9])(result.graph), result.nll, accuracy: 1e-12)
        XCTAssertEqual(TensorInventory(result.graph).type(mid), result.chosen[mid])
    }

    func testResultIsLocallyMinimal() throws {
        let weights: [TensorKey: Double] = [big: 0.3, mid: 2, small: 0.05]
        // big alone fits at F = 0 (0.3 ≤ 0.5), so it hits the floor; the others must be tight.
        let s = search(weights)
        let result = try s.run(try QuantizeTestGraphs.autoencoder())
        let nll = syntheticNLL(weights)
        for key in [big, mid, small] {
            guard let t = result.chosen[key] else { return XCTFail("\(key) not chosen") }
            if t.fraction == max(s.minFraction, 1 - t.integer) { continue }  // at the floor of the search
            var o = result.overrides
            o.set(key, try FixedType(width: t.width - 1, integer: t.integer, quantization: t.quantization, overflow: t.overflow))
            let worse = try nll(try QuantizePass(overrides: o).run(try QuantizeTestGraphs.autoencoder()))
            XCTAssertGreaterThan(worse, result.limit, "\(key) could lose one more bit")
        }
    }

    func testDeterministic() throws {
        let a = try search([big: 1, mid: 0.5, small: 0.25]).run(try QuantizeTestGraphs.autoencoder())
        let b = try search([big: 1, mid: 0.5, small: 0.25]).run(try QuantizeTestGraphs.autoencoder())
        XCTAssertEqual(a.chosen, b.chosen)
        XCTAssertEqual(a.evaluations, b.evaluations)
        // Binary search: at most ⌈log2(17)⌉ trials per tensor per pass, 3 passes, plus the start.
        XCTAssertLessThanOrEqual(a.evaluations, 1 + 3 * 3 * 5)
    }

    /// Progress: one report before the first evaluation and one after each; the estimate never grows, never
    /// falls below what is done, starts as an upper bound on the real count and ends equal to it.
    func testProgressCountsEveryEvaluationAndItsEstimateBoundsTheTotal() throws {
        final class Log: @unchecked Sendable { var items: [AutoPrecision.Progress] = [] }
        let log = Log()
        var s = search([big: 1, mid: 0.5, small: 0.25])
        s.progress = { log.items.append($0) }
        let result = try s.run(try QuantizeTestGraphs.autoencoder())
        let seen = log.items
        guard let first = seen.first, let last = seen.last else { return XCTFail("no progress reported") }
        XCTAssertEqual(first.evaluations, 0)
        XCTAssertEqual(first.pass, 0)
        XCTAssertEqual(last.evaluations, result.evaluations)
        XCTAssertEqual(last.estimatedTotal, result.evaluations)
        XCTAssertGreaterThanOrEqual(first.estimatedTotal, result.evaluations)
        XCTAssertEqual(Set(seen.map(\.evaluations)), Set(0...result.evaluations))
        for (a, b) in zip(seen, seen.dropFirst()) {
            XCTAssertLessThanOrEqual(b.estimatedTotal, a.estimatedTotal)
            XCTAssertGreaterThanOrEqual(b.evaluations, a.evaluations)
            XCTAssertGreaterThanOrEqual(b.seconds, a.seconds)
        }
        XCTAssertTrue(seen.allSatisfy { $0.estimatedTotal >= $0.evaluations && $0.passes == 3 })
        XCTAssertEqual(AutoPrecision.steps(0, 16), 5)
        XCTAssertEqual(AutoPrecision.steps(3, 3), 0)
        XCTAssertEqual(AutoPrecision.steps(2, 3), 1)
    }

    func testExplicitOverridesAreNotSearched() throws {
        var base = PrecisionOverrides()
        let fixed = try FixedType(parsing: "ap_fixed<20,4>")
        base.set(big, fixed)
        let result = try search([big: 1, mid: 1, small: 0.9], base: base).run(try QuantizeTestGraphs.autoencoder())
        XCTAssertNil(result.chosen[big])
        XCTAssertEqual(TensorInventory(result.graph).type(big), fixed)
        // With the big matrix kept at 16 fraction bits, the budget goes to the next one: 2^-2 then 2^-2·0.9 > rest.
        XCTAssertEqual(result.chosen[mid]?.fraction, 2)
        XCTAssertEqual(result.chosen[small]?.fraction, 2)
    }

    func testErrors() throws {
        let g = try QuantizeTestGraphs.autoencoder()
        let unknown = AutoPrecision(rangeProvider: { _ in [TensorKey("nope", .weight): 0...1] }, nll: { _ in 0 }, floatNLL: 1)
        XCTAssertThrowsError(try unknown.run(g)) { XCTAssertTrue("\($0)".contains("nope.weight"), "\($0)") }
        let hopeless = AutoPrecision(rangeProvider: { [big] _ in [big: 0...1] }, nll: { _ in 200 }, floatNLL: 100)
        XCTAssertThrowsError(try hopeless.run(g)) { XCTAssertTrue("\($0)".contains("exceeds the limit"), "\($0)") }
        let nan = AutoPrecision(rangeProvider: { [big] _ in [big: 0...1] }, nll: { _ in .nan }, floatNLL: 100)
        XCTAssertThrowsError(try nan.run(g))
        let infinite = AutoPrecision(rangeProvider: { [big] _ in [big: -Double.infinity...1] }, nll: { _ in 100 }, floatNLL: 100)
        XCTAssertThrowsError(try infinite.run(g))
        let zero = AutoPrecision(rangeProvider: { [big] _ in [big: 0...0] }, nll: { _ in 100 }, floatNLL: 100)
        XCTAssertNoThrow(try zero.run(g), "an all-zero tensor still gets a valid type")
    }
}
