// libFuzzer entry for inflate: a mode byte, then a zlib or raw deflate stream (see InflateFuzzExercise).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    InflateFuzzExercise.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
