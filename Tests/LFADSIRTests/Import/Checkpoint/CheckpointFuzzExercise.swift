// What the checkpoint libFuzzer harness (fuzz/checkpoint) does with one input. Shared, file for file, by the
// harness binary (fuzz/build.sh compiles this file into it) and by CheckpointFuzzRegressionTests, so a committed
// crash input replays under `swift test` exactly as the fuzzer ran it. No XCTest here.
@testable import LFADSIR

enum CheckpointFuzzExercise {
    /// The input is a whole checkpoint file. It is opened as is (CRC-checked), then again with CRC checks off so
    /// that mutations inside data.pkl and the storages reach the pickle machine and the tensor decoder: every
    /// state_dict tensor is decoded, the hyperparameters mapped, and the lfads-torch import run; an import that
    /// succeeds must print IR text that parses back. Returns the IR text when the input imports as a model.
    @discardableResult
    static func run(_ bytes: [UInt8]) -> String? {
        _ = try? TorchCheckpoint(bytes: bytes)
        guard let checkpoint = try? TorchCheckpoint(bytes: bytes, checksCRC: false) else { return nil }
        for name in checkpoint.tensorNames {
            if let t = try? checkpoint.tensor(name) { _ = try? checkpoint.floats(t) }
        }
        _ = try? checkpoint.exportedHyperparameters()
        guard let graph = try? LFADSTorchImporter().importCheckpoint(bytes: bytes, path: "fuzz.ckpt", checksCRC: false) else { return nil }
        let text = IRPrinter.print(graph)
        do { _ = try IRParser.parse(text) } catch {
            fatalError("imported checkpoint does not survive IR text: \(error)")
        }
        return text
    }
}
