import XCTest
final class BackendsTestsPlaceholder: XCTestCase { func testNothing() {} }
