// Element functions are rebuilt for every candidate of the reuse search, which changes reuse factors but never a
// type or table: building a table's codes (and a hard function's window) each time dominated its run time.
import Foundation
import LFADSIR

extension ElementFunction {
    private struct Key: Hashable {
        var activation: Activation
        var table: TableSpec?
        var input: FixedType
        var output: FixedType
        var shapesOnly: Bool
    }

    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var entries = [Key: ElementFunction]()
    }

    private static let cache = Cache()
    /// Bounds the cache: it is cleared when it grows past this many functions.
    static let cacheLimit = 1_024

    /// The same function as `init`, shared between builds of equal arguments (errors are not cached).
    static func make(_ activation: Activation, table: TableSpec?, input: FixedType, output: FixedType, context: String) throws -> ElementFunction {
        let key = Key(activation: activation, table: table, input: input, output: output, shapesOnly: HardwarePlan.shapesOnly)
        cache.lock.lock()
        let hit = cache.entries[key]
        cache.lock.unlock()
        if let hit { return hit }
        let f = try ElementFunction(activation, table: table, input: input, output: output, context: context)
        cache.lock.lock()
        if cache.entries.count >= cacheLimit { cache.entries.removeAll() }
        cache.entries[key] = f
        cache.lock.unlock()
        return f
    }
}
