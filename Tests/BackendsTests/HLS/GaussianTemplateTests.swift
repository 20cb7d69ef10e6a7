import Foundation
import XCTest
import LFADSIR
@testable import Backends

/// firmware/layers/lfads_gauss.h compiled with g++ against the ap_types headers draws the same raw bits as
/// HardwareGaussian: uniform words, the 16-fraction-bit deviates and their casts to several sample types
/// (truncating, rounding, saturating and wrapping), over many (seed, trial, lane) streams, plus every octave
/// boundary word of the transform.
final class GaussianTemplateTests: XCTestCase {
    static let types: [FixedType] = [
        try! FixedType(width: 16, integer: 6),
        try! FixedType(width: 8, integer: 3, quantization: .rnd, overflow: .sat),
        try! FixedType(width: 6, integer: 2, quantization: .rndConv, overflow: .satSym),
        try! FixedType(width: 12, integer: 2, quantization: .trn, overflow: .wrap),
        try! FixedType(width: 24, integer: 4, quantization: .rndZero, overflow: .sat),
    ]

    static let main = """
    #include <cstdio>
    #include "firmware/lfads_defines.h"
    #include "firmware/layers/lfads_gauss.h"
    \(types.enumerated().map { "typedef \($0.element.description) t\($0.offset);" }.joined(separator: "\n"))
    template <class T> unsigned long long code(const T &v) { return v.range(T::width - 1, 0).to_uint64(); }
    int main(int argc, char **argv) {
        if (argc != 3) return 2;
        FILE *in = fopen(argv[1], "r"), *out = fopen(argv[2], "w");
        if (!in || !out) return 2;
        unsigned long long seed, trial, lane, count;
        while (fscanf(in, "%llu %llu %llu %llu", &seed, &trial, &lane, &count) == 4) {
            if (count == 0) {  // one word through the transform only
                fprintf(out, "%d\\n", lfads_gauss_transform((uint32_t)seed));
                continue;
            }
            lfads_gauss g0, g[\(types.count)];
            lfads_gauss_seed(g0, seed, trial, lane);
            for (unsigned j = 0; j < \(types.count); j++) lfads_gauss_seed(g[j], seed, trial, lane);
            for (unsigned long long i = 0; i < count; i++) {
                const uint32_t w = lfads_gauss_word(g0);
                fprintf(out, "%u %d", w, lfads_gauss_transform(w));
    \(types.indices.map { "            fprintf(out, \" %llu\", code(lfads_gauss_next<t\($0)>(g[\($0)])));" }.joined(separator: "\n"))
                fprintf(out, "\\n");
            }
        }
        fclose(out);
        return 0;
    }
    """

    static let makefile = """
    csim: main.cpp firmware/lfads_defines.h firmware/layers/lfads_gauss.h
    \t$(CXX) -std=c++14 -Wall -Werror -O2 -DNDEBUG -I$(AP_TYPES) main.cpp -o csim

    """

    func testHeaderDrawsTheSimulatorsBits() throws {
        let builder = try CsimBuilder.require()
        let (binary, _) = try builder.build([
            "Makefile": Self.makefile, "main.cpp": Self.main,
            "firmware/lfads_defines.h": CppText.header("lfads_defines.h", LayerTemplates.defines),
            "firmware/layers/lfads_gauss.h": GaussianTemplate.header,
        ])
        var input = "", expected = ""
        var words: [UInt32] = [0, 1, 2, 3, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, 0xFFFF_FFFF]
        for b in 0..<31 { for d: UInt32 in [0, 1, 0x3FFF] { words.append((UInt32(1) << b) &+ d); words.append((UInt32(1) << b) &- 1) } }
        for w in words {
            input += "\(w) 0 0 0\n"
            expected += "\(HardwareGaussian.transform(w))\n"
        }
        var streams = 0, draws = 0
        for seed: UInt64 in [0, 1, 42, 0xDEAD_BEEF_0123_4567, UInt64.max] {
            for trial: UInt64 in [0, 1, 19, 123_456_789_012] {
                for lane: UInt64 in [0, 1, 63, 4095] {
                    let count = 300
                    input += "\(seed) \(trial) \(lane) \(count)\n"
                    var g0 = HardwareGaussian(seed: seed, trial: trial, lane: lane)
                    var g = [HardwareGaussian](repeating: g0, count: Self.types.count)
                    var overflows = 0
                    for _ in 0..<count {
                        let w = g0.nextWord()
                        expected += "\(w) \(HardwareGaussian.transform(w))"
                        for (j, t) in Self.types.enumerated() {
                            let raw = g[j].next(in: t, overflows: &overflows)
                            expected += " \(UInt64(bitPattern: raw) & (UInt64.max >> (64 - t.width)))"
                        }
                        expected += "\n"
                    }
                    streams += 1; draws += count
                }
            }
        }
        let got = try builder.simulate(binary, input: input)
        let gotLines = got.split(separator: "\n", omittingEmptySubsequences: false)
        let wantLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(gotLines.count, wantLines.count)
        if let i = (0..<min(gotLines.count, wantLines.count)).first(where: { gotLines[$0] != wantLines[$0] }) {
            XCTFail("line \(i): C++ '\(gotLines[i])' vs Swift '\(wantLines[i])'")
        }
        XCTAssertEqual(streams * 300, draws)
        if ProcessInfo.processInfo.environment["LFADSC_GAUSS_REPORT"] != nil {
            print("gauss bit-exact: \(streams) streams x 300 draws x \(Self.types.count) types + \(words.count) words")
        }
    }
}
