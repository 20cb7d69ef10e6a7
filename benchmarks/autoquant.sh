#!/bin/sh
# Automatic precision search on the Lorenz models and the QKeras template (docs/quantisation.md,
# "Automatic precision: results"). Release build; prints each report (summary + chosen types).
#   benchmarks/autoquant.sh [test-name-filter]    e.g. benchmarks/autoquant.sh testTemplate
# LFADSC_TEMPLATE_DIR: directory of keras_model.h5 and tb_input_features.dat (default: the shared copy).
# LFADSC_AUTOQUANT_THREADS: simulator threads (default 2).
set -eu
cd "$(dirname "$0")/.."
SCRATCH="${SCRATCH:-/tmp/build-autoquant-bench}"
FILTER="AutoQuantMeasureTests${1:+.$1}"
swift build --build-tests -c release -Xswiftc -enable-testing --scratch-path "$SCRATCH" >/dev/null
LFADSC_AUTOQUANT_MEASURE=1 swift test -c release -Xswiftc -enable-testing --skip-build --scratch-path "$SCRATCH" \
  --filter "$FILTER" 2>&1 | grep -v '^\[' | grep -v '^Test Case.*started'
