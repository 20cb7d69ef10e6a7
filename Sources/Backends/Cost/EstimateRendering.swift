import Foundation

extension DesignEstimate {
    /// A fixed-width text table: one row per layer, then totals, utilisation and notes. With `color`, the
    /// utilisation of a resource over 100 % of the device is printed in red (ANSI; callers decide on a terminal).
    public func table(color: Bool = false) -> String {
        let header = ["layer", "op", "impl", "start", "end", "latency", "II", "DSP", "LUT", "FF", "BRAM18", "URAM"]
        var rows = layers.map { l in
            [l.name, l.op, l.implementation, "\(l.start)", "\(l.end)", "\(l.latency)", "\(l.interval)",
             "\(l.dsp)", "\(l.lut)", "\(l.ff)", "\(l.bram18)", "\(l.uram)"]
        }
        rows.append(["total", "", "", "0", "\(latencyCycles)", "\(latencyCycles)", "\(intervalCycles)",
                     "\(resources.dsp)", "\(resources.lut)", "\(resources.ff)", "\(resources.bram18)", "\(resources.uram)"])
        let u = utilization
        rows.append(["% of \(device.name)", "", "", "", "", "", "", pct(u["dsp"]), pct(u["lut"]), pct(u["ff"]), pct(u["bram18"]), pct(u["uram"])])
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        let red = Set(["dsp", "lut", "ff", "bram18", "uram"].enumerated().filter { (u[$0.element] ?? 0) > 1 }.map { $0.offset + 7 })
        func line(_ cells: [String], highlight: Set<Int> = []) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                let cell = i < 3 ? c + pad : pad + c
                return highlight.contains(i) ? Self.red(cell) : cell
            }.joined(separator: "  ")
        }
        let at = effectiveClockMHz < clockMHz ? "\(fmt(effectiveClockMHz)) MHz achievable (\(fmt(clockMHz)) MHz target)" : "\(fmt(clockMHz)) MHz"
        let call = trialsPerCall > 1 ? " per call of \(trialsPerCall) trials" : ""
        var out = "\(graphName) on \(device.name) (\(device.part)): latency \(latencyCycles) cycles = "
            + "\(fmt(latencyMicroseconds)) µs\(call), interval \(intervalCycles) cycles = \(fmt(intervalMicroseconds)) µs\(call.isEmpty ? "" : " per trial") at \(at)\n"
        if let k = kernelLatencyCycles, let ki = kernelIntervalCycles, let bi = kernelBeatsIn, let bo = kernelBeatsOut {
            out += "with the Vitis kernel's I/O (\(bi) input + \(bo) output beats of 512 bits per trial): \(k) cycles = "
                + "\(fmt(Double(k) / effectiveClockMHz)) µs \(call.isEmpty ? "per trial" : "per call"), a trial every \(ki) cycles = \(fmt(Double(ki) / effectiveClockMHz)) µs\n"
        }
        out += fromEmittedSchedule ? "cycles: the emitted dataflow schedule (reports/schedule.txt; re-read from the C++ in tests)\n"
            : "cycles: the intended layer-by-layer schedule (not derived from the emitted code)\n"
        out += line(header) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for (n, r) in rows.enumerated() { out += line(r, highlight: color && n == rows.count - 1 ? red : []) + "\n" }
        for n in notes { out += "note: \(n)\n" }
        return out
    }

    /// JSON with stable key order (hand-written so the layout does not depend on Foundation's encoder).
    public func json() -> String {
        func res(_ r: Resources) -> String {
            "\"dsp\": \(r.dsp), \"lut\": \(r.lut), \"ff\": \(r.ff), \"bram18\": \(r.bram18), \"uram\": \(r.uram)"
        }
        let u = utilization
        var out = "{\n"
        out += "  \"graph\": \(quote(graphName)),\n"
        out += "  \"device\": {\"name\": \(quote(device.name)), \"part\": \(quote(device.part))},\n"
        out += "  \"clock_mhz\": \(num(clockMHz)),\n"
        out += "  \"latency_cycles\": \(latencyCycles),\n"
        out += "  \"latency_us\": \(num(latencyMicroseconds)),\n"
        out += "  \"interval_cycles\": \(intervalCycles),\n"
        out += "  \"trials_per_call\": \(trialsPerCall),\n"
        out += "  \"interval_us\": \(num(intervalMicroseconds)),\n"
        out += "  \"achievable_clock_mhz\": \(num(effectiveClockMHz)),\n"
        out += "  \"from_emitted_schedule\": \(fromEmittedSchedule),\n"
        if let k = kernelLatencyCycles, let ki = kernelIntervalCycles {
            out += "  \"kernel_latency_cycles\": \(k),\n  \"kernel_interval_cycles\": \(ki),\n"
        }
        out += "  \"resources\": {\(res(resources))},\n"
        out += "  \"utilization\": {" + ["dsp", "lut", "ff", "bram18", "uram"].map { "\"\($0)\": \(num(u[$0] ?? 0))" }.joined(separator: ", ") + "},\n"
        out += "  \"fits\": \(fits),\n"
        out += "  \"overfull\": [" + overfull.map(quote).joined(separator: ", ") + "],\n"
        out += "  \"layers\": [\n"
        out += layers.map { l in
            "    {\"name\": \(quote(l.name)), \"op\": \(quote(l.op)), \"implementation\": \(quote(l.implementation)), "
                + "\"start\": \(l.start), \"end\": \(l.end), \"latency\": \(l.latency), \"interval\": \(l.interval), \(res(l.resources))}"
        }.joined(separator: ",\n")
        out += "\n  ],\n"
        out += "  \"notes\": [" + notes.map(quote).joined(separator: ", ") + "]\n"
        out += "}\n"
        return out
    }

    /// `text` in red for an ANSI terminal.
    public static func red(_ text: String) -> String { "\u{1B}[31m" + text + "\u{1B}[0m" }

    private func pct(_ v: Double?) -> String { v.map { $0.isFinite ? String(format: "%.1f%%", $0 * 100) : "n/a" } ?? "" }
    private func fmt(_ v: Double) -> String { String(format: "%.2f", v) }
    private func num(_ v: Double) -> String { v.isFinite ? String(format: "%.6g", v) : "null" }

    private func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
