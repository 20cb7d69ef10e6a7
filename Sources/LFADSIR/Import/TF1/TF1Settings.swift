import Foundation
import HDF5

/// TF1 LFADS hyperparameters that the weights do not determine. A `write_model_params` file holds only
/// variables, so these come from the importer's defaults (TF1's own defaults, num_steps unset) overridden by
/// a root attribute `hparams` (JSON with TF1's hyperparameter names) when the file has one.
public struct TF1Settings: Sendable, Equatable {
    /// Time steps per trial (TF1 `num_steps`); required.
    public var numSteps: Int?
    /// State clip of every GRU (TF1 `cell_clip_value`).
    public var cellClip: Double
    /// Variance floor of the g0 posterior (TF1 `ic_post_var_min`).
    public var icPostVarMin: Double
    /// Controller-input lag (TF1 `controller_input_lag`).
    public var controllerInputLag: Int

    public init(numSteps: Int? = nil, cellClip: Double = 5.0, icPostVarMin: Double = 0.0001, controllerInputLag: Int = 1) {
        self.numSteps = numSteps
        self.cellClip = cellClip
        self.icPostVarMin = icPostVarMin
        self.controllerInputLag = controllerInputLag
    }

    /// These settings overridden by the file's `hparams` attribute, if any; rejects TF1 options lfadsc does not model.
    func merged(with file: HDF5File, path: String) throws -> TF1Settings {
        func fail(_ m: String) -> IRError { IRError.importFailed("\(path): hparams: \(m)") }
        var s = self
        let attribute: HDF5Attribute?
        do { attribute = try file.root.attribute("hparams") } catch { throw fail("\(error)") }
        if let attribute {
            guard let text = attribute.value.stringValue else { throw fail("root attribute 'hparams' is not a string") }
            let dict: [String: JSONScalar]
            do { dict = try JSONDecoder().decode([String: JSONScalar].self, from: Data(text.utf8)) } catch {
                throw fail("not a valid JSON object")
            }
            func number(_ key: String) throws -> Double? {
                guard let v = dict[key] else { return nil }
                guard case .number(let d) = v, d.isFinite else { throw fail("'\(key)' is not a finite number") }
                return d
            }
            func integer(_ key: String) throws -> Int? {
                guard let d = try number(key) else { return nil }
                guard d == d.rounded(), abs(d) <= Double(TorchHyperparameters.dimensionLimit) else { throw fail("'\(key)' = \(d) is not a valid integer") }
                return Int(d)
            }
            func flag(_ key: String) -> Bool? { if case .bool(let b)? = dict[key] { return b }; return nil }
            func stringValue(_ key: String) -> String? { if case .string(let t)? = dict[key] { return t }; return nil }
            if let v = try integer("num_steps") { s.numSteps = v }
            if let v = try number("cell_clip_value") { s.cellClip = v }
            if let v = try number("ic_post_var_min") { s.icPostVarMin = v }
            if let v = try integer("controller_input_lag") { s.controllerInputLag = v }
            if let d = stringValue("output_dist"), d.lowercased() != "poisson" { throw fail("output_dist '\(d)' is not supported (only poisson)") }
            if flag("do_causal_controller") == true { throw fail("do_causal_controller is not supported") }
            if flag("do_feed_factors_to_controller") == false { throw fail("do_feed_factors_to_controller false is not supported") }
            if let f = stringValue("feedback_factors_or_rates"), f != "factors" { throw fail("feedback of '\(f)' to the controller is not supported") }
            if let e = try integer("ext_input_dim"), e != 0 { throw fail("external inputs (ext_input_dim \(e)) are not supported") }
        }
        guard let steps = s.numSteps else {
            throw fail("num_steps is unknown: give it in the root attribute 'hparams' or in TF1Settings")
        }
        guard steps > 0, steps <= TorchHyperparameters.dimensionLimit else { throw fail("num_steps \(steps) is out of range") }
        guard s.cellClip > 0 else { throw fail("cell_clip_value \(s.cellClip) must be positive") }
        guard s.icPostVarMin >= 0 else { throw fail("ic_post_var_min \(s.icPostVarMin) must not be negative") }
        guard s.controllerInputLag >= 0, s.controllerInputLag < steps else {
            throw fail("controller_input_lag \(s.controllerInputLag) must be in 0..<num_steps")
        }
        return s
    }
}
