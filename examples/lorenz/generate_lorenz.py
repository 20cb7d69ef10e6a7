#!/usr/bin/env python3
"""Synthetic Lorenz spiking data set for the lfads-torch example models.

Usage:
    python generate_lorenz.py OUT.h5 [--seed 20240611]

Needs only numpy and h5py. The output is deterministic for a given seed
(numpy PCG64 generator), so the committed file can be regenerated exactly.

Generative process (all parameters are the module constants below):
  * Lorenz system dx/dt = s(y-x), dy/dt = x(r-z)-y, dz/dt = xy-bz with
    s=10, r=28, b=8/3, integrated with classical RK4, step 0.005, 4 steps per
    bin (bin = 0.02 time units), T = 50 bins per trial (about 1.5 loops).
  * Trial start states are drawn from a long on-attractor trajectory (after a
    burn-in), so every trial starts on the attractor at a random phase.
  * Inferred-input-like perturbations: each trial gets 0, 1 or 2 pulses
    (uniformly), at distinct random bins in [PULSE_FIRST_BIN, PULSE_LAST_BIN].
    A pulse adds a kick of norm PULSE_NORM (raw Lorenz units, random direction)
    to the state at the start of that bin. The kicks are saved as
    `{train,valid}_inputs` [trials, T, 3] (zero where there is no pulse).
  * The state at the end of each bin is z-scored with the mean/std of the long
    trajectory, giving latents [trials, T, 3].
  * Log-rates per bin = log(base_rate) + latents @ W, where each neuron's
    column of W [3, D] is a uniformly random direction of norm GAIN and
    base_rate ~ U(BASE_RATE_LO, BASE_RATE_HI) per neuron. Rates are in
    expected counts per bin.
  * Spike counts ~ Poisson(rate), D = 40 neurons.
  * 400 trials, shuffled, split 80/20 into train (320) / valid (80).

Datasets written (lfads-torch BasicDataModule layout, [trials, T, D]):
  train_encod_data, valid_encod_data   int32 spike counts
  train_recon_data, valid_recon_data   HDF5 hard links to the encod datasets
      (same counts; a second link, not a copy, so the file stays small)
  train_inds, valid_inds     int32 trial indices into the generation order
  train_inputs, valid_inputs float32 pulse kicks [trials, T, 3]
  valid_latents              float32 z-scored Lorenz state [trials, T, 3]
  readout_weight [3, D], readout_log_base [D]  the true readout (float32)
  latent_mean [3], latent_std [3]             z-scoring constants
  conversion_factor          1.0 (lfads-torch divides truth by it)
  with --truth only:
  train_truth, valid_truth   float32 true rates (counts per bin), float64
      values rounded to float16 precision (11 significant bits). They are
      left out by default to keep the committed file small (~1.4 MB more);
      valid truth = exp(valid_latents @ readout_weight + readout_log_base).
The counts, indices and inputs do not depend on --truth (same seed, same
random draws). Compressed datasets are one chunk each, shuffle + deflate.
"""

import argparse
import json

import h5py
import numpy as np

SIGMA, RHO, BETA = 10.0, 28.0, 8.0 / 3.0
DT = 0.005
STEPS_PER_BIN = 4
N_BINS = 50
N_NEURONS = 40
N_TRIALS = 400
VALID_FRACTION = 0.2
BURN_IN_STEPS = 2000
POOL_STEPS = 200_000
PULSE_FIRST_BIN = 8
PULSE_LAST_BIN = 42
MAX_PULSES = 2
PULSE_NORM = 12.0
GAIN = 1.0
BASE_RATE_LO = 0.15
BASE_RATE_HI = 0.45
DEFAULT_SEED = 20240611


def lorenz_rhs(s):
    x, y, z = s[..., 0], s[..., 1], s[..., 2]
    return np.stack([SIGMA * (y - x), x * (RHO - z) - y, x * y - BETA * z], axis=-1)


def rk4_step(s):
    k1 = lorenz_rhs(s)
    k2 = lorenz_rhs(s + 0.5 * DT * k1)
    k3 = lorenz_rhs(s + 0.5 * DT * k2)
    k4 = lorenz_rhs(s + DT * k3)
    return s + (DT / 6.0) * (k1 + 2 * k2 + 2 * k3 + k4)


def attractor_pool(rng):
    s = np.array([1.0, 1.0, 1.0]) + rng.normal(size=3)
    for _ in range(BURN_IN_STEPS):
        s = rk4_step(s)
    pool = np.empty((POOL_STEPS, 3))
    for i in range(POOL_STEPS):
        s = rk4_step(s)
        pool[i] = s
    return pool


def make_pulses(rng):
    kicks = np.zeros((N_TRIALS, N_BINS, 3))
    n_pulses = rng.integers(0, MAX_PULSES + 1, size=N_TRIALS)
    for trial, n in enumerate(n_pulses):
        bins = rng.choice(np.arange(PULSE_FIRST_BIN, PULSE_LAST_BIN + 1), n, replace=False)
        for b in bins:
            direction = rng.normal(size=3)
            kicks[trial, b] = PULSE_NORM * direction / np.linalg.norm(direction)
    return kicks


def integrate_trials(starts, kicks):
    s = starts.copy()
    states = np.empty((N_TRIALS, N_BINS, 3))
    for t in range(N_BINS):
        s = s + kicks[:, t]
        for _ in range(STEPS_PER_BIN):
            s = rk4_step(s)
        states[:, t] = s
    return states


def generate(seed):
    rng = np.random.default_rng(seed)
    pool = attractor_pool(rng)
    mean, std = pool.mean(axis=0), pool.std(axis=0)
    starts = pool[rng.choice(POOL_STEPS, N_TRIALS, replace=False)]
    kicks = make_pulses(rng)
    latents = (integrate_trials(starts, kicks) - mean) / std
    weight = rng.normal(size=(3, N_NEURONS))
    weight *= GAIN / np.linalg.norm(weight, axis=0, keepdims=True)
    log_base = np.log(rng.uniform(BASE_RATE_LO, BASE_RATE_HI, size=N_NEURONS))
    rates = np.exp(latents @ weight + log_base)
    counts = rng.poisson(rates).astype(np.int32)
    order = rng.permutation(N_TRIALS)
    n_valid = int(round(VALID_FRACTION * N_TRIALS))
    valid_inds, train_inds = np.sort(order[:n_valid]), np.sort(order[n_valid:])
    return dict(
        counts=counts, rates=rates, kicks=kicks, latents=latents, weight=weight, log_base=log_base,
        mean=mean, std=std, train_inds=train_inds, valid_inds=valid_inds,
    )


def write(path, g, seed, with_truth):
    truth = g["rates"].astype(np.float16).astype(np.float32)

    def put(f, name, data):
        f.create_dataset(name, data=data, chunks=data.shape, compression="gzip",
                         compression_opts=9, shuffle=True)

    with h5py.File(path, "w") as f:
        for split in ("train", "valid"):
            idx = g[f"{split}_inds"]
            put(f, f"{split}_encod_data", g["counts"][idx])
            f[f"{split}_recon_data"] = f[f"{split}_encod_data"]
            if with_truth:
                put(f, f"{split}_truth", truth[idx])
            put(f, f"{split}_inputs", g["kicks"][idx].astype(np.float32))
            put(f, f"{split}_inds", idx.astype(np.int32))
        put(f, "valid_latents", g["latents"][g["valid_inds"]].astype(np.float32))
        f.create_dataset("conversion_factor", data=1.0)
        f.create_dataset("readout_weight", data=g["weight"].astype(np.float32))
        f.create_dataset("readout_log_base", data=g["log_base"].astype(np.float32))
        f.create_dataset("latent_mean", data=g["mean"].astype(np.float32))
        f.create_dataset("latent_std", data=g["std"].astype(np.float32))
        f.attrs["generator"] = "examples/lorenz/generate_lorenz.py"
        f.attrs["parameters"] = json.dumps(dict(
            seed=seed, sigma=SIGMA, rho=RHO, beta=BETA, dt=DT, steps_per_bin=STEPS_PER_BIN,
            n_bins=N_BINS, n_neurons=N_NEURONS, n_trials=N_TRIALS, valid_fraction=VALID_FRACTION,
            pulse_first_bin=PULSE_FIRST_BIN, pulse_last_bin=PULSE_LAST_BIN, max_pulses=MAX_PULSES,
            pulse_norm=PULSE_NORM, gain=GAIN, base_rate_lo=BASE_RATE_LO, base_rate_hi=BASE_RATE_HI,
        ))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--truth", action="store_true",
                        help="also write train_truth and valid_truth (adds ~1.4 MB)")
    args = parser.parse_args()
    g = generate(args.seed)
    write(args.out, g, args.seed, args.truth)
    c = g["counts"]
    r = g["rates"]
    print(f"rates per bin: median {np.median(r):.3f}, 99th pct {np.percentile(r, 99):.2f}, "
          f"max {r.max():.2f}")
    print(f"wrote {args.out}: counts {c.shape}, mean {c.mean():.3f}/bin, max {c.max()}, "
          f"train {len(g['train_inds'])}, valid {len(g['valid_inds'])}")


if __name__ == "__main__":
    main()
