// Internal error raised while decoding on-disk structures. The public API wraps it into an
// `HDF5Error` that also names the file and the object being read.

struct FormatError: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }

    static func unsupported(_ feature: String) -> FormatError {
        FormatError("unsupported HDF5 feature: \(feature)")
    }
}

/// Throws unless `condition` holds; keeps bounds checks one line each.
@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw FormatError(message()) }
}

/// Checked arithmetic on file-derived values: overflow becomes a thrown error, never a trap.
@inline(__always)
func checkedMul(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws -> Int {
    let (r, o) = a.multipliedReportingOverflow(by: b)
    if o || r < 0 { throw FormatError("\(what()) overflows") }
    return r
}

@inline(__always)
func checkedAdd(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws -> Int {
    let (r, o) = a.addingReportingOverflow(b)
    if o || r < 0 { throw FormatError("\(what()) overflows") }
    return r
}

/// Converts an unsigned file value to Int, rejecting values that do not fit.
@inline(__always)
func toInt(_ v: UInt64, _ what: @autoclosure () -> String) throws -> Int {
    guard v <= UInt64(Int.max) else { throw FormatError("\(what()) too large (\(v))") }
    return Int(v)
}
