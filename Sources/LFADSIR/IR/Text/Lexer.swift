/// Tokens of IR text. Newlines are plain whitespace; `#` starts a comment running to the end of the line.
enum TokenKind: Equatable {
    /// One of `{ } [ ] ( ) , = : < >`.
    case punct(Character)
    /// `%name`: a value or node name.
    case value(String)
    /// `@name`: a tensor name.
    case tensorRef(String)
    case string(String)
    /// Anything else up to a delimiter: numbers, keywords, shapes such as `192x70`.
    case word(String)
    case eof

    var spelled: String {
        switch self {
        case .punct(let c): return "'\(c)'"
        case .value(let n): return "'%\(n)'"
        case .tensorRef(let n): return "'@\(n)'"
        case .string: return "a string"
        case .word(let w): return "'\(w.count > 40 ? String(w.prefix(40)) + "…" : w)'"
        case .eof: return "end of file"
        }
    }
}

struct Token {
    var kind: TokenKind
    var loc: SourceLoc
}

/// Splits IR text into tokens, working on UTF-8 bytes (weight blocks can hold millions of numbers).
struct Lexer {
    private let bytes: [UInt8]
    private var pos = 0
    private var line = 1
    private var lineStart = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    /// Byte classes as 256-entry tables: the lexer's inner loops run once per byte of every weight.
    private static func table(_ chars: String) -> [Bool] {
        var t = [Bool](repeating: false, count: 256)
        for b in chars.utf8 { t[Int(b)] = true }
        return t
    }
    private static let punctuation = table("{}[](),=:<>")
    /// Bytes that end a name after `%` or `@` (the delimiters `isValidName` excludes).
    private static let nameStops = table("%@\"{}[](),=:#")
    private static let wordStops = table("%@\"{}[](),=:#<>")

    private var loc: SourceLoc { SourceLoc(line: line, column: pos - lineStart + 1) }

    mutating func next() throws -> Token {
        skipSpaceAndComments()
        let start = loc
        guard pos < bytes.count else { return Token(kind: .eof, loc: start) }
        let b = bytes[pos]
        if Self.punctuation[Int(b)] {
            pos += 1
            return Token(kind: .punct(Character(Unicode.Scalar(b))), loc: start)
        }
        switch b {
        case UInt8(ascii: "%"), UInt8(ascii: "@"):
            pos += 1
            let name = run(stops: Self.nameStops)
            guard !name.isEmpty else { throw TextError("expected a name after '\(Character(Unicode.Scalar(b)))'", start) }
            return Token(kind: b == UInt8(ascii: "%") ? .value(name) : .tensorRef(name), loc: start)
        case UInt8(ascii: "\""):
            return Token(kind: .string(try stringLiteral(start)), loc: start)
        default:
            let w = run(stops: Self.wordStops)
            guard !w.isEmpty else { throw TextError("unexpected character \(Self.describe(b))", start) }
            return Token(kind: .word(w), loc: start)
        }
    }

    private mutating func skipSpaceAndComments() {
        while pos < bytes.count {
            switch bytes[pos] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                pos += 1
            case UInt8(ascii: "\n"):
                pos += 1
                line += 1
                lineStart = pos
            case UInt8(ascii: "#"):
                while pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
            default:
                return
            }
        }
    }

    /// Printable ASCII up to a stop byte.
    private mutating func run(stops: [Bool]) -> String {
        let start = pos
        bytes.withUnsafeBufferPointer { buffer in
            stops.withUnsafeBufferPointer { stop in
                while pos < buffer.count {
                    let b = buffer[pos]
                    guard b > 32, b < 127, !stop[Int(b)] else { break }
                    pos += 1
                }
            }
        }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    private mutating func stringLiteral(_ start: SourceLoc) throws -> String {
        pos += 1
        var out = [UInt8]()
        while true {
            guard pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") else { throw TextError("unterminated string", start) }
            let b = bytes[pos]
            pos += 1
            if b == UInt8(ascii: "\"") { break }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                continue
            }
            let escapeLoc = SourceLoc(line: line, column: pos - lineStart)
            guard pos < bytes.count else { throw TextError("unterminated string", start) }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "u"):
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "{") else { throw TextError("expected \\u{HEX}", escapeLoc) }
                pos += 1
                let digitsStart = pos
                while pos < bytes.count, pos - digitsStart < 8, bytes[pos] != UInt8(ascii: "}") { pos += 1 }
                let hex = String(decoding: bytes[digitsStart..<pos], as: UTF8.self)
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "}"), let v = UInt32(hex, radix: 16),
                      let scalar = Unicode.Scalar(v) else { throw TextError("bad \\u{...} escape", escapeLoc) }
                pos += 1
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw TextError("unknown escape \\\(Self.describe(e))", escapeLoc)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func describe(_ b: UInt8) -> String {
        b > 32 && b < 127 ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
    }
}

/// The string literal that `Lexer` reads back as `s`.
func quoteString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 32 || scalar.value == 127 {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
