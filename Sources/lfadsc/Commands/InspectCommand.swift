import HDF5

/// `lfadsc inspect FILE.h5`: the h5ls-like tree users need to see what a weights or data file holds.
enum InspectCommand {
    static let spec = CommandSpec(
        name: "inspect",
        summary: "Show every group, dataset and attribute of an HDF5 file.",
        discussion: "Datasets are listed with shape, type, layout, chunk shape and filters; attributes with their value when short.",
        arguments: [ArgumentSpec(name: "FILE", help: "The HDF5 file to describe.")],
        options: [.flag("json", help: "Print a JSON document instead of the tree.")],
        examples: ["lfadsc inspect examples/lorenz/models/lorenz_con.h5", "lfadsc inspect data.h5 --json"])

    static let command = Command(spec: spec) { args, console in
        let path = args.positionals[0]
        let file = try HDF5File(path: path)
        console.out(args.flag("json") ? try HDF5Inspector.json(file) : try HDF5Inspector.text(file))
    }
}
