import Foundation
import LFADSIR

/// `estimate --flavor hls4ml`: the graph priced as the design stock hls4ml would generate, as text or JSON.
public struct HLS4MLReport: Sendable {
    public let design: HLS4MLDesign
    public let total: HLS4MLModuleCost
    public let layers: [HLS4MLModuleCost]
    public let clockMHz: Double
    public let constants: HLS4MLConstants

    /// `inputBits`: the model-wide default precision's width, which stock hls4ml gives the input (nil: its 16).
    public init(graph: Graph, io: HLS4MLIOType, backend: HLS4MLBackend = .vivado, inputBits: Int? = nil, clockMHz: Double,
                constants: HLS4MLConstants = .fitted) throws {
        design = try HLS4MLFromGraph.design(graph, io: io, backend: backend, inputBits: inputBits)
        (total, layers) = HLS4MLCost.design(design, constants)
        self.clockMHz = clockMHz
        self.constants = constants
    }

    /// Which templates price the products: Latency-strategy Dense layers, Resource for every other product.
    var strategies: String {
        let resource = design.layers.contains { $0.kind.isResourceProduct }
        let latency = design.layers.contains { if case .denseLatency = $0.kind { return true } else { return false } }
        return latency && resource ? "Latency and Resource strategies" : latency ? "Latency strategy" : "Resource strategy"
    }

    var backendName: String { design.backend == .vivado ? "Vivado" : "Vitis" }

    var microseconds: Double { clockMHz > 0 ? Double(total.latency) / clockMHz : 0 }

    public func table() -> String {
        let header = ["layer", "cycles", "DSP", "LUT", "FF", "BRAM18"]
        var rows = [header]
        for l in layers + [total] {
            let r = l.resources(constants)
            rows.append([l.name == total.name ? "total" : l.name, "\(l.latency)", "\(r.dsp)", "\(r.lut)", "\(r.ff)", "\(r.bram18)"])
        }
        var out = "\(design.name) as stock hls4ml (\(strategies), \(design.io.rawValue), \(backendName) backend) at \(Int(clockMHz)) MHz: "
            + String(format: "%d cycles = %.2f µs, interval %d\n", total.latency, microseconds, total.interval)
        let rule = TextTable.rule(rows)
        for (n, line) in TextTable.lines(rows).enumerated() {
            out += line + "\n"
            if n == 0 || n == rows.count - 2 { out += rule + "\n" }
        }
        if total.muxCores > 0 {
            out += "of the LUT, \(total.muxCoreLUT) is \(total.muxCores) mux cores at \(total.muxCoreLUTEach) each: Vivado HLS gives every core the "
                + "figure of the last one it creates (here \(total.lastMuxCore) inputs, 4.1 to 5.5 LUT an input in public reports)\n"
        }
        return out + "these are what HLS's csynth report would say, not synthesis (its LUT can be several times Vivado's)\n"
            + "model and its errors against HLS reports: docs/estimates.md (Pricing stock hls4ml designs)\n"
    }

    public func json() -> String {
        func obj(_ l: HLS4MLModuleCost) -> String {
            let r = l.resources(constants)
            let name = l.name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "{\"name\": \"\(name)\", \"latency_cycles\": \(l.latency), \"interval_cycles\": \(l.interval), \"dsp\": \(r.dsp), "
                + "\"lut\": \(r.lut), \"ff\": \(r.ff), \"bram18\": \(r.bram18)}"
        }
        return "{\"flavor\": \"hls4ml\", \"io_type\": \"\(design.io.rawValue)\", \"backend\": \"\(design.backend.rawValue)\", \"clock_mhz\": \(clockMHz), "
            + String(format: "\"latency_us\": %.4f, ", microseconds)
            + "\"mux_cores\": {\"count\": \(total.muxCores), \"last_core_inputs\": \(total.lastMuxCore), "
            + "\"lut_each\": \(total.muxCoreLUTEach), \"lut\": \(total.muxCoreLUT)}, "
            + "\"total\": \(obj(total)), \"layers\": [\(layers.map(obj).joined(separator: ", "))]}\n"
    }
}
