#!/usr/bin/env python3
"""Checks tools/lfads_numpy_reference.py against lfads-torch on randomly
initialised models that exercise paths the two trained Lorenz models do not:
ic_enc_seq_len > 0, recon_seq_len > encod_seq_len, ci_lag 2, external inputs,
non-zero bias_hh (lfads-torch freezes it at zero, but still adds it).

Usage (needs torch, lfads_torch, h5py, numpy):
    python test_numpy_reference_random.py TMP_DIR
Exits non-zero if any output differs by more than 1e-9 (max |a-b| / max |b|).
"""

import os
import sys

import numpy as np
import torch
from torch import nn

from lfads_torch.model import LFADS
from lfads_torch.modules import augmentations
from lfads_torch.modules.priors import AutoregressiveMultivariateNormal, MultivariateNormal, Null
from lfads_torch.modules.recons import Poisson
from lfads_torch.tuples import SessionBatch, SessionOutput

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import export_lfads_torch  # noqa: E402
import lfads_numpy_reference  # noqa: E402

CASES = [
    dict(name="controller_ext_icseg", ic_enc_seq_len=5, encod_seq_len=30, recon_seq_len=36,
         ext_input_dim=3, ci_enc_dim=6, con_dim=7, co_dim=2, ci_lag=2, readin=11),
    dict(name="no_controller_ext_fwd", ic_enc_seq_len=0, encod_seq_len=25, recon_seq_len=31,
         ext_input_dim=2, ci_enc_dim=0, con_dim=0, co_dim=0, ci_lag=1, readin=None),
    dict(name="controller_lag0", ic_enc_seq_len=0, encod_seq_len=20, recon_seq_len=20,
         ext_input_dim=0, ci_enc_dim=5, con_dim=9, co_dim=3, ci_lag=0, readin=None),
]
NEURONS, TRIALS = 13, 7


def build(case):
    torch.manual_seed(len(case["name"]))
    readin = nn.ModuleList([nn.Identity() if case["readin"] is None
                            else nn.Linear(NEURONS, case["readin"])])
    encod_dim = NEURONS if case["readin"] is None else case["readin"]
    zero = dict(l2_start_epoch=0, l2_increase_epoch=1, l2_ic_enc_scale=0.0, l2_ci_enc_scale=0.0,
                l2_gen_scale=0.0, l2_con_scale=0.0, kl_start_epoch=0, kl_increase_epoch=1,
                kl_ic_scale=0.0, kl_co_scale=0.0)
    model = LFADS(
        encod_data_dim=encod_dim, encod_seq_len=case["encod_seq_len"],
        recon_seq_len=case["recon_seq_len"], ext_input_dim=case["ext_input_dim"],
        ic_enc_seq_len=case["ic_enc_seq_len"], ic_enc_dim=8, ci_enc_dim=case["ci_enc_dim"],
        ci_lag=case["ci_lag"], con_dim=case["con_dim"], co_dim=case["co_dim"], ic_dim=4,
        gen_dim=10, fac_dim=3, dropout_rate=0.3, reconstruction=nn.ModuleList([Poisson()]),
        variational=True,
        co_prior=AutoregressiveMultivariateNormal(tau=10.0, nvar=0.1, shape=case["co_dim"]),
        ic_prior=MultivariateNormal(mean=0, variance=0.1, shape=4), ic_post_var_min=1e-4,
        cell_clip=0.6,  # below 1, so the clamp binds (|n| < 1 otherwise bounds h)
        train_aug_stack=augmentations.AugmentationStack(),
        infer_aug_stack=augmentations.AugmentationStack(), readin=readin,
        readout=nn.ModuleList([nn.Linear(3, NEURONS)]), loss_scale=1.0, recon_reduce_mean=True,
        lr_scheduler=False, lr_init=1e-3, lr_stop=1e-5, lr_decay=0.9, lr_patience=1,
        lr_adam_beta1=0.9, lr_adam_beta2=0.999, lr_adam_epsilon=1e-8, weight_decay=0.0, **zero)
    with torch.no_grad():  # every bias (frozen bias_hh too) and h0 non-zero
        for name, p in model.named_parameters():
            if "bias" in name or name.endswith("h0"):
                p.copy_(torch.randn_like(p) * 0.5)
    return model


def main():
    tmp = sys.argv[1]
    os.makedirs(tmp, exist_ok=True)
    worst_all = 0.0
    for case in CASES:
        torch.set_default_dtype(torch.float64)
        model = build(case).double().eval()
        ckpt_path = os.path.join(tmp, case["name"] + ".ckpt")
        torch.save({"state_dict": {k: v.float() for k, v in model.state_dict().items()},
                    "hyper_parameters": dict(model.hparams)}, ckpt_path)
        h5_path = os.path.join(tmp, case["name"] + ".h5")
        export_lfads_torch.export(ckpt_path, h5_path, "Poisson")
        # Use the float32-rounded weights in the torch model too.
        model.load_state_dict({k: v.float().double() for k, v in model.state_dict().items()})
        rng = np.random.default_rng(1)
        counts = rng.poisson(1.0, size=(TRIALS, case["encod_seq_len"], NEURONS)).astype(np.float64)
        ext = rng.normal(size=(TRIALS, case["encod_seq_len"], case["ext_input_dim"]))
        x = torch.tensor(counts)
        batch = SessionBatch(encod_data=x, recon_data=x, ext_input=torch.tensor(ext),
                             truth=torch.zeros(TRIALS, 0, 0), sv_mask=torch.zeros(TRIALS, 0, 0))
        with torch.no_grad():
            out = model(batch, sample_posteriors=False, output_means=True)[0]
        hp, w = lfads_numpy_reference.load_model(h5_path)
        mine = lfads_numpy_reference.forward(hp, w, counts, ext)
        worst = 0.0
        for k in SessionOutput._fields:
            ref = getattr(out, k).numpy()
            if ref.shape != mine[k].shape:
                print(f"{case['name']}: {k} shape {mine[k].shape} != torch {ref.shape}")
                worst = float("inf")
                continue
            if ref.size:
                worst = max(worst, float(np.max(np.abs(mine[k] - ref)) / np.max(np.abs(ref))))
        clipped = float(np.mean(np.abs(out.gen_states.numpy()) >= 0.6 - 1e-12))
        print(f"{case['name']}: worst max|a-b|/max|b| = {worst:.3e} "
              f"(fraction of generator states at the clip: {clipped:.2f})")
        worst_all = max(worst_all, worst)
    torch.set_default_dtype(torch.float32)
    print("PASS" if worst_all <= 1e-9 else "FAIL")
    return 0 if worst_all <= 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main())
