#!/bin/sh
# Refit the stock-hls4ml estimate (HLS4MLConstants.fitted) on corpus.json and print the constants, the per-design
# errors (in-sample and leave-one-design-out) and the held-out check. heldout.json is only priced, never fitted.
set -e
cd "$(dirname "$0")/../.."
swift build --build-tests -j 2
HLS4ML_PRINT=1 swift test --skip-build --filter HLS4MLCalibrationTests/testPrintTables 2>&1 | grep -v '^Test \|^\[' 
