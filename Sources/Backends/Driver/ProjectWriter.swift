import Foundation

/// Writes a generated project directory all at once: files go to a hidden sibling directory that is renamed
/// into place, so an interrupted compile never leaves half a project, and an existing project is replaced
/// only when asked.
public enum ProjectWriter {
    public static func write(_ files: [String: String], to directory: String, overwrite: Bool) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: target.path, isDirectory: &isDirectory)
        if exists {
            guard isDirectory.boolValue else { throw DataIOError(file: directory, message: "exists and is not a directory") }
            guard overwrite else { throw DataIOError(file: directory, message: "project directory exists; use --force to replace it") }
        }
        let parent = target.deletingLastPathComponent()
        guard fm.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataIOError(file: directory, message: "the directory \(parent.path) does not exist")
        }
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).partial-\(getpid())")
        try? fm.removeItem(at: staging)
        do {
            for (relative, contents) in files.sorted(by: { $0.key < $1.key }) {
                guard !relative.hasPrefix("/"), !relative.split(separator: "/").contains("..") else {
                    throw DataIOError(file: directory, message: "refusing to write outside the project: \(relative)")
                }
                let url = staging.appendingPathComponent(relative)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(contents.utf8).write(to: url)
                if relative.hasSuffix(".sh") {
                    try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
                }
            }
        } catch {
            try? fm.removeItem(at: staging)
            if let e = error as? DataIOError { throw e }
            throw DataIOError(file: directory, message: "cannot write the project: \(error.localizedDescription)")
        }
        if exists {
            let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(getpid())")
            try? fm.removeItem(at: old)
            do {
                try fm.moveItem(at: target, to: old)
                try fm.moveItem(at: staging, to: target)
            } catch {
                try? fm.removeItem(at: staging)
                throw DataIOError(file: directory, message: "cannot replace the project: \(error.localizedDescription)")
            }
            try? fm.removeItem(at: old)
        } else {
            do { try fm.moveItem(at: staging, to: target) } catch {
                try? fm.removeItem(at: staging)
                throw DataIOError(file: directory, message: "cannot move the project into place: \(error.localizedDescription)")
            }
        }
    }
}
