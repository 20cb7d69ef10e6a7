import HDF5

/// A reader of one exported-weights format. Importers plug in behind this protocol so the CLI can
/// auto-detect the format of a file (`lfadsc compile MODEL.h5`) or take it from `--format NAME`.
public protocol ModelImporter: Sendable {
    /// Short name used by `--format` and in messages (`keras`, `lfads-torch`, `lfads-tf1`).
    var formatName: String { get }
    /// True when the file's layout identifies this format (cheap: attribute and group names only).
    func recognizes(_ file: HDF5File) -> Bool
    /// Builds the IR. Throws an error naming the file and the offending tensor or layer.
    func importGraph(from file: HDF5File, path: String) throws -> Graph
}
