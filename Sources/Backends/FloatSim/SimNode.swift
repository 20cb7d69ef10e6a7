import Foundation
import LFADSIR

/// An op with its weights prepared for the float simulator.
enum SimOp: Sendable {
    case input(ValueType)
    case gru(FloatGRULayer, operandState: Bool)
    case bidirectional(FloatGRULayer, FloatGRULayer)
    case lstm(FloatLSTMLayer)
    case dense(FloatDense)
    case activation(Activation)
    case concat
    case slice(start: Int, count: Int)
    case timeShift(Int)
    case sample(SampleMode)
    case posteriorStd(Double)
    case decoder(FloatDecoder)
}

/// One graph node ready to evaluate on operand values whose sizes match `operandTypes`.
struct SimNode: Sendable {
    let node: Node
    let operandTypes: [ValueType]
    let op: SimOp

    init(node: Node, operandTypes: [ValueType]) throws {
        self.node = node
        self.operandTypes = operandTypes
        switch node.op {
        case .input(let i): op = .input(i.type)
        case .gru(let g): op = .gru(try FloatGRULayer(g), operandState: g.initialState == .operand)
        case .bidirectionalGRU(let b): op = .bidirectional(try FloatGRULayer(b.forward), try FloatGRULayer(b.backward))
        case .lstm(let l): op = .lstm(try FloatLSTMLayer(l))
        case .dense(let d): op = .dense(try FloatDense(d))
        case .activation(let a): op = .activation(a.activation)
        case .concat: op = .concat
        case .slice(let s, let c): op = .slice(start: s, count: c)
        case .timeShift(let lag): op = .timeShift(lag)
        case .sample(let m): op = .sample(m)
        case .posteriorStd(let p): op = .posteriorStd(p.varianceFloor)
        case .decoder(let d): op = .decoder(try FloatDecoder(d))
        }
    }

    /// Rows of the first operand per trial: T for a sequence, 1 for a vector.
    private var rows: Int { operandTypes.first?.steps ?? 1 }

    /// Evaluates the op on a block of `trials` trials, the first with index `firstTrial` (it seeds the noise of
    /// gaussian sampling). Every operand holds the trials' values one after the other (trial-major), so a
    /// block of seq<T×W> values is trials·T rows of W; the results come back in the same layout, in arrays
    /// taken from `pool`.
    func evaluate(_ x: [[Double]], trials: Int, firstTrial: Int, pool: ArrayPool) -> [[Double]] {
        let allRows = trials * rows
        switch op {
        case .input:
            return []
        case .gru(let layer, let operandState):
            return [layer.run(trials: trials, steps: rows, x[0], initial: operandState ? x[1] : nil, pool: pool)]
        case .bidirectional(let f, let b):
            let fo = f.run(trials: trials, steps: rows, x[0], initial: nil, pool: pool)
            let bo = b.run(trials: trials, steps: rows, x[0], initial: nil, pool: pool)
            defer { pool.recycle(fo, bo) }
            return [interleave([fo, bo], widths: [f.cell.hidden, b.cell.hidden], rows: f.returnSequences ? allRows : trials, pool: pool)]
        case .lstm(let l):
            let per = rows * operandTypes[0].width
            return [(0..<trials).flatMap { i in l.run(steps: rows, Array(x[0][(i * per)..<((i + 1) * per)])) }]
        case .dense(let d):
            return [d.apply(rows: allRows, x[0], pool: pool)]
        case .activation(let a):
            let w = operandTypes[0].width
            var v = copy(x[0], pool)
            v.withUnsafeMutableBufferPointer { b in
                guard let p = b.baseAddress else { return }
                if a.function == .softmax {
                    for t in 0..<allRows { applyActivation(a, p + t * w, count: w) }
                } else {
                    applyActivation(a, p, count: allRows * w)
                }
            }
            return [v]
        case .concat:
            return [interleave(x, widths: operandTypes.map(\.width), rows: allRows, pool: pool)]
        case .slice(let start, let count):
            let w = operandTypes[0].width
            precondition(start >= 0 && start + count <= w && x[0].count == allRows * w, "slice: out of range")
            var out = pool.take(allRows * count)
            out.withUnsafeMutableBufferPointer { ob in
                x[0].withUnsafeBufferPointer { xb in
                    guard let o = ob.baseAddress, let src = xb.baseAddress else { return }
                    for t in 0..<allRows { (o + t * count).update(from: src + t * w + start, count: count) }
                }
            }
            return [out]
        case .timeShift(let lag):
            let w = operandTypes[0].width, per = rows * w
            precondition(x[0].count == trials * per, "time shift: operand does not hold \(trials) trials")
            // Row t of a trial takes row t − lag of the same trial; rows shifted in from outside stay zero.
            let valid = max(0, rows - abs(lag))
            var out = pool.zeros(x[0].count)
            out.withUnsafeMutableBufferPointer { ob in
                x[0].withUnsafeBufferPointer { xb in
                    guard let o = ob.baseAddress, let src = xb.baseAddress, valid > 0 else { return }
                    for i in 0..<trials {
                        (o + i * per + max(0, lag) * w).update(from: src + i * per + max(0, -lag) * w, count: valid * w)
                    }
                }
            }
            return [out]
        case .sample(let mode):
            switch mode {
            case .mean:
                return [copy(x[0], pool)]
            case .gaussian(let seed, let floor, _):
                let per = x[0].count / max(trials, 1)
                var out = pool.take(x[0].count)
                for i in 0..<trials {
                    var source = GaussianSource(seed: seed, trial: firstTrial + i)
                    for j in (i * per)..<((i + 1) * per) {
                        let std = floor == 0 ? exp(0.5 * x[1][j]) : (exp(x[1][j]) + floor).squareRoot()
                        out[j] = x[0][j] + std * source.next()
                    }
                }
                return [out]
            }
        case .posteriorStd(let floor):
            var out = pool.take(x[0].count)
            for i in 0..<out.count { out[i] = (exp(x[0][i]) + floor).squareRoot() }
            return [out]
        case .decoder(let d):
            return d.run(trials: trials, firstTrial: firstTrial, x, pool: pool)
        }
    }

    /// A pooled copy (so that every value of a block owns its storage and can be recycled).
    private func copy(_ x: [Double], _ pool: ArrayPool) -> [Double] {
        var out = pool.take(x.count)
        out.withUnsafeMutableBufferPointer { o in _ = o.update(from: x) }
        return out
    }

    /// Concatenates row-major blocks of equal row count along the feature axis.
    private func interleave(_ parts: [[Double]], widths: [Int], rows: Int, pool: ArrayPool) -> [Double] {
        let total = widths.reduce(0, +)
        var out = pool.take(rows * total)
        out.withUnsafeMutableBufferPointer { ob in
            guard let o = ob.baseAddress else { return }
            var offset = 0
            for (p, w) in zip(parts, widths) {
                precondition(p.count == rows * w, "concat: operand does not hold \(rows) rows of \(w)")
                p.withUnsafeBufferPointer { pb in
                    guard let src = pb.baseAddress else { return }
                    for t in 0..<rows { (o + t * total + offset).update(from: src + t * w, count: w) }
                }
                offset += w
            }
        }
        return out
    }
}
