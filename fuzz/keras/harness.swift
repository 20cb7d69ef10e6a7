// libFuzzer entry for the Keras importer's model_config path: the input is the JSON text (see KerasConfigFuzzExercise).
// With FUZZ_IR_SEED_DIR set (fuzz/seeds.sh does, running the Keras seeds once), the IR text of every config that
// imports is written there, together with the IR text of the lfads-torch example models: seeds for fuzz-ir.
import Foundation
import HDF5
@testable import LFADSIR

private let irSeedDirectory = ProcessInfo.processInfo.environment["FUZZ_IR_SEED_DIR"]

private func writeSeed(_ text: String, _ name: String) {
    guard let dir = irSeedDirectory else { return }
    try? text.write(toFile: "\(dir)/\(name).lir", atomically: true, encoding: .utf8)
}

/// Example models given in FUZZ_IR_SEED_MODELS (colon-separated HDF5 paths), imported once.
private let exampleSeeds: Void = {
    guard irSeedDirectory != nil, let list = ProcessInfo.processInfo.environment["FUZZ_IR_SEED_MODELS"] else { return }
    let importers: [any ModelImporter] = [LFADSTorchImporter(), KerasImporter()]
    for path in list.split(separator: ":").map(String.init) {
        guard let file = try? HDF5File(path: path),
              let importer = importers.first(where: { $0.recognizes(file) }),
              let graph = try? importer.importGraph(from: file, path: path) else { continue }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        writeSeed(IRPrinter.print(graph), stem)
        writeSeed(IRPrinter.print(graph, weights: .summary), stem + "-summary")
    }
}()

/// Stable file names for the written seeds (Hasher is seeded per process).
private func fnv1a(_ bytes: [UInt8]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return String(h, radix: 16)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if irSeedDirectory != nil {
        _ = exampleSeeds
        if let text = KerasConfigFuzzExercise.run(bytes) { writeSeed(text, "keras-\(fnv1a(bytes))") }
        return 0
    }
    KerasConfigFuzzExercise.run(bytes)
    return 0
}
