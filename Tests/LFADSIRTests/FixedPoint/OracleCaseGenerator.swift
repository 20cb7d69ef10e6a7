// Deterministic random oracle cases: types spread over every quantisation × overflow × signedness combination,
// operands biased toward the places where bit-level rules can go wrong (ties, range edges, carries).
@testable import LFADSIR

struct OracleRecord {
    let operation: Int
    let a: Int64
    let b: Int64
}

struct OracleSuite {
    var operations: [OracleOperation] = []
    var records: [OracleRecord] = []
}

struct OracleCaseGenerator {
    struct Plan {
        var casts = 230, valuesPerCast = 240
        var products = 55, valuesPerProduct = 260
        var sums = 40, valuesPerSum = 250  // each for add and for subtract
        var doubles = 100, valuesPerDouble = 150
    }

    private var random: SeededRandom

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    /// Every (quantisation, overflow, signedness) the headers accept; targets cycle through them.
    static let modeCombinations: [(Quantization, Overflow, Bool)] = Quantization.allCases.flatMap { q in
        Overflow.allCases.flatMap { o in [true, false].compactMap { s in (!s && o == .wrapSM) ? nil : (q, o, s) } }
    }

    mutating func makeSuite(_ plan: Plan = Plan()) -> OracleSuite {
        var suite = OracleSuite()
        var combination = 0
        func add(_ operation: OracleOperation, _ values: [(Int64, Int64)]) {
            let index = suite.operations.count
            suite.operations.append(operation)
            suite.records += values.map { OracleRecord(operation: index, a: $0.0, b: $0.1) }
        }
        for _ in 0..<plan.casts {
            let target = nextTarget(&combination)
            let source = operandType(widths: 2...32, wideChance: 0.1)
            var values: [(Int64, Int64)] = []
            for _ in 0..<plan.valuesPerCast { values.append((castOperand(source, target), 0)) }
            add(.cast(source, to: target), values)
        }
        for _ in 0..<plan.products {
            let target = nextTarget(&combination)
            let (x, y) = (operandType(widths: 2...32, wideChance: 0.1), operandType(widths: 2...32, wideChance: 0.1))
            var values: [(Int64, Int64)] = []
            for _ in 0..<plan.valuesPerProduct { values.append((operand(x), operand(y))) }
            add(.multiply(x, y, to: target), values)
        }
        for kind in 0..<2 {
            for _ in 0..<plan.sums {
                let target = nextTarget(&combination)
                let (x, y) = (operandType(widths: 2...40, wideChance: 0), operandType(widths: 2...40, wideChance: 0))
                var values: [(Int64, Int64)] = []
                for _ in 0..<plan.valuesPerSum { values.append((operand(x), operand(y))) }
                add(kind == 0 ? .add(x, y, to: target) : .subtract(x, y, to: target), values)
            }
        }
        for _ in 0..<plan.doubles {
            var target = nextTarget(&combination)
            if random.chance(0.1) {
                // Fractions deep enough to see subnormals as the headers read them, or ranges that hold 2^1024.
                let integer = random.chance(0.5) ? random.int(-1090...(-1000)) : random.int(1000...1040)
                target = makeType(target.width, integer, target.signed, target.quantization, target.overflow,
                                  target.saturationBits)
            }
            var values: [(Int64, Int64)] = []
            for _ in 0..<plan.valuesPerDouble {
                values.append((Int64(bitPattern: doubleOperand(target).bitPattern), 0))
            }
            add(.fromDouble(to: target), values)
        }
        return suite
    }

    /// The next target type, cycling through every mode combination.
    private mutating func nextTarget(_ counter: inout Int) -> FixedType {
        let (q, o, s) = Self.modeCombinations[counter % Self.modeCombinations.count]
        counter += 1
        return targetType(signed: s, quantization: q, overflow: o)
    }

    // MARK: types

    /// Widths mostly 2...32, sometimes 1 or 33...64; integer bits from −8 to W + 8; N often set for the wrap modes.
    mutating func targetType(signed: Bool, quantization: Quantization, overflow: Overflow) -> FixedType {
        var width = random.int(2...32)
        if random.chance(0.04) { width = 1 }
        if random.chance(0.06) { width = random.int(33...(signed ? 64 : 63)) }
        let integer = random.int(-8...(width + 8))
        var n = 0
        if overflow == .wrap || overflow == .wrapSM {
            if random.chance(0.5) { n = random.int(1...width) }
        } else if random.chance(0.1) {
            n = random.int(0...width)  // ignored by the AP_SAT modes; checked all the same
        }
        return makeType(width, integer, signed, quantization, overflow, n)
    }

    mutating func operandType(widths: ClosedRange<Int>, wideChance: Double) -> FixedType {
        let signed = random.chance(0.7)
        var width = random.int(widths)
        if random.chance(wideChance) { width = random.int(33...(signed ? 64 : 63)) }
        let integer = random.int(-8...(width + 8))
        return makeType(width, integer, signed, random.pick(Quantization.allCases), signed ? .wrap : .sat, 0)
    }

    private func makeType(_ w: Int, _ i: Int, _ s: Bool, _ q: Quantization, _ o: Overflow, _ n: Int) -> FixedType {
        do {
            return try FixedType(width: w, integer: i, signed: s, quantization: q, overflow: o, saturationBits: n)
        } catch {
            preconditionFailure("generator produced an invalid type: \(error)")
        }
    }

    // MARK: operands

    /// A raw code of `type`, sign-extended from random bits.
    mutating func uniform(_ type: FixedType) -> Int64 {
        signExtend(random.next(), as: type)
    }

    /// Uniform codes, the range edges and small magnitudes.
    mutating func operand(_ type: FixedType) -> Int64 {
        switch random.int(0...9) {
        case 0: return type.minRaw
        case 1: return type.maxRaw
        case 2: return random.pick([type.minRaw &+ 1, type.maxRaw &- 1, 0, 1, type.signed ? -1 : 2])
        case 3, 4: return fit(Int128(random.int(-5...5)), type) ?? 0
        default: return uniform(type)
        }
    }

    /// Operands for a cast: besides `operand`, codes whose dropped bits are a tie or just around it, and codes
    /// that land on or next to the target's range edges.
    mutating func castOperand(_ source: FixedType, _ target: FixedType) -> Int64 {
        let drop = source.fraction - target.fraction
        switch random.int(0...9) {
        case 0...3 where drop > 0 && drop < 100:
            let kept = Int128(uniform(source)) >> drop
            let half = Int128(1) << (drop - 1)
            let tail = random.pick([half, half - 1, half + 1, 0, 2 * half - 1])
            return fit((kept << drop) + tail, source) ?? uniform(source)
        case 4, 5:
            let edge = Int128(random.chance(0.5) ? target.maxRaw : target.minRaw) + Int128(random.int(-2...2))
            let scaled = drop >= 0 ? (drop < 100 ? edge << drop : 0) : edge >> -drop
            let tail: Int128 = drop > 0 && drop < 100 ? Int128(random.int(-1...1)) << (drop - 1) : 0
            return fit(scaled + tail, source) ?? uniform(source)
        default:
            return operand(source)
        }
    }

    /// Doubles: exact codes, exact ties (k + ½ LSB), near-range and huge magnitudes, ±0, subnormals, ±inf, NaN,
    /// and arbitrary bit patterns.
    mutating func doubleOperand(_ target: FixedType) -> Double {
        let lsbExponent = -target.fraction
        func scaled(_ k: Double) -> Double { Double(sign: .plus, exponent: lsbExponent, significand: k) }
        let span = Double(target.maxRaw) - Double(target.minRaw)
        switch random.int(0...15) {
        case 0...2:
            let k = Double(random.int(-(1 << 40)...(1 << 40)) % Int(max(4, min(span * 2, 1e15))))
            return scaled(k + random.pick([0.5, -0.5, 0.25, 0.75]))
        case 3, 4:
            let edge = Double(random.chance(0.5) ? target.maxRaw : target.minRaw)
            return scaled(edge + random.pick([0, 0.5, -0.5, 1, -1, 1.5, -1.5, 0.25]))
        case 5, 6:
            return scaled(Double(random.int(-1000...1000)) / 8)
        case 7:
            return random.pick([0.0, -0.0, .infinity, -.infinity, .nan, -Double.nan,
                                Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude,
                                Double.leastNormalMagnitude, -Double.greatestFiniteMagnitude, 1e300, -1e300,
                                0x1p60, -0x1p60, 0x1p63, -0x1p63, 0x1p64, 1.0, -1.0, 0.5, -0.5])
        case 8, 9:
            return Double(bitPattern: random.next())
        default:
            let magnitude = Double.random(in: 0..<1, using: &random) * max(span, 2) * 1.5
            let value = scaled(random.chance(0.5) ? magnitude : -magnitude)
            return value + scaled(Double(random.int(-1...1)) * 0.5)
        }
    }

    /// `value` if it is a raw code of `type`.
    private func fit(_ value: Int128, _ type: FixedType) -> Int64? {
        value >= Int128(type.minRaw) && value <= Int128(type.maxRaw) ? Int64(value) : nil
    }
}
