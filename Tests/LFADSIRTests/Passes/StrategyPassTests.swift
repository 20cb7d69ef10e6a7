import XCTest
@testable import LFADSIR

/// Strategies and reuse factors from the configuration (the quantize pass leaves them alone).
final class StrategyPassTests: XCTestCase {
    typealias G = QuantizeTestGraphs

    func overrides() -> PrecisionOverrides {
        var o = PrecisionOverrides(strategy: .resource, reuse: 2)
        o.layers["enc"] = LayerOverride(strategy: .latency, reuse: 4)
        o.layers["enc.backward"] = LayerOverride(recurrentReuse: 8)
        o.layers["dec.factors"] = LayerOverride(reuse: 1)
        return o
    }

    func testImplementationFromConfig() throws {
        let o = overrides()
        // The same overrides serve both graphs, so each names parts the other lacks.
        let g = try StrategyPass(overrides: o).run(try G.lfads())
        guard case .gru(let enc)? = g.node(named: "enc")?.op else { return XCTFail() }
        XCTAssertEqual(enc.implementation, Implementation(strategy: .latency, reuse: 4, recurrentReuse: 4))
        guard case .decoder(let dec)? = g.node(named: "dec")?.op else { return XCTFail() }
        XCTAssertEqual(dec.implementation?.generator, Implementation(strategy: .resource, reuse: 2, recurrentReuse: 2))
        XCTAssertEqual(dec.implementation?.controller, Implementation(strategy: .resource, reuse: 2, recurrentReuse: 2))
        XCTAssertEqual(dec.factors.implementation, Implementation(strategy: .resource, reuse: 1, recurrentReuse: 1))
        let ae = try StrategyPass(overrides: o).run(try G.autoencoder())
        guard case .bidirectionalGRU(let b)? = ae.node(named: "enc")?.op else { return XCTFail() }
        XCTAssertEqual(b.backward.implementation, Implementation(strategy: .latency, reuse: 4, recurrentReuse: 8))
        XCTAssertEqual(b.forward.implementation, Implementation(strategy: .latency, reuse: 4, recurrentReuse: 4))
    }

    /// A default (the pipeline always gives one) replaces the configured model-wide strategy but not a part's
    /// own; a per-layer strategy of the pass replaces both. Reuse factors stay.
    func testStrategyReplacesConfiguredStrategyKeepsReuse() throws {
        let g = try StrategyPass(default: .lfads, perLayer: ["rates": .latency], overrides: overrides()).run(try G.lfads())
        guard case .gru(let enc)? = g.node(named: "enc")?.op, case .decoder(let dec)? = g.node(named: "dec")?.op,
              case .dense(let rates)? = g.node(named: "rates")?.op else { return XCTFail() }
        XCTAssertEqual(enc.implementation, Implementation(strategy: .latency, reuse: 4, recurrentReuse: 4))
        XCTAssertEqual(dec.factors.implementation, Implementation(strategy: .lfads, reuse: 1, recurrentReuse: 1))
        XCTAssertEqual(rates.implementation, Implementation(strategy: .latency, reuse: 2, recurrentReuse: 2))
        let forced = try StrategyPass(default: .lfads, perLayer: ["enc": .resource], overrides: overrides()).run(try G.lfads())
        guard case .gru(let enc2)? = forced.node(named: "enc")?.op else { return XCTFail() }
        XCTAssertEqual(enc2.implementation, Implementation(strategy: .resource, reuse: 4, recurrentReuse: 4))
    }

    /// A part's own strategy survives the pipeline's default, part by part: one decoder part, one GRU direction.
    func testPartStrategiesSurviveTheDefault() throws {
        var o = PrecisionOverrides()
        o.layers["dec.controller"] = LayerOverride(strategy: .resource)
        o.layers["enc.backward"] = LayerOverride(strategy: .lfads)
        let g = try StrategyPass(default: .latency, overrides: o).run(try G.lfads())
        guard case .decoder(let dec)? = g.node(named: "dec")?.op else { return XCTFail() }
        XCTAssertEqual(dec.implementation, DecoderImplementation(generator: Implementation(strategy: .latency),
                                                                 controller: Implementation(strategy: .resource)))
        XCTAssertEqual(dec.factors.implementation, Implementation(strategy: .latency))
        let ae = try StrategyPass(default: .latency, overrides: o).run(try G.autoencoder())
        guard case .bidirectionalGRU(let b)? = ae.node(named: "enc")?.op else { return XCTFail() }
        XCTAssertEqual(b.forward.implementation, Implementation(strategy: .latency))
        XCTAssertEqual(b.backward.implementation, Implementation(strategy: .lfads))
    }

    /// The precision table's implementation rows: one per configured part, in graph order.
    func testConfiguredImplementationsAreListed() throws {
        var o = PrecisionOverrides()
        o.layers["dec.controller"] = LayerOverride(reuse: 3)
        o.layers["enc"] = LayerOverride(strategy: .resource)
        let rows = StrategyPass(overrides: o).configuredImplementations(try G.lfads())
        XCTAssertEqual(rows.map(\.layer), ["enc", "dec.controller"])
        XCTAssertTrue(rows.allSatisfy { $0.source == .override })
        // A configured controller alone still gives the decoder a generator implementation.
        let g = try StrategyPass(overrides: o).run(try G.lfads())
        guard case .decoder(let dec)? = g.node(named: "dec")?.op else { return XCTFail() }
        XCTAssertEqual(dec.implementation, DecoderImplementation(generator: Implementation(strategy: .latency),
                                                                 controller: Implementation(strategy: .latency, reuse: 3, recurrentReuse: 3)))
    }
}
