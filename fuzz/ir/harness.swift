// libFuzzer entry for the IR text parser: the input is IR text (see IRTextFuzzExercise).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    IRTextFuzzExercise.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
