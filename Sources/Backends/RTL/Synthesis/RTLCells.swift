// Cells of a synthesised unit in the categories the synthesis report uses, as the RTL resource model predicts
// them (RTLCostModel) and as Yosys counts them (reports/utilization.json): LUT logic, flip-flops, DSP48E2,
// shift-register LUTs, LUTs used as distributed RAM, and RAMB18 equivalents.
public struct RTLCells: Hashable, Sendable, Codable {
    public var lut = 0
    public var ff = 0
    public var dsp = 0
    public var srl = 0
    public var lutramLUTs = 0
    public var bram18 = 0

    public init(lut: Int = 0, ff: Int = 0, dsp: Int = 0, srl: Int = 0, lutramLUTs: Int = 0, bram18: Int = 0) {
        self.lut = lut
        self.ff = ff
        self.dsp = dsp
        self.srl = srl
        self.lutramLUTs = lutramLUTs
        self.bram18 = bram18
    }

    /// CLB LUTs: logic, shift registers and distributed RAM (what a device's LUT count covers).
    public var clbLUTs: Int { lut + srl + lutramLUTs }

    public static func + (a: RTLCells, b: RTLCells) -> RTLCells {
        RTLCells(lut: a.lut + b.lut, ff: a.ff + b.ff, dsp: a.dsp + b.dsp, srl: a.srl + b.srl,
                 lutramLUTs: a.lutramLUTs + b.lutramLUTs, bram18: a.bram18 + b.bram18)
    }

    public static func * (a: RTLCells, n: Int) -> RTLCells {
        RTLCells(lut: a.lut * n, ff: a.ff * n, dsp: a.dsp * n, srl: a.srl * n, lutramLUTs: a.lutramLUTs * n, bram18: a.bram18 * n)
    }
}

/// The model's prediction for one unit of the synthesis plan: its cells per instance and the instance count.
public struct RTLUnitEstimate: Hashable, Sendable, Codable {
    public var name: String
    /// What the unit is: "unit top", "row lane", "cell lane", "process" or "top".
    public var kind: String
    public var instances: Int
    public var perInstance: RTLCells

    public var total: RTLCells { perInstance * instances }
}

/// The whole design's prediction: every unit of `make synth`'s plan.
public struct RTLDesignEstimate: Hashable, Sendable, Codable {
    public var units: [RTLUnitEstimate]
    /// The RTL binding's choice: spike-count products of each row on DSP48E2s (RTLBinding; 0: all in fabric).
    public var countDSPProducts = 0

    public init(units: [RTLUnitEstimate], countDSPProducts: Int = 0) {
        self.units = units
        self.countDSPProducts = countDSPProducts
    }

    /// One line on the binding, or nil when every spike-count product is in fabric.
    public var bindingNote: String? {
        guard countDSPProducts > 0 else { return nil }
        return "RTL binding: \(countDSPProducts) product\(countDSPProducts == 1 ? "" : "s") of each spike-count row on DSP48E2s "
            + "(the rest shift-and-add in fabric; chosen because LUTs are the scarcer resource, docs/rtl.md)"
    }

    public var total: RTLCells { units.reduce(RTLCells()) { $0 + $1.total } }

    /// Totals per kind of unit, in first-seen order.
    public var byKind: [(kind: String, cells: RTLCells)] {
        var order = [String](), sums = [String: RTLCells]()
        for u in units {
            if sums[u.kind] == nil { order.append(u.kind) }
            sums[u.kind, default: RTLCells()] = sums[u.kind, default: RTLCells()] + u.total
        }
        return order.map { ($0, sums[$0] ?? RTLCells()) }
    }
}

extension RTLCells {
    var jsonObject: String {
        "{\"lut\": \(lut), \"ff\": \(ff), \"dsp\": \(dsp), \"srl\": \(srl), \"lutram_luts\": \(lutramLUTs), \"bram18\": \(bram18), \"clb_luts\": \(clbLUTs)}"
    }
}

extension RTLDesignEstimate {
    /// reports/rtl_estimate.json: per unit (the names `make synth` reports) and in total.
    public var json: String {
        let rows = units.map { u in
            "    {\"name\": \"\(u.name)\", \"kind\": \"\(u.kind)\", \"instances\": \(u.instances), \"per_instance\": \(u.perInstance.jsonObject), \"total\": \(u.total.jsonObject)}"
        }
        return "{\"model\": \"lfadsc RTL resource model (RTLCostModel)\",\n  \"count_dsp_products\": \(countDSPProducts),\n  \"units\": [\n" + rows.joined(separator: ",\n")
            + "\n  ],\n  \"totals\": \(total.jsonObject)\n}\n"
    }
}

extension RTLDesignEstimate {
    /// The share fit-rtl compares with its ceiling: the largest of `utilization`, with the CLB LUTs priced
    /// `lutGuard` of the device higher, because the model's LUTs are its least certain figure (the template's
    /// C = 3 design: 0.971 of Yosys, under; the other measured designs 1.016–1.115, over). DSP and BRAM are exact.
    public func fitShare(_ device: Device) -> Double {
        utilization(device).map { $0.name == "CLB LUT" ? $0.fraction + Self.lutGuard : $0.fraction }.max() ?? 0
    }

    public static let lutGuard = 0.03

    /// Fraction of the device per quantity (CLB LUTs against the LUT count).
    public func utilization(_ device: Device) -> [(name: String, used: Int, fraction: Double)] {
        let t = total
        func f(_ a: Int, _ b: Int) -> Double { b > 0 ? Double(a) / Double(b) : 0 }
        return [("DSP", t.dsp, f(t.dsp, device.dsp)), ("CLB LUT", t.clbLUTs, f(t.clbLUTs, device.lut)),
                ("FF", t.ff, f(t.ff, device.ff)), ("BRAM18", t.bram18, f(t.bram18, device.bram18))]
    }

    /// The quantities over the device, as "LUT 104.1 %" items (empty when the design fits).
    public func overfull(_ device: Device) -> [String] {
        utilization(device).filter { $0.fraction > 1 }.map { String(format: "%@ %.1f %%", $0.name, $0.fraction * 100) }
    }

    /// The table `estimate --backend rtl` prints: per kind of unit, the total and the share of the device.
    public func table(device: Device) -> String {
        var rows = [["units", "DSP", "CLB LUT", "(logic", "SRL", "LUT-RAM)", "FF", "BRAM18"]]
        func row(_ name: String, _ c: RTLCells) -> [String] {
            [name, "\(c.dsp)", "\(c.clbLUTs)", "\(c.lut)", "\(c.srl)", "\(c.lutramLUTs)", "\(c.ff)", "\(c.bram18)"]
        }
        for k in byKind { rows.append(row(k.kind, k.cells)) }
        rows.append(row("total", total))
        let u = utilization(device)
        func pct(_ i: Int) -> String { String(format: "%.1f %%", u[i].fraction * 100) }
        rows.append(["% of \(device.name)", pct(0), pct(1), "", "", "", pct(2), pct(3)])
        return TextTable.lines(rows).joined(separator: "\n") + "\n"
    }

    public var totalsJSON: String { total.jsonObject }
}
