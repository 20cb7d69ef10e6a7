// Read-only bytes of an HDF5 file: memory-mapped from disk, or a private copy of caller bytes.
// Immutable after creation, so it can be shared by readers on several threads.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let mapped: Bool

    init(copying source: [UInt8]) {
        let p = UnsafeMutableRawBufferPointer.allocate(byteCount: max(source.count, 1), alignment: 16)
        source.withUnsafeBytes { src in
            if src.count > 0 { p.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: src.count) }
        }
        bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[0..<source.count])
        mapped = false
    }

    /// Maps `path` read-only. Throws a message (without the path; the caller adds it).
    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FormatError("cannot open file (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FormatError("cannot stat file") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw FormatError("not a regular file") }
        let size = Int(st.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw FormatError("cannot map file (\(String(cString: strerror(errno))))")
        }
        bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(p), count: size)
        mapped = true
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }
}
