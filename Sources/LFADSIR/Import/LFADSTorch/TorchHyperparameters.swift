import Foundation
import HDF5

/// The constructor hyperparameters of an lfads-torch model, from the root attribute `hparams` (JSON).
struct TorchHyperparameters {
    var encodDataDim = 0, encodSeqLen = 0, reconSeqLen = 0, extInputDim = 0, icEncSeqLen = 0
    var icEncDim = 0, ciEncDim = 0, ciLag = 0, conDim = 0, coDim = 0, icDim = 0, genDim = 0, facDim = 0
    var cellClip = 0.0
    var icPostVarMin = 0.0
    var numSessions = 1
    var reconstruction = "unknown"

    var usesController: Bool { ciEncDim > 0 && conDim > 0 && coDim > 0 }

    /// Largest dimension accepted, so that products of sizes cannot overflow.
    static let dimensionLimit = 1 << 20

    /// Empty; an architecture spec fills in the sizes.
    init() {}

    init(file: HDF5File, path: String) throws {
        func fail(_ m: String) -> IRError { IRError.importFailed("\(path): hparams: \(m)") }
        let attribute: HDF5Attribute?
        do { attribute = try file.root.attribute("hparams") } catch { throw fail("\(error)") }
        guard let text = attribute?.value.stringValue else { throw fail("missing root string attribute 'hparams'") }
        let dict: [String: JSONScalar]
        do { dict = try JSONDecoder().decode([String: JSONScalar].self, from: Data(text.utf8)) } catch {
            throw fail("not a valid JSON object")
        }
        try self.init(dict, path: path, source: "hparams")
    }

    /// From hyperparameter values already decoded (`source` names where they came from in messages).
    init(_ dict: [String: JSONScalar], path: String, source: String) throws {
        func fail(_ m: String) -> IRError { IRError.importFailed("\(path): \(source): \(m)") }

        func number(_ key: String) throws -> Double {
            guard let raw = dict[key] else { throw fail("missing '\(key)'") }
            guard case .number(let v) = raw else { throw fail("'\(key)' is not a number") }
            guard v.isFinite else { throw fail("'\(key)' is not finite") }
            return v
        }
        func dimension(_ key: String, allowNegative: Bool = false) throws -> Int {
            let v = try number(key)
            let limit = Double(Self.dimensionLimit)
            guard v == v.rounded(), v <= limit, v >= (allowNegative ? -limit : 0) else {
                throw fail("'\(key)' = \(v) is not an integer in 0...\(Self.dimensionLimit)")
            }
            return Int(v)
        }
        encodDataDim = try dimension("encod_data_dim")
        encodSeqLen = try dimension("encod_seq_len")
        reconSeqLen = try dimension("recon_seq_len")
        extInputDim = try dimension("ext_input_dim")
        icEncSeqLen = try dimension("ic_enc_seq_len")
        icEncDim = try dimension("ic_enc_dim")
        ciEncDim = try dimension("ci_enc_dim")
        ciLag = try dimension("ci_lag")
        conDim = try dimension("con_dim")
        coDim = try dimension("co_dim")
        icDim = try dimension("ic_dim")
        genDim = try dimension("gen_dim")
        facDim = try dimension("fac_dim")
        cellClip = try number("cell_clip")
        icPostVarMin = try number("ic_post_var_min")
        if dict["num_sessions"] != nil { numSessions = try dimension("num_sessions") }
        if case .string(let r)? = dict["reconstruction"] { reconstruction = r }
        guard cellClip > 0 else { throw fail("'cell_clip' = \(cellClip) must be positive") }
        guard icPostVarMin >= 0 else { throw fail("'ic_post_var_min' = \(icPostVarMin) must not be negative") }
        for (k, v) in [("encod_data_dim", encodDataDim), ("encod_seq_len", encodSeqLen), ("ic_enc_dim", icEncDim), ("ic_dim", icDim), ("gen_dim", genDim), ("fac_dim", facDim)] where v == 0 {
            throw fail("'\(k)' must be positive")
        }
    }
}

/// A JSON value as far as the hyperparameters need it (numbers and strings; anything else is kept opaque).
enum JSONScalar: Decodable {
    case number(Double), bool(Bool), string(String), other

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Double.self) { self = .number(v) }
        else if let v = try? c.decode(Bool.self) { self = .bool(v) }
        else if let v = try? c.decode(String.self) { self = .string(v) }
        else { self = .other }
    }
}
