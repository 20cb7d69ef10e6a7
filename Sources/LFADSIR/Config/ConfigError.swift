/// An error in a configuration file (lfadsc.json, an hls4ml YAML file) or in overrides given on the command
/// line. The message is one line: `FILE:LINE: key 'KEY': PROBLEM`, leaving out the parts that are unknown.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file concerned ("<flags>" for command-line overrides, "<text>" for in-memory text).
    public var file: String
    /// 1-based line, when the format has lines worth naming (YAML; JSON errors name the key path instead).
    public var line: Int?
    /// Dotted key path, e.g. `layers.enc.precision.weight`.
    public var key: String?
    public var message: String

    public init(file: String, line: Int? = nil, key: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        var s = file
        if let l = line { s += ":\(l)" }
        s += ": "
        if let k = key { s += "key '\(k)': " }
        return s + message
    }
}
