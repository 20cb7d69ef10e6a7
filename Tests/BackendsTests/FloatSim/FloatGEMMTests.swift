import XCTest
@testable import Backends

/// gemmAccumulate against the plain triple loop that sums in the same order (so the results are equal, not
/// just close), over sizes that exercise every vector block and scalar tail, with row strides.
final class FloatGEMMTests: XCTestCase {
    func testMatchesSerialLoop() {
        var state: UInt64 = 1
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) * 0x1p-53 - 0.5
        }
        for m in [0, 1, 2, 3, 4, 5, 7, 8, 13] {
            for n in [1, 2, 3, 4, 5, 8, 15, 16, 17, 33] {
                for k in [0, 1, 2, 3, 7, 9] {
                    let lda = k + 2, ldc = n + 3
                    let a = (0..<(m * lda)).map { _ in next() }, b = (0..<(k * n)).map { _ in next() }
                    var c = (0..<(m * ldc)).map { _ in next() }
                    var expected = c
                    for i in 0..<m {
                        for j in 0..<n {
                            var s = expected[i * ldc + j]
                            for p in 0..<k { s += a[i * lda + p] * b[p * n + j] }
                            expected[i * ldc + j] = s
                        }
                    }
                    a.withUnsafeBufferPointer { ap in
                        b.withUnsafeBufferPointer { bp in
                            c.withUnsafeMutableBufferPointer { cp in
                                gemmAccumulate(m: m, n: n, k: k, a: ap.baseAddress ?? UnsafePointer(cp.baseAddress!), lda: lda,
                                               b: bp.baseAddress ?? UnsafePointer(cp.baseAddress!), c: cp.baseAddress!, ldc: ldc)
                            }
                        }
                    }
                    XCTAssertEqual(c, expected, "m \(m) n \(n) k \(k)")
                }
            }
        }
    }

    /// Packed weights take W (outputs × inputs) and accumulate W·x over an input range.
    func testPackedWeightsInputRange() throws {
        let w = FloatMatrix(rows: 3, columns: 4, values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        let packed = PackedWeights(w)
        let x = [1.0, -1, 2, 0.5]
        var out = [0.5, 0.5, 0.5]
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                packed.accumulate(rows: 1, xp.baseAddress! + 1, lda: 3, into: op.baseAddress!, ldc: 3, inputs: 1..<4)
            }
        }
        XCTAssertEqual(out, [6.5, 12.5, 18.5])  // 0.5 + (−2 + 6 + 2), 0.5 + (−6 + 14 + 4), 0.5 + (−10 + 22 + 6)
    }
}
