import XCTest
final class LFADSIRTestsPlaceholder: XCTestCase { func testNothing() {} }
