/// The `synth/` folder of an RTL project: one Yosys script per plan unit, a cache-aware runner, a Tcl
/// aggregator and `synth/synth.mk`, which the project Makefile includes to get `make synth` (run it from the
/// project root, with `-j N` to synthesise N units at once). The result is `reports/utilization.json`.
/// Running it needs only Yosys (built with Tcl, as Debian's is), `make` and POSIX `sh`, `cksum`, `cmp`.
public enum SynthesisFlow {
    /// Options every unit is synthesised with: the design is flattened inside a unit (cells are counted
    /// once, at the top) and, being out of context, gets no I/O or clock buffers.
    // -nowidelut: Yosys maps wide cones to LUT7/LUT8 (MUXF7–F9 trees), which costs 1.5× the LUTs of plain LUT6 mapping on
    // our sums (measured: a spike-count lane 2,178 LUT + 928 MUXF against 1,447 LUT); -abc9: the timing-driven mapper
    // (1,248 LUT on that lane).
    public static let synthOptions = "-family xcup -flatten -noiopad -noclkbuf -nowidelut -abc9"

    /// The flow's files by path relative to the project root. Throws on an invalid plan.
    public static func files(plan: SynthesisPlan, device: Device = .u55c) throws -> [String: String] {
        try plan.validate()
        var files: [String: String] = [
            "synth/synth.mk": makefile(plan),
            "synth/plan.tcl": planTcl(plan, device: device),
            "synth/unit.sh": SynthesisScripts.unitShell,
            "synth/run_unit.tcl": SynthesisScripts.runUnitTcl,
            "synth/aggregate.tcl": SynthesisAggregator.tcl,
        ]
        for u in plan.units {
            files["synth/units/\(u.name).ys"] = yosysScript(u)
            files["synth/units/\(u.name).files"] = (u.sources + u.dataFiles).map { $0 + "\n" }.joined()
        }
        return files
    }

    /// Reads the sources deferred, so the parameter overrides are in place before anything (`$readmemh`
    /// included) is elaborated. All overrides go in one `chparam`: on a deferred module each `chparam`
    /// elaborates it, so a second one would come after a `$readmemh` of the default file name.
    static func yosysScript(_ u: SynthesisPlan.Unit) -> String {
        var lines = ["# Synthesis unit \(u.name): \(u.instances) instance(s) of \(u.top), out of context."]
        for s in u.sources { lines.append("read_verilog -defer\(s.hasSuffix(".sv") ? " -sv" : "") \(s)") }
        if !u.parameters.isEmpty {
            let sets = u.parameters.map { p -> String in
                switch p.value {
                case .integer(let i): return "-set \(p.name) \(i)"
                case .string(let s): return "-set \(p.name) \"\(s)\""
                }
            }
            lines.append("chparam \(sets.joined(separator: " ")) \(u.top)")
        }
        lines.append("synth_xilinx \(synthOptions) -top \(u.top)")
        if !u.measureDepth { lines.append("# depth: not measured") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func makefile(_ plan: SynthesisPlan) -> String {
        let names = plan.units.map(\.name)
        var t = """
        # Out-of-context Yosys synthesis of each unit of the plan, then reports/utilization.json.
        # Include from the project Makefile and run from the project root: make -j2 synth
        # Results are cached by content (Yosys version, script, every file read) in SYNTH_CACHE.
        YOSYS ?= yosys
        SYNTH_CACHE ?= $(if $(HOME),$(HOME)/.cache/lfadsc-synth,synth/cache)
        SYNTH_UNITS := \(names.joined(separator: " "))
        SYNTH_COMMON := synth/unit.sh synth/run_unit.tcl
        SYNTH_RUN = YOSYS='$(YOSYS)' SYNTH_CACHE='$(SYNTH_CACHE)' sh synth/unit.sh

        .PHONY: synth synth-clean
        synth: reports/utilization.json

        reports/utilization.json: $(SYNTH_UNITS:%=synth/out/%/source) synth/plan.tcl synth/aggregate.tcl
        \t@$(YOSYS) -q -c synth/aggregate.tcl

        """
        for u in plan.units {
            let deps = (["synth/units/\(u.name).ys", "synth/units/\(u.name).files"] + u.sources + u.dataFiles)
                .joined(separator: " ")
            t += "synth/out/\(u.name)/source: \(deps) $(SYNTH_COMMON)\n\t@$(SYNTH_RUN) \(u.name)\n\n"
        }
        t += "synth-clean:\n\trm -rf synth/out synth/logs reports/utilization.json reports/utilization.failed.json\n"
        return t
    }

    /// The plan as Tcl data for the aggregator: the device totals and one dict per unit.
    static func planTcl(_ plan: SynthesisPlan, device: Device) -> String {
        var t = """
        # The synthesis plan for synth/aggregate.tcl (written by lfadsc).
        set flow \(tclQuote("synth_xilinx \(synthOptions), each unit out of context"))
        set device [dict create name \(tclQuote(device.name)) part \(tclQuote(device.part)) dsp \(device.dsp) \
        lut \(device.lut) ff \(device.ff) bram18 \(device.bram18) uram \(device.uram)]
        set units {}

        """
        for u in plan.units {
            t += "lappend units [dict create name \(u.name) top \(u.top) instances \(u.instances) "
                + "expected_dsp \(u.expectedDSP ?? -1) composed \(u.composed ? 1 : 0) note \(tclQuote(u.note))]\n"
        }
        return t
    }

    /// A Tcl word that stands for `s` exactly: double-quoted, with the characters Tcl substitutes escaped.
    static func tclQuote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\\", "\"", "$", "[", "]", "{", "}": out += "\\" + String(c)
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c.value < 0x20 ? " " : c)
            }
        }
        return out + "\""
    }
}
