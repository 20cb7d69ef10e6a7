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
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw DataIOError(file: path, message: "is a directory, not an output file")
            // A device or pipe (/dev/null, /dev/stdout, a FIFO) is written in place: renaming over it would
            // replace the device node, and "overwriting" it destroys nothing.
            default: return try writeInPlace(bytes, to: path)
            }
        }
        if !overwrite && fm.fileExists(atPath: path) { throw existsError(path) }
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o666)
        guard fd >= 0 else {
            throw DataIOError(file: path, message: "cannot write temporary file \(temp): \(String(cString: strerror(errno)))")
        }
        defer { unlink(temp) }
        do {
            defer { close(fd) }
            try writeAll(bytes, to: fd, path: path)
        }
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

    /// Writes to an existing special file, reporting short writes and errors such as ENOSPC (/dev/full).
    private static func writeInPlace(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY)
        guard fd >= 0 else { throw DataIOError(file: path, message: "cannot open for writing: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try writeAll(bytes, to: fd, path: path)
    }

    /// All of `bytes` to `fd`, retrying short writes and EINTR.
    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw DataIOError(file: path, message: "write failed: \(String(cString: strerror(errno)))")
            }
            guard n > 0 else { throw DataIOError(file: path, message: "write failed: no progress") }
            offset += n
        }
    }

    private static func systemError(_ path: String, _ code: Int32 = errno) -> DataIOError {
        DataIOError(file: path, message: "cannot move the temporary file into place: \(String(cString: strerror(code)))")
    }
}

enum FileManagerShim {
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}

/// Checks an output path before any work is done, so a long simulation or compile does not fail at the end.
public enum OutputTarget {
    public static func validate(_ path: String, overwrite: Bool) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: if !overwrite { throw AtomicFile.existsError(path) }
            case S_IFDIR: throw DataIOError(file: path, message: "is a directory, not an output file")
            default: return
            }
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataIOError(file: path, message: "the directory \(parent) does not exist")
        }
        guard access(parent, W_OK) == 0 else { throw DataIOError(file: path, message: "the directory \(parent) is not writable") }
    }
}

/// Text outputs (IR, tables) written with the same temp-and-rename discipline as data outputs.
public enum TextOutput {
    public static func write(_ text: String, to path: String, overwrite: Bool) throws {
        try OutputTarget.validate(path, overwrite: overwrite)
        try AtomicFile.write(Array(text.utf8), to: path, overwrite: overwrite)
    }
}
