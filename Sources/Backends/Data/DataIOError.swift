// The error type of the data side of `lfadsc simulate`: one line naming the file, the
// object (dataset, line, tensor) when there is one, and the problem.
import HDF5

public struct DataIOError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    public let object: String?
    public let message: String

    public init(file: String, object: String? = nil, message: String) {
        self.file = file
        self.object = object
        self.message = message
    }

    public var description: String {
        if let object { return "\(file): \(object): \(message)" }
        return "\(file): \(message)"
    }

    /// Re-labels an HDF5 library error (its message already names the object).
    static func wrapping(_ e: HDF5Error, file: String) -> DataIOError {
        DataIOError(file: file, object: e.object, message: e.message)
    }
}

/// Runs `body`, turning HDF5 and foreign errors into DataIOError for `file`.
func withDataFile<T>(_ file: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as DataIOError {
        throw e
    } catch let e as HDF5Error {
        throw DataIOError.wrapping(e, file: file)
    } catch {
        throw DataIOError(file: file, message: "\(error)")
    }
}
