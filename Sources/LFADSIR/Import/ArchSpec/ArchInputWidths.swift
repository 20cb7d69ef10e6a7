/// The `"reuse": "n_in"` rule: for every layer part with a matrix product, reuse = the product's input width
/// and recurrent reuse = the state width (the published hls4ml LFADS design runs each matrix at RF = n_in).
/// Part names are the ones per-layer settings use (`enc.forward`, `decoder.generator`, `decoder.factors`).
enum ArchInputWidths {
    struct Widths: Equatable {
        var reuse: Int
        var recurrentReuse: Int?
    }

    static func parts(of graph: Graph) -> [String: Widths] {
        var out: [String: Widths] = [:]
        func gru(_ part: String, _ cell: GRUCell) { out[part] = Widths(reuse: max(1, cell.inputSize), recurrentReuse: cell.hiddenSize) }
        for node in graph.nodes {
            switch node.op {
            case .dense(let d): out[node.name] = Widths(reuse: d.inputSize)
            case .gru(let g): gru(node.name, g.cell)
            case .bidirectionalGRU(let b):
                gru("\(node.name).forward", b.forward.cell)
                gru("\(node.name).backward", b.backward.cell)
            case .lstm(let l): out[node.name] = Widths(reuse: l.cell.inputSize, recurrentReuse: l.cell.hiddenSize)
            case .decoder(let d):
                gru("\(node.name).generator", d.generator)
                out["\(node.name).factors"] = Widths(reuse: d.factors.inputSize)
                if let c = d.controller {
                    gru("\(node.name).controller", c.cell)
                    out["\(node.name).co_mean"] = Widths(reuse: c.coMean.inputSize)
                    if let lv = c.coLogvar { out["\(node.name).co_logvar"] = Widths(reuse: lv.inputSize) }
                }
            case .input, .activation, .posteriorStd, .concat, .slice, .timeShift, .sample:
                continue
            }
        }
        return out
    }
}
