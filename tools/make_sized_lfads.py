#!/usr/bin/env python3
"""Random-weight LFADS models of a chosen size in the lfads-torch export layout, for estimates and scaling
benchmarks (weights are random: only shapes matter to the cost model and the simulators' speed).

Usage:
    python tools/make_sized_lfads.py OUT.h5 [--preset mc_maze] [--neurons 137 --bins 35 --ic-enc 64 --ci-enc 64
        --con 64 --co 4 --ic 64 --gen 200 --fac 100] [--data DATA.h5 --trials 20]

The mc_maze preset is the NLB MC_Maze full LFADS: 137 held-in neurons, 35 bins (20 ms), ic/ci encoders 64,
controller 64, 4 inferred inputs, ic 64, generator 200, 100 factors. Needs numpy and h5py.
"""
import argparse
import json

import h5py
import numpy as np

PRESETS = {"mc_maze": dict(neurons=137, bins=35, ic_enc=64, ci_enc=64, con=64, co=4, ic=64, gen=200, fac=100)}

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--preset", choices=PRESETS)
for name, default in [("neurons", 40), ("bins", 50), ("ic_enc", 32), ("ci_enc", 0), ("con", 0), ("co", 0), ("ic", 16),
                      ("gen", 32), ("fac", 8), ("trials", 20), ("seed", 1)]:
    p.add_argument("--" + name.replace("_", "-"), type=int, default=None if name in PRESETS["mc_maze"] else default)
p.add_argument("--data")
a = p.parse_args()
size = dict(neurons=40, bins=50, ic_enc=32, ci_enc=0, con=0, co=0, ic=16, gen=32, fac=8)
if a.preset:
    size.update(PRESETS[a.preset])
for k in size:
    v = getattr(a, k)
    if v is not None:
        size[k] = v
D, T, ie, ce, cd, co, ic, gen, fac = (size[k] for k in ("neurons", "bins", "ic_enc", "ci_enc", "con", "co", "ic", "gen", "fac"))
if (cd > 0) != (co > 0) or (cd > 0) != (ce > 0):
    p.error("a controller needs --ci-enc, --con and --co all > 0 (or all 0)")
rng = np.random.default_rng(a.seed)
w = {}

def gru(prefix, hidden, inputs):
    scale = 1 / np.sqrt(hidden)
    w[prefix + ".weight_ih"] = rng.uniform(-scale, scale, (3 * hidden, inputs))
    w[prefix + ".weight_hh"] = rng.uniform(-scale, scale, (3 * hidden, hidden))
    w[prefix + ".bias_ih"] = rng.uniform(-scale, scale, 3 * hidden)
    w[prefix + ".bias_hh"] = rng.uniform(-scale, scale, 3 * hidden)

for d in ("fwd", "bwd"):
    gru(f"encoder.ic_enc.{d}_gru.cell", ie, D)
w["encoder.ic_enc_h0"] = rng.normal(0, .1, (2, 1, ie))
w["encoder.ic_linear.weight"] = rng.normal(0, 1 / np.sqrt(2 * ie), (2 * ic, 2 * ie))
w["encoder.ic_linear.bias"] = np.zeros(2 * ic)
w["decoder.ic_to_g0.weight"] = rng.normal(0, 1 / np.sqrt(ic), (gen, ic))
w["decoder.ic_to_g0.bias"] = np.zeros(gen)
gru("decoder.rnn.cell.gen_cell", gen, co)
w["decoder.rnn.cell.fac_linear.weight"] = rng.normal(0, 1 / np.sqrt(gen), (fac, gen))
w["decoder.con_h0"] = np.zeros((1, cd))
if cd:
    for d in ("fwd", "bwd"):
        gru(f"encoder.ci_enc.{d}_gru.cell", ce, D)
    w["encoder.ci_enc_h0"] = np.zeros((2, 1, ce))
    gru("decoder.rnn.cell.con_cell", cd, 2 * ce + fac)
    w["decoder.rnn.cell.co_linear.weight"] = rng.normal(0, 1 / np.sqrt(cd), (2 * co, cd))
    w["decoder.rnn.cell.co_linear.bias"] = np.zeros(2 * co)
w["readout.0.weight"] = rng.normal(0, 1 / np.sqrt(fac), (D, fac))
w["readout.0.bias"] = np.full(D, -1.0)
hp = dict(encod_data_dim=D, encod_seq_len=T, recon_seq_len=T, ext_input_dim=0, ic_enc_seq_len=0, ic_enc_dim=ie,
          ci_enc_dim=ce, ci_lag=1, con_dim=cd, co_dim=co, ic_dim=ic, gen_dim=gen, fac_dim=fac, cell_clip=5.0,
          ic_post_var_min=1e-4, num_sessions=1, reconstruction="lfads_torch.modules.recons.Poisson", variational=True)
with h5py.File(a.out, "w") as f:
    for k, v in w.items():
        f.create_dataset(k, data=np.asarray(v, dtype=np.float32))
    f.attrs["hparams"] = json.dumps(hp)
if a.data:
    with h5py.File(a.data, "w") as f:
        f.create_dataset("valid_encod_data", data=rng.poisson(0.3, (a.trials, T, D)).astype(np.int32))
