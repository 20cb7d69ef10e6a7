// The per-lane arithmetic of one GRU step after its matrix products (GRUCellTemplate, GRUKernel.step):
// gates from the input and recurrent sums, the reset applied after (r · U_h h) or before (r ⊙ h) the candidate
// product, and the state update h' = (state)(h̃·(1 − z) + h·z), exact inside, with the optional clip.
import LFADSIR

public enum VerilogGRU {
    /// Functions of `gru`, all prefixed with `prefix`:
    /// - `_gate(ax, azr)` → gate code: (gate)(act((accum)(ax + azr))), for z and r alike;
    /// - reset after: `_reset_product(r, ahh)` → accum code (r · ahh); reset before: `_reset_state(r, h)` → state code;
    /// - `_candidate(axh, ahh)` → candidate code; `_blend(hc, z, h)` → state code (h̃·(1 − z) + h·z, then the clip);
    /// - `_update(axh, ahh, z, h)` → new state code (`_blend(_candidate(axh, ahh), z, h)`);
    /// - `_result(h)` → result code (the layer's output cast of a state).
    /// Helpers: `_sum` (accumulator add), `_gate_act`, `_cand_act` (element functions) and their casts.
    public static func functions(prefix p: String, gru g: GRUStage) throws -> [VerilogFunction] {
        let accum = g.accum, gate = g.gate.output, cand = g.candidate.output, state = g.state
        var out = try VerilogMatVec.accumulate(name: p + "_sum", accum)
        out += try VerilogFixed.element(name: p + "_gate_act", g.gate)
        out += try VerilogFixed.element(name: p + "_cand_act", g.candidate)
        let a = { (n: String) in VerilogFunction.Port(name: n, width: accum.width, signed: accum.signed) }
        let z = { (n: String) in VerilogFunction.Port(name: n, width: gate.width, signed: gate.signed) }
        let h = VerilogFunction.Port(name: "h", width: state.width, signed: state.signed)
        let hc = VerilogFunction.Port(name: "hc", width: cand.width, signed: cand.signed)
        let sum = "reg \(Verilog.range(accum.width, signed: accum.signed))s;"
        out.append(VerilogFunction(name: p + "_gate", width: gate.width, signed: gate.signed, inputs: [a("ax"), a("azr")], locals: [sum],
                                   body: ["s = \(p)_sum(ax, azr);", "\(p)_gate = \(p)_gate_act(s);"]))
        if g.resetAfter {
            out += try product(name: p + "_reset_product", z("r"), a("ahh"), fraction: gate.fraction + accum.fraction, to: accum)
        } else {
            out += try product(name: p + "_reset_state", z("r"), h, fraction: gate.fraction + state.fraction, to: state)
        }
        out.append(VerilogFunction(name: p + "_candidate", width: cand.width, signed: cand.signed, inputs: [a("axh"), a("ahh")], locals: [sum],
                                   body: ["s = \(p)_sum(axh, ahh);", "\(p)_candidate = \(p)_cand_act(s);"]))
        out += try blend(name: p + "_blend", g, hc: hc, z: z("z"), h: h)
        out.append(VerilogFunction(name: p + "_update", width: state.width, signed: state.signed, inputs: [a("axh"), a("ahh"), z("z"), h],
                                   locals: ["reg \(Verilog.range(cand.width, signed: cand.signed))c;"],
                                   body: ["c = \(p)_candidate(axh, ahh);", "\(p)_update = \(p)_blend(c, z, h);"]))
        out.append(try VerilogFixed.cast(name: p + "_result", inputWidth: state.width, inputSigned: state.signed,
                                         fromFraction: state.fraction, to: g.result))
        return out
    }

    /// `name(a, b)`: the exact product of two codes at `fraction`, cast to `target` (castProduct), and `name_cast`.
    static func product(name: String, _ x: VerilogFunction.Port, _ y: VerilogFunction.Port, fraction: Int,
                        to target: FixedType) throws -> [VerilogFunction] {
        let w = x.width + (x.signed ? 0 : 1) + y.width + (y.signed ? 0 : 1)
        let cast = try VerilogFixed.cast(name: name + "_cast", inputWidth: w, inputSigned: true, fromFraction: fraction, to: target)
        let f = VerilogFunction(
            name: name, width: target.width, signed: target.signed, inputs: [x, y], locals: ["reg signed [\(w - 1):0] p;"],
            body: ["p = \(Verilog.extend(x.name, from: x.width, signed: x.signed, to: w)) * \(Verilog.extend(y.name, from: y.width, signed: y.signed, to: w));",
                   "\(name) = \(name)_cast(p);"])
        return [cast, f]
    }

    /// h' = (state)(h̃·(1 − z)·2^(f − fa − fz) + h·z·2^(f − fs − fz)) at f = max(fa, fs) + fz, then the clip:
    /// above the bound → the bound; below −bound → (state)(−bound) (GRUKernel.step).
    static func blend(name: String, _ g: GRUStage, hc: VerilogFunction.Port, z: VerilogFunction.Port,
                      h: VerilogFunction.Port) throws -> [VerilogFunction] {
        let state = g.state
        let (fz, fa, fs) = (g.gate.output.fraction, g.candidate.output.fraction, state.fraction)
        let f = max(fa, fs) + fz
        let (sa, sh) = (f - fa - fz, f - fs - fz)
        let wz = z.width + (z.signed ? 0 : 1)
        let m = max(fz + 2, wz) + 1  // 1 − z as a signed code at fraction fz
        let t1 = hc.width + (hc.signed ? 0 : 1) + m + sa
        let t2 = h.width + (h.signed ? 0 : 1) + wz + sh
        let s = max(t1, t2) + 1
        guard s <= Verilog.maxWidth else { throw HardwareError.unsupported("RTL GRU '\(name)': \(s)-bit state update") }
        let cast = try VerilogFixed.cast(name: name + "_cast", inputWidth: s, inputSigned: true, fromFraction: f, to: state)
        var body = [
            "omz = \(Verilog.literal(Int128(1) << fz, width: m)) - \(Verilog.extend("z", from: z.width, signed: z.signed, to: m));",
            "s = ((\(Verilog.extend("hc", from: hc.width, signed: hc.signed, to: s)) * \(Verilog.extend("omz", from: m, signed: true, to: s))) <<< \(sa))"
                + " + ((\(Verilog.extend("h", from: h.width, signed: h.signed, to: s)) * \(Verilog.extend("z", from: z.width, signed: z.signed, to: s))) <<< \(sh));",
            "v = \(name)_cast(s);",
        ]
        if let clip = g.clip {
            let c = Verilog.signedWidth(state) + 2
            let negative = state.cast(raw: -Int128(clip), fraction: fs).raw
            let ve = Verilog.extend("v", from: state.width, signed: state.signed, to: c)
            body.append("if (\(ve) > \(Verilog.literal(Int128(clip), width: c))) v = \(Verilog.code(clip, width: state.width));")
            body.append("else if (\(ve) < \(Verilog.literal(-Int128(clip), width: c))) v = \(Verilog.code(negative, width: state.width));")
        }
        body.append("\(name) = v;")
        let f2 = VerilogFunction(name: name, width: state.width, signed: state.signed, inputs: [hc, z, h],
                                 locals: ["reg signed [\(m - 1):0] omz;", "reg signed [\(s - 1):0] s;", "reg \(Verilog.range(state.width, signed: state.signed))v;"],
                                 body: body)
        return [cast, f2]
    }
}
