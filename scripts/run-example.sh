#!/usr/bin/env bash
# Builds lfadsc in release mode and runs it on the bundled Lorenz example: describes the model file,
# so a fresh machine shows the tool working end to end. (Grows with the pipeline: compile/estimate/simulate.)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
swift build -c release
LFADSC="$(swift build -c release --show-bin-path)/lfadsc"
OUT="${OUT:-$REPO/out/example}"
mkdir -p "$OUT"

echo "== lfadsc inspect examples/lorenz/models/lorenz_con.h5"
"$LFADSC" inspect examples/lorenz/models/lorenz_con.h5 | head -n 20
