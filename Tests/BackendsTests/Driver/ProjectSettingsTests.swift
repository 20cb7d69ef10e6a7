import Foundation
import LFADSIR
import XCTest
@testable import Backends

/// Which reuse choice a configuration resolves to, and how flags replace what lfadsc.json says about reuse.
final class ProjectSettingsTests: XCTestCase {
    func choice(_ json: String, _ flags: SettingsFlags = SettingsFlags(), set: [String] = []) throws -> ReuseChoice {
        var config = try ProjectConfig(json: Data(json.utf8), file: "lfadsc.json")
        try ProjectSettings.apply(flags, to: &config)
        var overrides = config.overrides
        for s in set { try overrides.apply(flag: s, source: "--set") }
        return CompilePipeline.reuseChoice(config: config, overrides: overrides)
    }

    /// Nothing said: the reuse pass fits the design within 80 %; configured factors anywhere are kept.
    func testDefaultIsTheReusePassUnlessReuseIsConfigured() throws {
        XCTAssertEqual(try choice("{}"), .auto(maxUtilization: 0.8))
        XCTAssertEqual(try choice(#"{"max_utilization": 0.5}"#), .auto(maxUtilization: 0.5))
        XCTAssertEqual(try choice(#"{"reuse": 4}"#), .configured)
        XCTAssertEqual(try choice(#"{"layers": {"enc": {"recurrent_reuse": 2}}}"#), .configured)
        XCTAssertEqual(try choice("{}", set: ["dec.reuse=4"]), .configured)
        XCTAssertEqual(try choice(#"{"reuse": "auto", "layers": {"enc": {"reuse": 2}}}"#), .auto(maxUtilization: 0.8))
        XCTAssertEqual(try choice(#"{"reuse": "auto", "latency_target_us": 5}"#), .latency(microseconds: 5, maxUtilization: 0.8))
        XCTAssertEqual(CompilePipeline.defaultStrategy, .lfads)
    }

    /// A reuse flag replaces the file's reuse setting either way; a latency-target flag beats both.
    func testFlagsWinOverTheFile() throws {
        XCTAssertEqual(try choice(#"{"reuse": "auto"}"#, SettingsFlags(reuse: .factor(3))), .configured)
        XCTAssertEqual(try choice(#"{"reuse": 3}"#, SettingsFlags(reuse: .auto)), .auto(maxUtilization: 0.8))
        XCTAssertEqual(try choice(#"{"latency_target_us": 5}"#, SettingsFlags(reuse: .factor(2))), .configured)
        XCTAssertEqual(try choice(#"{"reuse": 3}"#, SettingsFlags(maxUtilization: 0.6, latencyTargetMicroseconds: 9)),
                       .latency(microseconds: 9, maxUtilization: 0.6))
        var config = ProjectConfig()
        try ProjectSettings.apply(SettingsFlags(reuse: .factor(3)), to: &config)
        try ProjectSettings.apply(SettingsFlags(reuse: .auto), to: &config)
        XCTAssertNil(config.overrides.reuse)
        XCTAssertThrowsError(try ProjectSettings.apply(SettingsFlags(maxUtilization: 1.5), to: &config)) {
            XCTAssertTrue("\($0)".hasPrefix("--max-utilization: utilisation 1.5"), "\($0)")
        }
        XCTAssertEqual(ReuseSetting("auto"), .auto)
        XCTAssertEqual(ReuseSetting("12"), .factor(12))
        for bad in ["0", "-1", "Auto", "", "9223372036854775808", "\(1 << 21)"] { XCTAssertNil(ReuseSetting(bad), bad) }
    }
}
