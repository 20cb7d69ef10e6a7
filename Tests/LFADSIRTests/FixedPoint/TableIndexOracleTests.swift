// The emitted C++ table index (LookupTable.cppIndexExpression), compiled against the ap_types headers, must pick
// the same entry as the simulator's LookupTable.index for every table shape and input type tried.
import Foundation
import XCTest
@testable import LFADSIR

final class TableIndexOracleTests: XCTestCase {
    static let harness = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Oracle/table_index_oracle.hpp")

    /// Table shapes covering negative, zero and positive offsets and scale exponents, and sizes 2...65,536.
    static func shapes() throws -> [LookupTable] {
        let entry = try FixedType(parsing: "ap_fixed<18,8>")
        return [
            try LookupTable(function: .sigmoid, entryType: entry),
            try LookupTable(function: .tanh, entryType: entry),
            try LookupTable(function: .exp, size: 1024, lower: -8, upper: 0, entryType: entry),
            try LookupTable(function: .exp, size: 256, lower: -16, upper: 16, entryType: entry),
            try LookupTable(function: .exp, size: 128, lower: 4, upper: 12, entryType: entry),
            try LookupTable(function: .sigmoid, size: 2, lower: -1, upper: 1, entryType: entry),
            try LookupTable(function: .tanh, size: 64, lower: 0.25, upper: 0.5, entryType: entry),
            try LookupTable(function: .sigmoid, size: 16, lower: -64, upper: 64, entryType: entry),
            try LookupTable(function: .tanh, size: 65_536, lower: -2, upper: 2, entryType: entry),
        ]
    }

    func testEmittedIndexExpressionMatchesSimulator() throws {
        let toolchain = try CxxToolchain.require()
        let started = Date()
        var random = SeededRandom(seed: 0x7AB1_E1DE_0000_0001)
        let tables = try Self.shapes()
        var inputTypes = [try FixedType(parsing: "ap_fixed<16,6>"), try FixedType(parsing: "ap_ufixed<8,3>"),
                          try FixedType(parsing: "ap_fixed<64,20>"), try FixedType(parsing: "ap_fixed<1,1>"),
                          // Shifts far beyond the width: left by > 64 (capped), right past every bit.
                          try FixedType(parsing: "ap_fixed<8,80>"), try FixedType(parsing: "ap_ufixed<12,-20>"),
                          try FixedType(parsing: "ap_fixed<10,-30>"), try FixedType(parsing: "ap_ufixed<5,70>")]
        while inputTypes.count < 18 {
            let signed = random.chance(0.7)
            let width = random.chance(0.1) ? random.int(33...(signed ? 64 : 63)) : random.int(1...32)
            inputTypes.append(try FixedType(width: width, integer: random.int(-12...(width + 12)), signed: signed))
        }

        var functions: [(table: LookupTable, type: FixedType)] = []
        var source = "#include \"table_index_oracle.hpp\"\n\n"
        for table in tables {
            for type in inputTypes {
                let expression = table.cppIndexExpression(input: "x", inputType: type)
                source += "static unsigned index\(functions.count)(long long raw) {\n"
                    + "  const \(type) x = from_raw<\(type) >(raw);\n  return \(expression);\n}\n"
                functions.append((table, type))
            }
        }
        source += "\nstatic const IndexFunction kFunctions[] = {\n"
            + functions.indices.map { "  &index\($0)," }.joined(separator: "\n")
            + "\n};\n\nint main() { return run_index_oracle(kFunctions, \(functions.count)); }\n"

        var records: [(function: Int, raw: Int64)] = []
        for (number, function) in functions.enumerated() {
            let type = function.type
            if type.width <= 12 {
                for raw in type.minRaw...type.maxRaw { records.append((number, raw)) }
                continue
            }
            // Edges of the table's input range in this type's codes, the type's own edges, and random codes.
            let table = function.table
            for boundary in [table.lower, table.upper, 0] {
                let code = type.cast(boundary).raw
                for delta in -2...2 {
                    let (value, overflow) = code.addingReportingOverflow(Int64(delta))
                    if !overflow && value >= type.minRaw && value <= type.maxRaw { records.append((number, value)) }
                }
            }
            for raw in [type.minRaw, type.maxRaw, 0, 1, type.signed ? -1 : 2] { records.append((number, raw)) }
            for _ in 0..<1500 { records.append((number, signExtend(random.next(), as: type))) }
        }

        let (binary, built) = try toolchain.compile(
            name: "table_index_oracle", units: ["table_index_oracle.cpp"],
            files: ["table_index_oracle.hpp": try String(contentsOf: Self.harness, encoding: .utf8),
                    "table_index_oracle.cpp": source])
        let input = records.map { "\($0.function) \($0.raw)\n" }.joined()
        let lines = try toolchain.execute(binary, input: input).split(separator: "\n")
        XCTAssertEqual(lines.count, records.count)

        var mismatches: [String] = []
        var mismatchCount = 0
        for (record, line) in zip(records, lines) {
            let (table, type) = functions[record.function]
            let expected = Int(line) ?? -1
            let actual = table.index(raw: record.raw, fraction: type.fraction)
            if expected != actual {
                mismatchCount += 1
                if mismatches.count < 20 {
                    mismatches.append("\(table.function) size \(table.size) [\(table.lower), \(table.upper)) input \(type) "
                        + "raw \(record.raw): C++ \(expected), Swift \(actual); expr "
                        + table.cppIndexExpression(input: "x", inputType: type))
                }
            }
        }
        XCTAssertEqual(mismatchCount, 0, "mismatches:\n" + mismatches.joined(separator: "\n"))
        print(String(format: "table index oracle: %d inputs over %d (table, input type) pairs; %@ %.1f s",
                     records.count, functions.count, built ? "compiled and ran in" : "ran (cached binary) in",
                     Date().timeIntervalSince(started)))
    }
}
