// What the RTL resource model reads from an emitted module's text: the registers it declares outside its
// functions, and how Yosys maps them (flip-flops, or SRL LUTs for delay lines and pass-through chains).
import Foundation

/// A register or memory a module declares outside its functions.
struct RTLDeclaredRegister: Hashable {
    var name: String
    var bits: Int
    /// 1 for a vector; the number of words for an array (`reg [w] name [a:b]`).
    var words: Int
    var isArray: Bool
}

extension RTLCostModel {
    /// Every `reg` the module declares at module level (function locals are combinational and skipped).
    static func registers(_ module: String) -> [RTLDeclaredRegister] {
        var out = [RTLDeclaredRegister]()
        var inFunction = false
        for raw in module.split(separator: "\n", omittingEmptySubsequences: true) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("function") { inFunction = true; continue }
            if line.hasPrefix("endfunction") { inFunction = false; continue }
            if inFunction { continue }
            if let cut = line.range(of: "//") { line = String(line[..<cut.lowerBound]) }
            for prefix in ["output reg ", "(* rom_style = \"block\" *) reg ", "reg "] where line.hasPrefix(prefix) {
                out += declaration(String(line.dropFirst(prefix.count)))
                break
            }
        }
        return out
    }

    /// `[a:b] n1, n2;` or `[a:b] n [c:d];` or `n1, n2;` (optionally `signed`).
    static func declaration(_ text: String) -> [RTLDeclaredRegister] {
        var t = text.trimmingCharacters(in: CharacterSet(charactersIn: "; ").union(.whitespaces))
        if t.hasPrefix("signed ") { t = String(t.dropFirst(7)) }
        var bits = 1
        if t.hasPrefix("["), let close = t.firstIndex(of: "]") {
            bits = rangeLength(String(t[t.index(after: t.startIndex)..<close])) ?? 1
            t = String(t[t.index(after: close)...]).trimmingCharacters(in: .whitespaces)
        }
        if let open = t.firstIndex(of: "["), let close = t.lastIndex(of: "]"), open < close {
            let name = t[..<open].trimmingCharacters(in: .whitespaces)
            let words = rangeLength(String(t[t.index(after: open)..<close])) ?? 1
            return [RTLDeclaredRegister(name: name, bits: bits, words: words, isArray: true)]
        }
        return t.split(separator: ",").map {
            RTLDeclaredRegister(name: $0.trimmingCharacters(in: .whitespaces), bits: bits, words: 1, isArray: false)
        }
    }

    /// |a − b| + 1 for `a:b`, each side an integer or `x - y` / `x + y`.
    static func rangeLength(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let a = evaluate(String(parts[0])), let b = evaluate(String(parts[1])) else { return nil }
        return abs(a - b) + 1
    }

    static func evaluate(_ text: String) -> Int? {
        let tokens = text.split(separator: " ").map(String.init)
        guard let first = tokens.first, var value = Int(first) else { return nil }
        var i = 1
        while i + 1 < tokens.count {
            guard let v = Int(tokens[i + 1]) else { return nil }
            switch tokens[i] {
            case "-": value -= v
            case "+": value += v
            default: return nil
            }
            i += 2
        }
        return value
    }

    /// Flip-flops and SRL LUTs of registers. An array is a delay line: its first word is loaded from logic and
    /// stays flip-flops; the rest shifts, and Yosys maps a shift of three or more stages to SRL LUTs (one per bit
    /// and 32 stages).
    static func registerCells(_ regs: [RTLDeclaredRegister]) -> RTLCells {
        var cells = RTLCells()
        for r in regs {
            guard r.isArray else { cells.ff += r.bits; continue }
            cells.ff += r.bits
            let rest = r.words - 1
            if rest >= 3 { cells.srl += r.bits * ((rest + 31) / 32) } else { cells.ff += r.bits * max(0, rest) }
        }
        return cells
    }

    /// Flip-flops and SRL LUTs of a cell lane's stage registers (`always @(posedge clk) a <= b;`). Registers that only
    /// pass a value on form chains; Yosys maps a chain of three or more to SRL LUTs (one per bit), except that a
    /// chain whose first register is loaded from logic keeps that one in flip-flops (measured on the template's
    /// cell lane: 248 FF and 40 SRL16E for 384 register bits).
    static func stageRegisterCells(_ module: String) -> RTLCells {
        let regs = registers(module).filter { !$0.isArray }
        let bits = Dictionary(regs.map { ($0.name, $0.bits) }, uniquingKeysWith: { a, _ in a })
        var source = [String: String]()
        for raw in module.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("always @(posedge clk) "), line.hasSuffix(";") else { continue }
            let parts = line.dropFirst("always @(posedge clk) ".count).dropLast().components(separatedBy: " <= ")
            guard parts.count == 2 else { continue }
            source[parts[0]] = parts[1]
        }
        let ports = Set(module.split(separator: "\n").compactMap { l -> String? in
            let t = l.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("input wire") else { return nil }
            return t.split(separator: " ").last.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
        })
        // A register whose source is another register continues that one's chain.
        let feeds = Set(source.values.filter { bits[$0] != nil })
        var cells = RTLCells()
        var counted = Set<String>()
        for r in regs where !feeds.contains(r.name) {
            // r ends a chain: walk back to its head.
            var chain = [r.name]
            while let s = source[chain[0]], bits[s] != nil { chain.insert(s, at: 0) }
            let head = chain[0]
            let loadedFromLogic = !(source[head].map { ports.contains($0) } ?? false)
            let shifting = loadedFromLogic ? Array(chain.dropFirst()) : chain
            for n in chain { counted.insert(n) }
            if loadedFromLogic { cells.ff += bits[head] ?? 0 }
            if shifting.count >= 3 { cells.srl += bits[r.name] ?? 0 } else { cells.ff += shifting.reduce(0) { $0 + (bits[$1] ?? 0) } }
        }
        for r in regs where !counted.contains(r.name) { cells.ff += r.bits }
        return cells
    }
}
