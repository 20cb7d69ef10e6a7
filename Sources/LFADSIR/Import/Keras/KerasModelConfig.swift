import Foundation

/// One tensor of the functional graph: output `tensor` of call `node` of `layer` (Keras' history triple).
struct KerasTensorRef: Hashable, CustomStringConvertible {
    let layer: String
    let node: Int
    let tensor: Int
    var description: String { "\(layer)[\(node)][\(tensor)]" }
}

/// One call of a layer: its positional input tensors and the `initial_state` tensors given by keyword.
struct KerasCall {
    var inputs: [KerasTensorRef]
    var initialState: [KerasTensorRef]
}

struct KerasLayerConfig {
    let name: String
    let className: String
    let config: KerasObject
    var calls: [KerasCall]
}

/// The layer graph of a Functional or Sequential model_config, normalised to calls and tensor references.
struct KerasModelConfig {
    let name: String
    let layers: [KerasLayerConfig]
    let inputs: [KerasTensorRef]
    let outputs: [KerasTensorRef]

    static func parse(_ root: KerasObject) throws -> KerasModelConfig {
        let className = try root.string("class_name")
        switch className {
        case "Functional", "Model": return try functional(root)
        case "Sequential": return try sequential(root)
        default: throw root.site.fail("unsupported model class '\(className)' (expected Functional or Sequential)")
        }
    }

    private static func functional(_ root: KerasObject) throws -> KerasModelConfig {
        let config = try root.object("config")
        let name = try config.optionalString("name") ?? "model"
        var layers = [KerasLayerConfig]()
        for (i, any) in try config.array("layers").enumerated() {
            let entry = try KerasObject(any: any, site: config.site.child("layers[\(i)]"))
            let layerConfig = try entry.object("config")
            guard let layerName = try entry.optionalString("name") ?? layerConfig.optionalString("name") else {
                throw entry.site.fail("layer has no name")
            }
            let site = root.site.child(layerName)
            var calls = [KerasCall]()
            for (n, node) in ((entry.raw("inbound_nodes") as? [Any]) ?? []).enumerated() {
                calls.append(try call(node, site: site.child("inbound_nodes[\(n)]")))
            }
            layers.append(KerasLayerConfig(name: layerName, className: try entry.string("class_name"),
                                           config: KerasObject(layerConfig.values, site: site), calls: calls))
        }
        let inputs = try refList(config.raw("input_layers"), site: config.site.child("input_layers"))
        let outputs = try refList(config.raw("output_layers"), site: config.site.child("output_layers"))
        guard !outputs.isEmpty else { throw config.site.fail("model has no output_layers") }
        return KerasModelConfig(name: name, layers: layers, inputs: inputs, outputs: outputs)
    }

    private static func sequential(_ root: KerasObject) throws -> KerasModelConfig {
        let site = root.site.child("config")
        let list: [Any]
        var name = "sequential"
        if let l = root.raw("config") as? [Any] { list = l } else {
            let config = try root.object("config")
            list = try config.array("layers")
            name = try config.optionalString("name") ?? name
        }
        var layers = [KerasLayerConfig]()
        var previous: KerasTensorRef?
        var inputs = [KerasTensorRef]()
        for (i, any) in list.enumerated() {
            let entry = try KerasObject(any: any, site: site.child("layers[\(i)]"))
            let layerConfig = try entry.object("config")
            guard let layerName = try layerConfig.optionalString("name") ?? entry.optionalString("name") else {
                throw entry.site.fail("layer has no name")
            }
            let className = try entry.string("class_name")
            if previous == nil && className != "InputLayer" {
                // Keras builds an implicit input from the first layer's batch_input_shape.
                let shape = layerConfig.raw("batch_input_shape") ?? layerConfig.raw("batch_shape")
                guard let shape else { throw entry.site.fail("first layer of a Sequential model has no batch_input_shape") }
                let inputName = layers.contains { $0.name == "\(layerName)_input" } ? "\(layerName)_input_0" : "\(layerName)_input"
                let inputConfig = KerasObject(["batch_input_shape": shape, "name": inputName], site: root.site.child(inputName))
                layers.append(KerasLayerConfig(name: inputName, className: "InputLayer", config: inputConfig, calls: []))
                let input = KerasTensorRef(layer: inputName, node: 0, tensor: 0)
                previous = input
                inputs.append(input)
            }
            let calls = previous.map { [KerasCall(inputs: [$0], initialState: [])] } ?? []
            if className == "InputLayer" {
                guard previous == nil else { throw entry.site.fail("InputLayer in the middle of a Sequential model") }
                inputs.append(KerasTensorRef(layer: layerName, node: 0, tensor: 0))
            }
            layers.append(KerasLayerConfig(name: layerName, className: className,
                                           config: KerasObject(layerConfig.values, site: root.site.child(layerName)), calls: calls))
            previous = KerasTensorRef(layer: layerName, node: 0, tensor: 0)
        }
        guard let last = previous else { throw site.fail("Sequential model has no layers") }
        return KerasModelConfig(name: name, layers: layers, inputs: inputs, outputs: [last])
    }

    /// One inbound node: Keras 2 `[[name, node, tensor, kwargs], ...]` (extra entries of a recurrent layer are
    /// its initial states) or Keras 3 `{"args": [...], "kwargs": {...}}` with `__keras_tensor__` objects.
    private static func call(_ node: Any, site: KerasSite) throws -> KerasCall {
        if let list = node as? [Any] {
            var result = KerasCall(inputs: [], initialState: [])
            for (i, item) in list.enumerated() {
                guard let entry = item as? [Any], entry.count >= 3 else { throw site.fail("entry \(i) is not [layer, node, tensor, kwargs]") }
                result.inputs.append(try ref(entry, site: site))
                if entry.count >= 4, let kwargs = entry[3] as? [String: Any], let state = kwargs["initial_state"] {
                    result.initialState += try tensors(in: state, site: site)
                }
            }
            return result
        }
        if let dict = node as? [String: Any] {
            let inputs = try tensors(in: dict["args"] ?? [], site: site)
            let kwargs = dict["kwargs"] as? [String: Any] ?? [:]
            let state = try kwargs["initial_state"].map { try tensors(in: $0, site: site) } ?? []
            return KerasCall(inputs: inputs, initialState: state)
        }
        throw site.fail("unrecognised inbound node")
    }

    /// Every tensor reference inside a nested args structure, in order.
    private static func tensors(in any: Any, site: KerasSite) throws -> [KerasTensorRef] {
        if let d = any as? [String: Any] {
            if d["class_name"] as? String == "__keras_tensor__" {
                guard let config = d["config"] as? [String: Any], let history = config["keras_history"] as? [Any] else {
                    throw site.fail("keras tensor without keras_history")
                }
                return [try ref(history, site: site)]
            }
            return []
        }
        if let list = any as? [Any] {
            // A Keras 2 kwargs triple [name, node, tensor] is itself a list.
            if list.count >= 3, list[0] is String, KerasObject.integer(list[1]) != nil { return [try ref(list, site: site)] }
            return try list.flatMap { try tensors(in: $0, site: site) }
        }
        return []
    }

    private static func ref(_ entry: [Any], site: KerasSite) throws -> KerasTensorRef {
        guard entry.count >= 3, let layer = entry[0] as? String,
              let node = KerasObject.integer(entry[1]), let tensor = KerasObject.integer(entry[2]), node >= 0, tensor >= 0 else {
            throw site.fail("bad tensor reference (expected [layer, node, tensor])")
        }
        return KerasTensorRef(layer: layer, node: node, tensor: tensor)
    }

    private static func refList(_ any: Any?, site: KerasSite) throws -> [KerasTensorRef] {
        guard let list = any as? [Any] else { throw site.fail("missing or not a list") }
        if list.first is String { return [try ref(list, site: site)] }
        return try list.map { item in
            guard let entry = item as? [Any] else { throw site.fail("entry is not [layer, node, tensor]") }
            return try ref(entry, site: site)
        }
    }
}
