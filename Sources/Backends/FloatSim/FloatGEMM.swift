/// Four Doubles: two SSE2 registers on baseline x86-64, one AVX register where the target has it.
typealias Double4 = SIMD4<Double>

@inline(__always)
func load4(_ p: UnsafePointer<Double>) -> Double4 { UnsafeRawPointer(p).loadUnaligned(as: Double4.self) }

@inline(__always)
func store4(_ v: Double4, _ p: UnsafeMutablePointer<Double>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Double4.self) }

@inline(__always)
func load2(_ p: UnsafePointer<Double>) -> SIMD2<Double> { UnsafeRawPointer(p).loadUnaligned(as: SIMD2<Double>.self) }

/// A weight matrix W (outputs × inputs) stored transposed, input-major: `values[p·outputs + j] = W[j, p]`, so the
/// weights of one input for consecutive outputs are adjacent and load as one vector in `gemmAccumulate`.
struct PackedWeights: Sendable {
    let inputs: Int
    let outputs: Int
    let values: [Double]

    init(_ m: FloatMatrix) {
        inputs = m.columns
        outputs = m.rows
        var t = [Double](repeating: 0, count: m.values.count)
        for j in 0..<m.rows { for p in 0..<m.columns { t[p * m.rows + j] = m.values[j * m.columns + p] } }
        values = t
    }

    /// C[i, j] += Σ_p A[i, p]·W[j, p] over the inputs `p` in `range` (A's column 0 is input range.lowerBound).
    @inline(__always)
    func accumulate(rows: Int, _ a: UnsafePointer<Double>, lda: Int, into c: UnsafeMutablePointer<Double>, ldc: Int,
                    inputs range: Range<Int>? = nil) {
        let r = range ?? 0..<inputs
        precondition(r.lowerBound >= 0 && r.upperBound <= inputs, "input range outside the weight matrix")
        values.withUnsafeBufferPointer { w in
            guard let base = w.baseAddress, !r.isEmpty else { return }
            gemmAccumulate(m: rows, n: outputs, k: r.count, a: a, lda: lda, b: base + r.lowerBound * outputs, c: c, ldc: ldc)
        }
    }
}

/// C[i, j] += Σ_p A[i, p]·B[p, j] for i < m, j < n, p < k (row-major, leading dimensions lda, n, ldc).
///
/// Every element is summed from C's value in increasing p, one product at a time (no fused multiply-add), in
/// the vector lanes and in the scalar tails alike. A row's result therefore depends neither on m nor on which
/// rows share its block: a trial gives the same bits alone or in any batch.
/// Blocks of 4 rows × 4 columns keep 8 SSE2 accumulators (independent add chains) in registers. The block's
/// A values are first copied twice each ([a, a]) into a small panel, so that broadcasting one is a single
/// 16-byte load instead of a load and a shuffle; one row at a time takes 16 columns.
func gemmAccumulate(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>,
                    c: UnsafeMutablePointer<Double>, ldc: Int) {
    precondition(m >= 0 && n >= 0 && k >= 0 && lda >= k && ldc >= n, "gemm: inconsistent sizes")
    guard k > 0 else { return }
    var i = 0
    if n >= 4 && m >= 4 {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 8 * k) { buffer in
            guard let panel = buffer.baseAddress else { return }
            while i + 4 <= m {
                let a0 = a + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda
                let c0 = c + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc
                for p in 0..<k {
                    let d = panel + 8 * p
                    d[0] = a0[p]; d[1] = a0[p]; d[2] = a1[p]; d[3] = a1[p]
                    d[4] = a2[p]; d[5] = a2[p]; d[6] = a3[p]; d[7] = a3[p]
                }
                var j = 0
                while j + 4 <= n {
                    rowBlock(k: k, n: n, panel: panel, b: b + j, c0 + j, c1 + j, c2 + j, c3 + j)
                    j += 4
                }
                if j < n {
                    scalarTail(from: j, n: n, k: k, a: a0, b: b, c: c0)
                    scalarTail(from: j, n: n, k: k, a: a1, b: b, c: c1)
                    scalarTail(from: j, n: n, k: k, a: a2, b: b, c: c2)
                    scalarTail(from: j, n: n, k: k, a: a3, b: b, c: c3)
                }
                i += 4
            }
        }
    }
    while i < m {
        gemvAccumulate(n: n, k: k, a: a + i * lda, b: b, c: c + i * ldc)
        i += 1
    }
}

/// 4 rows × 4 columns of `gemmAccumulate`: `panel` holds the rows' A values pairwise duplicated, p-major.
/// A broadcast is the loaded pair used as both halves of a SIMD4: free with SSE2 registers, one insert with
/// AVX ones (where the products then take one 256-bit instruction instead of two).
@inline(__always)
private func rowBlock(k: Int, n: Int, panel: UnsafePointer<Double>, b: UnsafePointer<Double>,
                      _ c0: UnsafeMutablePointer<Double>, _ c1: UnsafeMutablePointer<Double>,
                      _ c2: UnsafeMutablePointer<Double>, _ c3: UnsafeMutablePointer<Double>) {
    var s0 = load4(c0), s1 = load4(c1), s2 = load4(c2), s3 = load4(c3)
    var w = b, d = panel
    for _ in 0..<k {
        let v = load4(w)
        let x0 = load2(d), x1 = load2(d + 2), x2 = load2(d + 4), x3 = load2(d + 6)
        s0 += Double4(lowHalf: x0, highHalf: x0) * v
        s1 += Double4(lowHalf: x1, highHalf: x1) * v
        s2 += Double4(lowHalf: x2, highHalf: x2) * v
        s3 += Double4(lowHalf: x3, highHalf: x3) * v
        w += n
        d += 8
    }
    store4(s0, c0); store4(s1, c1); store4(s2, c2); store4(s3, c3)
}

/// One row of `gemmAccumulate`: c[j] += Σ_p a[p]·B[p, j], same summation order.
@inline(__always)
private func gemvAccumulate(n: Int, k: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>) {
    var j = 0
    while j + 16 <= n {
        var s0 = load4(c + j), s1 = load4(c + j + 4), s2 = load4(c + j + 8), s3 = load4(c + j + 12)
        var w = b + j
        for p in 0..<k {
            let x = Double4(repeating: a[p])
            s0 += x * load4(w); s1 += x * load4(w + 4); s2 += x * load4(w + 8); s3 += x * load4(w + 12)
            w += n
        }
        store4(s0, c + j); store4(s1, c + j + 4); store4(s2, c + j + 8); store4(s3, c + j + 12)
        j += 16
    }
    while j + 4 <= n {
        var s = load4(c + j)
        var w = b + j
        for p in 0..<k { s += Double4(repeating: a[p]) * load4(w); w += n }
        store4(s, c + j)
        j += 4
    }
    scalarTail(from: j, n: n, k: k, a: a, b: b, c: c)
}

@inline(__always)
private func scalarTail(from j0: Int, n: Int, k: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>) {
    for j in j0..<n {
        var s = c[j]
        for p in 0..<k { s += a[p] * b[p * n + j] }
        c[j] = s
    }
}
