// Activation lookup tables shared by the bit-accurate simulator and the C++ emitter.
//
// Design: `size` bins of equal width over [lower, upper); entry i holds f at the centre of bin i, cast to
// `entryType`. The index of x is floor((x − lower) · size / (upper − lower)), clamped to the table. Because
// size and upper − lower are powers of two and lower·size/(upper − lower) is an integer, that index is
// floor(x · 2^scaleExponent) − offset: an arithmetic shift of x's raw code, one subtraction and a clamp, with no
// multiplier and no rounding question. Centred entries make the table's error symmetric within each bin
// (floor-indexed tables sampled at the bin's left edge are biased by half a bin).
import Foundation

public enum TableFunction: String, CaseIterable, Sendable {
    case sigmoid, tanh, exp
    /// log(max(sigmoid(x), 1e−5)) (ActivationFunction.logSigmoidFloor).
    case logSigmoidFloor = "log_sigmoid_floor"
    /// A posterior's std read at half its logvar, x = logvar/2: sqrt(exp(2x) + floor) (floor = the table's
    /// parameter, lfads-torch's ic_post_var_min); exp(x) for floor 0.
    case posteriorStd = "posterior_std"
    /// The same read at the logvar itself: sqrt(exp(x) + floor) (the posterior std op, lfads-torch's ic_std).
    case posteriorStdOfLogvar = "posterior_std_of_logvar"

    /// f(x) in Double; `parameter` is the posterior std's variance floor.
    public func evaluate(_ x: Double, parameter: Double = 0) -> Double {
        switch self {
        case .sigmoid: 1 / (1 + Foundation.exp(-x))
        case .tanh: Foundation.tanh(x)
        case .exp: Foundation.exp(x)
        case .logSigmoidFloor: Foundation.log(max(1 / (1 + Foundation.exp(-x)), ActivationFunction.sigmoidFloor))
        case .posteriorStd: (Foundation.exp(2 * x) + parameter).squareRoot()
        case .posteriorStdOfLogvar: (Foundation.exp(x) + parameter).squareRoot()
        }
    }
}

public struct LookupTable: Sendable, Hashable {
    /// 1,024 entries unless the caller asks otherwise.
    public static let defaultSize = 1024
    /// Largest table accepted (2^20 entries).
    public static let maximumSize = 1 << 20

    /// The default input range: sigmoid [−8, 8), tanh [−4, 4), log_sigmoid_floor [−16, 16); exp has none (the caller chooses it).
    public static func defaultBounds(for function: TableFunction) -> (lower: Double, upper: Double)? {
        switch function {
        case .sigmoid: (-8, 8)
        case .tanh: (-4, 4)
        // Below −11.52 the floor holds (log 1e−5), above 16 the function is within 1.2e−7 of 0: the table's
        // clamped ends are the function's own.
        case .logSigmoidFloor: (-16, 16)
        case .exp, .posteriorStd, .posteriorStdOfLogvar: nil
        }
    }

    public let function: TableFunction
    /// Number of entries, a power of two ≥ 2.
    public let size: Int
    public let lower: Double
    public let upper: Double
    public let entryType: FixedType
    /// The function's parameter (posteriorStd's variance floor; 0 otherwise).
    public let parameter: Double
    /// Raw codes of `entryType`: entryType.cast(f(lower + (i + ½)·step)), computed in Double.
    public let entries: [Int64]
    /// log2(size / (upper − lower)): index = floor(x · 2^scaleExponent) − offset before clamping.
    public let scaleExponent: Int
    /// lower · size / (upper − lower).
    public let offset: Int64

    /// A table over [lower, upper). Throws unless size is a power of two in 2...2^20, upper − lower is a power
    /// of two (exactly), and lower · size / (upper − lower) is an integer of magnitude ≤ 2^30.
    public init(function: TableFunction, size: Int, lower: Double, upper: Double, entryType: FixedType, parameter: Double = 0) throws {
        func fail(_ problem: String) -> FixedPointError {
            .invalidTable("invalid \(function.rawValue) table (size \(size), [\(lower), \(upper))): \(problem)")
        }
        guard size >= 2, size <= LookupTable.maximumSize, size & (size - 1) == 0 else {
            throw fail("size must be a power of two in 2...\(LookupTable.maximumSize)")
        }
        guard lower.isFinite, upper.isFinite, lower < upper else { throw fail("bounds must be finite with lower < upper") }
        guard parameter.isFinite, parameter >= 0 else { throw fail("parameter \(parameter) must be finite and ≥ 0") }
        let span = upper - lower
        guard span.isNormal, span.significandBitPattern == 0, lower + span == upper, upper - span == lower else {
            throw fail("upper − lower must be exactly a power of two")
        }
        let scale = size.trailingZeroBitCount - Int(span.exponent)
        let offsetValue = lower * Double(size) / span
        guard offsetValue == offsetValue.rounded(), abs(offsetValue) <= 0x1p30 else {
            throw fail("lower · size / (upper − lower) = \(offsetValue) must be an integer of magnitude ≤ 2^30")
        }
        self.function = function
        self.size = size
        self.lower = lower
        self.upper = upper
        self.entryType = entryType
        self.parameter = parameter
        self.scaleExponent = scale
        self.offset = Int64(offsetValue)
        let step = span / Double(size)
        self.entries = (0..<size).map { i in
            entryType.cast(function.evaluate(lower + (Double(i) + 0.5) * step, parameter: parameter)).raw
        }
    }

    /// A table over the function's default range (sigmoid [−8, 8), tanh [−4, 4)); exp needs explicit bounds.
    public init(function: TableFunction, entryType: FixedType, size: Int = LookupTable.defaultSize) throws {
        guard let bounds = LookupTable.defaultBounds(for: function) else {
            throw FixedPointError.invalidTable("invalid \(function.rawValue) table: it has no default range, give lower and upper")
        }
        try self.init(function: function, size: size, lower: bounds.lower, upper: bounds.upper, entryType: entryType)
    }

    /// clamp(floor((x − lower) · size / (upper − lower)), 0, size − 1) for x = raw · 2^-fraction, exactly.
    @inlinable
    public func index(raw: Int64, fraction: Int) -> Int {
        let (shift, overflow) = fraction.subtractingReportingOverflow(scaleExponent)
        let scaled: Int64  // floor(x · 2^scaleExponent), saturated to Int64
        if overflow || shift >= 63 {
            scaled = overflow && fraction < 0 ? (raw > 0 ? .max : raw < 0 ? .min : 0) : raw >> 63
        } else if shift >= 0 {
            scaled = raw >> shift
        } else if shift > -63 {
            let shifted = raw << -shift
            scaled = shifted >> -shift == raw ? shifted : (raw > 0 ? .max : .min)
        } else {
            scaled = raw > 0 ? .max : raw < 0 ? .min : 0
        }
        if scaled < offset { return 0 }
        if scaled >= offset + Int64(size) { return size - 1 }  // no overflow: |offset| ≤ 2^30, size ≤ 2^20
        return Int(scaled - offset)
    }

    /// The entry for x = raw · 2^-fraction.
    @inlinable
    public func lookup(raw: Int64, fraction: Int) -> Int64 {
        entries[index(raw: raw, fraction: fraction)]
    }
}
