import XCTest
@testable import LFADSIR

final class OverrideFlagsTests: XCTestCase {
    func testAssignments() throws {
        var o = PrecisionOverrides()
        for flag in ["enc.forward.weight=ap_fixed<12,4>", "enc=fixed<16,5>", "*=ap_fixed<18,8>", "*.accum=ap_fixed<30,12>",
                     "enc.reuse=4", "enc.recurrent_reuse=8", "enc.strategy=Resource", "enc.table_size=512",
                     "*.reuse=2", "*.strategy=latency", "*.table_size=2048", "q.act=ap_fixed<8,2>"] {
            try o.apply(flag: flag)
        }
        XCTAssertEqual(o.layers["enc.forward"]?.precision[.weight]?.description, "ap_fixed<12,4>")
        XCTAssertEqual(o.layers["enc"]?.defaultPrecision?.description, "ap_fixed<16,5>")
        XCTAssertEqual(o.defaultPrecision?.description, "ap_fixed<18,8>")
        XCTAssertEqual(o.fieldDefaults[.accum]?.description, "ap_fixed<30,12>")
        XCTAssertEqual(o.layers["enc"]?.reuse, 4)
        XCTAssertEqual(o.layers["enc"]?.recurrentReuse, 8)
        XCTAssertEqual(o.layers["enc"]?.strategy, .resource)
        XCTAssertEqual(o.layers["enc"]?.tableSize, 512)
        XCTAssertEqual(o.reuse, 2)
        XCTAssertEqual(o.strategy, .latency)
        XCTAssertEqual(o.tableSize, 2048)
        // "act" is not a field name here, so "q.act" is a layer name.
        XCTAssertEqual(o.layers["q.act"]?.defaultPrecision?.description, "ap_fixed<8,2>")
        // Flags win over a configuration file's settings when merged last.
        let file = PrecisionOverrides(reuse: 9, layers: ["enc": LayerOverride(precision: [.weight: try FixedType(parsing: "ap_fixed<8,1>")], reuse: 1)])
        let merged = file.merging(o)
        XCTAssertEqual(merged.layers["enc"]?.reuse, 4)
        XCTAssertEqual(merged.layers["enc"]?.precision[.weight]?.description, "ap_fixed<8,1>")
        XCTAssertEqual(merged.reuse, 2)
    }

    func testErrors() {
        func expect(_ flag: String, _ fragment: String, line: UInt = #line) {
            var o = PrecisionOverrides()
            XCTAssertThrowsError(try o.apply(flag: flag), line: line) { e in
                XCTAssertTrue("\(e)".hasPrefix("<flags>: key '"), "\(e)", line: line)
                XCTAssertTrue("\(e)".contains(fragment), "\(e)", line: line)
            }
        }
        expect("enc.weight", "expected NAME=VALUE")
        expect("=ap_fixed<8,2>", "expected NAME=VALUE")
        expect("enc.weight=", "expected NAME=VALUE")
        expect("enc.weight=ap_fixed<8>", "invalid fixed-point type")
        expect("enc.reuse=x", "expected an integer")
        expect("enc.reuse=0", "outside")
        expect("*.recurrent_reuse=2", "per-layer")
        expect("enc.strategy=quick", "unknown strategy")
        expect("enc.table_size=3", "power of two")
        expect("bad{name=ap_fixed<8,2>", "not a valid layer name")
    }
}
