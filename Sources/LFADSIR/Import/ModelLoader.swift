import Foundation
import HDF5

/// Opens a model file of any supported format: IR text (`.lfadsir`), a PyTorch/Lightning checkpoint (a zip
/// archive, read as lfads-torch), or an HDF5 export recognised by one of the registered importers (or the one
/// named by `--format`).
public enum ModelLoader {
    public static let importers: [any ModelImporter] = [KerasImporter(), LFADSTF1Importer(), LFADSTorchImporter()]

    public static var formatNames: [String] { importers.map(\.formatName) + ["ir"] }

    /// `reconstruction` names an lfads-torch model's reconstruction distribution (TorchReconstruction) when the
    /// file cannot say it; it is refused for other formats.
    public static func load(path: String, format: String? = nil, reconstruction: String? = nil) throws -> Graph {
        if let format, !formatNames.contains(format) {
            throw IRError.importFailed("\(path): unknown format '\(format)' (known: \(formatNames.joined(separator: ", ")))")
        }
        if format == "ir" || (format == nil && path.hasSuffix(".lfadsir")) {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw IRError.importFailed("\(path): cannot read IR text (\(error.localizedDescription))")
            }
            return try IRParser.parse(text, source: path)
        }
        let head = leadingBytes(path)
        if ZipArchive.isZip(head) || TorchCheckpoint.isLegacyTorchFile(head) {
            guard format == nil || format == "lfads-torch" else {
                throw IRError.importFailed("\(path): a PyTorch checkpoint (zip archive); --format \(format ?? "") reads HDF5 files, only lfads-torch reads checkpoints")
            }
            return try LFADSTorchImporter(reconstruction: reconstruction).importCheckpoint(path: path)
        }
        let file = try HDF5File(path: path)
        let chosen: any ModelImporter
        if let format, let importer = importers.first(where: { $0.formatName == format }) {
            chosen = importer
        } else {
            guard let importer = importers.first(where: { $0.recognizes(file) }) else {
                throw IRError.importFailed("\(path): not a recognised model export (tried \(importers.map(\.formatName).joined(separator: ", ")); use --format to force one)")
            }
            chosen = importer
        }
        if chosen is LFADSTorchImporter {
            return try LFADSTorchImporter(reconstruction: reconstruction).importGraph(from: file, path: path)
        }
        if let reconstruction {
            throw IRError.importFailed("\(path): reconstruction '\(reconstruction)' is given, but only lfads-torch models take one (this is a \(chosen.formatName) model)")
        }
        return try chosen.importGraph(from: file, path: path)
    }

    /// The first bytes of a file, or none when it cannot be read (the HDF5 reader then reports why).
    private static func leadingBytes(_ path: String) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: 16)) ?? Data())
    }
}
