#!/usr/bin/env bash
# Measures lfadsc on this machine in one run and writes docs/performance.md (+ docs/performance-scaling.svg):
# bit-accurate simulation vs the emitted C-simulation, float simulation vs NumPy, compile/estimate times,
# scaling (time, peak memory) with model size, and a callgrind profile of the bit-accurate simulator.
#   bash benchmarks/run.sh            # full run: ~5-10 minutes of measurements after the release build
#   QUICK=1 bash benchmarks/run.sh    # fewer trials and sizes, a few minutes
# Environment: LFADSC_TEMPLATE (the lfads-fpga-template data directory), SCRATCH (swift build directory),
# WORK (data and projects, never committed), AP_TYPES (ap_fixed headers; fetched with .ci/fetch-ap-types.sh
# when unset), REPS (repetitions, default 3), ONLY (e.g. ONLY=template,profile), HLS4ML=1 to try installing
# hls4ml + TensorFlow + QKeras in a venv (capped at 5 minutes) and time its conversion of the template.
# TORCH_VENV (a venv with torch, h5py, pytorch-lightning, torchmetrics, hydra-core) and LFADS_TORCH_SRC (a directory
# holding the lfads_torch package; lfads-torch is not on PyPI) add lfads-torch's own forward to the Lorenz section.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
SCRATCH="${SCRATCH:-/tmp/lfadsc-bench-build}"
WORK="${WORK:-/tmp/lfadsc-bench-work}"
mkdir -p "$WORK"

echo "== release build ($SCRATCH)"
BUILD_START=$(date +%s)
swift build -c release --scratch-path "$SCRATCH" 2>&1 | tail -n 1
BUILD_SECONDS=$(( $(date +%s) - BUILD_START ))
LFADSC="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/lfadsc"

if [[ -z "${AP_TYPES:-}" ]]; then
    bash .ci/fetch-ap-types.sh
    AP_TYPES="$REPO/.deps/ap_types"
fi
[[ -f "$AP_TYPES/ap_fixed.h" ]] || { echo "no ap_fixed.h in $AP_TYPES" >&2; exit 1; }

if ! python3 -c "import numpy, h5py" 2>/dev/null; then
    python3 -m pip install --quiet numpy h5py
fi

HLS_ARGS=()
VENV="${HLS4ML_VENV:-$WORK/hls4ml-venv}"
LOG="$WORK/hls4ml-install.log"
if [[ "${HLS4ML:-0}" == 1 ]] && ! "$VENV/bin/python" -c "import hls4ml, qkeras, tensorflow" 2>/dev/null; then
    echo "== installing hls4ml 1.3.0 + tensorflow-cpu + qkeras (at most 5 minutes)"
    python3 -m venv "$VENV"
    rc=0
    timeout 300 "$VENV/bin/pip" install --quiet hls4ml==1.3.0 tensorflow-cpu qkeras >"$LOG" 2>&1 || rc=$?
    [[ $rc == 0 ]] || echo "pip install exit status $rc (124: stopped after 5 minutes)" >>"$LOG"
fi
if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c "import hls4ml, qkeras, tensorflow" >>"$LOG" 2>&1; then
    HLS_ARGS=(--hls4ml-python "$VENV/bin/python")
elif [[ -f "$LOG" ]]; then
    HLS_ARGS=(--hls4ml-log "$LOG")
fi

TORCH_ARGS=()
if [[ -n "${TORCH_VENV:-}" ]]; then
    TORCH_LOG="$WORK/torch-import.log"
    TORCH_PATH="${LFADS_TORCH_SRC:-}"
    [[ -n "${PYTHONPATH:-}" ]] && TORCH_PATH="${TORCH_PATH:+$TORCH_PATH:}$PYTHONPATH"
    if PYTHONPATH="$TORCH_PATH" "$TORCH_VENV/bin/python" \
            -c "import torch, h5py, lfads_torch.model" >"$TORCH_LOG" 2>&1; then
        TORCH_ARGS=(--torch-python "$TORCH_VENV/bin/python")
    else
        [[ -s "$TORCH_LOG" ]] || echo "$TORCH_VENV/bin/python could not be run" >>"$TORCH_LOG"
        TORCH_ARGS=(--torch-log "$TORCH_LOG")
    fi
fi

QUICK_ARGS=()
[[ "${QUICK:-0}" == 1 ]] && QUICK_ARGS=(--quick)
python3 benchmarks/bench.py --lfadsc "$LFADSC" --ap-types "$AP_TYPES" --work "$WORK" --reps "${REPS:-3}" --build-seconds "$BUILD_SECONDS" \
    ${QUICK_ARGS[@]+"${QUICK_ARGS[@]}"} ${HLS_ARGS[@]+"${HLS_ARGS[@]}"} ${TORCH_ARGS[@]+"${TORCH_ARGS[@]}"} \
    ${ONLY:+--only "$ONLY"}
