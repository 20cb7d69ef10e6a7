// Writes a whole file through a temporary file in the target directory, so readers never see
// a half-written output. Without `overwrite` the final step is link(2), which fails atomically
// when the target exists; filesystems without hard links fall back to check-then-rename.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum AtomicFile {
    static func existsError(_ path: String) -> DataIOError {
        DataIOError(file: path, message: "output file exists; use --force to overwrite it")
    }

    static func write(_ bytes: [UInt8], to path: String, overwrite: Bool) throws {
        let fm = FileManager.default
        if !overwrite && fm.fileExists(atPath: path) { throw existsError(path) }
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: temp))
        } catch {
            throw DataIOError(file: path, message: "cannot write temporary file \(temp): \(error.localizedDescription)")
        }
        defer { unlink(temp) }
        if overwrite {
            guard rename(temp, path) == 0 else { throw systemError(path) }
            return
        }
        if link(temp, path) == 0 { return }
        let code = errno
        if code == EEXIST { throw existsError(path) }
        guard code == EPERM || code == ENOTSUP || code == EXDEV || code == EMLINK else { throw systemError(path, code) }
        if fm.fileExists(atPath: path) { throw existsError(path) }
        guard rename(temp, path) == 0 else { throw systemError(path) }
    }

    private static func systemError(_ path: String, _ code: Int32 = errno) -> DataIOError {
        DataIOError(file: path, message: "cannot move the temporary file into place: \(String(cString: strerror(code)))")
    }
}

enum FileManagerShim {
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
