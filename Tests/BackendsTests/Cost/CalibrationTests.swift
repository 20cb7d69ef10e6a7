import XCTest
import LFADSIR
@testable import Backends

final class CalibrationTests: XCTestCase {
    func relativeError(_ predicted: Double, _ actual: Double) -> Double { (predicted - actual) / actual }

    func testPrintTemplate() throws {
        let g = try TemplateDesign.graph()
        let e = try CostModel(device: .u55c, clockMHz: 300).estimate(g)
        print(e.table())
        let e2 = try CostModel(device: .u55c, clockMHz: 200).estimate(g)
        print(e2.latencyMicroseconds)
    }
}
