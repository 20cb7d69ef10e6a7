#!/usr/bin/env bash
# Provides the Xilinx arbitrary-precision headers (ap_fixed.h, ap_int.h, ...) for the C-simulation oracle tests.
# They ship inside the hls4ml 1.3.0 wheel (Apache-2.0). Idempotent; nothing fetched is ever committed
# (.deps/ is git-ignored).
set -euo pipefail

REPO="${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
DEST="$REPO/.deps/ap_types"

if [[ -f "$DEST/ap_fixed.h" ]]; then
    echo "ap_types: present at $DEST"
    exit 0
fi

for tool in pip unzip; do
    command -v "$tool" >/dev/null || { echo "ap_types: '$tool' is required" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

pip download --quiet --no-deps hls4ml==1.3.0 -d "$WORK"
WHEEL="$(ls "$WORK"/hls4ml-1.3.0-*.whl 2>/dev/null | head -n 1)"
[[ -n "$WHEEL" ]] || { echo "ap_types: the hls4ml 1.3.0 wheel was not downloaded" >&2; exit 1; }
unzip -q "$WHEEL" 'hls4ml/templates/vivado/ap_types/*' -d "$WORK/unpacked"

SRC="$WORK/unpacked/hls4ml/templates/vivado/ap_types"
[[ -f "$SRC/ap_fixed.h" ]] || { echo "ap_types: ap_fixed.h missing from the wheel" >&2; exit 1; }
mkdir -p "$REPO/.deps"
rm -rf "$DEST.partial"
cp -R "$SRC" "$DEST.partial"
mv "$DEST.partial" "$DEST"
echo "ap_types: installed at $DEST"
