import Foundation
import XCTest
@testable import Backends

/// The vectorised exp, sigmoid and tanh against the C library's scalar functions: within a few ulp, special
/// values (±0, ±∞, NaN, overflow, underflow) exactly as the scalar formulas give them.
final class VectorMathTests: XCTestCase {
    typealias Kernel = (UnsafeMutablePointer<Double>, Int) -> Void

    func apply(_ f: Kernel, _ x: [Double]) -> [Double] {
        var y = x
        y.withUnsafeMutableBufferPointer { f($0.baseAddress!, $0.count) }
        return y
    }

    func check(_ name: String, _ f: @escaping Kernel, _ reference: (Double) -> Double, range: ClosedRange<Double>) {
        var xs = stride(from: range.lowerBound, through: range.upperBound, by: (range.upperBound - range.lowerBound) / 20_011).map { $0 }
        xs += [0, -0.0, 1e-300, -1e-300, 1e-9, -1e-9, 0.3466, -0.3466, 0.3467, 20, -20, 19.999, 700, -700, 700.5, -700.5,
               710, -710, 746, -746, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        let ys = apply(f, xs)
        var worst = 0.0
        for (x, y) in zip(xs, ys) {
            let r = reference(x)
            if r.isNaN { XCTAssertTrue(y.isNaN, "\(name)(\(x))"); continue }
            if r == 0 || r.isInfinite { XCTAssertEqual(y, r, "\(name)(\(x))"); continue }
            XCTAssertEqual(y.sign, r.sign, "\(name)(\(x))")
            let ulps = abs(y - r) / r.ulp
            worst = max(worst, ulps)
            XCTAssertLessThanOrEqual(ulps, 4, "\(name)(\(x)) = \(y), C library \(r)")
        }
        print("\(name): worst \(worst) ulp over \(xs.count) values")
        // An element's result does not depend on where it sits in the buffer (vector lanes or scalar tail).
        for offset in 0..<5 {
            let shifted = apply(f, Array(repeating: 0.25, count: offset) + xs)
            XCTAssertEqual(Array(shifted.dropFirst(offset)).map(\.bitPattern), ys.map(\.bitPattern), "\(name) offset \(offset)")
        }
    }

    func testExp() { check("exp", VectorMath.exp, Foundation.exp, range: -745...710) }
    func testSigmoid() { check("sigmoid", VectorMath.sigmoid, { 1 / (1 + Foundation.exp(-$0)) }, range: -750...750) }
    func testTanh() { check("tanh", VectorMath.tanh, Foundation.tanh, range: -25...25) }
}
