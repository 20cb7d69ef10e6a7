/// The value arrays of one worker, handed back after each block of trials and reused by the next. A block
/// allocates megabytes of intermediate values; freed, glibc returns them to the system and the next block
/// page-faults them in again, which cost as much as a third of a whole run. Not thread-safe: one per worker.
final class ArrayPool {
    private var free: [[Double]] = []

    /// `count` zeros.
    func zeros(_ count: Int) -> [Double] {
        var (a, zeroed) = reuse(count)
        // Writes in place when `a` is the only reference to its storage (copy-on-write copies otherwise).
        if !zeroed { a.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        return a
    }

    /// `count` values left from earlier use, for a caller that overwrites every one of them.
    func take(_ count: Int) -> [Double] { reuse(count).array }

    /// A returned array of exactly `count` values, with whatever they held (blocks of equal size ask for the
    /// same sizes again); else the smallest returned one that is large enough, or a new one, filled with zeros.
    private func reuse(_ count: Int) -> (array: [Double], zeroed: Bool) {
        if count == 0 { return ([], true) }
        if let i = free.firstIndex(where: { $0.count == count }) { return (free.remove(at: i), false) }
        var best = -1
        for i in free.indices where free[i].capacity >= count && (best < 0 || free[i].capacity < free[best].capacity) {
            best = i
        }
        guard best >= 0 else { return ([Double](repeating: 0, count: count), true) }
        var a = free.remove(at: best)
        a.removeAll(keepingCapacity: true)
        a.append(contentsOf: repeatElement(0, count: count))
        return (a, true)
    }

    /// Hands arrays back for reuse; the caller keeps no other reference to them.
    func recycle(_ arrays: [Double]...) {
        for a in arrays where a.capacity > 0 { free.append(a) }
    }

    func recycle<S: Sequence>(all arrays: S) where S.Element == [Double] {
        for a in arrays where a.capacity > 0 { free.append(a) }
    }
}
