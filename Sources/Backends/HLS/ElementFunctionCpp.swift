// The C++ form of an ElementFunction: a functor `struct NAME { static void apply(const IN &x, OUT &y); }`
// whose statements are the simulator's steps one for one (exact value, optional quantizer cast, output cast).
import LFADSIR

extension ElementFunction {
    /// The table's entries as a C array, when the function is a table.
    func cppTable(name: String) -> String? {
        guard case .table(let t) = kind else { return nil }
        return "typedef \(t.entryType.description) \(name)_t;\n" + CppText.rawArray(t.entryType, name, t.entries)
    }

    func cppFunctor(name: String, tableName: String) -> String {
        let target = quantizer == nil ? "y" : "q"
        var body = [String]()
        if let q = quantizer { body.append("\(q.description) q;  // QKeras activation quantizer") }
        switch kind {
        case .linear:
            body.append("\(target) = x;")
        case .relu:
            body.append("if (x > 0) \(target) = x; else \(target) = 0;")
        case .hardSigmoid:
            body.append("// clip(0.5 x + 0.5, 0, 1): a shift and an add, exact until the assignment")
            body.append("if (x >= 1) \(target) = 1; else if (x <= -1) \(target) = 0; else \(target) = (x + 1) * ap_ufixed<2, 1>(0.5);")
        case .hardTanh:
            body.append("if (x >= 1) \(target) = 1; else if (x <= -1) \(target) = -1; else \(target) = x;")
        case .table(let t):
            body.append("// \(t.function.rawValue) by a \(t.size)-entry table over [\(t.lower), \(t.upper)): shift, offset, clamp")
            body.append("\(target) = lfads_from_raw<\(tableName)_t>(\(tableName)[\(t.cppIndexExpression(input: "x", inputType: input))]);")
        }
        if quantizer != nil { body.append("y = q;") }
        return """
        struct \(name) {
            static void apply(const \(input.description) &x, \(output.description) &y) {
                \(body.joined(separator: "\n        "))
            }
        };

        """
    }
}
