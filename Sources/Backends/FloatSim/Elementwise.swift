/// The element-wise loops of a GRU step, four values at a time. Each scalar tail evaluates the same expression
/// as the vector lanes, so an element's bits do not depend on the path it takes.
enum Elementwise {
    /// d[i] = (a[i] + d[i]) + c
    @inline(__always)
    static func add(_ a: UnsafePointer<Double>, into d: UnsafeMutablePointer<Double>, plus c: Double, count n: Int) {
        var i = 0
        while i + 4 <= n { store4((load4(a + i) + load4(d + i)) + c, d + i); i += 4 }
        while i < n { d[i] = (a[i] + d[i]) + c; i += 1 }
    }

    /// d[i] = a[i] + d[i]
    @inline(__always)
    static func add(_ a: UnsafePointer<Double>, into d: UnsafeMutablePointer<Double>, count n: Int) {
        var i = 0
        while i + 4 <= n { store4(load4(a + i) + load4(d + i), d + i); i += 4 }
        while i < n { d[i] = a[i] + d[i]; i += 1 }
    }

    /// d[i] = a[i]·b[i]
    @inline(__always)
    static func multiply(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into d: UnsafeMutablePointer<Double>, count n: Int) {
        var i = 0
        while i + 4 <= n { store4(load4(a + i) * load4(b + i), d + i); i += 4 }
        while i < n { d[i] = a[i] * b[i]; i += 1 }
    }

    /// d[i] = a[i] + r[i]·d[i]
    @inline(__always)
    static func addScaled(_ a: UnsafePointer<Double>, _ r: UnsafePointer<Double>, into d: UnsafeMutablePointer<Double>, count n: Int) {
        var i = 0
        while i + 4 <= n { store4(load4(a + i) + load4(r + i) * load4(d + i), d + i); i += 4 }
        while i < n { d[i] = a[i] + r[i] * d[i]; i += 1 }
    }

    /// h[i] = clip(z[i]·h[i] + (1 − z[i])·c[i]) with clip(v) = v < −lim ? −lim : (v > lim ? lim : v) (NaN stays).
    @inline(__always)
    static func update(_ h: UnsafeMutablePointer<Double>, z: UnsafePointer<Double>, candidate c: UnsafePointer<Double>,
                       clip: Double?, count n: Int) {
        let lim = clip ?? .infinity
        let lo = Double4(repeating: -lim), hi = Double4(repeating: lim)
        var i = 0
        while i + 4 <= n {
            let zv = load4(z + i)
            var v = zv * load4(h + i) + (1 - zv) * load4(c + i)
            if clip != nil {
                v.replace(with: lo, where: v .< lo)
                v.replace(with: hi, where: v .> hi)
            }
            store4(v, h + i)
            i += 4
        }
        while i < n {
            var v = z[i] * h[i] + (1 - z[i]) * c[i]
            if clip != nil {
                if v < -lim { v = -lim }
                if v > lim { v = lim }
            }
            h[i] = v
            i += 1
        }
    }
}
