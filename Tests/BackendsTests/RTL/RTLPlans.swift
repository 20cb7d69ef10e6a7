// Hardware plans of real models for the RTL numerics tests: lorenz_nocon and the published template, lowered
// through the default pipeline with the lfads strategy (as ScheduleReadbackTests does), so the types, reuse and
// spike-count widths are the ones the RTL backend will meet.
import Foundation
import XCTest
@testable import Backends
import LFADSIR

enum RTLPlans {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// (label, plan) of lorenz_nocon and, when the shared peer copy exists, the template.
    static func plans() throws -> [(String, HardwarePlan)] {
        var paths = [root.appendingPathComponent("examples/lorenz/models/lorenz_nocon.h5").path]
        let template = root.deletingLastPathComponent().appendingPathComponent("shared/peers/lfads-fpga-template/keras_model.h5").path
        if FileManager.default.fileExists(atPath: template) { paths.append(template) }
        return try paths.map { path in
            var config = ProjectConfig()
            config.overrides.strategy = .lfads
            let result = try CompilePipeline.run(try ModelLoader.load(path: path), config: config,
                                                 reuse: .auto(maxUtilization: 0.8), estimate: false)
            return (URL(fileURLWithPath: path).lastPathComponent, try HardwarePlan(graph: result.graph))
        }
    }

    /// Every GRU of a plan (encoders, the decoder's generator and controller) with its input tensor's type and
    /// its spike-count width (nil when its input is not the graph's first input).
    static func grus(_ plan: HardwarePlan) -> [(GRUStage, FixedType, Int?)] {
        var out = [(GRUStage, FixedType, Int?)]()
        for stage in plan.stages {
            switch stage {
            case .gru(let g): out.append((g, plan.tensors[g.input].type, plan.countBits(g.input)))
            case .decoder(let d):
                out.append((d.generator, d.generatorInputType, nil))
                if let c = d.controller { out.append((c, d.factors.function.output, nil)) }
            default: break
            }
        }
        return out
    }
}

/// One matrix–vector product of a plan as the simulator runs it: the matrix, its input and accumulator types,
/// and the spike-count width when its input holds counts.
struct PlanMatrix {
    var label: String
    var matrix: QuantizedMatrix
    var input: FixedType
    var accum: FixedType
    var countBits: Int?
}

extension RTLPlans {
    static func matrices(_ plan: HardwarePlan) -> [PlanMatrix] {
        var out = [PlanMatrix]()
        func gru(_ g: GRUStage, _ input: FixedType, _ counts: Int?) {
            out.append(PlanMatrix(label: g.name + ".x", matrix: g.kernel, input: input, accum: g.accum, countBits: counts))
            out.append(PlanMatrix(label: g.name + ".zr", matrix: g.recurrentZR, input: g.state, accum: g.accum))
            out.append(PlanMatrix(label: g.name + ".hh", matrix: g.recurrentH, input: g.state, accum: g.accum))
        }
        for stage in plan.stages {
            switch stage {
            case .dense(let d):
                out.append(PlanMatrix(label: d.name, matrix: d.matrix, input: plan.tensors[d.input].type, accum: d.accum,
                                      countBits: plan.countBits(d.input)))
            case .gru(let g): gru(g, plan.tensors[g.input].type, plan.countBits(g.input))
            case .decoder(let d):
                gru(d.generator, d.generatorInputType, nil)
                out.append(PlanMatrix(label: d.factors.name, matrix: d.factors.matrix, input: d.generator.state, accum: d.factors.accum))
                if let c = d.controller { gru(c, d.factors.function.output, nil) }
                if let m = d.coMean, let c = d.controller {
                    out.append(PlanMatrix(label: m.name, matrix: m.matrix, input: c.state, accum: m.accum))
                }
            default: break
            }
        }
        return out
    }
}
