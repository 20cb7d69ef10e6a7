#!/usr/bin/env python3
"""Random small models in the lfads-torch export layout, with data, for the env-gated differential test
Tests/BackendsTests/FloatSim/TorchNumpyDifferentialTests.swift (Swift float simulator vs
tools/lfads_numpy_reference.py). Cases cover a Linear read-in, ci_lag 0 and 2, external inputs, non-zero
bias_hh and a binding clamp (initial states beyond cell_clip). Needs numpy and h5py.

Usage:
    python tools/make_torch_random_models.py DIR
    for n in con_lag2_ext_readin con_lag0 nocon_ext; do
        python tools/lfads_numpy_reference.py DIR/$n.h5 DIR/${n}_data.h5 --out DIR/${n}_out.h5; done
    LFADSC_TORCH_NUMPY_DIR=DIR swift test --scratch-path /tmp/build-torch --filter TorchNumpyDifferentialTests
"""
import json
import sys

import h5py
import numpy as np

out_dir = sys.argv[1]
rng = np.random.default_rng(7)
def model(path, con, lag, ext, readin, clampbig):
    D, T = 9, 12
    dd = 6 if readin else D
    ie, ic, gen, fac = 5, 3, 7, 4
    ce, cd, co = (3, 4, 2) if con else (0, 0, 0)
    w = {}
    def gru(p, h, i):
        w[p+".weight_ih"] = rng.normal(0, 0.6, (3*h, i)); w[p+".weight_hh"] = rng.normal(0, 0.6, (3*h, h))
        w[p+".bias_ih"] = rng.normal(0, 0.3, 3*h); w[p+".bias_hh"] = rng.normal(0, 0.3, 3*h)
    if readin: w["readin.0.weight"] = rng.normal(0, .5, (dd, D)); w["readin.0.bias"] = rng.normal(0, .2, dd)
    for d in ("fwd", "bwd"): gru(f"encoder.ic_enc.{d}_gru.cell", ie, dd)
    w["encoder.ic_enc_h0"] = rng.normal(0, 3 if clampbig else .5, (2, 1, ie))
    w["encoder.ic_linear.weight"] = rng.normal(0, .5, (2*ic, 2*ie)); w["encoder.ic_linear.bias"] = rng.normal(0, .2, 2*ic)
    w["decoder.ic_to_g0.weight"] = rng.normal(0, 4 if clampbig else .5, (gen, ic)); w["decoder.ic_to_g0.bias"] = rng.normal(0, .2, gen)
    gru("decoder.rnn.cell.gen_cell", gen, co + ext)
    w["decoder.rnn.cell.fac_linear.weight"] = rng.normal(0, 1, (fac, gen))
    w["decoder.con_h0"] = rng.normal(0, .5, (1, cd))
    if con:
        for d in ("fwd", "bwd"): gru(f"encoder.ci_enc.{d}_gru.cell", ce, dd)
        w["encoder.ci_enc_h0"] = rng.normal(0, .5, (2, 1, ce))
        gru("decoder.rnn.cell.con_cell", cd, 2*ce + fac)
        w["decoder.rnn.cell.co_linear.weight"] = rng.normal(0, .5, (2*co, cd)); w["decoder.rnn.cell.co_linear.bias"] = rng.normal(0, .2, 2*co)
    w["readout.0.weight"] = rng.normal(0, .5, (D, fac)); w["readout.0.bias"] = rng.normal(0, .2, D)
    hp = dict(encod_data_dim=dd, encod_seq_len=T, recon_seq_len=T, ext_input_dim=ext, ic_enc_seq_len=0, ic_enc_dim=ie,
              ci_enc_dim=ce, ci_lag=lag, con_dim=cd, co_dim=co, ic_dim=ic, gen_dim=gen, fac_dim=fac, cell_clip=2.0,
              ic_post_var_min=0.01, num_sessions=1, reconstruction="lfads_torch.modules.recons.Poisson", variational=True)
    with h5py.File(path, "w") as f:
        for k, v in w.items(): f.create_dataset(k, data=v.astype(np.float32))
        f.attrs["hparams"] = json.dumps(hp)
    return D, T, ext
cases = [("con_lag2_ext_readin", True, 2, 2, True, True), ("con_lag0", True, 0, 0, False, False), ("nocon_ext", False, 1, 3, True, True)]
for name, *args in cases:
    D, T, ext = model(f"{out_dir}/{name}.h5", *args)
    with h5py.File(f"{out_dir}/{name}_data.h5", "w") as f:
        f.create_dataset("valid_encod_data", data=rng.poisson(1.0, (5, T, D)).astype(np.int32))
        if ext: f.create_dataset("valid_ext_input", data=rng.normal(0, 1, (5, T, ext)).astype(np.float32))
