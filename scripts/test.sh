#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian machine with the Swift toolchain, then builds and
# runs the whole test suite. `.ci/run` calls this; CI sets CI=true, which turns "skipped: tool missing"
# into failures, so nothing that must be proven in CI can silently skip.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# h5dump cross-checks the HDF5 writer; g++ and make build the emitted C-simulation.
missing=()
command -v h5dump >/dev/null || missing+=(hdf5-tools)
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v unzip >/dev/null || missing+=(unzip)
# Verilator runs the RTL backend's Verilog against the simulator (bit for bit) and the schedule (cycle for cycle);
# Yosys (with its Tcl interpreter, as Debian builds it) runs the RTL synthesis flow.
command -v verilator >/dev/null || missing+=(verilator)
command -v yosys >/dev/null || missing+=(yosys)
# headless Chromium renders the HTML report in a test.
command -v chromium >/dev/null || missing+=(chromium)
if (( ${#missing[@]} )); then
    echo "setup: installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Xilinx ap_types headers (from the hls4ml wheel) for the bit-exactness oracles.
"$REPO/.ci/fetch-ap-types.sh"
export AP_TYPES="$REPO/.deps/ap_types"

JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
swift build --build-tests -j "$JOBS"
# The parallel runner prints no closing count: its xunit file gives the summary line printed last.
XUNIT="$REPO/.build/test-results.xml"
rm -f "$XUNIT"
xctest=0
swift test --skip-build --parallel --num-workers "$JOBS" --xunit-output "$XUNIT" || xctest=$?

# libFuzzer smoke run: replays every committed crash input and seed, then fuzzes each target ~15 s.
# It runs even after a failed XCTest run (so one CI run reports both) and counts as one test in the summary.
fuzz=0
"$REPO/fuzz/smoke.sh" || fuzz=$?

"$REPO/scripts/test-summary.sh" "$XUNIT" "$xctest" "$fuzz"
(( xctest == 0 && fuzz == 0 ))
