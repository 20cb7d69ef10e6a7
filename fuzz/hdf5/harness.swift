// libFuzzer entry for the HDF5 reader: the input is a whole file (see HDF5FuzzExercise).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    HDF5FuzzExercise.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
