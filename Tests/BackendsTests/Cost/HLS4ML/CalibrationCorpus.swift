import Backends
import Foundation

/// The entries of benchmarks/calibration/{corpus,heldout}.json, each with the stock-hls4ml module it reports
/// rebuilt from its recorded architecture and config (README.md there describes the fields).
struct CalibrationEntry: Sendable {
    let id: String
    /// The design the entry belongs to (itself for a design): the unit left out in leave-one-design-out.
    let design: String
    let kind: String
    let op: String
    let actual: [String: Double]
    /// Why the entry is not priced (not a stock template, or an op the model has no template for); nil: priced.
    let excluded: String?
    /// The report's BRAM is not comparable: a GRU's product whose weight array HLS may place in the caller.
    let skipBRAM: Bool
    /// The module's cost under given constants.
    let price: (@Sendable (HLS4MLConstants) -> HLS4MLModuleCost)?
    /// For fitting the latency overheads: ("dense", reuse) or ("step", longer reuse).
    let loop: (kind: String, reuse: Int)?

    static let quantities = ["latency", "dsp", "bram18", "lut", "ff"]

    /// The same entry priced by another function.
    func with(price: @escaping @Sendable (HLS4MLConstants) -> HLS4MLModuleCost) -> CalibrationEntry {
        CalibrationEntry(id: id, design: design, kind: kind, op: op, actual: actual, excluded: excluded, skipBRAM: skipBRAM,
                         price: price, loop: loop)
    }

    func predicted(_ q: String, _ c: HLS4MLConstants) -> Double? {
        guard let m = price?(c) else { return nil }
        switch q {
        case "latency": return Double(m.latency)
        case "dsp": return Double(m.dsp)
        case "bram18": return skipBRAM ? nil : Double(m.bram18)
        case "lut": return Double(m.lut(c))
        case "ff": return Double(m.ff(c))
        default: return nil
        }
    }

    /// |predicted − actual| / actual (a zero report counts 0 when predicted 0, else is skipped).
    func error(_ q: String, _ c: HLS4MLConstants) -> Double? {
        guard let p = predicted(q, c), let a = actual[q] else { return nil }
        if a == 0 { return p == 0 ? 0 : nil }
        return abs(p - a) / a
    }
}

enum CalibrationCorpus {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("benchmarks/calibration")

    static func load(_ file: String) throws -> [CalibrationEntry] {
        let data = try Data(contentsOf: directory.appendingPathComponent(file))
        guard let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        var tables: [String: Bool] = [:], firstLayer: [String: String] = [:]
        for e in list where e["kind"] as? String == "design" {
            let layers = (e["arch"] as? [String: Any])?["layers"] as? [[String: Any]] ?? []
            tables[e["id"] as? String ?? ""] = !layers.contains { ($0["activation"] as? String ?? "").hasPrefix("hard") }
            firstLayer[e["id"] as? String ?? ""] = layers.first?["config"] as? String
        }
        let entries = list.map { entry($0, tables: tables, firstLayer: firstLayer) }
        // Vivado HLS prices every mux core of a run at the figure of the last core the run creates, so a module
        // report is priced with its design's last core: from the design's own entry, else from its modules in
        // synthesis (layer) order, else as the entries record it (a core in a wrapper the model does not build).
        var recorded: [String: Int] = [:], order: [String: (Int, Int)] = [:]
        for e in list {
            let design = e["parent"] as? String ?? e["id"] as? String ?? "?"
            if let n = int(e["run_last_mux_core"]) { recorded[design] = n }
            order[e["id"] as? String ?? "?"] = configOrder((e["config"] as? [String: Any])?["hls4ml_config"] as? String)
        }
        var runCore: [String: Int] = [:]
        for e in entries where e.kind == "design" {
            if let m = e.price?(CalibrationFit.zero) { runCore[e.design] = m.lastMuxCore }
        }
        let designs = Set(entries.filter { $0.kind == "design" && $0.price != nil }.map(\.design))
        let modules = entries.enumerated().filter { $0.element.kind != "design" && $0.element.price != nil && !designs.contains($0.element.design) }
            .sorted {
                let a = order[$0.element.id] ?? (0, 0), b = order[$1.element.id] ?? (0, 0)
                return (a.0, a.1, $0.offset) < (b.0, b.1, $1.offset)
            }
        for (_, e) in modules {
            if let m = e.price?(CalibrationFit.zero), m.lastMuxCore > 0 { runCore[e.design] = m.lastMuxCore }
        }
        for (d, n) in recorded { runCore[d] = n }
        return entries.map { e in
            guard e.kind != "design", let price = e.price, let core = runCore[e.design] else { return e }
            return e.with { c in
                var m = price(c)
                m.runMuxCore = core
                return m
            }
        }
    }

    /// Layer order of an hls4ml config name: configN by N (then a GRU's products configN_1, configN_2, which HLS
    /// synthesises before the cell configN; within a layer the order does not matter here, as the cell's last core
    /// is its recurrent product's).
    static func configOrder(_ name: String?) -> (Int, Int) {
        guard let name, name.hasPrefix("config") else { return (0, 0) }
        let parts = name.dropFirst(6).split(separator: "_").map { Int($0) ?? 0 }
        return (parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
    }

    static func bits(_ type: Any?) -> Int? {
        guard let t = type as? String, let open = t.firstIndex(of: "<") else { return nil }
        let digits = t[t.index(after: open)...].prefix { $0.isNumber }
        return Int(digits)
    }

    /// Operand widths of a config: data from `data_t` (the layer's input type), else the design's
    /// "data ap_fixed<…>" note, else the weight width.
    static func widths(_ c: [String: Any]) -> HLS4MLWidths? {
        guard let w = bits(c["weight_t"]), let a = bits(c["accum_t"]) else { return nil }
        var data = w
        if let p = c["design_precision"] as? String, let r = p.range(of: "data ap_fixed<") { data = bits(String(p[r.lowerBound...].dropFirst(5))) ?? w }
        if let d = bits(c["data_t"]) { data = d }
        return HLS4MLWidths(weight: w, data: data, accum: a)
    }

    /// A Latency-strategy layer's weights as the source counted them (non-zero after quantisation, signed digits).
    static func weightStats(_ c: [String: Any]) -> HLS4MLWeightStats? {
        guard let n = int(c["n_weights"]), let z = int(c["n_zeros_actual"]), let d = int(c["weight_csd_digits_nonzero_sum"]) else { return nil }
        return HLS4MLWeightStats(nonzero: n - z, signedDigits: d)
    }

    static func exclusion(id: String, design: String, kind: String, op: String, config: [String: Any], duplicate: Bool,
                          invalidReuse: Bool) -> String? {
        if duplicate { return "a byte-identical copy of another build's reports" }
        if config["mul_impl"] as? String == "dsp" { return "multipliers forced onto DSPs (config_op mul -impl dsp), not what stock hls4ml asks" }
        if invalidReuse { return "a hand-set reuse factor that does not divide n_in·n_out (stock hls4ml replaces it with the closest valid one)" }
        if design.hasPrefix("rae-") { return "hand-modified templates (partial unrolls, data-dependent loop bounds)" }
        if design.hasPrefix("attention-hls") { return "own LSTM template, not hls4ml's" }
        if design.hasPrefix("lfads-concat") { return "Conv2D designs: no Conv2D template in the model" }
        if design.hasPrefix("lfads-full") && (kind == "design" || op.hasPrefix("gru")) {
            return "modified GRU (about 400 cycles a step against R + 8 for the stock template)"
        }
        return nil
    }

    static func int(_ v: Any?) -> Int? { (v as? NSNumber)?.intValue }

    /// A Dense layer (the entry, or any layer of a design) whose reuse factor does not divide n_in·n_out.
    static func invalidReuse(_ e: [String: Any]) -> Bool {
        let arch = e["arch"] as? [String: Any] ?? [:]
        func bad(_ nIn: Int?, _ nOut: Int?, _ r: Int?) -> Bool {
            guard let nIn, let nOut, let r, r > 0 else { return false }
            return (nIn * nOut) % r != 0
        }
        if let op = arch["op"] as? String, op.hasPrefix("dense") {
            return bad(int(arch["n_in"]), int(arch["n_out"]), int((e["config"] as? [String: Any])?["reuse_factor"]))
        }
        return (arch["layers"] as? [[String: Any]] ?? []).contains {
            $0["type"] as? String == "Dense" && bad(int($0["n_in"]), int($0["n_out"]), int($0["reuse_factor"]))
        }
    }

    /// How a design's input port is read: reshaped under stock io_parallel, in order from a stream or a hand-set
    /// AXI-stream port (`input_interface: axis`).
    static func designInput(_ config: [String: Any]) -> HLS4MLSequenceInput {
        let io = config["io_type"] as? String ?? ""
        return io.contains("stream") || config["input_interface"] as? String == "axis" ? .stream : .reshaped
    }

    /// The hls4ml backend a report was built with, from its tool.
    static func backend(_ e: [String: Any]) -> HLS4MLBackend {
        ((e["tool"] as? [String: Any])?["name"] as? String ?? "").hasPrefix("Vitis") ? .vitis : .vivado
    }

    static func entry(_ e: [String: Any], tables: [String: Bool], firstLayer: [String: String]) -> CalibrationEntry {
        let id = e["id"] as? String ?? "?"
        let kind = e["kind"] as? String ?? "?"
        let design = e["parent"] as? String ?? id
        let arch = e["arch"] as? [String: Any] ?? [:]
        let config = e["config"] as? [String: Any] ?? [:]
        let op = arch["op"] as? String ?? kind
        let results = e["results"] as? [String: Any] ?? [:]
        var actual: [String: Double] = [:]
        for (q, key) in [("latency", "latency_best"), ("dsp", "dsp"), ("bram18", "bram18"), ("lut", "lut"), ("ff", "ff")] {
            if let v = results[key] as? NSNumber { actual[q] = v.doubleValue }
        }
        let backend = backend(e)
        var excluded = exclusion(id: id, design: design, kind: kind, op: op, config: config, duplicate: e["duplicate_of"] != nil,
                                 invalidReuse: invalidReuse(e))
        var price: (@Sendable (HLS4MLConstants) -> HLS4MLModuleCost)?
        var loop: (String, Int)?
        var skipBRAM = false
        if kind == "layer", op == "relu", excluded == nil {
            // A relu layer on n values of its input type. (The corpus' softmax reports come from builds that force
            // every multiplier into LUTs or DSPs, `config_op mul -impl`: not stock, so not priced alone.)
            if let n = int(arch["n_in"]), let b = bits(config["data_t"]) {
                let l = HLS4MLLayer(name: id, kind: .activation(n: n, table: false), widths: HLS4MLWidths(weight: b, data: b, accum: b))
                price = { HLS4MLCost.layer(l, backend: backend, $0) }
            } else {
                excluded = "no size or input type recorded"
            }
        } else if kind == "design" {
            if let d = designOf(e) { price = { HLS4MLCost.design(d, $0).total } } else { excluded = excluded ?? "a layer type the model has no template for" }
        } else if let w = widths(config) {
            let tab = tables[design] ?? true
            switch op {
            case "dense", "dense_resource", "dense_wrapper", "dense_array":
                if let nIn = int(arch["n_in"]), let nOut = int(arch["n_out"]), let r = int(config["reuse_factor"]) {
                    let l = HLS4MLLayer(name: id, kind: .dense(nIn: nIn, nOut: nOut, reuse: r, steps: 1), widths: w)
                    // configN_1 / configN_2: a GRU's input / recurrent product, reading gru_static's own arrays.
                    let cfg = config["hls4ml_config"] as? String ?? ""
                    let inGRU = cfg.range(of: #"config\d+_[12]$"#, options: .regularExpression) != nil
                    // `input: reshaped_port`: a first layer reading the design's reshaped input port; io_stream
                    // layers read a stream into a local copy; other io_parallel layers read the dataflow top's arrays.
                    let input: HLS4MLSequenceInput = config["input"] as? String == "reshaped_port" ? .reshaped
                        : designInput(config) == .stream ? .stream : inGRU ? .partitioned : .argument
                    // A dense_resource report is the product alone; dense/dense_wrapper/dense_array are the layer.
                    if op == "dense_resource" {
                        price = { HLS4MLCost.dense(name: id, nIn: nIn, nOut: nOut, reuse: r, widths: w, input: input, backend: backend, $0) }
                        loop = (HLS4MLCost.hasSelectStage(nIn: nIn, reuse: r, input: input, backend: backend) ? "select" : "dense", r)
                    } else {
                        price = { HLS4MLCost.layer(l, input: input, backend: backend, $0) }
                    }
                    skipBRAM = inGRU
                }
            case "dense_latency":
                if let nIn = int(arch["n_in"]), let nOut = int(arch["n_out"]), let r = int(config["reuse_factor"]) {
                    let stats = weightStats(config)
                    price = { HLS4MLCost.denseLatency(name: id, nIn: nIn, nOut: nOut, reuse: r, weights: stats, widths: w, $0) }
                    if r == 1 { loop = ("tree", ceilLog2(nIn)) }
                }
            case "pointwise_conv_1d":
                if let nIn = int(arch["n_chan"]), let nOut = int(arch["n_filt"]), let r = int(config["reuse_pointwise"]),
                   let t = int(arch["in_width"]) {
                    let l = HLS4MLLayer(name: id, kind: .dense(nIn: nIn, nOut: nOut, reuse: r, steps: t), widths: w)
                    price = { HLS4MLCost.layer(l, backend: backend, $0) }
                }
            case "gru_static", "gru_stack":
                if let nIn = int(arch["n_in"]), let n = int(arch["n_state"]), let t = int(arch["n_sequence"]),
                   let ri = int(config["reuse_input"]), let rr = int(config["reuse_recurrent"]) {
                    if op == "gru_static" {
                        price = { HLS4MLCost.gruStep(name: id, nIn: nIn, nState: n, reuseInput: ri, reuseRecurrent: rr, tables: tab, widths: w,
                                                     backend: backend, $0) }
                        loop = ("step", max(ri, rr))
                    } else {
                        let l = HLS4MLLayer(name: id, kind: .gru(nIn: nIn, nState: n, reuseInput: ri, reuseRecurrent: rr, steps: t,
                                                               bidirectional: false, tables: tab), widths: w)
                        // The design's first layer reads its input port; a later one a partitioned array (io_parallel).
                        let cfg = config["hls4ml_config"] as? String ?? ""
                        let first = firstLayer[design].map { cfg == $0 || cfg.hasPrefix($0 + "_") } ?? true
                        let port = designInput(config)
                        let input: HLS4MLSequenceInput = port == .stream ? .stream : first ? port : .argument
                        price = { HLS4MLCost.layer(l, input: input, backend: backend, $0) }
                    }
                }
            default: break
            }
            if price == nil { excluded = excluded ?? "op \(op) has no template in the model" }
        } else {
            excluded = excluded ?? "no weight/accumulator type recorded"
        }
        return CalibrationEntry(id: id, design: design, kind: kind, op: op, actual: actual, excluded: excluded,
                                skipBRAM: skipBRAM, price: excluded == nil ? price : nil, loop: excluded == nil ? loop : nil)
    }

    /// A whole design from its `arch.layers` (GRU, Bidirectional GRU, Dense, pointwise Conv1D); nil otherwise.
    static func designOf(_ e: [String: Any]) -> HLS4MLDesign? {
        let arch = e["arch"] as? [String: Any] ?? [:]
        let io: HLS4MLIOType = ((e["config"] as? [String: Any])?["io_type"] as? String ?? "").contains("stream") ? .stream : .parallel
        var layers: [HLS4MLLayer] = []
        for l in arch["layers"] as? [[String: Any]] ?? [] {
            let name = l["config"] as? String ?? "?"
            if l["type"] as? String == "Activation" {
                let f = l["activation"] as? String ?? ""
                guard let n = int(l["n_in"]), let b = bits(l["data_t"]), ["relu", "softmax", "sigmoid", "tanh"].contains(f) else { return nil }
                let kind: HLS4MLLayerKind = f == "softmax" ? .softmax(n: n) : .activation(n: n, table: f != "relu")
                layers.append(HLS4MLLayer(name: name, kind: kind, widths: HLS4MLWidths(weight: b, data: b, accum: b),
                                          output: HLS4MLStreamShape(width: n, depth: 1)))
                continue
            }
            guard let w = widths(l) else { return nil }
            switch l["type"] as? String ?? "" {
            case "GRU", "Bidirectional":
                guard (l["cell"] as? String ?? "GRU") == "GRU", let nIn = int(l["n_in"]), let n = int(l["n_state"]),
                      let t = int(l["n_sequence"]), let ri = int((l["input_matmul"] as? [String: Any])?["reuse_factor"]),
                      let rr = int((l["recurrent_matmul"] as? [String: Any])?["reuse_factor"]) else { return nil }
                let tables = !(l["activation"] as? String ?? "tanh").hasPrefix("hard")
                let bidirectional = l["type"] as? String == "Bidirectional"
                layers.append(HLS4MLLayer(name: name, kind: .gru(nIn: nIn, nState: n, reuseInput: ri, reuseRecurrent: rr, steps: t,
                                                                bidirectional: bidirectional, tables: tables), widths: w,
                                          output: HLS4MLStreamShape(width: int(l["n_out"]) ?? (bidirectional ? 2 * n : n),
                                                                    depth: int(l["n_sequence_out"]) ?? t)))
            case "Dense":
                guard let nIn = int(l["n_in"]), let nOut = int(l["n_out"]), let r = int(l["reuse_factor"]) else { return nil }
                let output = HLS4MLStreamShape(width: nOut, depth: 1)
                if l["strategy"] as? String == "latency" {
                    layers.append(HLS4MLLayer(name: name, kind: .denseLatency(nIn: nIn, nOut: nOut, reuse: r, weights: weightStats(l)), widths: w,
                                              output: output))
                } else {
                    layers.append(HLS4MLLayer(name: name, kind: .dense(nIn: nIn, nOut: nOut, reuse: r, steps: 1), widths: w, output: output))
                }

            case "Conv1D":
                guard int(l["filt_width"]) == 1, let nIn = int(l["n_chan"]), let nOut = int(l["n_filt"]), let t = int(l["in_width"]),
                      let r = int((l["pointwise_matmul"] as? [String: Any])?["reuse_factor"]) else { return nil }
                layers.append(HLS4MLLayer(name: name, kind: .dense(nIn: nIn, nOut: nOut, reuse: r, steps: t), widths: w,
                                          output: HLS4MLStreamShape(width: nOut, depth: int(l["out_width"]) ?? t)))
            default:
                return nil
            }
        }
        // A recurrent layer whose output a Dense layer reads as one vector of its width gives it its final state: one
        // write, whatever n_sequence_out the project's parameters.h records (the LFADS builds' encoders: 73, their
        // FIFOs: depth 1). A flattened sequence (QuickDraw-model1's 100 × 32 into a 3,200-input Dense) stays a sequence.
        for i in layers.indices.dropLast() {
            guard case .gru = layers[i].kind, let o = layers[i].output else { continue }
            switch layers[i + 1].kind {
            case let .dense(nIn, _, _, 1) where nIn == o.width: layers[i].output?.depth = 1
            case let .denseLatency(nIn, _, _, _) where nIn == o.width: layers[i].output?.depth = 1
            default: break
            }
        }
        return layers.isEmpty ? nil : HLS4MLDesign(name: e["id"] as? String ?? "?", layers: layers, io: io,
                                                   input: designInput(e["config"] as? [String: Any] ?? [:]), backend: backend(e))
    }
}
