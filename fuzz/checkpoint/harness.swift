// libFuzzer entry for the checkpoint reader: the input is a whole .ckpt file (see CheckpointFuzzExercise).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    CheckpointFuzzExercise.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
