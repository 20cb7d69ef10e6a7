// The one public error type: names the file, the object path and the problem on one line.

public struct HDF5Error: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let object: String
    public let message: String

    public init(file: String, object: String, message: String) {
        self.file = file
        self.object = object
        self.message = message
    }

    public var description: String { "\(file): \(object): \(message)" }
}

/// Runs `body`, converting internal decoding errors into an HDF5Error naming `object`.
func withObject<T>(_ file: String, _ object: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as HDF5Error {
        throw e
    } catch let e as FormatError {
        throw HDF5Error(file: file, object: object, message: e.message)
    } catch let e as InflateError {
        throw HDF5Error(file: file, object: object, message: e.description)
    } catch {
        throw HDF5Error(file: file, object: object, message: "\(error)")
    }
}
