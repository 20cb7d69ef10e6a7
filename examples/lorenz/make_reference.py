#!/usr/bin/env python3
"""Reference outputs and validation metrics from lfads-torch's own forward.

Usage:
    python make_reference.py {lorenz_nocon|lorenz_con} CKPT DATA.h5 MODEL.h5 OUT_REF.h5 \
        [--trials 20] [--metrics-json OUT.json]

* Builds lfads_torch.model.LFADS with the configuration of lorenz_models.py,
  loads `ckpt["state_dict"]` (strict), checks that the exported MODEL.h5
  holds bit-identical float32 weights, then runs LFADS.forward on the first
  --trials validation trials with sample_posteriors=False (posterior means),
  output_means=True, model.eval() (dropout off):
    - in float64: torch default dtype float64, model.double(), inputs float64
      (the float32 weights are widened exactly, so the only rounding is that of
      the float64 arithmetic);
    - in float32 (the trained precision), for information.
* OUT_REF.h5: `valid_<output>` float64 for every SessionOutput field of
  lfads-torch (output_params = rates per bin, factors, gen_states, gen_init,
  ic_mean, ic_std; and for a controller model co_means, co_stds, con_states,
  gen_inputs), `valid_encod_data` (the input trials, int32), and the
  attribute `f32_vs_f64` (JSON: max |f32 - f64| / max |f64| per output of
  the float32 run; its arrays are not stored, to keep the repository small).
  Each dataset is one chunk, shuffle + deflate.
* Metrics on all validation (and training) trials with the float32 model and
  posterior means: Poisson NLL (full, with log n!), bits per spike against
  each neuron's mean count, R^2 of rates against the true rates.
"""

import argparse
import json
import math

import h5py
import numpy as np
import torch

from lfads_torch.tuples import SessionBatch, SessionOutput

from lorenz_models import build_model

CONTROLLER_OUTPUTS = {"co_means", "co_stds", "con_states", "gen_inputs"}


def load_model(name, ckpt_path, dtype):
    torch.set_default_dtype(dtype)
    model = build_model(name)
    ckpt = torch.load(ckpt_path, map_location="cpu")
    model.load_state_dict(ckpt["state_dict"], strict=True)
    model = model.to(dtype)
    model.eval()
    return model, ckpt


def run(model, encod, dtype):
    x = torch.tensor(encod, dtype=dtype)
    batch = SessionBatch(
        encod_data=x, recon_data=x, ext_input=torch.zeros(x.shape[0], x.shape[1], 0, dtype=dtype),
        truth=torch.zeros(x.shape[0], 0, 0, dtype=dtype), sv_mask=torch.zeros(x.shape[0], 0, 0, dtype=dtype))
    with torch.no_grad():
        out = model(batch, sample_posteriors=False, output_means=True)[0]
    return {k: getattr(out, k).numpy() for k in SessionOutput._fields}


def poisson_metrics(rates, counts, truth=None):
    rates = rates.astype(np.float64)
    counts = counts.astype(np.float64)
    lgam = np.vectorize(math.lgamma)(counts + 1.0)
    nll = np.sum(rates - counts * np.log(rates) + lgam)
    null_rate = counts.mean(axis=(0, 1), keepdims=True)
    nll_null = np.sum(null_rate - counts * np.log(null_rate) + lgam)
    result = {
        "poisson_nll_total": float(nll),
        "poisson_nll_per_bin_neuron": float(nll / counts.size),
        "null_nll_per_bin_neuron": float(nll_null / counts.size),
        "bits_per_spike": float((nll_null - nll) / counts.sum() / math.log(2)),
    }
    if truth is not None:
        t = truth.reshape(-1, truth.shape[-1]).astype(np.float64)
        r = rates.reshape(-1, rates.shape[-1])
        ss_res = np.sum((t - r) ** 2, axis=0)
        ss_tot = np.sum((t - t.mean(axis=0)) ** 2, axis=0)
        result["rate_r2_vs_truth"] = float(np.mean(1 - ss_res / ss_tot))
        truth = truth.astype(np.float64)
        nll_truth = np.sum(truth - counts * np.log(truth) + lgam)
        result["bits_per_spike_true_rates"] = float((nll_null - nll_truth) / counts.sum() / math.log(2))
    return result


def pulse_response(co_means, kicks):
    """Mean |controller output| in bins p-1..p+3 around true pulses vs elsewhere."""
    near = np.zeros(co_means.shape[:2], dtype=bool)
    trials, bins = np.nonzero(np.abs(kicks).sum(axis=2) > 0)
    for tr, b in zip(trials, bins):
        near[tr, max(b - 1, 0): b + 4] = True
    norm = np.linalg.norm(co_means, axis=2)
    return {"mean_norm_near_pulses": float(norm[near].mean()),
            "mean_norm_elsewhere": float(norm[~near].mean())}


def check_export(model_h5, state_dict):
    with h5py.File(model_h5, "r") as f:
        keys = set(f.keys())
        if keys != set(state_dict.keys()):
            raise SystemExit(f"{model_h5}: dataset names differ from the state_dict keys")
        for k, v in state_dict.items():
            if not np.array_equal(f[k][()], v.numpy()):
                raise SystemExit(f"{model_h5}: {k} differs from the checkpoint")


def rel_err(a, b):
    scale = np.max(np.abs(b)) if b.size else 0.0
    return float(np.max(np.abs(a.astype(np.float64) - b)) / scale) if scale else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", choices=["lorenz_nocon", "lorenz_con"])
    parser.add_argument("ckpt")
    parser.add_argument("data")
    parser.add_argument("model_h5")
    parser.add_argument("out")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--metrics-json")
    args = parser.parse_args()
    torch.set_num_threads(1)

    with h5py.File(args.data, "r") as f:
        data = {k: f[k][()] for k in f.keys()}
    valid = data["valid_encod_data"][: args.trials]

    m64, ckpt = load_model(args.model, args.ckpt, torch.float64)
    check_export(args.model_h5, ckpt["state_dict"])
    ref64 = run(m64, valid, torch.float64)
    m32, _ = load_model(args.model, args.ckpt, torch.float32)
    ref32 = run(m32, valid, torch.float32)
    use_con = m64.use_con

    f32_vs_f64 = {k: rel_err(ref32[k], ref64[k]) for k in ref64 if ref64[k].size}
    with h5py.File(args.out, "w") as f:
        def put(name, data):
            f.create_dataset(name, data=data, chunks=data.shape, compression="gzip",
                             compression_opts=9, shuffle=True)

        for k in SessionOutput._fields:
            if k in CONTROLLER_OUTPUTS and not use_con:
                continue
            put(f"valid_{k}", ref64[k].astype(np.float64))
        put("valid_encod_data", valid.astype(np.int32))
        f.attrs["f32_vs_f64"] = json.dumps(f32_vs_f64, sort_keys=True)
        f.attrs["description"] = (
            f"lfads-torch LFADS.forward(sample_posteriors=False, output_means=True), eval mode, "
            f"float64 (model.double(), default dtype float64), first {args.trials} valid trials. "
            f"Checkpoint epoch {ckpt['epoch']}.")
        f.attrs["torch_version"] = str(torch.__version__)

    metrics = {"checkpoint_epoch": ckpt["epoch"], "f32_vs_f64_rel": f32_vs_f64}
    for split in ("valid", "train"):
        out = run(m32, data[f"{split}_encod_data"], torch.float32)
        truth = data.get(f"{split}_truth")
        if truth is None and split == "valid" and "valid_latents" in data:
            truth = np.exp(data["valid_latents"].astype(np.float64) @ data["readout_weight"]
                           + data["readout_log_base"])
        metrics[split] = poisson_metrics(out["output_params"], data[f"{split}_recon_data"], truth)
        if use_con and f"{split}_inputs" in data:
            metrics[split]["controller_output"] = pulse_response(out["co_means"], data[f"{split}_inputs"])
    print(json.dumps(metrics, indent=1))
    if args.metrics_json:
        with open(args.metrics_json, "w") as f:
            json.dump(metrics, f, indent=1)


if __name__ == "__main__":
    main()
