import Foundation

/// A scalar argument of a QKeras quantizer, as its config or its Python-call spelling gives it.
/// Booleans become 1/0 because QKeras uses them arithmetically (`bits - keep_negative`).
enum QKerasArgument: Equatable {
    case number(Double)
    case none
    case string(String)

    var number: Double? {
        if case .number(let d) = self { return d }
        return nil
    }
}

/// A quantizer or activation named in a config: `{"class_name": "quantized_bits", "config": {...}}`,
/// the string `quantized_bits(16,6,alpha=1)` (QActivation), or a bare name (`tanh`, `hard_sigmoid`).
struct QKerasSpec {
    let name: String
    let arguments: [String: QKerasArgument]
    /// True for a bare name without parentheses (a function, not a quantizer instance).
    let isBareName: Bool
    /// The spelling shown in error messages.
    let text: String

    /// Positional parameter names of the QKeras constructors we read (their order in `__init__`).
    static let positionalNames: [String: [String]] = [
        "quantized_bits": ["bits", "integer", "symmetric", "keep_negative", "alpha", "use_stochastic_rounding",
                           "scale_axis", "qnoise_factor"],
        "quantized_tanh": ["bits", "use_stochastic_rounding", "symmetric", "use_real_tanh"],
        "quantized_sigmoid": ["bits", "symmetric", "use_real_sigmoid", "use_stochastic_rounding"],
    ]

    /// Reads a config value; nil for JSON null or absence.
    static func from(_ value: Any?, site: KerasSite) throws -> QKerasSpec? {
        guard let value, !isJSONNull(value) else { return nil }
        if let s = value as? String { return try parse(s, site: site) }
        if let d = value as? [String: Any] {
            guard let name = d["class_name"] as? String else { throw site.fail("quantizer object has no class_name") }
            var arguments = [String: QKerasArgument]()
            if let config = d["config"] as? [String: Any] {
                for (k, v) in config {
                    if isJSONNull(v) { arguments[k] = QKerasArgument.none }
                    else if let n = v as? NSNumber { arguments[k] = .number(n.doubleValue) }
                    else if let s = v as? String { arguments[k] = .string(s) }
                    // Nested objects (initializers, lists) are not quantizer parameters we read.
                }
            }
            return QKerasSpec(name: name, arguments: arguments, isBareName: false, text: name)
        }
        throw site.fail("expected a quantizer name or object")
    }

    /// Parses `name(arg, ..., key=value)` the way QKeras' safe_eval splits it (no nesting).
    static func parse(_ text: String, site: KerasSite) throws -> QKerasSpec {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let open = trimmed.firstIndex(of: "(") else {
            guard !trimmed.isEmpty else { throw site.fail("empty activation name") }
            return QKerasSpec(name: trimmed, arguments: [:], isBareName: true, text: trimmed)
        }
        let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        guard trimmed.last == ")" else { throw site.fail("'\(text)': missing ')'") }
        let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        let positional = positionalNames[name] ?? []
        var arguments = [String: QKerasArgument]()
        var index = 0
        var sawKeyword = false
        for piece in inner.split(separator: ",", omittingEmptySubsequences: false) {
            let item = piece.trimmingCharacters(in: .whitespaces)
            if item.isEmpty { continue }
            if let eq = item.firstIndex(of: "=") {
                let key = item[..<eq].trimmingCharacters(in: .whitespaces)
                arguments[key] = argument(item[item.index(after: eq)...].trimmingCharacters(in: .whitespaces))
                sawKeyword = true
            } else {
                guard !sawKeyword else { throw site.fail("'\(text)': positional argument after keyword argument") }
                guard index < positional.count else { throw site.fail("'\(text)': too many positional arguments for \(name)") }
                arguments[positional[index]] = argument(item)
                index += 1
            }
        }
        return QKerasSpec(name: name, arguments: arguments, isBareName: false, text: trimmed)
    }

    private static func argument(_ s: String) -> QKerasArgument {
        switch s {
        case "True": return .number(1)
        case "False": return .number(0)
        case "None": return .none
        default:
            if let d = Double(s) { return .number(d) }
            if s.count >= 2, let f = s.first, f == "'" || f == "\"", s.last == f { return .string(String(s.dropFirst().dropLast())) }
            return .string(s)
        }
    }

    func number(_ key: String, default fallback: Double) -> QKerasArgument {
        arguments[key] ?? .number(fallback)
    }
}
