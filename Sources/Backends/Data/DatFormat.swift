// Text renderings of output values for .dat files (one trial per line, single spaces, '\n').
//   .float: Swift's shortest round-trip rendering (`description`): reading it back gives the
//           same Double; it may use an exponent ("1e-05") and shows integers as "2.0". Written by
//           `ShortestDecimal`, which gives the same bytes about three times faster.
//   .exact: the exact decimal value of the Double (`ExactDecimal`), never an exponent; meant for
//           fixed-point results, whose dyadic values then print digit-exact.

public enum DatFormat: String, Sendable, CaseIterable {
    case float
    case exact

    public func render(_ x: Double) -> String {
        switch self {
        case .float:
            var bytes = [UInt8]()
            ShortestDecimal.append(x, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        case .exact: return ExactDecimal.string(x)
        }
    }

    /// `render(x)` appended to a byte buffer (the writers' path: no String per value).
    public func render(_ x: Double, into out: inout [UInt8]) {
        switch self {
        case .float: ShortestDecimal.append(x, to: &out)
        case .exact: ExactDecimal.append(x, to: &out)
        }
    }

    /// The exact decimal text of a Double (see ExactDecimal).
    public static func exactDecimal(_ x: Double) -> String { ExactDecimal.string(x) }
}
