/// Every hardware tensor of a graph by key, with its current type (nil before quantisation) and the cost
/// weight the automatic precision search gives one bit of it: how many stored values or multiplier inputs
/// that bit widens (weights: element count; a state or result: the products it feeds; tables: entries).
public struct TensorInventory: Sendable {
    public struct Entry: Hashable, Sendable {
        public var type: FixedType?
        public var cost: Int
    }

    public private(set) var entries: [TensorKey: Entry] = [:]

    public init(_ graph: Graph) {
        // Products fed by each value, so a result's cost counts the multipliers downstream of it.
        var fed = [String: Int]()
        for node in graph.nodes {
            let uses = Self.productsPerInput(node.op)
            if let first = node.operands.first { fed[first, default: 0] &+= uses }
        }
        for node in graph.nodes {
            let width = node.results.first?.type.width ?? 1
            let (product, overflow) = width.multipliedReportingOverflow(by: max(node.results.first.map { fed[$0.name] ?? 1 } ?? 1, 1))
            let resultCost = overflow ? Int.max / 2 : product
            switch node.op {
            case .input(let i):
                add(TensorKey(node.name, .result), i.precision, resultCost)
            case .gru(let g):
                gru(node.name, g.cell, g.precision, resultCost: resultCost)
            case .bidirectionalGRU(let b):
                gru("\(node.name).forward", b.forward.cell, b.forward.precision, resultCost: resultCost)
                gru("\(node.name).backward", b.backward.cell, b.backward.precision, resultCost: resultCost)
            case .dense(let d):
                dense(node.name, d, d.precision, resultCost: resultCost)
            case .activation(let a):
                add(TensorKey(node.name, .result), a.precision?.result, resultCost)
                if a.activation.function.quantizeTableFunction != nil { add(TensorKey(node.name, .table), a.precision?.table?.entryType, a.precision?.table?.size ?? QuantizeDefaults.tableSize) }
            case .posteriorStd(let p):
                add(TensorKey(node.name, .result), p.precision?.result, resultCost)
                add(TensorKey(node.name, .table), p.precision?.table?.entryType, p.precision?.table?.size ?? QuantizeDefaults.tableSize)
            case .decoder(let d):
                gru("\(node.name).generator", d.generator, d.precision?.generator, resultCost: d.factors.weight.values.count)
                dense("\(node.name).factors", d.factors, d.factors.precision, resultCost: resultCost)
                if let c = d.controller {
                    gru("\(node.name).controller", c.cell, d.precision?.controller, resultCost: c.coMean.weight.values.count)
                    dense("\(node.name).co_mean", c.coMean, c.coMean.precision, resultCost: d.generator.kernel.values.count)
                    if let lv = c.coLogvar { dense("\(node.name).co_logvar", lv, lv.precision, resultCost: lv.outputSize) }
                }
            case .lstm(let l):
                lstm(node.name, l.cell, l.precision, resultCost: resultCost)
            case .concat, .slice, .timeShift, .sample:
                break
            }
        }
    }

    public func type(_ key: TensorKey) -> FixedType? { entries[key]?.type }
    public func cost(_ key: TensorKey) -> Int { entries[key]?.cost ?? 1 }

    mutating func add(_ key: TensorKey, _ type: FixedType?, _ cost: Int) {
        entries[key] = Entry(type: type, cost: max(cost, 1))
    }

    mutating func gru(_ part: String, _ cell: GRUCell, _ p: GRUPrecision?, resultCost: Int) {
        let h = cell.hiddenSize
        add(TensorKey(part, .weight), p?.weight, cell.kernel.values.count)
        add(TensorKey(part, .recurrentWeight), p?.recurrentWeight, cell.recurrentKernel.values.count)
        add(TensorKey(part, .bias), p?.bias, 3 * h)
        add(TensorKey(part, .recurrentBias), p?.recurrentBias, 3 * h)
        // Two accumulations of 3H sums per step.
        add(TensorKey(part, .accum), p?.accum, 6 * h)
        // z and r feed 2H element-wise products; the candidate feeds H.
        add(TensorKey(part, .recurrentActivation), p?.recurrentActivation, 2 * h)
        add(TensorKey(part, .activation), p?.activation, h)
        // The state is an operand of every recurrent product and of the final blend.
        add(TensorKey(part, .state), p?.state, cell.recurrentKernel.values.count + 2 * h)
        add(TensorKey(part, .result), p?.result, resultCost)
        let tables = (cell.recurrentActivation.function == .sigmoid ? 1 : 0) + (cell.activation.function == .tanh ? 1 : 0)
        if tables > 0 {
            let size = (p?.sigmoidTable?.size ?? p?.tanhTable?.size) ?? QuantizeDefaults.tableSize
            add(TensorKey(part, .table), p?.sigmoidTable?.entryType ?? p?.tanhTable?.entryType, tables * size)
        }
    }

    mutating func lstm(_ part: String, _ cell: LSTMCell, _ p: LSTMPrecision?, resultCost: Int) {
        let h = cell.hiddenSize
        add(TensorKey(part, .weight), p?.weight, cell.kernel.values.count)
        add(TensorKey(part, .recurrentWeight), p?.recurrentWeight, cell.recurrentKernel.values.count)
        add(TensorKey(part, .bias), p?.bias, 4 * h)
        // Two accumulations of 4H sums per step.
        add(TensorKey(part, .accum), p?.accum, 8 * h)
        // i, f, o feed 3H element-wise products; c̃ and act(c) feed 2H.
        add(TensorKey(part, .recurrentActivation), p?.recurrentActivation, 3 * h)
        add(TensorKey(part, .activation), p?.activation, 2 * h)
        // c feeds f⊙c and act(c); h is an operand of every recurrent product.
        add(TensorKey(part, .cellState), p?.cellState, 2 * h)
        add(TensorKey(part, .state), p?.state, cell.recurrentKernel.values.count)
        add(TensorKey(part, .result), p?.result, resultCost)
        let tables = (cell.recurrentActivation.function == .sigmoid ? 1 : 0) + (cell.activation.function == .tanh ? 2 : 0)
        if tables > 0 {
            let size = (p?.sigmoidTable?.size ?? p?.tanhTable?.size) ?? QuantizeDefaults.tableSize
            add(TensorKey(part, .table), p?.sigmoidTable?.entryType ?? p?.tanhTable?.entryType, tables * size)
        }
    }

    mutating func dense(_ part: String, _ d: DenseLayer, _ p: DensePrecision?, resultCost: Int) {
        add(TensorKey(part, .weight), p?.weight, d.weight.values.count)
        add(TensorKey(part, .bias), p?.bias, d.outputSize)
        add(TensorKey(part, .accum), p?.accum, d.outputSize)
        add(TensorKey(part, .result), p?.result, resultCost)
        if d.activation.function.quantizeTableFunction != nil {
            add(TensorKey(part, .table), p?.table?.entryType, p?.table?.size ?? QuantizeDefaults.tableSize)
        }
    }

    /// Multiplies per scalar of the op's first operand (its input matrix's rows).
    static func productsPerInput(_ op: Op) -> Int {
        switch op {
        case .gru(let g): return g.cell.kernel.rows
        case .bidirectionalGRU(let b): return b.forward.cell.kernel.rows + b.backward.cell.kernel.rows
        case .lstm(let l): return l.cell.kernel.rows
        case .dense(let d): return d.outputSize
        default: return 0
        }
    }
}
