// Reads the C++ (ap_fixed, ap_int) and hls4ml (fixed, int) spellings of fixed-point types.

extension FixedType {
    /// Parses "ap_fixed<16,6>", "ap_ufixed<8,0,AP_RND,AP_SAT,0>", "fixed<16,6,RND_CONV,SAT>", "ufixed<16,0>",
    /// "ap_int<8>", "ap_uint<3>", "int<8>", "uint<3>". Whitespace is ignored; modes may be written with or
    /// without the "AP_" prefix in either family.
    public init(parsing text: String) throws {
        func fail(_ problem: String) -> FixedPointError {
            .invalidType("invalid fixed-point type '\(FixedType.quoted(text))': \(problem)")
        }
        let compact = String(text.filter { !$0.isWhitespace })
        guard let open = compact.firstIndex(of: "<"), compact.last == ">" else {
            throw fail("expected NAME<...>")
        }
        let name = String(compact[..<open])
        let inner = compact[compact.index(after: open)..<compact.index(before: compact.endIndex)]
        let arguments = inner.split(separator: ",", omittingEmptySubsequences: false).map(String.init)

        let isFixed: Bool
        let signed: Bool
        switch name {
        case "ap_fixed", "fixed": (isFixed, signed) = (true, true)
        case "ap_ufixed", "ufixed": (isFixed, signed) = (true, false)
        case "ap_int", "int": (isFixed, signed) = (false, true)
        case "ap_uint", "uint": (isFixed, signed) = (false, false)
        default: throw fail("unknown type name '\(name)'")
        }

        func number(_ index: Int, _ what: String) throws -> Int {
            guard let value = Int(arguments[index]) else {
                throw fail("\(what) '\(arguments[index])' is not an integer")
            }
            return value
        }

        if !isFixed {
            guard arguments.count == 1 else { throw fail("\(name) expects 1 parameter, found \(arguments.count)") }
            let width = try number(0, "width")
            try self.init(checking: text, width: width, integer: width, signed: signed)
            return
        }
        guard (2...5).contains(arguments.count) else {
            throw fail("\(name) expects 2 to 5 parameters, found \(arguments.count)")
        }
        let width = try number(0, "width")
        let integer = try number(1, "integer bits")
        var quantization = Quantization.trn
        var overflow = Overflow.wrap
        var saturationBits = 0
        if arguments.count > 2 {
            guard let mode = Quantization(name: arguments[2]) else {
                throw fail("unknown quantisation mode '\(arguments[2])'")
            }
            quantization = mode
        }
        if arguments.count > 3 {
            guard let mode = Overflow(name: arguments[3]) else { throw fail("unknown overflow mode '\(arguments[3])'") }
            overflow = mode
        }
        if arguments.count > 4 { saturationBits = try number(4, "saturation bits") }
        try self.init(checking: text, width: width, integer: integer, signed: signed,
                      quantization: quantization, overflow: overflow, saturationBits: saturationBits)
    }

    /// The memberwise initialiser, with its error message quoting the text the caller wrote.
    private init(checking text: String, width: Int, integer: Int, signed: Bool, quantization: Quantization = .trn,
                 overflow: Overflow = .wrap, saturationBits: Int = 0) throws {
        if let problem = FixedType.problem(width: width, integer: integer, signed: signed, overflow: overflow,
                                           saturationBits: saturationBits) {
            throw FixedPointError.invalidType("invalid fixed-point type '\(FixedType.quoted(text))': \(problem)")
        }
        try self.init(width: width, integer: integer, signed: signed, quantization: quantization,
                      overflow: overflow, saturationBits: saturationBits)
    }

    /// The text as it may appear inside a one-line message: control characters escaped, at most 80 characters.
    static func quoted(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                result += scalar.escaped(asASCII: true)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result.count > 80 ? String(result.prefix(80)) + "…" : result
    }
}
