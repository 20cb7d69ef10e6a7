// The C++ form of an ElementFunction: a functor `struct NAME { static void apply(const IN &x, OUT &y); }`
// whose statements are the simulator's steps one for one (exact value, optional quantizer cast, output cast).
import LFADSIR

extension ElementFunction {
    /// Table copies so that `lanes` parallel reads take one cycle (a ROM has two ports): 1 without a table.
    func tableCopies(lanes: Int) -> Int {
        guard case .table = kind else { return 1 }
        return max(1, (lanes + 1) / 2)
    }

    /// The table's entries as a C array, when the function is a table; with copies > 1 also `NAME_copies`, the same
    /// entries once per two parallel lanes (read by `apply_lane`).
    func cppTable(name: String, copies: Int = 1) -> String? {
        guard case .table(let t) = kind else { return nil }
        var text = "typedef \(t.entryType.description) \(name)_t;\n" + CppText.rawArray(t.entryType, name, t.entries)
        if copies > 1 {
            let rows = (0..<copies).map { _ in "    LFADS_TABLE_ROW(\(name))" }.joined(separator: "\n")
            text += """
            // \(copies) copies of the table: lane l reads copy l / 2, so every copy serves at most two reads per cycle.
            #define LFADS_TABLE_ROW(t) { LFADS_TABLE_ENTRIES_##t },
            \(CppText.rawMacro("LFADS_TABLE_ENTRIES_\(name)", t.entryType, t.entries))
            static const \(CppText.romType(t.entryType)) \(name)_copies[\(copies)][\(t.entries.count)] = {
            \(rows)
            };
            #undef LFADS_TABLE_ROW

            """
        }
        return text
    }

    func cppFunctor(name: String, tableName: String, copies: Int = 1) -> String {
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
        // apply_lane: the same statements, a table read from the lane's copy (lanes applied in parallel).
        var lane = body
        if case .table(let t) = kind, copies > 1 {
            let index = t.cppIndexExpression(input: "x", inputType: input)
            lane = body.map { $0.replacingOccurrences(of: "\(tableName)[\(index)]", with: "\(tableName)_copies[lane / 2][\(index)]") }
            lane.insert("LFADS_PRAGMA(HLS ARRAY_PARTITION variable = \(tableName)_copies dim = 1 complete)", at: 0)
        } else {
            lane.insert("(void)lane;", at: 0)
        }
        return """
        struct \(name) {
            static void apply(const \(input.description) &x, \(output.description) &y) {
                \(body.joined(separator: "\n        "))
            }
            static void apply_lane(const \(input.description) &x, \(output.description) &y, unsigned lane) {
                \(lane.joined(separator: "\n        "))
            }
        };

        """
    }
}
