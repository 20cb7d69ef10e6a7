#!/usr/bin/env bash
# Writes IR-text seeds for fuzz-ir into fuzz/seeds/ir/ with the IR printer: the graphs the Keras seeds import
# to (through fuzz-keras, which prints them when FUZZ_IR_SEED_DIR is set) and the lfads-torch example models
# (weights in summary form only, to keep the seeds small). Deterministic; outputs are committed.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$REPO/fuzz/seeds/ir"
"$REPO/fuzz/build.sh" keras
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
FUZZ_IR_SEED_DIR="$tmp" FUZZ_IR_SEED_MODELS="$REPO/examples/lorenz/models/lorenz_nocon.h5:$REPO/examples/lorenz/models/lorenz_con.h5" \
    "$REPO/.build-fuzz/fuzz-keras" -runs=0 "$REPO/fuzz/seeds/keras" >/dev/null 2>&1
mkdir -p "$OUT"
rm -f "$OUT"/*.lir
cp "$tmp"/keras-*.lir "$tmp"/*-summary.lir "$OUT"/
ls "$OUT"
