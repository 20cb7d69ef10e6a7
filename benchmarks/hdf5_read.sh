#!/usr/bin/env bash
# Times reading a ~100 MB gzip-chunked float32 dataset with h5py and with lfadsc's HDF5 reader.
# Needs h5py + numpy (pip install h5py numpy). The file lives in /tmp and is not committed.
#   bash benchmarks/hdf5_read.sh            # uses all cores for our reader
#   THREADS=1 bash benchmarks/hdf5_read.sh  # single-threaded decode, like h5py
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${LFADSC_BENCH_FILE:-/tmp/lfadsc-hdf5-bench/bench.h5}
SCRATCH=${SCRATCH:-/tmp/build-hdf5-bench}
mkdir -p "$(dirname "$FILE")"
if [ ! -f "$FILE" ]; then
  echo "making $FILE ..."
  python3 benchmarks/hdf5_read_h5py.py make "$FILE"
fi
ls -l "$FILE"
swift build --build-tests -c release -Xswiftc -enable-testing --scratch-path "$SCRATCH" >/dev/null
H5PY=$(python3 benchmarks/hdf5_read_h5py.py time "$FILE")
OURS=$(LFADSC_BENCH_FILE="$FILE" LFADSC_BENCH_THREADS="${THREADS:-0}" \
  swift test -c release -Xswiftc -enable-testing --skip-build --scratch-path "$SCRATCH" \
  --filter BenchmarkTests/testBenchmarkRead 2>&1 | grep '^lfadsc ' || true)
echo "reader   MB/s   seconds  checksum"
echo "$H5PY"
echo "$OURS"
