// Recognises the data-file layouts by dataset names at the root of an HDF5 file:
//   lfads-torch  <split>_encod_data  (+ <split>_recon_data, <split>_ext_input)
//   NLB          <split>_spikes_heldin  (+ <split>_spikes_heldout)
//   LFADS (TF)   <split>_data  (+ <split>_ext_input), split without '_'
// When several layouts or splits are present the choice is deterministic: layouts in the order
// above, splits in `splitPreference` order, then alphabetically.

struct DetectedLayout: Equatable {
    let layout: DataLayout
    let split: String
    let spikes: String

    var recon: String? { layout == .lfadsTorch ? "\(split)_recon_data" : nil }
    var heldout: String? { layout == .nlb ? "\(split)_spikes_heldout" : nil }
    var extInput: String? { layout == .lfadsTorch || layout == .lfadsTF ? "\(split)_ext_input" : nil }
}

enum HDF5LayoutDetection {
    static let splitPreference = ["valid", "eval", "val", "test", "train"]
    static let layoutOrder: [DataLayout] = [.lfadsTorch, .nlb, .lfadsTF]

    /// Interprets one dataset name as a layout's spike dataset, if it is one.
    static func classify(_ name: String) -> DetectedLayout? {
        func split(_ suffix: String) -> String? {
            guard name.hasSuffix(suffix), name.count > suffix.count else { return nil }
            return String(name.dropLast(suffix.count))
        }
        if let s = split("_encod_data") { return DetectedLayout(layout: .lfadsTorch, split: s, spikes: name) }
        if let s = split("_spikes_heldin") { return DetectedLayout(layout: .nlb, split: s, spikes: name) }
        if let s = split("_data"), !s.contains("_") { return DetectedLayout(layout: .lfadsTF, split: s, spikes: name) }
        return nil
    }

    /// All layout/split candidates among `names`, best first.
    static func candidates(_ names: [String]) -> [DetectedLayout] {
        names.compactMap(classify).sorted { a, b in
            let la = layoutOrder.firstIndex(of: a.layout) ?? 99, lb = layoutOrder.firstIndex(of: b.layout) ?? 99
            if la != lb { return la < lb }
            let sa = splitPreference.firstIndex(of: a.split) ?? 99, sb = splitPreference.firstIndex(of: b.split) ?? 99
            if sa != sb { return sa < sb }
            return a.split < b.split
        }
    }

    /// The layout to read: `key` may name a dataset (any path) or a split; nil picks the default.
    static func choose(names: [String], key: String?, isDataset: (String) -> Bool, file: String) throws -> DetectedLayout {
        let all = candidates(names)
        let listing = names.sorted().joined(separator: ", ")
        guard let key else {
            guard let best = all.first else {
                throw DataIOError(file: file, message: "no known spike dataset (lfads-torch <split>_encod_data, NLB <split>_spikes_heldin, LFADS <split>_data); datasets: \(listing); name one with --dataset")
            }
            return best
        }
        if isDataset(key) {
            let base = String(key.split(separator: "/").last ?? Substring(key))
            if base == key.trimmingSlashes, let known = classify(base) { return known }
            let split = splitPreference.first { base.hasPrefix($0 + "_") } ?? ""
            return DetectedLayout(layout: .explicitDataset, split: split, spikes: key)
        }
        if let match = all.first(where: { $0.split == key }) { return match }
        let splits = Set(all.map(\.split)).sorted().joined(separator: ", ")
        throw DataIOError(file: file, message: "'\(key)' is neither a dataset nor a split of this file (splits: \(splits.isEmpty ? "none" : splits); datasets: \(listing))")
    }
}

extension String {
    var trimmingSlashes: String {
        String(drop { $0 == "/" }.reversed().drop { $0 == "/" }.reversed())
    }
}
