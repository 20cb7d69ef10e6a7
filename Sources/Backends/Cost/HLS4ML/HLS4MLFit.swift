/// Least-squares fitting of HLS4MLConstants: non-negative (a LUT or FF count per unit cannot be negative) and
/// relative (each report weighs the same whatever its size), by Lawson–Hanson NNLS on a handful of columns.
public enum HLS4MLFit {
    /// Coefficients c ≥ 0 minimising Σ ((rows·c − y) / y)² over rows with y > 0.
    public static func relative(rows: [[Double]], targets: [Double]) -> [Double] {
        var a: [[Double]] = [], b: [Double] = []
        for (r, y) in zip(rows, targets) where y > 0 {
            a.append(r.map { $0 / y })
            b.append(1)
        }
        return nnls(a, b)
    }

    /// Lawson–Hanson non-negative least squares: min ‖A x − b‖, x ≥ 0. Columns are scaled to unit norm first.
    public static func nnls(_ a: [[Double]], _ b: [Double]) -> [Double] {
        guard let n = a.first?.count, n > 0, a.count == b.count else { return [] }
        var scale = [Double](repeating: 0, count: n)
        for j in 0..<n { scale[j] = a.reduce(0.0) { $0 + $1[j] * $1[j] }.squareRoot() }
        let s = a.map { row in (0..<n).map { scale[$0] > 0 ? row[$0] / scale[$0] : 0 } }
        var x = [Double](repeating: 0, count: n)
        var passive = Set<Int>()
        let tol = 1e-10
        func gradient() -> [Double] {
            let res = zip(s, b).map { row, y in y - zip(row, x).reduce(0.0) { $0 + $1.0 * $1.1 } }
            return (0..<n).map { j in zip(s, res).reduce(0.0) { $0 + $1.0[j] * $1.1 } }
        }
        for _ in 0..<(3 * n + 10) {
            let w = gradient()
            guard let j = (0..<n).filter({ !passive.contains($0) && scale[$0] > 0 && w[$0] > tol }).max(by: { w[$0] < w[$1] })
            else { break }
            passive.insert(j)
            for _ in 0..<(3 * n + 10) {
                let cols = passive.sorted()
                let z = leastSquares(s, b, columns: cols, n: n)
                if cols.allSatisfy({ z[$0] > tol }) { x = z; break }
                var alpha = 1.0
                for i in cols where z[i] <= tol { alpha = min(alpha, x[i] / max(x[i] - z[i], 1e-300)) }
                for i in 0..<n { x[i] += alpha * (z[i] - x[i]) }
                for i in cols where x[i] <= tol { passive.remove(i); x[i] = 0 }
                if passive.isEmpty { break }
            }
        }
        return (0..<n).map { scale[$0] > 0 ? x[$0] / scale[$0] : 0 }
    }

    /// Unconstrained least squares on a subset of columns (normal equations, Gaussian elimination with pivoting).
    static func leastSquares(_ a: [[Double]], _ b: [Double], columns: [Int], n: Int) -> [Double] {
        let k = columns.count
        var m = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
        for (row, y) in zip(a, b) {
            for (p, i) in columns.enumerated() {
                for (q, j) in columns.enumerated() { m[p][q] += row[i] * row[j] }
                m[p][k] += row[i] * y
            }
        }
        for p in 0..<k { m[p][p] += 1e-12 }
        for p in 0..<k {
            let pivot = (p..<k).max { abs(m[$0][p]) < abs(m[$1][p]) } ?? p
            m.swapAt(p, pivot)
            guard abs(m[p][p]) > 1e-300 else { continue }
            for r in 0..<k where r != p {
                let f = m[r][p] / m[p][p]
                if f != 0 { for q in p...k { m[r][q] -= f * m[p][q] } }
            }
        }
        var x = [Double](repeating: 0, count: n)
        for (p, i) in columns.enumerated() where abs(m[p][p]) > 1e-300 { x[i] = m[p][k] / m[p][p] }
        return x
    }

    /// The median (mean of the middle two for an even count); nil when empty.
    public static func median(_ v: [Double]) -> Double? {
        guard !v.isEmpty else { return nil }
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
