#!/usr/bin/env python3
"""Write the seeds of the checkpoint fuzz target (fuzz/seeds/checkpoint/*.ckpt).

Usage: python fuzz/seeds/make_checkpoint_seeds.py fuzz/seeds/checkpoint
Needs torch and lfads_torch (see examples/lorenz/README.md for the environment).

Each seed is a real torch.save archive, small enough for libFuzzer's -max_len:
  * tiny_con.ckpt / tiny_nocon.ckpt: Lightning-style checkpoint dicts of tiny
    lfads-torch models (controller / none): state_dict, hyper_parameters (the
    model's own, with its pickled prior and augmentation objects), lfadsc_modules;
    tiny_nocon is written with pickle protocol 4 (FRAME, MEMOIZE, STACK_GLOBAL);
  * tiny_con_deflate.ckpt: tiny_con re-zipped with deflate entries;
  * dtypes.ckpt: tensors of every decoded dtype and non-contiguous views
    (transpose, slice with offset, expand with stride 0);
  * numpy_scalars.ckpt: hyper_parameters holding numpy scalars (as sampled
    hyperparameters may be).
"""

import io
import os
import sys
import zipfile
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

from lfads_torch.model import LFADS
from lfads_torch.modules import augmentations
from lfads_torch.modules.priors import AutoregressiveMultivariateNormal, MultivariateNormal
from lfads_torch.modules.readin_readout import FanInLinear
from lfads_torch.modules.recons import Poisson


def tiny_model(controller):
    co_dim = 1 if controller else 0
    return LFADS(
        encod_data_dim=3, encod_seq_len=4, recon_seq_len=4, ext_input_dim=0, ic_enc_seq_len=0,
        ic_enc_dim=2, ci_enc_dim=2 if controller else 0, ci_lag=1, con_dim=2 if controller else 0,
        co_dim=co_dim, ic_dim=2, gen_dim=3, fac_dim=2,
        reconstruction=nn.ModuleList([Poisson()]), variational=True,
        co_prior=AutoregressiveMultivariateNormal(tau=10.0, nvar=0.1, shape=co_dim),
        ic_prior=MultivariateNormal(mean=0, variance=0.1, shape=2),
        train_aug_stack=augmentations.AugmentationStack(), infer_aug_stack=augmentations.AugmentationStack(),
        readin=nn.ModuleList([nn.Identity()]), readout=nn.ModuleList([FanInLinear(2, 3)]),
        dropout_rate=0.05, cell_clip=5.0, ic_post_var_min=1.0e-4, loss_scale=1.0e4, recon_reduce_mean=True,
        lr_scheduler=False, lr_init=1e-3, lr_stop=1e-5, lr_decay=0.95, lr_patience=6, lr_adam_beta1=0.9,
        lr_adam_beta2=0.999, lr_adam_epsilon=1e-8, weight_decay=0.0, l2_start_epoch=0, l2_increase_epoch=1,
        l2_ic_enc_scale=0.0, l2_ci_enc_scale=0.0, l2_gen_scale=0.0, l2_con_scale=0.0, kl_start_epoch=0,
        kl_increase_epoch=1, kl_ic_scale=0.0, kl_co_scale=0.0,
    )


def checkpoint(controller):
    torch.manual_seed(1 if controller else 2)
    model = tiny_model(controller)
    return {
        "epoch": 0, "global_step": 0, "pytorch-lightning_version": "1.6.0",
        "state_dict": model.state_dict(),
        "hyper_parameters": dict(model.hparams),
        "lfadsc_modules": {"reconstruction": "lfads_torch.modules.recons.Poisson", "num_sessions": 1},
    }


def deflated(raw):
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():  # fixed timestamps: the seed is reproducible
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    buf = io.BytesIO()
    torch.save(checkpoint(True), buf)
    seeds = {"tiny_con.ckpt": buf.getvalue(), "tiny_con_deflate.ckpt": deflated(buf.getvalue())}
    buf = io.BytesIO()
    torch.save(checkpoint(False), buf, pickle_protocol=4)
    seeds["tiny_nocon.ckpt"] = buf.getvalue()
    base = torch.arange(12, dtype=torch.float64).reshape(3, 4) / 8
    tensors = OrderedDict([
        ("f32", base.float()), ("f64", base), ("f16", base.half()), ("bf16", base.bfloat16()),
        ("i64", torch.arange(-3, 3)), ("i32", torch.arange(4, dtype=torch.int32)),
        ("u8", torch.arange(5, dtype=torch.uint8)), ("bool", torch.tensor([True, False])),
        ("transposed", base.float().t()), ("sliced", base.float()[1:, 2:]), ("expanded", torch.ones(1, 3).expand(2, 3)),
        ("empty", torch.zeros(3, 0)), ("scalar", torch.tensor(2.5)),
    ])
    buf = io.BytesIO()
    torch.save({"state_dict": tensors, "hyper_parameters": {"x": 1.5, "nan": float("nan")}}, buf)
    seeds["dtypes.ckpt"] = buf.getvalue()
    buf = io.BytesIO()
    torch.save({"state_dict": {"w": torch.ones(2)}, "hyper_parameters": {
        "f8": np.float64(0.1), "f4": np.float32(2.5), "i8": np.int64(-40), "i4": np.int32(7), "b": np.bool_(True),
        "u1": np.uint8(200), "c": np.complex64(1j)}}, buf)
    seeds["numpy_scalars.ckpt"] = buf.getvalue()
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(f"wrote {name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
