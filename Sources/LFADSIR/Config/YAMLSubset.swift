/// A parsed YAML node of the subset hls4ml writes. Every node keeps its 1-based line for error messages.
public indirect enum YAMLNode: Equatable, Sendable {
    /// A scalar's text after unquoting; `quoted` scalars are never read as null, numbers or booleans.
    case scalar(String, quoted: Bool, line: Int)
    /// Entries in file order (keys are unique).
    case map([(key: String, value: YAMLNode)], line: Int)
    case list([YAMLNode], line: Int)

    public var line: Int {
        switch self {
        case .scalar(_, _, let l), .map(_, let l), .list(_, let l): return l
        }
    }

    /// True for an unquoted `null`, `~`, `Null`, `NULL` or an empty value.
    public var isNull: Bool {
        if case .scalar(let s, false, _) = self { return ["", "null", "Null", "NULL", "~"].contains(s) }
        return false
    }

    public var text: String? {
        if case .scalar(let s, _, _) = self { return s }
        return nil
    }

    public var entries: [(key: String, value: YAMLNode)]? {
        if case .map(let e, _) = self { return e }
        return nil
    }

    public subscript(key: String) -> YAMLNode? { entries?.first { $0.key == key }?.value }

    public static func == (a: YAMLNode, b: YAMLNode) -> Bool {
        switch (a, b) {
        case let (.scalar(x, qx, lx), .scalar(y, qy, ly)): return x == y && qx == qy && lx == ly
        case let (.list(x, lx), .list(y, ly)): return x == y && lx == ly
        case let (.map(x, lx), .map(y, ly)):
            return lx == ly && x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }
}

/// A hand-written parser for the YAML subset of hls4ml configuration files: block maps by indentation, block
/// lists (`- item`, including `- key: value` items), plain/single/double-quoted scalars, flow lists and maps on
/// one line, comments, `---`, and tags (`!keras_model 'path'`, dropped). Anchors, aliases, block scalars
/// (`|`, `>`), multi-line flow collections and tabs in indentation are rejected with the line number.
public struct YAMLSubsetParser {
    struct Line {
        var number: Int
        var indent: Int
        var content: String
    }

    let file: String
    var lines: [Line] = []
    var index = 0

    /// Nesting limit so hostile input cannot exhaust the stack.
    static let maxDepth = 64

    public static func parse(_ text: String, file: String = "<text>") throws -> YAMLNode {
        var p = YAMLSubsetParser(file: file)
        try p.split(text)
        guard let first = p.lines.first else { return .map([], line: 1) }
        guard first.indent == 0 else { throw p.fail(first.number, "the document must start at column 1") }
        let root = try p.block(indent: 0, depth: 0)
        if p.index < p.lines.count { throw p.fail(p.lines[p.index].number, "unexpected indentation") }
        return root
    }

    init(file: String) { self.file = file }

    func fail(_ line: Int, _ message: String) -> ConfigError { ConfigError(file: file, line: line, message) }

    // MARK: lines

    mutating func split(_ text: String) throws {
        var number = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            var line = Substring(raw)
            if line.last == "\r" { line = line.dropLast() }
            let indentChars = line.prefix { $0 == " " || $0 == "\t" }
            let body = try stripComment(line.dropFirst(indentChars.count), number)
            let trimmed = Self.trimTrailing(body)
            if trimmed.isEmpty { continue }
            if indentChars.contains("\t") { throw fail(number, "tab in indentation (use spaces)") }
            if indentChars.isEmpty && (trimmed == "---" || trimmed.hasPrefix("--- ")) {
                guard lines.isEmpty else { throw fail(number, "only one document is supported") }
                continue
            }
            if indentChars.isEmpty && trimmed == "..." { break }
            if indentChars.isEmpty && trimmed.hasPrefix("%") { throw fail(number, "directives are not supported") }
            lines.append(Line(number: number, indent: indentChars.count, content: trimmed))
        }
    }

    /// Drops a `#` comment that starts the line or follows a space, outside quotes.
    func stripComment(_ s: Substring, _ line: Int) throws -> Substring {
        var quote: Character? = nil
        var previous: Character = " "
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if let q = quote {
                if c == q {
                    // '' inside single quotes is an escaped quote.
                    let next = s.index(after: i)
                    if q == "'", next < s.endIndex, s[next] == "'" { i = s.index(after: next); previous = c; continue }
                    quote = nil
                } else if q == "\"", c == "\\" {
                    let next = s.index(after: i)
                    if next < s.endIndex { i = s.index(after: next); previous = c; continue }
                }
            } else if c == "#", previous == " " || previous == "\t" {
                return s[..<i]
            } else if (c == "'" || c == "\"") && (previous == " " || previous == "[" || previous == "{" || previous == "," || previous == ":" || i == s.startIndex) {
                quote = c
            }
            previous = c
            i = s.index(after: i)
        }
        return s
    }

    // MARK: blocks

    mutating func block(indent: Int, depth: Int) throws -> YAMLNode {
        let line = lines[index]
        guard depth < Self.maxDepth else { throw fail(line.number, "nesting deeper than \(Self.maxDepth) levels") }
        if isListItem(line.content) { return try list(indent: indent, depth: depth) }
        if try splitKey(line.content, line.number) != nil { return try map(indent: indent, depth: depth) }
        // A lone scalar (the whole document, or a value on its own more-indented line).
        index += 1
        if index < lines.count, lines[index].indent > indent {
            throw fail(lines[index].number, "multi-line scalars are not supported")
        }
        return try inline(line.content, line.number, depth: depth)
    }

    func isListItem(_ s: String) -> Bool { s == "-" || s.hasPrefix("- ") }

    mutating func map(indent: Int, depth: Int) throws -> YAMLNode {
        let startLine = lines[index].number
        var entries: [(key: String, value: YAMLNode)] = []
        var seen = Set<String>()
        while index < lines.count {
            let line = lines[index]
            if line.indent < indent { break }
            if line.indent > indent { throw fail(line.number, "unexpected indentation") }
            if isListItem(line.content) { throw fail(line.number, "a list item where a key was expected") }
            guard let (key, rest) = try splitKey(line.content, line.number) else {
                throw fail(line.number, "expected 'key: value'")
            }
            guard seen.insert(key).inserted else { throw fail(line.number, "duplicate key '\(key)'") }
            index += 1
            let value: YAMLNode
            if rest.isEmpty || isTagOnly(rest) {
                if index < lines.count, lines[index].indent > indent {
                    value = try block(indent: lines[index].indent, depth: depth + 1)
                } else if index < lines.count, lines[index].indent == indent, isListItem(lines[index].content) {
                    // YAML allows a key's list items at the key's own indentation.
                    value = try list(indent: indent, depth: depth + 1)
                } else {
                    value = .scalar("", quoted: false, line: line.number)
                }
            } else {
                value = try inline(rest, line.number, depth: depth + 1)
                if index < lines.count, lines[index].indent > indent {
                    throw fail(lines[index].number, "unexpected indentation (multi-line values are not supported)")
                }
            }
            entries.append((key, value))
        }
        return .map(entries, line: startLine)
    }

    mutating func list(indent: Int, depth: Int) throws -> YAMLNode {
        let startLine = lines[index].number
        var items: [YAMLNode] = []
        while index < lines.count {
            let line = lines[index]
            if line.indent < indent { break }
            if line.indent > indent { throw fail(line.number, "unexpected indentation") }
            guard isListItem(line.content) else { break }
            let rest = String(line.content.dropFirst(1).drop { $0 == " " })
            if rest.isEmpty {
                index += 1
                if index < lines.count, lines[index].indent > indent {
                    items.append(try block(indent: lines[index].indent, depth: depth + 1))
                } else {
                    items.append(.scalar("", quoted: false, line: line.number))
                }
                continue
            }
            // `- key: value` or `- - x`: the item's content is a block starting at the content's column.
            let column = line.indent + (line.content.count - rest.count)
            let startsMap = try splitKey(rest, line.number) != nil
            if isListItem(rest) || startsMap {
                lines[index] = Line(number: line.number, indent: column, content: rest)
                items.append(try block(indent: column, depth: depth + 1))
                continue
            }
            index += 1
            items.append(try inline(rest, line.number, depth: depth + 1))
            if index < lines.count, lines[index].indent > indent {
                throw fail(lines[index].number, "unexpected indentation")
            }
        }
        return .list(items, line: startLine)
    }

    /// Splits `key: value` at the first `: ` (or a final `:`) outside quotes and brackets.
    func splitKey(_ s: String, _ line: Int) throws -> (String, String)? {
        let chars = Array(s)
        var i = 0
        var keyText: String
        if chars.first == "\"" || chars.first == "'" {
            let (value, end) = try quoted(chars, 0, line)
            var j = end
            while j < chars.count, chars[j] == " " { j += 1 }
            guard j < chars.count, chars[j] == ":", j + 1 == chars.count || chars[j + 1] == " " else { return nil }
            keyText = value
            i = j
        } else {
            if let c = chars.first, "[{&*!|>%@`".contains(c) { return nil }
            var found: Int? = nil
            while i < chars.count {
                if chars[i] == ":", i + 1 == chars.count || chars[i + 1] == " " { found = i; break }
                i += 1
            }
            guard let f = found else { return nil }
            keyText = Self.trimTrailing(chars[..<f])
            guard !keyText.isEmpty else { throw fail(line, "empty key") }
            if keyText.hasPrefix("? ") || keyText == "?" { throw fail(line, "complex keys are not supported") }
            i = f
        }
        let rest = String(chars[(i + 1)...]).drop { $0 == " " }
        return (keyText, String(rest))
    }

    func isTagOnly(_ s: String) -> Bool { s.hasPrefix("!") && !s.contains(" ") }

    // MARK: inline values

    /// A scalar, a quoted string or a one-line flow collection, after an optional tag.
    func inline(_ text: String, _ line: Int, depth: Int) throws -> YAMLNode {
        var s = Substring(text)
        if s.hasPrefix("!") {
            // Tags (`!keras_model`) only name a Python type; the value after them is what matters.
            s = s.drop { $0 != " " }.drop { $0 == " " }
            if s.isEmpty { return .scalar("", quoted: false, line: line) }
        }
        if let c = s.first {
            if c == "&" || c == "*" { throw fail(line, "anchors and aliases are not supported") }
            if c == "|" || c == ">" { throw fail(line, "block scalars ('|', '>') are not supported") }
            if c == "@" || c == "`" { throw fail(line, "'\(c)' cannot start a plain scalar") }
        }
        let chars = Array(s)
        var i = 0
        let node = try flowValue(chars, &i, line, depth: depth, inFlow: false)
        while i < chars.count, chars[i] == " " { i += 1 }
        guard i == chars.count else { throw fail(line, "unexpected text '\(String(chars[i...]))' after the value") }
        return node
    }

    func flowValue(_ c: [Character], _ i: inout Int, _ line: Int, depth: Int, inFlow: Bool) throws -> YAMLNode {
        guard depth < Self.maxDepth else { throw fail(line, "nesting deeper than \(Self.maxDepth) levels") }
        while i < c.count, c[i] == " " { i += 1 }
        guard i < c.count else { return .scalar("", quoted: false, line: line) }
        switch c[i] {
        case "[":
            i += 1
            var items: [YAMLNode] = []
            while true {
                while i < c.count, c[i] == " " { i += 1 }
                guard i < c.count else { throw fail(line, "unterminated '[' (flow lists must fit on one line)") }
                if c[i] == "]" { i += 1; return .list(items, line: line) }
                items.append(try flowValue(c, &i, line, depth: depth + 1, inFlow: true))
                while i < c.count, c[i] == " " { i += 1 }
                guard i < c.count else { throw fail(line, "unterminated '[' (flow lists must fit on one line)") }
                if c[i] == "," { i += 1 } else if c[i] != "]" { throw fail(line, "expected ',' or ']' in a flow list") }
            }
        case "{":
            i += 1
            var entries: [(key: String, value: YAMLNode)] = []
            while true {
                while i < c.count, c[i] == " " { i += 1 }
                guard i < c.count else { throw fail(line, "unterminated '{' (flow maps must fit on one line)") }
                if c[i] == "}" { i += 1; return .map(entries, line: line) }
                let keyNode = try flowValue(c, &i, line, depth: depth + 1, inFlow: true)
                guard case .scalar(let key, _, _) = keyNode else { throw fail(line, "flow map keys must be scalars") }
                while i < c.count, c[i] == " " { i += 1 }
                guard i < c.count, c[i] == ":" else { throw fail(line, "expected ':' after key '\(key)' in a flow map") }
                i += 1
                let value = try flowValue(c, &i, line, depth: depth + 1, inFlow: true)
                guard !entries.contains(where: { $0.key == key }) else { throw fail(line, "duplicate key '\(key)'") }
                entries.append((key, value))
                while i < c.count, c[i] == " " { i += 1 }
                guard i < c.count else { throw fail(line, "unterminated '{' (flow maps must fit on one line)") }
                if c[i] == "," { i += 1 } else if c[i] != "}" { throw fail(line, "expected ',' or '}' in a flow map") }
            }
        case "\"", "'":
            let (value, end) = try quoted(c, i, line)
            i = end
            return .scalar(value, quoted: true, line: line)
        default:
            let start = i
            if inFlow {
                // Plain scalars inside flow collections end at , ] } or at ': '.
                while i < c.count, !",]}".contains(c[i]) {
                    if c[i] == ":", i + 1 == c.count || c[i + 1] == " " || ",]}".contains(c[i + 1]) { break }
                    i += 1
                }
            } else {
                i = c.count
            }
            let text = Self.trimTrailing(c[start..<i])
            if !inFlow, text.hasPrefix("["), !text.hasSuffix("]") { throw fail(line, "unterminated '['") }
            return .scalar(text, quoted: false, line: line)
        }
    }

    /// Reads a quoted string starting at `start`; returns its value and the index after the closing quote.
    func quoted(_ c: [Character], _ start: Int, _ line: Int) throws -> (String, Int) {
        let q = c[start]
        var out = ""
        var i = start + 1
        while i < c.count {
            let ch = c[i]
            if ch == q {
                if q == "'", i + 1 < c.count, c[i + 1] == "'" { out.append("'"); i += 2; continue }
                return (out, i + 1)
            }
            if q == "\"", ch == "\\" {
                guard i + 1 < c.count else { break }
                switch c[i + 1] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\\": out.append("\\")
                case "\"": out.append("\"")
                case "/": out.append("/")
                case "0": out.append("\0")
                default: throw fail(line, "unsupported escape '\\\(c[i + 1])' in a double-quoted string")
                }
                i += 2
                continue
            }
            out.append(ch)
            i += 1
        }
        throw fail(line, "unterminated \(q == "'" ? "single" : "double")-quoted string")
    }
}

extension YAMLSubsetParser {
    static func trimTrailing<S: Collection>(_ text: S) -> String where S.Element == Character {
        var s = Substring(String(text))
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
