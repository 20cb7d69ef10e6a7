import XCTest
final class lfadscTestsPlaceholder: XCTestCase { func testNothing() {} }
