#!/usr/bin/env bash
# Measured RTL: the real models through `lfadsc compile --backend rtl` (default pipeline: lfads strategy, reuse
# pass, fit-rtl), a Verilator build, 20 trials compared byte for byte with `lfadsc simulate`, and the measured cycles next to
# `lfadsc estimate`. Usage: benchmarks/rtl/run.sh [OUT_DIR] (needs verilator, g++, the ap_types headers in AP_TYPES).
# Results: docs/performance.md ("RTL, measured"). Full-size designs take tens of minutes to build in Verilator.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$REPO/.build/rtl-bench}"
AP_TYPES="${AP_TYPES:-$REPO/.deps/ap_types}"
OPT="${OPT:--O0}"   # the C++ of the Verilator model: -O0 builds fastest, -O2 simulates fastest
LFADSC="$REPO/.build/release/lfadsc"
[[ -x "$LFADSC" ]] || (cd "$REPO" && swift build -c release >/dev/null)
mkdir -p "$OUT"
cd "$OUT"
TEMPLATE="$REPO/../shared/peers/lfads-fpga-template/keras_model.h5"

run() {  # name model input.dat expected.dat [compile/estimate flags...]
    local name=$1 model=$2 input=$3 expected=$4
    shift 4
    rm -rf "$name"
    "$LFADSC" compile "$model" --backend rtl --allow-overfull -o "$name" -q "$@"
    local t0=$SECONDS
    make -s -C "$name" sim AP_TYPES="$AP_TYPES" JOBS="$(nproc)" OPT="$OPT" >"$name.build.log" 2>&1
    local built=$((SECONDS - t0)); t0=$SECONDS
    "./$name/sim" "$input" "$name.out.dat" --cycles "$name.cycles.json"
    local ran=$((SECONDS - t0))
    local same=DIFFERENT; cmp -s "$name.out.dat" "$expected" && same=identical
    local measured; measured=$(sed -n 's/.*"latency_cycles": \[\([0-9]*\).*/\1/p' "$name.cycles.json")
    local interval; interval=$(sed -n 's/.*"interval_per_trial_cycles": \([0-9a-z]*\).*/\1/p' "$name.cycles.json")
    local json; json=$("$LFADSC" estimate "$model" --json --backend rtl "$@")
    local estimate; estimate=$(sed -n 's/^  "latency_cycles": \([0-9]*\).*/\1/p' <<<"$json" | tail -1)
    local est_interval; est_interval=$(sed -n 's/^  "interval_cycles": \([0-9]*\).*/\1/p' <<<"$json" | tail -1)
    echo "$name: verilator vs simulate $same ($(wc -l <"$expected") trials, one at a time and streamed); latency measured $measured, estimate $estimate; interval per trial measured $interval, estimate $est_interval; build ${built} s, run ${ran} s"
}

"$LFADSC" simulate "$REPO/examples/lorenz/data/lorenz.h5" -m "$REPO/examples/lorenz/models/lorenz_nocon.h5" --trials 0:20 \
    -o nocon.expected.dat --export-inputs nocon.in.dat -q --force
run lorenz_nocon "$REPO/examples/lorenz/models/lorenz_nocon.h5" nocon.in.dat nocon.expected.dat
"$LFADSC" simulate "$REPO/examples/lorenz/data/lorenz.h5" -m "$REPO/examples/lorenz/models/lorenz_con.h5" --trials 0:20 \
    -o con.expected.dat --export-inputs con.in.dat -q --force
run lorenz_con "$REPO/examples/lorenz/models/lorenz_con.h5" con.in.dat con.expected.dat
if [[ -f "$TEMPLATE" ]]; then
    # The template's one published test vector, then 19 trials of random counts (0..7) of the same shape.
    python3 - "$TEMPLATE" template.in.dat <<'PY'
import random, sys, os
line = open(os.path.join(os.path.dirname(sys.argv[1]), 'tb_input_features.dat')).read().split()
random.seed(7)
rows = [' '.join(line)] + [' '.join(str(float(min(7, int(random.expovariate(1.5))))) for _ in line) for _ in range(19)]
open(sys.argv[2], 'w').write('\n'.join(rows) + '\n')
PY
    "$LFADSC" simulate template.in.dat -m "$TEMPLATE" -o template.expected.dat -q --force
    run template "$TEMPLATE" template.in.dat template.expected.dat
    # Three trials in flight: the reuse pass, then fit-rtl raises reuse factors until the Verilog fits the budget by
    # the RTL resource model (at the reuse pass's choice it would take 144 % of the LUTs). The pipeline keeps the
    # clock tier fastest in µs (250 MHz); the 200 MHz tier's design is the one with the fewest cycles.
    run template_c3 "$TEMPLATE" template.in.dat template.expected.dat --trials-in-flight 3
    run template_c3_200 "$TEMPLATE" template.in.dat template.expected.dat --trials-in-flight 3 --clock 200
fi
