// Reading reports/utilization.json: a well-formed report decodes; every malformed one is a single error that
// names the file.
import Foundation
import XCTest
@testable import Backends

final class SynthesisReportTests: XCTestCase {
    static let sample = """
    {
      "format": 1, "tool": "Yosys 0.23 (git sha1 7ce5011c24b)", "flow": "synth_xilinx -family xcup",
      "device": {"name": "u55c", "part": "xcu55c-fsvh2892-2L-e", "dsp": 9024, "lut": 1303680, "ff": 2607360, "bram18": 4032, "uram": 960},
      "units": [
        {"name": "mul16", "top": "mul16", "instances": 4, "composed": false, "note": "", "cached": true, "yosys_seconds": 5.1,
         "cells": {"DSP48E2": 1, "FDRE": 32},
         "per_instance": {"dsp": 1, "lut": 0, "ff": 32, "carry": 0, "muxf": 0, "bram18": 0, "uram": 0, "lutram": 0, "srl": 0},
         "total": {"dsp": 4, "lut": 0, "ff": 128, "carry": 0, "muxf": 0, "bram18": 0, "uram": 0, "lutram": 0, "srl": 0},
         "expected_dsp": 1, "dsp_check": "pass", "depth": {"levels": 1, "lut_levels": 0, "loop": false}}
      ],
      "totals": {"dsp": 4, "lut": 0, "ff": 128, "carry": 0, "muxf": 0, "bram18": 0, "uram": 0, "lutram": 0, "srl": 0},
      "percent": {"dsp": 0.04, "lut": 0.00, "ff": 0.00, "bram18": 0.00, "uram": 0.00},
      "composed_units": [], "deepest_path": {"unit": "mul16", "levels": 1, "lut_levels": 0},
      "yosys_seconds": 5.1, "dsp_check_failures": []
    }
    """

    func testWellFormedReportDecodes() throws {
        let r = try SynthesisReport.decode(Data(Self.sample.utf8), file: "r.json")
        XCTAssertEqual(r.units.first?.expectedDSP, 1)
        XCTAssertEqual(r.units.first?.cells["FDRE"], 32)
        XCTAssertEqual(r.totals.ff, 128)
        XCTAssertEqual(r.percent["dsp"], 0.04)
        XCTAssertEqual(r.deepestPath?.lutLevels, 0)
        XCTAssertEqual(r.device.bram18, 4032)
    }

    func testMalformedReportsGiveOneErrorNamingTheFile() {
        let cases: [(String, String)] = [
            ("", "malformed JSON"),
            ("{\"format\": 1", "malformed JSON"),
            ("[]", "wrong type"),
            (Self.sample.replacingOccurrences(of: "\"totals\"", with: "\"totalz\""), "missing totals"),
            (Self.sample.replacingOccurrences(of: "\"instances\": 4", with: "\"instances\": \"4\""), "units[0].instances"),
            (Self.sample.replacingOccurrences(of: "\"FDRE\": 32", with: "\"FDRE\": -32"), "negative"),
            (Self.sample.replacingOccurrences(of: "\"instances\": 4", with: "\"instances\": 0"), "instance count 0"),
            (Self.sample.replacingOccurrences(of: "\"format\": 1", with: "\"format\": 2"), "format 2"),
            (Self.sample.replacingOccurrences(of: "\"dsp\": 4,", with: "\"dsp\": 1e300,"), "not a synthesis report"),
        ]
        for (text, fragment) in cases {
            XCTAssertThrowsError(try SynthesisReport.decode(Data(text.utf8), file: "reports/utilization.json")) { e in
                let message = "\(e)"
                XCTAssertTrue(message.hasPrefix("reports/utilization.json: "), message)
                XCTAssertTrue(message.contains(fragment), "\(message) lacks \(fragment)")
                XCTAssertFalse(message.contains("\n"), message)
            }
        }
        XCTAssertThrowsError(try SynthesisReport.load(path: "/nonexistent/utilization.json")) { e in
            XCTAssertTrue("\(e)".hasPrefix("/nonexistent/utilization.json: cannot read"), "\(e)")
        }
    }
}
