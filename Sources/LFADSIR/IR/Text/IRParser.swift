/// Reads IR text written by `IRPrinter` (with full weights) back into a verified graph.
/// Errors are `IRError.parse("source:line:column: message")`, one line each; sizes are bounded before
/// anything is allocated, so malformed text fails cleanly instead of trapping or exhausting memory.
///
///     file      = "lfadsir 1" "graph" STRING { meta | trials | node | output | tensor }
///     meta      = "meta" (WORD | STRING) "=" STRING
///     trials    = "trials_in_flight" NUMBER
///     node      = %NAME "=" OP "(" [ %VALUE { "," %VALUE } ] ")" [ dict ] ":" type { "," type }
///     output    = "output" %VALUE
///     tensor    = "tensor" @NAME ":" SHAPE "=" "[" { NUMBER } "]"        SHAPE is N or RxC
///     dict      = "{" [ WORD "=" value { "," WORD "=" value } [ "," ] ] "}"
///     value     = WORD | STRING | @NAME | fixed-point type | dict
///     type      = "seq<" STEPS "x" WIDTH ">" | "vec<" WIDTH ">"
///
/// Newlines are whitespace and `#` starts a comment. Tensors may appear anywhere; each must be used.
/// A multi-result node (the decoder) is written with its node name; its results are `%name.suffix`.
public enum IRParser {
    public static func parse(_ text: String, source: String = "<ir>") throws -> Graph {
        var parser = TextParser(text)
        do {
            let file = try parser.file()
            return try GraphAssembler(file).graph()
        } catch let e as TextError {
            // One line, of bounded length even when it quotes a pathological token.
            var message = String(e.message.map { $0.isNewline ? " " : $0 })
            if message.count > 300 { message = String(message.prefix(300)) + "…" }
            throw IRError.parse("\(source):\(e.loc.line):\(e.loc.column): \(message)")
        }
    }
}

/// One `%name = op(...) {...} : types` line, as written.
struct NodeStatement {
    var name: String
    var loc: SourceLoc
    var mnemonic: String
    var mnemonicLoc: SourceLoc
    var operands: [(name: String, loc: SourceLoc)]
    var attrs: Attr
    var attrsLoc: SourceLoc
    var types: [ValueType]
    var typesLoc: SourceLoc
}

/// The statements of a file before any meaning is given to them.
struct IRFile {
    var name = ""
    var metadata: [String: String] = [:]
    var trialsInFlight: Int?
    var posteriorSamples: Int?
    var nodes: [NodeStatement] = []
    var outputs: [(name: String, loc: SourceLoc)] = []
    var tensors = TensorTable()
    var end = SourceLoc.none
}

/// The syntax: statements, attribute trees, types and tensor blocks.
struct TextParser {
    private var lexer: Lexer
    private var tok = Token(kind: .eof, loc: .none)

    init(_ text: String) { lexer = Lexer(text) }

    private mutating func advance() throws { tok = try lexer.next() }

    private func unexpected(_ wanted: String) -> TextError { TextError("expected \(wanted), found \(tok.kind.spelled)", tok.loc) }

    private mutating func expect(_ c: Character) throws {
        guard tok.kind == .punct(c) else { throw unexpected("'\(c)'") }
        try advance()
    }

    private mutating func word(_ wanted: String) throws -> String {
        guard case .word(let w) = tok.kind else { throw unexpected(wanted) }
        try advance()
        return w
    }

    mutating func file() throws -> IRFile {
        try advance()
        var f = IRFile()
        let headerLoc = tok.loc
        guard tok.kind == .word("lfadsir") else { throw unexpected("the header 'lfadsir 1'") }
        try advance()
        let version = try word("a version number after 'lfadsir'")
        guard version == "1" else { throw TextError("unsupported IR text version '\(version)' (this reader knows 1)", headerLoc) }
        guard tok.kind == .word("graph") else { throw unexpected("'graph \"name\"'") }
        try advance()
        guard case .string(let name) = tok.kind else { throw unexpected("the graph name as a quoted string") }
        f.name = name
        try advance()
        while true {
            let loc = tok.loc
            switch tok.kind {
            case .eof:
                f.end = loc
                return f
            case .word("meta"):
                try advance()
                let key: String
                switch tok.kind {
                case .word(let w), .string(let w): key = w
                default: throw unexpected("a metadata key")
                }
                try advance()
                try expect("=")
                guard case .string(let value) = tok.kind else { throw unexpected("a quoted metadata value") }
                try advance()
                guard f.metadata.updateValue(value, forKey: key) == nil else { throw TextError("metadata key '\(key)' is given twice", loc) }
            case .word("trials_in_flight"):
                try advance()
                let n = try word("a trial count after 'trials_in_flight'")
                guard f.trialsInFlight == nil else { throw TextError("'trials_in_flight' is given twice", loc) }
                guard let c = Int(n), (1...Graph.maxTrialsInFlight).contains(c) else {
                    throw TextError("trials_in_flight '\(n)' is not a whole number in 1...\(Graph.maxTrialsInFlight)", loc)
                }
                f.trialsInFlight = c
            case .word("posterior_samples"):
                try advance()
                let n = try word("a sample count after 'posterior_samples'")
                guard f.posteriorSamples == nil else { throw TextError("'posterior_samples' is given twice", loc) }
                guard let c = Int(n), (1...Graph.maxPosteriorSamples).contains(c) else {
                    throw TextError("posterior_samples '\(n)' is not a whole number in 1...\(Graph.maxPosteriorSamples)", loc)
                }
                f.posteriorSamples = c
            case .value(let name):
                try advance()
                f.nodes.append(try node(name, loc))
            case .word("output"):
                try advance()
                guard case .value(let name) = tok.kind else { throw unexpected("an output value %name") }
                f.outputs.append((name, tok.loc))
                try advance()
            case .word("tensor"):
                try advance()
                try f.tensors.declare(try tensor(loc))
            default:
                throw unexpected("a statement (%name = ..., output, tensor, meta, trials_in_flight)")
            }
        }
    }

    private mutating func node(_ name: String, _ loc: SourceLoc) throws -> NodeStatement {
        try expect("=")
        let mnemonicLoc = tok.loc
        let mnemonic = try word("an op name")
        try expect("(")
        var operands = [(name: String, loc: SourceLoc)]()
        if tok.kind != .punct(")") {
            while true {
                guard case .value(let o) = tok.kind else { throw unexpected("an operand %name") }
                operands.append((o, tok.loc))
                try advance()
                if tok.kind == .punct(")") { break }
                try expect(",")
            }
        }
        try advance()
        var attrs = Attr.dict([])
        let attrsLoc = tok.loc
        if tok.kind == .punct("{") { attrs = try value(depth: 0) }
        try expect(":")
        let typesLoc = tok.loc
        var types = [try type()]
        while tok.kind == .punct(",") {
            try advance()
            types.append(try type())
        }
        return NodeStatement(name: name, loc: loc, mnemonic: mnemonic, mnemonicLoc: mnemonicLoc, operands: operands, attrs: attrs, attrsLoc: attrsLoc,
                             types: types, typesLoc: typesLoc)
    }

    private static let fixedTypeNames: Set<String> = ["ap_fixed", "ap_ufixed", "ap_int", "ap_uint", "fixed", "ufixed", "int", "uint"]

    /// An attribute value: a word, string, fixed-point type, tensor reference or nested dictionary.
    private mutating func value(depth: Int) throws -> Attr {
        let loc = tok.loc
        switch tok.kind {
        case .punct("{"):
            guard depth < TextLimits.maxNesting else { throw TextError("attributes nested deeper than \(TextLimits.maxNesting) levels", loc) }
            try advance()
            var entries = [AttrEntry]()
            while tok.kind != .punct("}") {
                let keyLoc = tok.loc
                let key = try word("an attribute name or '}'")
                try expect("=")
                entries.append(AttrEntry(key: key, value: try value(depth: depth + 1), loc: keyLoc))
                if tok.kind == .punct("}") { break }
                try expect(",")
            }
            try advance()
            return .dict(entries)
        case .string(let s):
            try advance()
            return .string(s)
        case .tensorRef(let n):
            try advance()
            return .tensor(n)
        case .word(let w):
            try advance()
            guard tok.kind == .punct("<"), Self.fixedTypeNames.contains(w) else { return .word(w) }
            var text = w + "<"
            while true {
                try advance()
                switch tok.kind {
                case .word(let part): text += part
                case .punct(","): text += ","
                case .punct(">"):
                    try advance()
                    do { return .fixed(try FixedType(parsing: text + ">")) } catch { throw TextError("\(error)", loc) }
                default: throw unexpected("a fixed-point type parameter or '>'")
                }
                guard text.count < 200 else { throw TextError("fixed-point type too long", loc) }
            }
        default:
            throw unexpected("an attribute value")
        }
    }

    /// `seq<STEPSxWIDTH>` or `vec<WIDTH>`.
    private mutating func type() throws -> ValueType {
        let loc = tok.loc
        let kind = try word("a type (seq<TxN> or vec<N>)")
        try expect("<")
        let dims = try word("type dimensions")
        try expect(">")
        let parts = try Self.dimensions(dims, loc)
        switch (kind, parts.count) {
        case ("seq", 2):
            guard parts[0] > 0, parts[1] > 0 else { throw TextError("empty type seq<\(dims)>", loc) }
            return .sequence(steps: parts[0], width: parts[1])
        case ("vec", 1):
            guard parts[0] > 0 else { throw TextError("empty type vec<\(dims)>", loc) }
            return .vector(width: parts[0])
        default:
            throw TextError("bad type '\(kind)<\(dims)>' (expected seq<TxN> or vec<N>)", loc)
        }
    }

    /// `192x70` → [192, 70]; every dimension and their product at most `TextLimits.maxElements`.
    static func dimensions(_ text: String, _ loc: SourceLoc) throws -> [Int] {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { throw TextError("bad shape '\(text)' (expected N or RxC)", loc) }
        var product = 1
        var dims = [Int]()
        for p in parts {
            guard let d = Int(p), d >= 0, d <= TextLimits.maxElements else {
                throw TextError("bad dimension '\(p)' in '\(text)' (expected an integer in 0...\(TextLimits.maxElements))", loc)
            }
            let (m, overflow) = product.multipliedReportingOverflow(by: d)
            guard !overflow, m <= TextLimits.maxElements else { throw TextError("shape \(text) exceeds \(TextLimits.maxElements) elements", loc) }
            product = m
            dims.append(d)
        }
        return dims
    }

    /// `tensor @name : RxC = [ v v v ... ]` (after the keyword).
    private mutating func tensor(_ loc: SourceLoc) throws -> TensorDecl {
        guard case .tensorRef(let name) = tok.kind else { throw unexpected("a tensor name @name") }
        try advance()
        try expect(":")
        let shapeLoc = tok.loc
        let shapeText = try word("a tensor shape such as 192x70")
        let shape = try Self.dimensions(shapeText, shapeLoc)
        let count = shape.reduce(1, *)
        if tok.kind == .word("summary") {
            throw TextError("tensor @\(name) holds only a summary (text printed with weights: .summary cannot be parsed; print with .full)", tok.loc)
        }
        try expect("=")
        try expect("[")
        var values = [Double]()
        while true {
            switch tok.kind {
            case .punct("]"):
                guard values.count == count else {
                    throw TextError("tensor @\(name) : \(shapeText) needs \(count) values, found \(values.count)", tok.loc)
                }
                try advance()
                return TensorDecl(name: name, shape: shape, values: values, loc: loc)
            case .word(let w):
                guard let v = parseFiniteDouble(w) else { throw TextError("tensor @\(name): '\(w.prefix(40))' is not a finite number", tok.loc) }
                guard values.count < count else { throw TextError("tensor @\(name) : \(shapeText) has more than \(count) values", tok.loc) }
                values.append(v)
                try advance()
            default:
                throw unexpected("a number or ']' in tensor @\(name)")
            }
        }
    }
}
