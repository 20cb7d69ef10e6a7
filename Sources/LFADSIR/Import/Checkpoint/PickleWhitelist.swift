/// What the reader makes of the globals a pickle names. Only these are understood; every other name gives an
/// `OpaqueObject` that remembers it. Nothing is imported or called: each case builds a plain value.
enum PickleWhitelist {
    /// Dict subclasses that Lightning and torch put in checkpoints (hyper_parameters, state_dict).
    static let dictClasses: Set<String> = [
        "collections.OrderedDict",
        "pytorch_lightning.utilities.parsing.AttributeDict",
        "lightning_fabric.utilities.data.AttributeDict",
        "lightning.fabric.utilities.data.AttributeDict",
        "lightning.pytorch.utilities.parsing.AttributeDict",
    ]

    static let tensorRebuilders: Set<String> = ["torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor"]
    static let parameterRebuilders: Set<String> = ["torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state"]

    /// REDUCE: `name(*args)`.
    static func reduce(_ name: String, _ args: [PickleValue]?, in heap: inout PickleHeap) -> PickleValue {
        let a = args ?? []
        func opaque(_ why: String? = nil) -> PickleValue {
            heap.addOpaque(OpaqueObject(origin: why.map { "\(name) (\($0))" } ?? name, arguments: a))
        }
        guard args != nil else { return opaque("arguments are not a tuple") }
        if tensorRebuilders.contains(name) {
            return tensor(a, in: &heap) ?? opaque("malformed arguments")
        }
        if parameterRebuilders.contains(name) {
            guard let first = a.first, case .tensor? = heap.object(first) else { return opaque("not a tensor") }
            return first
        }
        switch name {
        case "torch._tensor._rebuild_from_type_v2":
            // (rebuild function, tensor subclass, its arguments, python state): plain tensors and parameters only.
            guard a.count == 4, case .global(let f)? = heap.object(a[0]), case .global(let type)? = heap.object(a[1]),
                  ["torch.Tensor", "torch.nn.parameter.Parameter"].contains(type),
                  tensorRebuilders.contains(f) || parameterRebuilders.contains(f)
            else { return opaque("a tensor subclass or rebuild function that is not read") }
            return reduce(f, heap.sequence(a[2]), in: &heap)
        case _ where dictClasses.contains(name):
            var d = PickleDict()
            if let pairs = a.first.flatMap({ heap.sequence($0) }) {
                for p in pairs {
                    guard let kv = heap.sequence(p), kv.count == 2 else { return opaque("items are not pairs") }
                    d.set(kv[0], kv[1])
                }
            }
            return heap.addDict(d)
        case "builtins.set", "__builtin__.set", "builtins.frozenset", "__builtin__.frozenset":
            return heap.addSequence(a.first.flatMap { heap.sequence($0) } ?? [], PickleHeap.Object.set)
        case "torch.Size":
            guard let dims = a.first.flatMap({ heap.sequence($0) }) else { return opaque("not a tuple") }
            return heap.addSequence(dims, PickleHeap.Object.tuple)
        case "_codecs.encode":
            // Protocol 2 writes bytes as _codecs.encode(text, 'latin1').
            guard a.count == 2, case .string(let text) = a[0], case .string(let codec) = a[1],
                  ["latin1", "latin-1", "iso-8859-1"].contains(codec.lowercased()),
                  text.unicodeScalars.allSatisfy({ $0.value < 256 })
            else { return opaque("not a latin-1 text") }
            return .bytes(text.unicodeScalars.map { UInt8($0.value) })
        case "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar":
            return numpyScalar(a, heap) ?? opaque("a numpy scalar of a type that is not read")
        case "copyreg._reconstructor", "copy_reg._reconstructor":
            guard let cls = a.first, case .global(let c)? = heap.object(cls) else { return opaque() }
            return instantiate(c, [], in: &heap)
        default:
            return opaque()
        }
    }

    /// `numpy.core.multiarray.scalar(dtype, bytes)`, the pickled form of numpy ints, floats and bools (numpy's
    /// `dtype(code, False, True)` arrives as an opaque object whose BUILD state holds the byte order).
    private static func numpyScalar(_ a: [PickleValue], _ heap: PickleHeap) -> PickleValue? {
        guard a.count == 2, case .opaque(let i)? = heap.object(a[0]), case .bytes(let b) = a[1] else { return nil }
        let dtype = heap.opaques[i]
        guard dtype.origin == "numpy.dtype", case .string(let code)? = dtype.arguments.first else { return nil }
        var order = "<"
        if let state = dtype.state.flatMap({ heap.sequence($0) }), state.count > 1, case .string(let o) = state[1] { order = o }
        guard order == "<" || order == "|" else { return nil }
        var raw: UInt64 = 0
        for (k, x) in b.prefix(8).enumerated() { raw |= UInt64(x) << (8 * UInt64(k)) }
        switch (code, b.count) {
        case ("f8", 8): return .float(Double(bitPattern: raw))
        case ("f4", 4): return .float(Double(Float(bitPattern: UInt32(raw))))
        case ("i8", 8): return .int(Int(Int64(bitPattern: raw)))
        case ("i4", 4): return .int(Int(Int32(bitPattern: UInt32(raw))))
        case ("u4", 4), ("u2", 2), ("u1", 1): return .int(Int(raw))
        case ("i2", 2): return .int(Int(Int16(bitPattern: UInt16(raw))))
        case ("i1", 1): return .int(Int(Int8(bitPattern: UInt8(raw))))
        case ("b1", 1): return .bool(raw != 0)
        default: return nil
        }
    }

    /// NEWOBJ / INST / OBJ: `cls.__new__(cls, *args)`.
    static func instantiate(_ name: String, _ args: [PickleValue], in heap: inout PickleHeap) -> PickleValue {
        if dictClasses.contains(name) { return heap.addDict() }
        return heap.addOpaque(OpaqueObject(origin: name, arguments: args))
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])` or
    /// `_rebuild_tensor(storage, storage_offset, size, stride)`. Only the form is checked here; sizes against the
    /// storage are checked when the values are read.
    private static func tensor(_ a: [PickleValue], in heap: inout PickleHeap) -> PickleValue? {
        guard a.count >= 4, a.count <= 7, case .storage(let storage)? = heap.object(a[0]), case .int(let offset) = a[1],
              let shape = ints(heap.sequence(a[2])), let stride = ints(heap.sequence(a[3])), shape.count == stride.count
        else { return nil }
        return heap.add(.tensor(TensorRef(storage: storage, offset: offset, shape: shape, stride: stride)))
    }

    private static func ints(_ values: [PickleValue]?) -> [Int]? {
        guard let values else { return nil }
        var out: [Int] = []
        for v in values {
            guard case .int(let i) = v else { return nil }
            out.append(i)
        }
        return out
    }
}
