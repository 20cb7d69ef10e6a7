#!/usr/bin/env bash
# The published AE-LFADS (QKeras, 41.97 µs per trial on a U55C) through lfadsc: accuracy of the float and
# bit-accurate paths against the model's own test vectors and the published C-simulation, the paper's
# configuration vs lfadsc's fastest design, and a bit-exactness check of the emitted C-simulation.
#
#   examples/fpga-paper/run.sh [TEMPLATE_DIR] [OUT_DIR]
#
# TEMPLATE_DIR holds keras_model.h5, tb_input_features.dat, tb_output_predictions.dat, csim_results.log
# and hls4ml_config.yml (default: ../shared/peers/lfads-fpga-template beside the repository).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
T="${1:-$REPO/../shared/peers/lfads-fpga-template}"
OUT="${2:-$REPO/out/fpga-paper}"
[[ -f "$T/keras_model.h5" ]] || { echo "fpga-paper: no keras_model.h5 in $T" >&2; exit 1; }
mkdir -p "$OUT"
cd "$REPO"
swift build -c release >/dev/null
L="$(swift build -c release --show-bin-path)/lfadsc"
AP="${AP_TYPES:-$REPO/.deps/ap_types}"

# max and mean |a - b| over two whitespace-separated number files.
compare() { awk 'NR==FNR { for (i = 1; i <= NF; i++) a[n++] = $i; next }
                 { for (i = 1; i <= NF; i++) { d = a[m++] - $i; if (d < 0) d = -d; s += d; if (d > mx) mx = d } }
                 END { printf "max |Δ| %.3g, mean |Δ| %.3g over %d values\n", mx, s / m, m }' "$1" "$2"; }
# The published C-simulation log holds the 5,110 log-rates as its last numbers.
grep -oE -- '-?[0-9]+(\.[0-9]+)?(e-?[0-9]+)?' "$T/csim_results.log" | tail -n 5110 > "$OUT/published_csim.txt"

echo "== accuracy (one test trial, 73 bins × 70 neurons of log-rates)"
"$L" simulate "$T/tb_input_features.dat" -m "$T/keras_model.h5" --float -o "$OUT/float.dat" --force -q
echo "float path vs Keras predictions:            $(compare "$OUT/float.dat" "$T/tb_output_predictions.dat")"
"$L" simulate "$T/tb_input_features.dat" -m "$T/keras_model.h5" -o "$OUT/fixed.dat" --force -q
echo "bit-accurate (QKeras types) vs Keras:       $(compare "$OUT/fixed.dat" "$T/tb_output_predictions.dat")"
echo "bit-accurate (QKeras types) vs published:   $(compare "$OUT/fixed.dat" "$OUT/published_csim.txt")"
"$L" simulate "$T/tb_input_features.dat" -m "$T/keras_model.h5" --hls4ml-config "$T/hls4ml_config.yml" -o "$OUT/fixed_hls4ml.dat" --force -q
echo "bit-accurate (hls4ml_config.yml) vs published: $(compare "$OUT/fixed_hls4ml.dat" "$OUT/published_csim.txt")"
# The YAML leaves accumulators at the model-wide ap_fixed<16,6>; the published fork's sums are wider.
"$L" simulate "$T/tb_input_features.dat" -m "$T/keras_model.h5" --hls4ml-config "$T/hls4ml_config.yml" --set '*.accum=ap_fixed<32,10>' -o "$OUT/fixed_hls4ml_wide.dat" --force -q
echo "bit-accurate (yml + 32-bit accumulators) vs published: $(compare "$OUT/fixed_hls4ml_wide.dat" "$OUT/published_csim.txt")"
echo "published C-simulation vs Keras:            $(compare "$OUT/published_csim.txt" "$T/tb_output_predictions.dat")"

echo
echo "== the paper's configuration (Resource strategy, reuse factor = n_in) vs lfadsc's lfads strategy"
"$L" estimate "$T/keras_model.h5" --strategy resource --reuse 70 | awk '/^$/ { exit } { print }'
"$L" estimate "$T/keras_model.h5" --strategy lfads --reuse auto --max-utilization 0.8 | awk '/^$/ { exit } { print }'

echo
echo "== emitted project and C-simulation bit-exactness"
"$L" compile "$T/keras_model.h5" --strategy lfads --reuse auto -o "$OUT/prj" --force
if [[ -f "$AP/ap_fixed.h" ]]; then
    make -s -C "$OUT/prj" csim AP_TYPES="$AP"
    "$OUT/prj/csim" "$T/tb_input_features.dat" "$OUT/csim.dat"
    if cmp -s "$OUT/csim.dat" "$OUT/fixed.dat"; then echo "C-simulation output equals lfadsc simulate output byte for byte"; else echo "C-simulation and simulate DIFFER" >&2; exit 1; fi
else
    echo "ap_types headers not found at $AP (run .ci/fetch-ap-types.sh); skipping the C-simulation"
fi
echo "outputs in $OUT"
