/// A value on the pickle machine's stack. Containers live in a `PickleHeap` and are referred to by index, so a
/// container mutated after it was memoized (EMPTY_DICT, BINPUT, ..., SETITEMS) is seen mutated through the memo,
/// as in Python.
enum PickleValue: Equatable, Sendable {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer beyond 64 bits; kept opaque (nothing lfadsc reads needs one).
    case bigInt
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case ref(Int)
}

/// Element types of torch storages that the reader decodes.
enum TorchDType: String, Sendable {
    case float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool

    var itemSize: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .float16, .bfloat16, .int16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    /// The storage classes torch.save names in a persistent id (`torch.FloatStorage`, ...).
    static func storageClass(_ qualifiedName: String) -> TorchDType? {
        switch qualifiedName {
        case "torch.FloatStorage": return .float32
        case "torch.DoubleStorage": return .float64
        case "torch.HalfStorage": return .float16
        case "torch.BFloat16Storage": return .bfloat16
        case "torch.LongStorage": return .int64
        case "torch.IntStorage": return .int32
        case "torch.ShortStorage": return .int16
        case "torch.CharStorage": return .int8
        case "torch.ByteStorage", "torch.UntypedStorage": return .uint8
        case "torch.BoolStorage": return .bool
        default: return nil
        }
    }
}

/// A storage named by a persistent id ('storage', type, key, location, numel); its bytes are the zip entry
/// `<archive>/data/<key>`. `dtype` is nil for a storage class the reader does not decode (complex, quantised).
struct StorageRef: Equatable, Sendable {
    let typeName: String
    let dtype: TorchDType?
    let key: String
    let location: String
    let count: Int
}

/// A tensor view of a storage (`torch._utils._rebuild_tensor_v2`): element (i0, i1, ...) is storage element
/// offset + Σ i_k · stride_k. Sizes and strides are checked against the storage when the values are read.
struct TensorRef: Equatable, Sendable {
    let storage: StorageRef
    let offset: Int
    let shape: [Int]
    let stride: [Int]
}

/// Keys of pickled dicts as far as lookups need them (strings and integers; anything else is kept by identity).
enum PickleDictKey: Hashable, Sendable {
    case string(String), int(Int), none, identity(Int)
}

/// A dict in insertion order with Python's last-assignment-wins semantics.
struct PickleDict: Sendable {
    private(set) var keys: [PickleValue] = []
    private(set) var values: [PickleValue] = []
    private var slots: [PickleDictKey: Int] = [:]

    var count: Int { keys.count }

    static func key(_ v: PickleValue, position: Int) -> PickleDictKey {
        switch v {
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        case .bool(let b): return .int(b ? 1 : 0)
        case .none: return .none
        case .float(let d) where d == d.rounded() && abs(d) < 9.0e15: return .int(Int(d))
        default: return .identity(position)
        }
    }

    mutating func set(_ k: PickleValue, _ v: PickleValue) {
        let h = Self.key(k, position: keys.count)
        if let i = slots[h] { values[i] = v; return }
        slots[h] = keys.count
        keys.append(k)
        values.append(v)
    }

    subscript(_ name: String) -> PickleValue? {
        slots[.string(name)].map { values[$0] }
    }
}

/// An object whose class or constructor is not on the reader's whitelist. Nothing of it is run: the reader keeps
/// the qualified name of the class or callable (for messages) and whatever the pickle fed it.
struct OpaqueObject: Sendable {
    let origin: String
    var arguments: [PickleValue] = []
    var items = PickleDict()
    var elements: [PickleValue] = []
    var state: PickleValue?
}

/// The objects the pickle machine built. Value type: the unpickler owns one and hands it out when done.
struct PickleHeap: Sendable {
    enum Object: Sendable {
        case list(Int), tuple(Int), set(Int), dict(Int), opaque(Int)
        /// A class or function named by GLOBAL / STACK_GLOBAL ("module.name"); never imported or called.
        case global(String)
        case storage(StorageRef)
        case tensor(TensorRef)
    }

    private(set) var objects: [Object] = []
    var sequences: [[PickleValue]] = []
    var dicts: [PickleDict] = []
    var opaques: [OpaqueObject] = []

    mutating func add(_ o: Object) -> PickleValue {
        objects.append(o)
        return .ref(objects.count - 1)
    }

    mutating func addSequence(_ items: [PickleValue], _ kind: (Int) -> Object) -> PickleValue {
        sequences.append(items)
        return add(kind(sequences.count - 1))
    }

    mutating func addDict(_ d: PickleDict = PickleDict()) -> PickleValue {
        dicts.append(d)
        return add(.dict(dicts.count - 1))
    }

    mutating func addOpaque(_ o: OpaqueObject) -> PickleValue {
        opaques.append(o)
        return add(.opaque(opaques.count - 1))
    }

    func object(_ v: PickleValue) -> Object? {
        guard case .ref(let i) = v, i >= 0, i < objects.count else { return nil }
        return objects[i]
    }

    /// The items of a list, tuple or set.
    func sequence(_ v: PickleValue) -> [PickleValue]? {
        switch object(v) {
        case .list(let i)?, .tuple(let i)?, .set(let i)?: return sequences[i]
        default: return nil
        }
    }

    func dict(_ v: PickleValue) -> PickleDict? {
        if case .dict(let i)? = object(v) { return dicts[i] }
        return nil
    }

    /// A short description of a value for messages ("a tensor", "os.system(...)", "a str").
    func describe(_ v: PickleValue) -> String {
        switch v {
        case .none: return "None"
        case .bool: return "a bool"
        case .int, .bigInt: return "an int"
        case .float: return "a float"
        case .string: return "a str"
        case .bytes: return "bytes"
        case .ref:
            switch object(v) {
            case .list?: return "a list"
            case .tuple?: return "a tuple"
            case .set?: return "a set"
            case .dict?: return "a dict"
            case .opaque(let i)?: return "\(opaques[i].origin)(...)"
            case .global(let name)?: return "the global \(name)"
            case .storage?: return "a storage"
            case .tensor?: return "a tensor"
            case nil: return "an unknown object"
            }
        }
    }
}
