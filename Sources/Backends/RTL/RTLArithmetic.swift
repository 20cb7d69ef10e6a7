// The arithmetic a generated module calls, as Verilog functions declared inside the module. Every function is
// the simulator's statement (FixedSim) for the same operands; this file only names and collects them, the
// bit-level text comes from VerilogFixed / VerilogMatVec / VerilogGRU.
import LFADSIR

/// Functions one module declares, each once, in first-use order.
struct RTLFunctions {
    private(set) var texts = [String]()
    private var names = Set<String>()

    mutating func add(_ fs: [VerilogFunction]) {
        for f in fs where names.insert(f.name).inserted { texts.append(f.text) }
    }

    var text: String { texts.joined(separator: "\n") }
}

/// The names of one matrix's product, bias and accumulate functions.
struct RTLMatVecArith {
    var product: String
    /// The count product as one `*` (a DSP48E2), when the unit binds some of its count products there.
    var dspProduct: String?
    var bias: String
    var add: String
}

/// The names of one GRU cell's per-lane functions after its products.
struct RTLGRUArith {
    var gate: String
    /// Reset after: r · (U_h h + b_h) into the accumulator.
    var resetProduct: String?
    /// Reset before: r ⊙ h into the state type.
    var resetState: String?
    var update: String
    /// The update's two halves: (candidate)(act(axh + ahh)), and (state)(h̃·(1 − z) + h·z).
    var candidate: String
    var blend: String
    /// state → result (the written output).
    var result: String
}

enum RTLArith {
    static func matVec(_ fs: inout RTLFunctions, prefix: String, _ m: QuantizedMatrix, accum: FixedType, input: FixedType,
                       countBits: Int?, dspCountProduct: Bool = false) throws -> RTLMatVecArith {
        let list = try VerilogMatVec.functions(prefix: prefix, matrix: m, input: input, accum: accum, countBits: countBits,
                                               dspCountProduct: dspCountProduct)
        fs.add(list)
        return RTLMatVecArith(product: prefix + "_product", dspProduct: dspCountProduct ? prefix + "_product_dsp" : nil,
                              bias: prefix + "_bias", add: prefix + "_add")
    }

    static func element(_ fs: inout RTLFunctions, name: String, _ f: ElementFunction) throws -> String {
        let list = try VerilogFixed.element(name: name, f)
        fs.add(list)
        return name
    }

    /// A cast between two fixed types, or nil when it is the identity on every code of `from`.
    static func cast(_ fs: inout RTLFunctions, name: String, from: FixedType, to: FixedType) throws -> String? {
        if from == to { return nil }
        let f = try VerilogFixed.cast(name: name, inputWidth: from.width, inputSigned: from.signed, fromFraction: from.fraction, to: to)
        fs.add([f])
        return name
    }

    static func gru(_ fs: inout RTLFunctions, prefix: String, _ g: GRUStage) throws -> RTLGRUArith {
        fs.add(try VerilogGRU.functions(prefix: prefix, gru: g))
        return RTLGRUArith(gate: prefix + "_gate", resetProduct: g.resetAfter ? prefix + "_reset_product" : nil,
                           resetState: g.resetAfter ? nil : prefix + "_reset_state", update: prefix + "_update",
                           candidate: prefix + "_candidate", blend: prefix + "_blend",
                           result: prefix + "_result")
    }
}
