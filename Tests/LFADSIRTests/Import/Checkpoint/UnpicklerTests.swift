import XCTest
@testable import LFADSIR

final class UnpicklerTests: XCTestCase {
    func load(_ p: PickleBuilder) throws -> (PickleValue, PickleHeap) { try Unpickler.load(p.bytes) }

    func assertFails(_ bytes: [UInt8], _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Unpickler.load(bytes), file: file, line: line) { e in
            XCTAssertTrue("\(e)".contains(fragment), "'\(e)' does not mention '\(fragment)'", file: file, line: line)
        }
    }

    func testScalarsAndContainers() throws {
        var p = PickleBuilder()
        p.emptyDict()
        p.mark()
        p.string("i"); p.int(-7)
        p.string("f"); p.float(0.1)
        p.string("b"); p.bool(true)
        p.string("n"); p.none()
        p.string("big"); p.long1([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        p.string("neg"); p.long1([0x00, 0xFF])
        p.string("l"); p.emptyList(); p.mark(); p.int(1); p.int(2); p.appends()
        p.setItems()
        p.stop()
        let (v, heap) = try load(p)
        let d = try XCTUnwrap(heap.dict(v))
        XCTAssertEqual(d["i"], .int(-7))
        XCTAssertEqual(d["f"], .float(0.1))
        XCTAssertEqual(d["b"], .bool(true))
        XCTAssertEqual(d["n"], PickleValue.none)
        XCTAssertEqual(d["big"], .bigInt)
        XCTAssertEqual(d["neg"], .int(-256))
        XCTAssertEqual(heap.sequence(try XCTUnwrap(d["l"])), [.int(1), .int(2)])
    }

    /// A dict memoized before its items are set is seen complete through the memo (BINGET after SETITEMS).
    func testMemoSharesMutatedContainers() throws {
        var p = PickleBuilder()
        p.mark()
        p.emptyDict(); p.put(0); p.mark(); p.string("k"); p.int(1); p.setItems()
        p.get(0)
        p.tuple()
        p.stop()
        let (v, heap) = try load(p)
        let items = try XCTUnwrap(heap.sequence(v))
        XCTAssertEqual(items.count, 2)
        XCTAssertEqual(items[0], items[1])
        XCTAssertEqual(heap.dict(items[1])?["k"], .int(1))
    }

    /// os.system and friends are recorded by name, never called; the result is an opaque value naming them.
    func testUnknownGlobalsAreNotRun() throws {
        var p = PickleBuilder()
        p.global("os", "system"); p.mark(); p.string("touch /tmp/lfadsc-pwned"); p.tuple(); p.reduce()
        p.stop()
        let (v, heap) = try load(p)
        XCTAssertEqual(heap.describe(v), "os.system(...)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/lfadsc-pwned"))
        // As a whole checkpoint it is refused with that name.
        XCTAssertThrowsError(try TorchCheckpoint(bytes: PickleBuilder.archive(p.bytes))) { e in
            XCTAssertTrue("\(e)".contains("os.system(...)") && "\(e)".contains("whitelist"), "\(e)")
        }
    }

    func testWhitelistedGlobals() throws {
        var p = PickleBuilder()
        p.mark()
        // OrderedDict([("a", 3)]): GLOBAL, (  [ ("a", 3) ]  ), REDUCE.
        p.global("collections", "OrderedDict"); p.mark(); p.mark(); p.mark(); p.string("a"); p.int(3); p.tuple(); p.op(0x6C); p.tuple(); p.reduce()
        p.global("_codecs", "encode"); p.mark(); p.string("\u{1}\u{FF}"); p.string("latin1"); p.tuple(); p.reduce()
        p.global("torch", "Size"); p.mark(); p.intTuple([2, 3]); p.tuple(); p.reduce()
        p.tuple()
        p.stop()
        let (v, heap) = try load(p)
        let items = try XCTUnwrap(heap.sequence(v))
        XCTAssertEqual(heap.dict(items[0])?["a"], .int(3))
        XCTAssertEqual(items[1], .bytes([1, 255]))
        XCTAssertEqual(heap.sequence(items[2]), [.int(2), .int(3)])
    }

    func testTensorFromPersistentStorage() throws {
        var p = PickleBuilder()
        p.tensor(key: "0", numel: 6, offset: 1, shape: [2, 2], stride: [1, 2])
        p.stop()
        let (v, heap) = try load(p)
        guard case .tensor(let t)? = heap.object(v) else { return XCTFail("not a tensor: \(heap.describe(v))") }
        XCTAssertEqual(t.storage, StorageRef(typeName: "torch.FloatStorage", dtype: .float32, key: "0", location: "cpu", count: 6))
        XCTAssertEqual(t.offset, 1)
        XCTAssertEqual(t.shape, [2, 2])
        XCTAssertEqual(t.stride, [1, 2])
    }

    func testMalformedStreamsThrow() {
        assertFails([0x80, 0x02], "no STOP")
        assertFails([0x80, 0x06, 0x4E, 0x2E], "protocol 6")
        assertFails([0x80, 0x02, 0x2E], "underflow")
        assertFails([0x80, 0x02, 0x68, 0x05, 0x2E], "memo entry 5")
        assertFails([0x80, 0x02, 0x58, 0xFF, 0xFF, 0xFF, 0x7F, 0x2E], "length")
        assertFails([0x80, 0x02, 0x7D, 0x4E, 0x73, 0x2E], "underflow")
        assertFails([0x80, 0x02, 0x28, 0x4E, 0x74, 0x4E, 0x61, 0x2E], "APPEND to a tuple")
        assertFails([0x80, 0x02, 0x82, 0x01, 0x2E], "opcode 0x82")  // EXT1: the extension registry is not consulted
        assertFails([0x80, 0x02, 0x75, 0x2E], "MARK")
    }

    func testMalformedTensorArgumentsStayOpaque() throws {
        var p = PickleBuilder()
        p.global("torch._utils", "_rebuild_tensor_v2"); p.mark(); p.string("not a storage"); p.tuple(); p.reduce()
        p.stop()
        let (v, heap) = try load(p)
        XCTAssertEqual(heap.describe(v), "torch._utils._rebuild_tensor_v2 (malformed arguments)(...)")
    }
}
