#!/usr/bin/env bash
# The main job on the bundled example, on a fresh machine: builds lfadsc (release) and takes the Lorenz
# LFADS model with a controller (examples/lorenz) through init, estimate, simulate (float and bit-accurate),
# compile to a Vitis HLS project, the project's own C-simulation (when g++ and the ap_types headers are
# available) and the HTML report. Everything is written under out/example/ and listed at the end.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
swift build -c release
LFADSC="$(swift build -c release --show-bin-path)/lfadsc"
OUT="${OUT:-$REPO/out/example}"
rm -rf "$OUT"
mkdir -p "$OUT"
MODEL="$REPO/examples/lorenz/models/lorenz_con.h5"
DATA="$REPO/examples/lorenz/data/lorenz.h5"
step() { echo; echo "== $*"; }

cd "$OUT"
step "lfadsc init (writes lfadsc.json: lfads strategy, reuse chosen by the reuse pass)"
"$LFADSC" init "$MODEL" --target u55c --project-output lorenz_prj

step "lfadsc estimate (latency and resources after every pass)"
"$LFADSC" estimate

step "lfadsc simulate --float (reference) and bit-accurate, 20 validation trials"
"$LFADSC" simulate "$DATA" --float --trials 0:20 -o float.h5
# The full overflow report goes to a file; its head is shown (a pipe into head would end simulate with SIGPIPE
# under pipefail once head has its lines).
"$LFADSC" simulate "$DATA" --trials 0:20 -o fixed.h5 --report overflow > fixed_report.txt
head -n 12 fixed_report.txt

step "lfadsc compile (Vitis HLS project)"
"$LFADSC" compile

AP="${AP_TYPES:-$REPO/.deps/ap_types}"
if [[ ! -f "$AP/ap_fixed.h" ]] && command -v pip >/dev/null && command -v unzip >/dev/null; then
    "$REPO/.ci/fetch-ap-types.sh" >/dev/null 2>&1 || true
fi
if [[ -f "$AP/ap_fixed.h" ]] && command -v g++ >/dev/null; then
    step "C-simulation of the emitted project vs lfadsc simulate (must be byte-identical)"
    make -s -C lorenz_prj csim AP_TYPES="$AP"
    "$LFADSC" simulate "$DATA" --trials 0:20 -o simulate.dat --export-inputs inputs.dat -q
    ./lorenz_prj/csim inputs.dat csim.dat
    if cmp -s csim.dat simulate.dat; then echo "identical: csim.dat == simulate.dat (20 trials)"; else echo "DIFFERENT: csim.dat vs simulate.dat" >&2; exit 1; fi
else
    echo "(g++ or the ap_types headers are missing; C-simulation skipped — run .ci/fetch-ap-types.sh)"
fi

step "lfadsc report (self-contained HTML)"
"$LFADSC" report --data "$DATA" --trials 0:20 -o report.html

step "outputs in $OUT"
ls -1 "$OUT"
