#!/usr/bin/env python3
"""The RTL resource model next to Yosys, unit by unit: reports/rtl_estimate.json (written by `lfadsc compile
--backend rtl`) against reports/utilization.json (written by `make synth`) of the same project.
Usage: benchmarks/rtl/model_vs_yosys.py PROJECT [--units]"""
import json, sys

proj = sys.argv[1]
est = {u["name"]: u for u in json.load(open(f"{proj}/reports/rtl_estimate.json"))["units"]}
rep = json.load(open(f"{proj}/reports/utilization.json"))
keys = [("lut", "lut"), ("ff", "ff"), ("dsp", "dsp"), ("srl", "srl"), ("lutram_luts", "lutram_luts"), ("bram18", "bram18")]
kinds, tot_e, tot_m = {}, {k: 0 for k, _ in keys}, {k: 0 for k, _ in keys}
rows = []
for u in rep["units"]:
    e = est.get(u["name"])
    if e is None:
        print(f"{u['name']}: no estimate"); continue
    m = u["total"]
    kind = kinds.setdefault(e["kind"], ({k: 0 for k, _ in keys}, {k: 0 for k, _ in keys}))
    for k, mk in keys:
        kind[0][k] += e["total"][k]; kind[1][k] += m[mk]
        tot_e[k] += e["total"][k]; tot_m[k] += m[mk]
    rows.append((u["name"], e["instances"], e["per_instance"], u["per_instance"]))

def cmp(e, m):
    return " ".join(f"{k} {e[k]:>8}/{m[mk]:<8}" for k, mk in keys if e[k] or m[mk])

if "--units" in sys.argv:
    for name, n, e, m in rows:
        print(f"{name:48} x{n:<4} {cmp(e, m)}")
    print()
for kind, (e, m) in kinds.items():
    print(f"{kind:12} {cmp(e, m)}")
clb_e = tot_e["lut"] + tot_e["srl"] + tot_e["lutram_luts"]
clb_m = tot_m["lut"] + tot_m["srl"] + tot_m["lutram_luts"]
print(f"{'total':12} {cmp(tot_e, tot_m)}")
for name, e, m in [("CLB LUT", clb_e, clb_m), ("FF", tot_e["ff"], tot_m["ff"]), ("DSP", tot_e["dsp"], tot_m["dsp"]), ("BRAM18", tot_e["bram18"], tot_m["bram18"])]:
    print(f"  {name:8} model {e:>9}  yosys {m:>9}  model/yosys {e / m if m else float('nan'):.3f}")
