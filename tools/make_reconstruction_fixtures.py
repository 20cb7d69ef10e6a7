#!/usr/bin/env python3
"""Write the Gamma and ZeroInflatedGamma test models and their reference means.

Usage (from the repository root; needs numpy and h5py, and for the lfads-torch
reference torch and lfads_torch importable, e.g. PYTHONPATH=<lfads-torch checkout>):
    python3 tools/make_reconstruction_fixtures.py [OUT_DIR] [--numpy]

OUT_DIR defaults to Tests/lfadscTests/Fixtures/reconstructions. The models are
the Lorenz model without controller (examples/lorenz/models/lorenz_nocon.h5, the
lfads-torch export format of tools/export_lfads_torch.py) with a wider readout,
as lfads-torch builds it for these reconstructions: Linear(fac_dim, k*neurons),
parameters chunked parameter-major (outputs [p*n, (p+1)*n) are parameter p of
every neuron). The new readout weights are random (seeded); everything upstream
is the trained model, so the factors are lfads-torch's own:
  * lorenz_gamma.h5: readout 2*40 outputs, reconstruction not named (as every
    plain checkpoint export): Gamma or Gaussian, ambiguous without
    --reconstruction;
  * lorenz_zig.h5: readout 3*40 outputs and `recon.0.scale` [2, 40], the
    reconstruction named as the export describes a stored ZeroInflatedGamma
    module (gamma_loc=0.1);
  * with torch, lfads_torch and pytorch_lightning: lorenz_gamma.ckpt and
    lorenz_zig.ckpt, Lightning checkpoints (Trainer.save_checkpoint) of
    lfads-torch's LFADS with these weights and its Gamma / ZeroInflatedGamma
    module, as a user's training run leaves them (no lfadsc_modules: the
    reconstruction is not named).

reference.h5 holds the mean reconstruction loss (compute_loss) against the
counts as attributes gaussian_nll and zig_nll, and, for the first 20 validation trials, the means lfads-torch's
`compute_means` returns (output_means=True), float32 datasets
valid_<variant>_output_params for gamma, gaussian, zig (gamma_loc 0.1) and
zig_loc0 (gamma_loc 0). torch is not needed: lfads-torch's reference factors
(examples/lorenz/reference/lorenz_nocon_valid_ref.h5, computed by
LFADS.forward in float64) go through the readout and the formulas of
lfads_torch/modules/recons.py, restated here in numpy float64:
  Gamma              exp(a) / exp(b)
  Gaussian           a
  ZeroInflatedGamma  s = max(sigmoid(x), 1e-5); alpha = s_a * scale[0],
                     beta = s_b * scale[1], q = s_c; q * (alpha / beta + loc)
"""

import json
import math
import os
import sys

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "examples/lorenz/models/lorenz_nocon.h5")
REFERENCE = os.path.join(ROOT, "examples/lorenz/reference/lorenz_nocon_valid_ref.h5")
DATA = os.path.join(ROOT, "examples/lorenz/data/lorenz.h5")
ZIG_LOC = 0.1


def write_model(path, tensors, hparams):
    with h5py.File(path, "w") as f:
        for k in sorted(tensors):
            f.create_dataset(k, data=np.asarray(tensors[k], dtype=np.float32))
        f.attrs["hparams"] = json.dumps(hparams, sort_keys=True)
        f.attrs["lfadsc_export_version"] = np.int64(1)


def gamma_nll(x, alpha, beta):
    # -log of the Gamma density (torch's Gamma.log_prob, xlogy for the shape term)
    lgamma = np.vectorize(math.lgamma)
    shape = np.where(alpha == 1, 0.0, (alpha - 1) * np.log(np.where(x > 0, x, 1.0)))
    return -(alpha * np.log(beta) + shape - beta * x - lgamma(alpha))


def sigmoid_floor(x):
    return np.maximum(1.0 / (1.0 + np.exp(-x)), 1e-5)


def torch_reference(out, counts, zig_loc):
    """Means and losses from lfads-torch's own LFADS forward (float64), or None when torch/lfads_torch are missing."""
    try:
        import torch
        from torch import nn
        from lfads_torch.modules.readin_readout import FanInLinear
        from lfads_torch.modules.recons import Gamma, Gaussian, ZeroInflatedGamma
        from lfads_torch.tuples import SessionBatch
        sys.path.insert(0, os.path.join(ROOT, "examples/lorenz"))
        from lorenz_models import build_model
    except ImportError as e:
        print(f"lfads-torch reference unavailable ({e}); using the numpy restatement")
        return None
    torch.set_default_dtype(torch.float64)
    with h5py.File(REFERENCE, "r") as f:
        encod = f["valid_encod_data"][()]
    x = torch.tensor(encod, dtype=torch.float64)
    batch = SessionBatch(encod_data=x, recon_data=x, ext_input=torch.zeros(x.shape[0], x.shape[1], 0),
                         truth=torch.zeros(x.shape[0], 0, 0), sv_mask=torch.zeros(x.shape[0], 0, 0))
    y = torch.tensor(counts)

    def run(model_file, recon, k):
        model = build_model("lorenz_nocon")
        model.readout = nn.ModuleList([FanInLinear(model.hparams.fac_dim, k * 40)])
        model.recon = nn.ModuleList([recon])
        with h5py.File(os.path.join(out, model_file), "r") as f:
            state = {name: torch.tensor(f[name][()]) for name in f}
        model.load_state_dict(state, strict=True)
        model = model.double().eval()
        with torch.no_grad():
            means = model(batch, sample_posteriors=False, output_means=True)[0].output_params.numpy()
            params = model(batch, sample_posteriors=False, output_means=False)[0].output_params
            loss = float(recon.compute_loss(y, params).mean())
        return means, loss

    def checkpoint(model_file, recon, k, target):
        try:
            import pytorch_lightning as pl
        except ImportError:
            print(f"pytorch_lightning missing: {target} not written")
            return
        model = build_model("lorenz_nocon")
        model.readout = nn.ModuleList([FanInLinear(model.hparams.fac_dim, k * 40)])
        model.recon = nn.ModuleList([recon])
        with h5py.File(os.path.join(out, model_file), "r") as f:
            model.load_state_dict({name: torch.tensor(f[name][()]).float() for name in f}, strict=True)
        trainer = pl.Trainer(accelerator="cpu", logger=False, enable_checkpointing=False, max_epochs=0,
                             enable_progress_bar=False)
        trainer.strategy.connect(model.float())
        trainer.save_checkpoint(os.path.join(out, target))

    torch.set_default_dtype(torch.float32)
    checkpoint("lorenz_gamma.h5", Gamma(), 2, "lorenz_gamma.ckpt")
    checkpoint("lorenz_zig.h5", ZeroInflatedGamma(recon_dim=40, gamma_loc=zig_loc, scale_init=1.0, scale_prior=1.0,
                                                  scale_penalty=0.0), 3, "lorenz_zig.ckpt")
    torch.set_default_dtype(torch.float64)
    refs, nlls = {}, {}
    refs["gamma"], _ = run("lorenz_gamma.h5", Gamma(), 2)
    refs["gaussian"], nlls["gaussian"] = run("lorenz_gamma.h5", Gaussian(), 2)
    zig = lambda loc: ZeroInflatedGamma(recon_dim=40, gamma_loc=loc, scale_init=1.0, scale_prior=1.0, scale_penalty=0.0)
    refs["zig"], nlls["zig"] = run("lorenz_zig.h5", zig(zig_loc), 3)
    refs["zig_loc0"], _ = run("lorenz_zig.h5", zig(0.0), 3)
    return refs, nlls, f"lfads-torch LFADS.forward (torch {torch.__version__}, float64)"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = args[0] if args else os.path.join(ROOT, "Tests/lfadscTests/Fixtures/reconstructions")
    os.makedirs(out, exist_ok=True)
    with h5py.File(MODEL, "r") as f:
        base = {k: f[k][()] for k in f}
        hparams = json.loads(f.attrs["hparams"])
    with h5py.File(REFERENCE, "r") as f:
        factors = f["valid_factors"][()]
    with h5py.File(DATA, "r") as f:
        counts = f["valid_recon_data"][:factors.shape[0]].astype(np.float64)
    n, fac = base["readout.0.weight"].shape
    rng = np.random.default_rng(18)

    def readout(k, biases, sd):
        w = rng.normal(0.0, sd, size=(k * n, fac)).astype(np.float32)
        b = np.concatenate([rng.normal(m, 0.2, size=n) for m in biases]).astype(np.float32)
        return w, b

    def apply(w, b):  # the readout on lfads-torch's factors, in float64 from the stored float32 weights
        return factors @ w.astype(np.float64).T + b.astype(np.float64)

    refs = {}
    # Gamma: log-alphas then log-betas.
    wg, bg = readout(2, [0.5, 0.0], 0.15)
    gamma = dict(base, **{"readout.0.weight": wg, "readout.0.bias": bg})
    write_model(os.path.join(out, "lorenz_gamma.h5"), gamma,
                dict(hparams, reconstruction="unknown: not stored in the checkpoint (give --reconstruction)",
                     readout=f"Linear(in_features={fac}, out_features={2 * n}, bias=True)"))
    r = apply(wg, bg)
    refs["gamma"] = np.exp(r[..., :n]) / np.exp(r[..., n:])
    refs["gaussian"] = r[..., :n]
    var = np.maximum(np.exp(r[..., n:]), 1e-6)  # torch's gaussian_nll_loss: var clamped at eps, no constant
    nlls = {"gaussian": np.mean(0.5 * (np.log(var) + (counts - r[..., :n]) ** 2 / var))}

    # ZeroInflatedGamma: alpha, beta, q parameters and the per-neuron scales.
    wz, bz = readout(3, [0.0, 0.0, -1.0], 0.3)
    scale = rng.uniform(0.5, 2.0, size=(2, n)).astype(np.float32)
    zig = dict(base, **{"readout.0.weight": wz, "readout.0.bias": bz, "recon.0.scale": scale})
    described = ("lfads_torch.modules.recons.ZeroInflatedGamma("
                 f"scale=shape[2, {n}], training=True, n_params=3, gamma_loc={ZIG_LOC}, scale_prior=1.0, scale_penalty=0.0)")
    write_model(os.path.join(out, "lorenz_zig.h5"), zig,
                dict(hparams, reconstruction=described,
                     readout=f"Linear(in_features={fac}, out_features={3 * n}, bias=True)"))
    r = apply(wz, bz)
    s = sigmoid_floor(r)
    alpha = s[..., :n] * scale[0].astype(np.float64)
    beta = s[..., n:2 * n] * scale[1].astype(np.float64)
    q = s[..., 2 * n:]
    refs["zig"] = q * (alpha / beta + ZIG_LOC)
    refs["zig_loc0"] = q * (alpha / beta)
    shifted = np.where(counts == 0, 1.0, counts - ZIG_LOC)
    nlls["zig"] = np.mean(np.where(counts == 0, -np.log(1 - q), gamma_nll(shifted, alpha, beta) - np.log(q)))

    source = "numpy restatement of lfads_torch/modules/recons.py on lfads-torch's float64 factors"
    torch_refs = None if "--numpy" in sys.argv else torch_reference(out, counts, ZIG_LOC)
    if torch_refs is not None:
        from_torch, torch_nlls, source = torch_refs
        for k in refs:  # the two references must agree
            err = np.max(np.abs(from_torch[k] - refs[k]) / np.maximum(np.abs(refs[k]), 1e-6))
            print(f"{k}: lfads-torch vs numpy max relative difference {err:.3g}")
        for k in nlls:
            print(f"{k} NLL: lfads-torch {torch_nlls[k]:.9f}, numpy {nlls[k]:.9f}")
        refs, nlls = from_torch, torch_nlls
    with h5py.File(os.path.join(out, "reference.h5"), "w") as f:
        for k, v in refs.items():
            f.create_dataset(f"valid_{k}_output_params", data=v.astype(np.float32))
        for k, v in nlls.items():
            f.attrs[f"{k}_nll"] = float(v)
        f.attrs["description"] = (f"means (output_means=True) of the first 20 validation trials by {source}; "
                                  f"zig: gamma_loc {ZIG_LOC}, zig_loc0: gamma_loc 0")
    print(nlls)
    for k, v in refs.items():
        print(f"{k}: min {v.min():.4g} max {v.max():.4g} mean {v.mean():.4g}")


if __name__ == "__main__":
    main()
