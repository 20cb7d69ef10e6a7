/// An interpreter of Python's pickle opcodes (protocols 0–5, binary forms; torch.save writes protocol 2) that
/// builds values and never executes anything. GLOBAL only records a name; REDUCE / NEWOBJ / BUILD on a
/// whitelisted name builds the corresponding value (`PickleWhitelist`), on any other name an `OpaqueObject`
/// that remembers the name. Persistent ids become `StorageRef`s. Malformed streams throw `CheckpointError`.
struct Unpickler {
    private let data: [UInt8]
    private var position = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    private(set) var heap = PickleHeap()

    /// Nesting limit of MARKs (the machine itself is iterative; this only bounds memory on hostile input).
    static let markLimit = 1 << 16

    init(_ data: [UInt8]) { self.data = data }

    /// Runs the stream to STOP and returns the top value and the heap it refers to.
    static func load(_ data: [UInt8]) throws -> (PickleValue, PickleHeap) {
        var u = Unpickler(data)
        let v = try u.run()
        return (v, u.heap)
    }

    private func fail(_ m: String) -> CheckpointError { CheckpointError("data.pkl: \(m) (at byte \(position))") }

    // MARK: reading the stream

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= data.count - position else { throw fail("truncated: need \(n) bytes, \(data.count - position) left") }
        defer { position += n }
        return data[position..<(position + n)]
    }

    private mutating func u8() throws -> Int {
        guard position < data.count else { throw fail("truncated: no STOP opcode") }
        defer { position += 1 }
        return Int(data[position])
    }

    private mutating func uint(_ n: Int) throws -> UInt64 {
        var v: UInt64 = 0
        for (i, b) in try take(n).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return v
    }

    /// A length field of n bytes, checked against what is left of the stream.
    private mutating func length(_ n: Int) throws -> Int {
        let v = try uint(n)
        guard v <= UInt64(data.count - position) else { throw fail("length \(v) exceeds the \(data.count - position) bytes left") }
        return Int(v)
    }

    private mutating func line() throws -> String {
        guard let end = data[position...].firstIndex(of: 0x0A) else { throw fail("unterminated text argument") }
        defer { position = end + 1 }
        return String(decoding: data[position..<end], as: UTF8.self)
    }

    private mutating func string(_ n: Int) throws -> PickleValue { .string(String(decoding: try take(n), as: UTF8.self)) }

    /// Two's-complement little-endian integer (LONG1 / LONG4).
    private mutating func long(_ n: Int) throws -> PickleValue {
        let b = try take(n)
        guard n > 0 else { return .int(0) }
        guard n <= 8 else { return .bigInt }
        var v: UInt64 = 0
        for (i, x) in b.enumerated() { v |= UInt64(x) << (8 * UInt64(i)) }
        if n < 8, let last = b.last, last & 0x80 != 0 { v |= ~0 << (8 * UInt64(n)) }
        return .int(Int(bitPattern: UInt(v)))
    }

    // MARK: the stack

    private mutating func pop() throws -> PickleValue {
        guard let v = stack.popLast(), (marks.last ?? 0) <= stack.count else { throw fail("stack underflow") }
        return v
    }

    private func top() throws -> PickleValue {
        guard let v = stack.last, (marks.last ?? 0) < stack.count else { throw fail("stack underflow") }
        return v
    }

    /// The values pushed since the last MARK, which is removed.
    private mutating func popMark() throws -> [PickleValue] {
        guard let m = marks.popLast() else { throw fail("no MARK on the stack") }
        defer { stack.removeSubrange(m...) }
        return Array(stack[m...])
    }

    private mutating func push(_ v: PickleValue) { stack.append(v) }

    // MARK: the machine

    private mutating func run() throws -> PickleValue {
        while true {
            let op = try u8()
            switch op {
            case 0x80: // PROTO
                let v = try u8()
                guard v <= 5 else { throw fail("unsupported pickle protocol \(v)") }
            case 0x95: _ = try take(8) // FRAME (framing is a hint only)
            case 0x2E: // STOP
                let v = try pop()
                return v
            case 0x28: // MARK
                guard marks.count < Self.markLimit else { throw fail("more than \(Self.markLimit) nested MARKs") }
                marks.append(stack.count)
            case 0x30: _ = try pop() // POP
            case 0x31: _ = try popMark() // POP_MARK
            case 0x32: push(try top()) // DUP
            case 0x4E: push(.none)
            case 0x88: push(.bool(true))
            case 0x89: push(.bool(false))
            case 0x4A: push(.int(Int(Int32(bitPattern: UInt32(try uint(4)))))) // BININT
            case 0x4B: push(.int(Int(try uint(1)))) // BININT1
            case 0x4D: push(.int(Int(try uint(2)))) // BININT2
            case 0x8A: push(try long(try length(1))) // LONG1
            case 0x8B: push(try long(try length(4))) // LONG4
            case 0x49: push(try textInt(try line())) // INT
            case 0x4C: // LONG
                var text = try line()
                if text.hasSuffix("L") { text.removeLast() }
                push(try textInt(text))
            case 0x47: push(.float(Double(bitPattern: try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }))) // BINFLOAT (big-endian)
            case 0x46: // FLOAT
                guard let d = Double(try line()) else { throw fail("malformed FLOAT") }
                push(.float(d))
            case 0x58: push(try string(try length(4))) // BINUNICODE
            case 0x8C: push(try string(try length(1))) // SHORT_BINUNICODE
            case 0x8D: push(try string(try length(8))) // BINUNICODE8
            case 0x54: push(try string(try length(4))) // BINSTRING (Python 2 str; torch.load decodes as UTF-8)
            case 0x55: push(try string(try length(1))) // SHORT_BINSTRING
            case 0x42: push(.bytes(Array(try take(try length(4))))) // BINBYTES
            case 0x43: push(.bytes(Array(try take(try length(1))))) // SHORT_BINBYTES
            case 0x8E, 0x96: push(.bytes(Array(try take(try length(8))))) // BINBYTES8, BYTEARRAY8
            case 0x29: push(heap.addSequence([], PickleHeap.Object.tuple)) // EMPTY_TUPLE
            case 0x74: push(heap.addSequence(try popMark(), PickleHeap.Object.tuple)) // TUPLE
            case 0x85, 0x86, 0x87: // TUPLE1..3
                var items: [PickleValue] = []
                for _ in 0..<Int(op - 0x84) { items.insert(try pop(), at: 0) }
                push(heap.addSequence(items, PickleHeap.Object.tuple))
            case 0x5D: push(heap.addSequence([], PickleHeap.Object.list)) // EMPTY_LIST
            case 0x6C: push(heap.addSequence(try popMark(), PickleHeap.Object.list)) // LIST
            case 0x61: let v = try pop(); try append([v], to: try top()) // APPEND
            case 0x65: let items = try popMark(); try append(items, to: try top()) // APPENDS
            case 0x7D: push(heap.addDict()) // EMPTY_DICT
            case 0x64: // DICT
                let items = try popMark()
                let d = heap.addDict()
                try setItems(items, on: d)
                push(d)
            case 0x73: // SETITEM
                let v = try pop(), k = try pop()
                try setItems([k, v], on: try top())
            case 0x75: let items = try popMark(); try setItems(items, on: try top()) // SETITEMS
            case 0x8F: push(heap.addSequence([], PickleHeap.Object.set)) // EMPTY_SET
            case 0x90: let items = try popMark(); try append(items, to: try top()) // ADDITEMS
            case 0x91: push(heap.addSequence(try popMark(), PickleHeap.Object.set)) // FROZENSET
            case 0x63: // GLOBAL
                let module = try line(), name = try line()
                push(heap.add(.global("\(module).\(name)")))
            case 0x93: // STACK_GLOBAL
                let name = try pop(), module = try pop()
                guard case .string(let n) = name, case .string(let m) = module else { throw fail("STACK_GLOBAL needs two strings") }
                push(heap.add(.global("\(m).\(n)")))
            case 0x52: // REDUCE
                let args = try pop(), callable = try pop()
                push(try call(callable, args))
            case 0x81: // NEWOBJ
                let args = try pop(), cls = try pop()
                push(try instantiate(cls, args))
            case 0x92: // NEWOBJ_EX
                _ = try pop()
                let args = try pop(), cls = try pop()
                push(try instantiate(cls, args))
            case 0x69: // INST
                let module = try line(), name = try line()
                let args = heap.addSequence(try popMark(), PickleHeap.Object.tuple)
                push(try instantiate(heap.add(.global("\(module).\(name)")), args))
            case 0x6F: // OBJ
                var items = try popMark()
                guard !items.isEmpty else { throw fail("OBJ without a class") }
                let cls = items.removeFirst()
                push(try instantiate(cls, heap.addSequence(items, PickleHeap.Object.tuple)))
            case 0x62: // BUILD
                let state = try pop()
                build(try top(), state: state)
            case 0x51: push(persistentLoad(try pop())) // BINPERSID
            case 0x50: push(persistentLoad(.string(try line()))) // PERSID
            case 0x71: memo[try Int(uint(1))] = try top() // BINPUT
            case 0x72: memo[try Int(uint(4))] = try top() // LONG_BINPUT
            case 0x94: memo[memo.count] = try top() // MEMOIZE
            case 0x70: memo[try textIndex(try line())] = try top() // PUT
            case 0x68: push(try memoGet(Int(try uint(1)))) // BINGET
            case 0x6A: push(try memoGet(Int(try uint(4)))) // LONG_BINGET
            case 0x67: push(try memoGet(try textIndex(try line()))) // GET
            default:
                throw fail("opcode 0x\(String(op, radix: 16)) is not supported")
            }
        }
    }

    private func textInt(_ s: String) throws -> PickleValue {
        switch s {
        case "00": return .bool(false)
        case "01": return .bool(true)
        default:
            guard let v = Int(s) else {
                let digits = s.hasPrefix("-") ? s.dropFirst() : Substring(s)
                guard !digits.isEmpty, digits.allSatisfy({ $0 >= "0" && $0 <= "9" }) else { throw fail("malformed INT '\(s.prefix(20))'") }
                return .bigInt
            }
            return .int(v)
        }
    }

    private func textIndex(_ s: String) throws -> Int {
        guard let i = Int(s), i >= 0 else { throw fail("malformed memo index '\(s.prefix(20))'") }
        return i
    }

    private func memoGet(_ i: Int) throws -> PickleValue {
        guard let v = memo[i] else { throw fail("memo entry \(i) is not set") }
        return v
    }

    // MARK: containers

    private mutating func append(_ items: [PickleValue], to target: PickleValue) throws {
        switch heap.object(target) {
        case .list(let i)?, .set(let i)?: heap.sequences[i].append(contentsOf: items)
        case .opaque(let i)?: heap.opaques[i].elements.append(contentsOf: items)
        default: throw fail("APPEND to \(heap.describe(target))")
        }
    }

    private mutating func setItems(_ items: [PickleValue], on target: PickleValue) throws {
        guard items.count % 2 == 0 else { throw fail("SETITEMS with an odd number of values") }
        switch heap.object(target) {
        case .dict(let i)?:
            for p in stride(from: 0, to: items.count, by: 2) { heap.dicts[i].set(items[p], items[p + 1]) }
        case .opaque(let i)?:
            for p in stride(from: 0, to: items.count, by: 2) { heap.opaques[i].items.set(items[p], items[p + 1]) }
        default: throw fail("SETITEM on \(heap.describe(target))")
        }
    }

    /// BUILD: state for an object. Only opaque objects keep it; dicts (OrderedDict's `_metadata`) and tensors
    /// ignore theirs, as nothing lfadsc reads depends on it.
    private mutating func build(_ target: PickleValue, state: PickleValue) {
        if case .opaque(let i)? = heap.object(target) { heap.opaques[i].state = state }
    }

    // MARK: globals (never imported, never called)

    private mutating func call(_ callable: PickleValue, _ args: PickleValue) throws -> PickleValue {
        guard case .global(let name)? = heap.object(callable) else {
            return heap.addOpaque(OpaqueObject(origin: "a call of \(heap.describe(callable))", arguments: heap.sequence(args) ?? []))
        }
        return PickleWhitelist.reduce(name, heap.sequence(args), in: &heap)
    }

    private mutating func instantiate(_ cls: PickleValue, _ args: PickleValue) throws -> PickleValue {
        guard case .global(let name)? = heap.object(cls) else {
            return heap.addOpaque(OpaqueObject(origin: "an instance of \(heap.describe(cls))"))
        }
        return PickleWhitelist.instantiate(name, heap.sequence(args) ?? [], in: &heap)
    }

    /// torch.save's persistent ids: ('storage', storage class, key, location, numel). Anything else stays opaque.
    private mutating func persistentLoad(_ pid: PickleValue) -> PickleValue {
        guard let t = heap.sequence(pid), t.count == 5, t[0] == .string("storage"),
              case .global(let type)? = heap.object(t[1]), case .string(let key) = t[2], case .string(let location) = t[3],
              case .int(let count) = t[4], count >= 0
        else { return heap.addOpaque(OpaqueObject(origin: "a persistent id of unknown form")) }
        return heap.add(.storage(StorageRef(typeName: type, dtype: TorchDType.storageClass(type), key: key, location: location, count: count)))
    }
}
