// The proof: ≥ 100,000 random casts, products, sums, differences and double conversions, each computed by the
// real ap_fixed headers (g++ C simulation) and by FixedType, must agree bit for bit.
import Foundation
import XCTest
@testable import LFADSIR

final class ApFixedOracleTests: XCTestCase {
    static let oracleSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Oracle/ap_fixed_oracle.hpp")

    func testFixedTypeMatchesApFixedHeadersBitForBit() throws {
        let toolchain = try CxxToolchain.require()
        let started = Date()
        var generator = OracleCaseGenerator(seed: 0x00FA_D5C0_F1CE_D001)
        let suite = generator.makeSuite()
        XCTAssertGreaterThanOrEqual(suite.records.count, 100_000)

        // Two translation units of instantiations (compiled side by side) and a small main.
        let parts = 2
        var files = ["ap_fixed_oracle.hpp": try String(contentsOf: Self.oracleSource, encoding: .utf8)]
        var main = "#include \"ap_fixed_oracle.hpp\"\n#include <vector>\n\n"
        var gather = ""
        for part in 0..<parts {
            let entries = suite.operations.indices.filter { $0 % parts == part }.map { index in
                "  &\(suite.operations[index].cppEntry),  // \(index)"
            }
            files["oracle_part\(part).cpp"] = "#include \"ap_fixed_oracle.hpp\"\n\nextern const Operation kPart\(part)[] = {\n"
                + entries.joined(separator: "\n") + "\n};\n"
            main += "extern const Operation kPart\(part)[];\n"
            gather += "  for (long long i = 0; i < \(entries.count); ++i) all[i * \(parts) + \(part)] = kPart\(part)[i];\n"
        }
        main += "\nint main() {\n  std::vector<Operation> all(\(suite.operations.count));\n" + gather
            + "  return run_oracle(all.data(), (long long)all.size());\n}\n"
        files["oracle_main.cpp"] = main
        let compileStart = Date()
        let (binary, built) = try toolchain.compile(
            name: "ap_fixed_oracle", units: (0..<parts).map { "oracle_part\($0).cpp" } + ["oracle_main.cpp"], files: files,
            // NDEBUG: the headers assert on reading the "first dropped bit" even when it lies above the source's
            // MSB (a cast that drops more bits than the source has, under a rounding mode) although that bit is
            // then unused; see docs/fixed-point.md.
            flags: ["-std=c++14", "-O0", "-w", "-DNDEBUG"])
        let compileSeconds = Date().timeIntervalSince(compileStart)

        var input = ""
        input.reserveCapacity(suite.records.count * 32)
        for record in suite.records { input += "\(record.operation) \(record.a) \(record.b)\n" }
        let runStart = Date()
        let output = try toolchain.execute(binary, input: input)
        let runSeconds = Date().timeIntervalSince(runStart)
        let lines = output.split(separator: "\n")
        XCTAssertEqual(lines.count, suite.records.count, "oracle answered a different number of records")

        var mismatches: [String] = []
        var mismatchCount = 0
        var perKind: [String: Int] = [:]
        var overflowed = 0
        for (record, line) in zip(suite.records, lines) {
            let operation = suite.operations[record.operation]
            perKind[String(operation.label.prefix(while: { $0 != " " })), default: 0] += 1
            guard let bits = UInt64(line) else {
                XCTFail("unreadable oracle output '\(line)'")
                return
            }
            let expected = signExtend(bits, as: operation.target)
            let (actual, didOverflow) = operation.swiftResult(record.a, record.b)
            if didOverflow { overflowed += 1 }
            if let viaQuantizer = operation.quantizerResult(record.a, record.b), viaQuantizer != expected {
                mismatchCount += 1
                if mismatches.count < 25 {
                    mismatches.append("Quantizer: \(operation.label) a=\(record.a) b=\(record.b): header \(expected), swift \(viaQuantizer)")
                }
            }
            if actual != expected {
                mismatchCount += 1
                if mismatches.count < 25 {
                    mismatches.append("\(operation.label) a=\(record.a) b=\(record.b): header \(expected), swift \(actual)")
                }
            }
        }
        XCTAssertEqual(mismatchCount, 0, "mismatches:\n" + mismatches.joined(separator: "\n"))
        let total = Date().timeIntervalSince(started)
        print(String(format: "ap_fixed oracle: %d records (%@; %d overflowed) over %d instantiations; compile %.1f s%@, run %.2f s, total %.1f s",
                     suite.records.count,
                     perKind.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", "),
                     overflowed, suite.operations.count, compileSeconds, built ? "" : " (cached)", runSeconds, total))
    }
}
