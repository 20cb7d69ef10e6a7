// Index-ordered parallel work for the simulators and writers: results never depend on the thread count.
import Dispatch
import Foundation
import LFADSIR

enum Parallel {
    /// `body(i, state)` for every i in 0..<count on up to `threads` workers; worker w takes i = w, w + workers, …
    /// and owns one `makeState()` (scratch memory, say). Results come back in index order.
    static func map<T, State>(count: Int, threads: Int, state makeState: @Sendable () -> State,
                              _ body: @Sendable (Int, State) throws -> T) -> [Result<T, Error>] {
        let slots = Slots<T>(count: count)
        let workers = max(1, min(threads, count))
        if count > 0 {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let state = makeState()
                var i = w
                while i < count {
                    slots.set(i, Result { try body(i, state) })
                    i += workers
                }
            }
        }
        return slots.results()
    }

    /// `range` cut into contiguous blocks for `map`: one when `threads` is 1, else about four per thread (so a
    /// slow block does not leave the other workers idle). Joining the blocks' results in order gives the serial
    /// result.
    static func blocks(of range: Range<Int>, threads: Int) -> [Range<Int>] {
        let n = max(1, min(range.count, threads > 1 ? 4 * threads : 1))
        return (0..<n).map { b in (range.lowerBound + b * range.count / n)..<(range.lowerBound + (b + 1) * range.count / n) }
    }

    /// `body(i)` for every i in 0..<count on up to `threads` workers, results in index order.
    static func map<T>(count: Int, threads: Int, _ body: @Sendable (Int) throws -> T) -> [Result<T, Error>] {
        map(count: count, threads: threads, state: {}) { i, _ in try body(i) }
    }

    /// Result storage written by several workers; each index is written by exactly one of them.
    private final class Slots<T>: @unchecked Sendable {
        private var slots: [Result<T, Error>?]
        private let lock = NSLock()

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ i: Int, _ r: Result<T, Error>) {
            lock.lock()
            slots[i] = r
            lock.unlock()
        }

        /// Every slot is set once concurrentPerform has returned.
        func results() -> [Result<T, Error>] {
            lock.lock()
            defer { lock.unlock() }
            return slots.map { $0 ?? .failure(IRError.invalid("parallel work item was not run")) }
        }
    }
}
