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

    /// Rows of the first operand: T for a sequence, 1 for a vector.
    private var rows: Int { operandTypes.first?.steps ?? 1 }

    func evaluate(_ x: [[Double]], trial: Int) -> [[Double]] {
        switch op {
        case .input:
            return []
        case .gru(let layer, let operandState):
            return [layer.run(steps: rows, x[0], initial: operandState ? x[1] : nil)]
        case .bidirectional(let f, let b):
            let fo = f.run(steps: rows, x[0], initial: nil), bo = b.run(steps: rows, x[0], initial: nil)
            let t = f.returnSequences ? rows : 1
            return [interleave([fo, bo], widths: [f.cell.hidden, b.cell.hidden], rows: t)]
        case .lstm(let l):
            return [l.run(steps: rows, x[0])]
        case .dense(let d):
            return [d.apply(rows: rows, x[0])]
        case .activation(let a):
            var v = x[0]
            let w = operandTypes[0].width
            v.withUnsafeMutableBufferPointer { b in
                guard let p = b.baseAddress else { return }
                for t in 0..<rows { applyActivation(a, p + t * w, count: w) }
            }
            return [v]
        case .concat:
            return [interleave(x, widths: operandTypes.map(\.width), rows: rows)]
        case .slice(let start, let count):
            let w = operandTypes[0].width
            var out = [Double]()
            out.reserveCapacity(rows * count)
            for t in 0..<rows { out.append(contentsOf: x[0][(t * w + start)..<(t * w + start + count)]) }
            return [out]
        case .timeShift(let lag):
            let w = operandTypes[0].width
            var out = [Double](repeating: 0, count: x[0].count)
            for t in 0..<rows {
                let s = t - lag
                guard s >= 0, s < rows else { continue }
                for i in 0..<w { out[t * w + i] = x[0][s * w + i] }
            }
            return [out]
        case .sample(let mode):
            switch mode {
            case .mean:
                return [x[0]]
            case .gaussian(let seed):
                var source = GaussianSource(seed: seed, trial: trial)
                return [zip(x[0], x[1]).map { mean, logvar in mean + exp(0.5 * logvar) * source.next() }]
            }
        case .posteriorStd(let floor):
            return [x[0].map { (exp($0) + floor).squareRoot() }]
        case .decoder(let d):
            return d.run(x)
        }
    }

    /// Concatenates row-major blocks of equal row count along the feature axis.
    private func interleave(_ parts: [[Double]], widths: [Int], rows: Int) -> [Double] {
        var out = [Double]()
        out.reserveCapacity(rows * widths.reduce(0, +))
        for t in 0..<rows {
            for (p, w) in zip(parts, widths) { out.append(contentsOf: p[(t * w)..<((t + 1) * w)]) }
        }
        return out
    }
}
