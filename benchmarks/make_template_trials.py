#!/usr/bin/env python3
"""Writes N random trials in the template's test-bench layout (one trial per line), for throughput runs.

    python3 benchmarks/make_template_trials.py TB_INPUT.dat N OUT.dat [--seed S]

The template input is 73 bins x 70 neurons of spike counts followed by 73 x 64 zeros (9782 values). The
first trial is the test-bench line itself; the others are Poisson spikes with the test bench's mean rate,
so the simulators see realistic sparsity. Values are written as the test bench writes them ("1.0").
"""
import argparse

import numpy as np

BINS, NEURONS, PAD = 73, 70, 64

p = argparse.ArgumentParser()
p.add_argument("tb_input")
p.add_argument("trials", type=int)
p.add_argument("out")
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()
first = np.loadtxt(a.tb_input, ndmin=2)[0]
if first.size != BINS * (NEURONS + PAD):
    raise SystemExit(f"{a.tb_input}: {first.size} values per line, expected {BINS * (NEURONS + PAD)}")
spikes = first[: BINS * NEURONS]
rate = float(spikes.mean())
rng = np.random.default_rng(a.seed)
with open(a.out, "w") as f:
    for k in range(a.trials):
        row = first if k == 0 else np.concatenate(
            [rng.poisson(rate, BINS * NEURONS).astype(np.float64), np.zeros(BINS * PAD)])
        f.write(" ".join(f"{v:.1f}" for v in row) + "\n")
