// Graph → HardwarePlan: checks every node has its precision, quantises weights, resolves activations.
import LFADSIR

extension HardwarePlan {
    public init(graph: Graph) throws {
        // Shapes below are taken from the nodes' declared results: make sure they agree with the ops first.
        // A plan built only to be priced quantises no weight, so their values need no scan.
        try Verifier.verify(graph, weights: !HardwarePlan.shapesOnly)
        var tensors = [HWTensor]()
        var index = [String: Int]()
        var stages = [Stage]()
        var usedC = Set<String>()

        func cName(_ name: String) -> String {
            var base = "v_" + String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" }.filter { $0.isASCII })
            if usedC.contains(base) { base += "_\(tensors.count)" }
            usedC.insert(base)
            return base
        }
        func add(_ name: String, _ type: FixedType, _ shape: ValueType) -> Int {
            let t = HWTensor(name: name, cName: cName(name), type: type, steps: shape.steps ?? 1, width: shape.width, isSequence: shape.isSequence)
            tensors.append(t)
            index[name] = tensors.count - 1
            return tensors.count - 1
        }
        func operand(_ node: Node, _ i: Int) throws -> Int {
            guard i < node.operands.count, let t = index[node.operands[i]] else {
                throw HardwareError.unsupported("layer '\(node.name)': operand \(i) is not available")
            }
            return t
        }

        for node in graph.nodes {
            let context = "layer '\(node.name)'"
            guard let result = node.results.first else { continue }
            switch node.op {
            case .input(let i):
                guard let p = i.precision else { throw HardwareError.missingPrecision("\(context): input has no precision") }
                try TypeLimits.check(p, context)
                stages.append(.input(output: add(result.name, p, result.type)))

            case .dense(let d):
                guard let p = d.precision else { throw HardwareError.missingPrecision("\(context): dense has no precision") }
                let x = try operand(node, 0)
                let stage = try Self.dense(d, p, name: node.name, input: x, inputType: tensors[x].type, context: context) { add(result.name, p.result, result.type) }
                stages.append(.dense(stage))

            case .activation(let a):
                guard let p = a.precision else { throw HardwareError.missingPrecision("\(context): activation has no precision") }
                let x = try operand(node, 0)
                let f = try ElementFunction.make(a.activation, table: p.table, input: tensors[x].type, output: p.result, context: context)
                stages.append(.activation(input: x, output: add(result.name, p.result, result.type), function: f))

            case .gru(let g):
                let x = try operand(node, 0)
                var initial: Int?
                if g.initialState == .operand { initial = try operand(node, 1) }
                let stage = try Self.gru(g, name: node.name, input: x, inputType: tensors[x].type,
                                         initialOperand: initial, steps: tensors[x].steps, context: context) { type in
                    add(result.name, type, result.type)
                }
                stages.append(.gru(stage))

            case .bidirectionalGRU(let b):
                let x = try operand(node, 0)
                let steps = tensors[x].steps
                var parts = [Int]()
                var types = [FixedType]()
                for (suffix, layer) in [("fwd", b.forward), ("bwd", b.backward)] {
                    let shape: ValueType = layer.returnSequences ? .sequence(steps: steps, width: layer.cell.hiddenSize) : .vector(width: layer.cell.hiddenSize)
                    let stage = try Self.gru(layer, name: "\(node.name).\(suffix)", input: x,
                                             inputType: tensors[x].type, initialOperand: nil, steps: steps,
                                             context: "\(context) (\(suffix == "fwd" ? "forward" : "backward"))") { type in
                        add("\(node.name).\(suffix)", type, shape)
                    }
                    stages.append(.gru(stage))
                    parts.append(stage.output)
                    types.append(stage.result)
                }
                guard types[0] == types[1] else {
                    throw HardwareError.unsupported("\(context): forward result \(types[0]) and backward result \(types[1]) differ; give both directions one result type")
                }
                stages.append(.concat(inputs: parts, output: add(result.name, types[0], result.type)))

            case .concat:
                let xs = try node.operands.indices.map { try operand(node, $0) }
                let type = tensors[xs[0]].type
                guard xs.allSatisfy({ tensors[$0].type == type }) else {
                    throw HardwareError.unsupported("\(context): concat operands have types \(xs.map { tensors[$0].type.description }.joined(separator: ", ")); they must share one type")
                }
                stages.append(.concat(inputs: xs, output: add(result.name, type, result.type)))

            case .slice(let start, _):
                let x = try operand(node, 0)
                stages.append(.slice(input: x, start: start, output: add(result.name, tensors[x].type, result.type)))

            case .timeShift(let lag):
                let x = try operand(node, 0)
                stages.append(.timeShift(input: x, lag: lag, output: add(result.name, tensors[x].type, result.type)))

            case .sample(.gaussian(let seed, let floor, let precision)):
                guard let p = precision else { throw HardwareError.missingPrecision("\(context): sample has no precision") }
                let mean = try operand(node, 0), logvar = try operand(node, 1)
                stages.append(.sample(try Self.sample(name: node.name, seed: seed, varianceFloor: floor, p, mean: (mean, tensors[mean].type),
                                                      logvar: (logvar, tensors[logvar].type), context: context) {
                    add(result.name, p.result, result.type)
                }))

            case .sample:
                let x = try operand(node, 0)
                stages.append(.copy(input: x, output: add(result.name, tensors[x].type, result.type)))

            case .decoder(let d):
                let stage = try Self.decoder(d, node: node, context: context, operand: { try operand(node, $0) },
                                             typeOf: { tensors[$0].type }) { suffix, type in
                    guard let r = node.results.first(where: { $0.name == "\(node.name).\(suffix)" }) else { return -1 }
                    return add(r.name, type, r.type)
                }
                stages.append(.decoder(stage))

            case .lstm(let l):
                let x = try operand(node, 0)
                let stage = try Self.lstm(l, name: node.name, input: x, context: context) { add(result.name, $0, result.type) }
                stages.append(.lstm(stage))

            case .posteriorStd(let p):
                // sqrt(exp(logvar) + floor) by one table over the logvar (an element-wise stage like an activation).
                guard let pr = p.precision else { throw HardwareError.missingPrecision("\(context): posterior std has no precision") }
                let x = try operand(node, 0)
                let f = try ElementFunction.posteriorStdOfLogvar(floor: p.varianceFloor, table: pr.table, input: tensors[x].type,
                                                                  output: pr.result, context: context)
                stages.append(.activation(input: x, output: add(result.name, pr.result, result.type), function: f))
            }
        }
        let inputs = try graph.inputs.map { v -> Int in
            guard let i = index[v.name] else { throw HardwareError.invalidInput("graph input '\(v.name)' missing") }
            return i
        }
        let outputs = try graph.outputs.map { o -> Int in
            guard let i = index[o] else { throw HardwareError.unsupported("output '\(o)' is not produced by a lowered node") }
            return i
        }
        self.init(graphName: graph.name, tensors: tensors, stages: stages, inputs: inputs, outputs: outputs, countsInput: graph.countInput != nil,
                  trialsPerCall: graph.trialsInFlight)
        posteriorSamples = graph.posteriorSamples
        let sampled = graph.sampledValues
        sampledTensors = Set(tensors.indices.filter { sampled.contains(tensors[$0].name) })
    }

    static func dense(_ d: DenseLayer, _ p: DensePrecision, name: String, input: Int, inputType: FixedType, context: String,
                      output: () -> Int) throws -> DenseStage {
        try TypeLimits.check(p.weight, "\(context) weight")
        try TypeLimits.check(p.bias, "\(context) bias")
        try TypeLimits.check(p.accum, accum: true, "\(context) accum")
        let impl = d.implementation ?? Implementation(strategy: .latency)
        let m = QuantizedMatrix(weight: d.effectiveWeight, rows: 0..<d.outputSize, bias: d.bias, weightType: p.weight,
                                biasType: p.bias, strategy: impl.strategy, reuse: impl.reuse)
        let f = try ElementFunction.make(d.activation, table: p.table, input: p.accum, output: p.result, context: context)
        return DenseStage(name: name, input: input, output: output(), matrix: m, accum: p.accum, function: f)
    }

    static func gru(_ g: GRULayer, name: String, input: Int, inputType: FixedType, initialOperand: Int?, steps: Int,
                    context: String, output: (FixedType) -> Int) throws -> GRUStage {
        guard let p = g.precision else { throw HardwareError.missingPrecision("\(context): GRU has no precision") }
        let c = g.cell
        for (t, what) in [(p.weight, "weight"), (p.recurrentWeight, "recurrent weight"), (p.bias, "bias"),
                          (p.recurrentBias, "recurrent bias"), (p.recurrentActivation, "gate"), (p.activation, "candidate"),
                          (p.state, "state"), (p.result, "result")] {
            try TypeLimits.check(t, "\(context) \(what)")
        }
        try TypeLimits.check(p.accum, accum: true, "\(context) accum")
        let h = c.hiddenSize
        // Canonical z, r, h rows whatever the source order.
        let order = [Gate.update, .reset, .candidate].map { c.rows(of: $0) }
        let canonical = { (m: Matrix) -> Matrix in
            // Stacking three blocks of equal column count never fails.
            (try? Matrix.stacking(order.map { m.rows($0) })) ?? m
        }
        let kernel = canonical(c.kernel)
        let recurrent = canonical(c.recurrentKernel)
        var bias = order.flatMap { r in r.map { c.bias?[$0] ?? 0 } }
        if c.updateBias != 0 { for j in 0..<h { bias[j] += c.updateBias } }
        let recurrentBias = order.flatMap { r in r.map { c.recurrentBias?[$0] ?? 0 } }
        let impl = g.implementation ?? Implementation(strategy: .latency)
        let kx = QuantizedMatrix(weight: kernel, rows: 0..<(3 * h), bias: bias, weightType: p.weight, biasType: p.bias,
                                 strategy: impl.strategy, reuse: impl.reuse)
        let kzr = QuantizedMatrix(weight: recurrent, rows: 0..<(2 * h), bias: recurrentBias, weightType: p.recurrentWeight,
                                  biasType: p.recurrentBias, strategy: impl.strategy, reuse: impl.recurrentReuse)
        let kh = QuantizedMatrix(weight: recurrent, rows: (2 * h)..<(3 * h), bias: recurrentBias,
                                 weightType: p.recurrentWeight, biasType: p.recurrentBias, strategy: impl.strategy, reuse: impl.recurrentReuse)
        let gate = try ElementFunction.make(c.recurrentActivation, table: p.sigmoidTable, input: p.accum, output: p.recurrentActivation, context: "\(context) gates")
        let cand = try ElementFunction.make(c.activation, table: p.tanhTable, input: p.accum, output: p.activation, context: "\(context) candidate")
        let initial: GRUStage.Initial
        switch g.initialState {
        case .zeros: initial = .zeros
        case .learned(let v): initial = .learned(v.map { p.state.cast($0).raw })
        case .operand:
            guard let o = initialOperand else { throw HardwareError.unsupported("\(context): initial state operand missing") }
            initial = .operand(o)
        }
        return GRUStage(name: name, input: input, output: output(p.result), hidden: h, resetAfter: c.reset == .after,
                        reverse: g.reverse, returnSequences: g.returnSequences, kernel: kx, recurrentZR: kzr, recurrentH: kh,
                        accum: p.accum, gate: gate, candidate: cand, state: p.state, result: p.result,
                        clip: c.clip.map { p.state.cast($0).raw }, initial: initial)
    }

    static func decoder(_ d: LFADSDecoderLayer, node: Node, context: String, operand: (Int) throws -> Int,
                        typeOf: (Int) -> FixedType, add: (String, FixedType) -> Int) throws -> DecoderStage {
        guard let p = d.precision else { throw HardwareError.missingPrecision("\(context): decoder has no precision") }
        guard let fp = d.factors.precision else { throw HardwareError.missingPrecision("\(context): factors layer has no precision") }
        let g0 = try operand(0)
        var next = 1
        var ci: Int?
        if d.controller != nil { ci = try operand(next); next += 1 }
        let ext: Int? = d.externalInputs > 0 ? try operand(next) : nil
        let factors = try dense(d.factors, fp, name: "\(node.name).factors", input: -1, inputType: p.generator.state,
                                context: "\(context) factors") { -1 }

        var controller: GRUStage?
        var coMean: DenseStage?
        var coLogvar: DenseStage?
        var coStd: ElementFunction?
        var coSample: ControllerSample?
        if let c = d.controller {
            guard let cp = p.controller else { throw HardwareError.missingPrecision("\(context): controller has no precision") }
            guard let mp = c.coMean.precision else { throw HardwareError.missingPrecision("\(context): co_mean has no precision") }
            if let ci, typeOf(ci) != fp.result {
                throw HardwareError.unsupported("\(context): controller input type \(typeOf(ci)) must equal the factors' result type \(fp.result)")
            }
            let layer = GRULayer(cell: c.cell, returnSequences: true, initialState: .learned(c.initialState), precision: cp,
                                 implementation: d.implementation?.controller)
            controller = try gru(layer, name: "\(node.name).controller", input: -1, inputType: fp.result, initialOperand: nil,
                                 steps: d.steps, context: "\(context) controller") { _ in -1 }
            coMean = try dense(c.coMean, mp, name: "\(node.name).co_mean", input: -1, inputType: cp.state,
                               context: "\(context) co_mean") { -1 }
            if let lv = c.coLogvar {
                guard let lp = lv.precision else { throw HardwareError.missingPrecision("\(context): co_logvar has no precision") }
                guard let sp = p.coSample else { throw HardwareError.missingPrecision("\(context): co_logvar has no co_sample precision") }
                let stage = try dense(lv, lp, name: "\(node.name).co_logvar", input: -1, inputType: cp.state,
                                      context: "\(context) co_logvar") { -1 }
                for (t, what) in [(sp.std.result, "std"), (sp.epsilon, "epsilon"), (sp.result, "result")] {
                    try TypeLimits.check(t, "\(context) co_sample \(what)")
                }
                guard sp.std.table != nil else { throw HardwareError.missingPrecision("\(context): co_sample has no exp table for its std") }
                // exp(co_logvar/2): the logvar code read with one more fraction bit.
                let l = stage.function.output
                let half = try FixedType(width: l.width, integer: l.integer - 1, signed: l.signed, quantization: l.quantization,
                                         overflow: l.overflow, saturationBits: l.saturationBits)
                coStd = try ElementFunction.make(Activation(.exp), table: sp.std.table, input: half, output: sp.std.result,
                                                 context: "\(context) co_std")
                coLogvar = stage
                if let seed = c.sampleSeed { coSample = ControllerSample(seed: seed, epsilon: sp.epsilon, result: sp.result) }
            }
        }
        var inputType = p.generator.state
        if let m = coMean {
            inputType = coSample?.result ?? m.function.output
            if let ext, typeOf(ext) != inputType {
                throw HardwareError.unsupported("\(context): external input type \(typeOf(ext)) must equal the controller output's type \(inputType)")
            }
        } else if let ext {
            inputType = typeOf(ext)
        }
        var cell = d.generator
        let padded = cell.inputSize == 0
        if padded { cell.kernel = Matrix(zeros: 3 * cell.hiddenSize, 1) }
        let layer = GRULayer(cell: cell, returnSequences: true, initialState: .operand, precision: p.generator,
                             implementation: d.implementation?.generator)
        let generator = try gru(layer, name: "\(node.name).generator", input: -1, inputType: inputType, initialOperand: g0,
                                steps: d.steps, context: "\(context) generator") { _ in -1 }
        let outFactors = add("factors", fp.result)
        let outStates = add("gen_states", p.generator.result)
        let outCon = controller.map { add("con_states", $0.result) }
        let outCo = coMean.map { add("co_means", $0.function.output) }
        let outStd = coStd.map { add("co_stds", $0.output) }
        return DecoderStage(name: node.name, steps: d.steps, g0: g0, controllerInput: ci, externalInput: ext, generator: generator,
                            generatorInputType: inputType, generatorPadded: padded, factors: factors, controller: controller,
                            coMean: coMean, factorsOutput: outFactors, generatorStates: outStates, controllerStates: outCon,
                            coMeans: outCo, coLogvar: coLogvar, coStd: coStd, coStds: outStd, coSample: coSample)
    }
}
