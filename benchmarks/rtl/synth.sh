#!/usr/bin/env bash
# Synthesised RTL: the real models through `lfadsc compile --backend rtl` (default pipeline), `make synth` (Yosys
# synth_xilinx -family xcup per configuration, out of context, times its instance count), and the totals next to
# `lfadsc estimate` (which prices the HLS design of the same schedule) and the RTL resource model's prediction
# (reports/rtl_estimate.json; benchmarks/rtl/model_vs_yosys.py compares them unit by unit). Usage:
#   benchmarks/rtl/synth.sh [OUT_DIR] [template|template_c3|template_c3_200|lorenz_nocon|lorenz_con ...]
#   (default: template, lorenz_nocon, lorenz_con; template_c3 is --trials-in-flight 3, _200 also --clock 200)
# Needs yosys (Debian's, with Tcl) and python3. Results: docs/performance.md ("RTL, synthesised"). Yosys results
# are cached by content in ~/.cache/lfadsc-synth (SYNTH_CACHE), so a second run of the same design takes seconds.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$REPO/.build/rtl-synth}"
shift || true
MODELS=("$@")
[[ ${#MODELS[@]} -gt 0 ]] || MODELS=(template lorenz_nocon lorenz_con)
LFADSC="$REPO/.build/release/lfadsc"
[[ -x "$LFADSC" ]] || (cd "$REPO" && swift build -c release >/dev/null)
mkdir -p "$OUT"
cd "$OUT"

model_path() {
    case $1 in
        template|template_c3|template_c3_200) echo "$REPO/../shared/peers/lfads-fpga-template/keras_model.h5" ;;
        lorenz_nocon) echo "$REPO/examples/lorenz/models/lorenz_nocon.h5" ;;
        lorenz_con) echo "$REPO/examples/lorenz/models/lorenz_con.h5" ;;
        *) echo "synth.sh: unknown model '$1' (template, template_c3, template_c3_200, lorenz_nocon, lorenz_con)" >&2; exit 2 ;;
    esac
}

# Compile and estimate flags of a name: three trials in flight at the tier the pipeline picks, or at 200 MHz.
model_flags() {
    case $1 in
        template_c3) echo "--trials-in-flight 3" ;;
        template_c3_200) echo "--trials-in-flight 3 --clock 200" ;;
        *) echo "" ;;
    esac
}

for name in "${MODELS[@]}"; do
    model=$(model_path "$name")
    read -r -a flags <<<"$(model_flags "$name")"
    rm -rf "$name"
    "$LFADSC" compile "$model" --backend rtl --allow-overfull -o "$name" -q ${flags[@]+"${flags[@]}"}
    t0=$SECONDS
    make -s -C "$name" -j"$(nproc)" synth >"$name.synth.log" 2>&1 || { echo "$name: make synth failed (see $OUT/$name.synth.log)"; tail -3 "$name.synth.log"; continue; }
    took=$((SECONDS - t0))
    "$LFADSC" estimate "$model" --json ${flags[@]+"${flags[@]}"} >"$name.estimate.json"
    python3 - "$name" "$name/reports/utilization.json" "$name.estimate.json" "$took" <<'EOF'
import json, sys
name, rep, est, took = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3])), sys.argv[4]
e = est["stages"][-1]["estimate"]["resources"]
t, dev = rep["totals"], rep["device"]
# LUT usage as Vivado's "CLB LUTs" counts it: logic LUTs, shift registers (an SRL16E/SRLC32E is one LUT) and
# the LUTs of LUT-RAM cells.
lut = t["lut"] + t["srl"] + t.get("lutram_luts", 0)
# The RTL resource model's prediction (compile wrote it next to the project's Verilog).
m = json.load(open(f"{name}/reports/rtl_estimate.json"))["totals"]
rows = [("DSP48E2", t["dsp"], e["dsp"], m["dsp"], dev["dsp"]), ("CLB LUTs", lut, e["lut"], m["clb_luts"], dev["lut"]),
        ("FF", t["ff"], e["ff"], m["ff"], dev["ff"]), ("BRAM18", t["bram18"], e["bram18"], m["bram18"], dev["bram18"]),
        ("URAM", t["uram"], e["uram"], 0, dev["uram"])]
print(f"{name}: Yosys {rep['tool']}, {len(rep['units'])} units, synthesis {took} s here (Yosys time {rep['yosys_seconds']:.0f} s)")
print(f"  {'':18s} {'Yosys':>9s} {'% U55C':>7s} {'RTL model':>9s} {'model/Y':>8s} {'HLS est':>9s} {'Yosys/HLS':>9s}")
for k, y, s, r, d in rows:
    ratio = f"{y / s:9.2f}" if s else "        -"
    mr = f"{r / y:8.3f}" if y else "       -"
    print(f"  {k:18s} {y:9d} {100 * y / d:6.1f}% {r:9d} {mr} {s:9d} {ratio}")
print(f"  of the LUTs: logic {t['lut']}, SRL {t['srl']}, LUT-RAM {t.get('lutram_luts', 0)} ({t['lutram']} cells); CARRY4 {t['carry']}; deepest path: {rep['deepest_path']['unit']}, "
      f"{rep['deepest_path']['levels']} levels ({rep['deepest_path']['lut_levels']} LUTs)")
big = sorted(rep["units"], key=lambda u: -u["total"]["lut"])[:5]
print("  largest LUT users: " + ", ".join(f"{u['name']} ×{u['instances']} {u['total']['lut']}" for u in big))
EOF
done
