#!/usr/bin/env python3
"""Helper of benchmarks/hdf5_read.sh: makes the benchmark file and times h5py reading it.

    python3 benchmarks/hdf5_read_h5py.py make FILE     # ~100 MB float32, gzip-chunked
    python3 benchmarks/hdf5_read_h5py.py time FILE     # prints "h5py <MB/s> <seconds> <checksum>"
"""
import sys
import time

import h5py
import numpy as np

ROWS, COLS, CHUNK_ROWS = 25_000, 1_000, 100  # 25e6 float32 = 100 MB; 250 chunks of 400 kB


def make(path):
    r = np.random.default_rng(0)
    with h5py.File(path, "w") as f:
        d = f.create_dataset("data", shape=(ROWS, COLS), dtype=np.float32, chunks=(CHUNK_ROWS, COLS),
                             compression="gzip", compression_opts=4)
        walk = np.zeros(COLS, dtype=np.float64)
        for start in range(0, ROWS, CHUNK_ROWS):
            steps = r.standard_normal((CHUNK_ROWS, COLS))
            block = walk + np.cumsum(steps, axis=0)
            walk = block[-1]
            # Two decimals, like rates or binned counts after smoothing: compressible but not trivial.
            d[start:start + CHUNK_ROWS] = np.round(block, 2).astype(np.float32)


def timed(path):
    best = None
    total = 0.0
    for _ in range(3):
        with h5py.File(path, "r") as f:
            t = time.perf_counter()
            a = f["data"][()]
            dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
        total = float(a.astype(np.float64).sum())
    mb = ROWS * COLS * 4 / 1e6
    print(f"h5py {mb / best:.1f} {best:.3f} {total:.6e}")


if __name__ == "__main__":
    {"make": make, "time": timed}[sys.argv[1]](sys.argv[2])
