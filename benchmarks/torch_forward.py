#!/usr/bin/env python3
"""Throughput of lfads-torch's own LFADS.forward on CPU, and its agreement with other outputs.

    PYTHONPATH=<lfads-torch source> python benchmarks/torch_forward.py MODEL.h5 DATA.h5 \
        [--arch lorenz_con] [--threads N] [--bench 1:200 --bench 256:4] [--dtype float32 --dtype float64] \
        [--compare OUT.h5 ...]

Rebuilds the lfads_torch.model.LFADS module of the Lorenz example (examples/lorenz/lorenz_models.py,
`build_model`) and loads its weights back from the exported MODEL.h5: tools/export_lfads_torch.py writes
one dataset per state_dict entry under the entry's own name, so the state_dict is the file's datasets,
loaded strictly. The forward is examples/lorenz/make_reference.py's `run` (posterior means,
output_means=True, eval mode), the pass that produced the committed references.

--bench B:K (repeatable) times K forwards of a batch of B trials (DATA's `valid_encod_data`, repeated
to fill the batch) after one warm-up forward, in this process, per --dtype. --threads N calls
torch.set_num_threads(N) first (0, the default, leaves torch's default). --compare FILE (repeatable):
an HDF5 with `<split>_output_params` (lfadsc simulate output or a reference file); the forward runs on
the same trials of DATA (the file's `split` / `first_trial` attributes when present, else the first
trials of `valid_encod_data`) and the max |rate difference| is reported per dtype.

Prints one line `RESULT {json}`: torch version, threads, per-dtype trials/s per batch, per-dtype max abs
differences. Needs torch, lfads_torch (with its imports: pytorch_lightning, torchmetrics, hydra), h5py.
"""
import argparse
import json
import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "examples", "lorenz"))

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from lorenz_models import ARCH, build_model  # noqa: E402  (imports lfads_torch)
from make_reference import run  # noqa: E402

DTYPES = {"float32": torch.float32, "float64": torch.float64}
# Exported hyperparameters that must equal the rebuilt module's (the weights' shapes are checked by the
# strict state_dict load; these are the scalars that shape the forward without owning a weight).
CHECKED_HPARAMS = ["encod_data_dim", "encod_seq_len", "recon_seq_len", "ext_input_dim", "ic_enc_seq_len",
                   "ic_enc_dim", "ci_enc_dim", "ci_lag", "con_dim", "co_dim", "ic_dim", "gen_dim", "fac_dim",
                   "cell_clip", "ic_post_var_min"]


def load_model(arch, path, dtype):
    """build_model(arch) with MODEL.h5's weights, in `dtype`, eval mode."""
    torch.set_default_dtype(dtype)
    model = build_model(arch)
    with h5py.File(path, "r") as f:
        exported = json.loads(f.attrs["hparams"])
        state = {k: torch.from_numpy(np.asarray(f[k][()], dtype=np.float32))
                 for k in f.keys() if isinstance(f[k], h5py.Dataset)}
    for key in CHECKED_HPARAMS:
        if key in exported and exported[key] != model.hparams.get(key):
            raise SystemExit(f"{path}: hparams {key} = {exported[key]!r}, but build_model({arch!r}) "
                             f"has {model.hparams.get(key)!r}")
    model.load_state_dict(state, strict=True)
    model = model.to(dtype)
    model.eval()
    return model


def rates(model, encod, dtype):
    return run(model, encod, dtype)["output_params"]


def bench(model, valid, dtype, batch, reps):
    copies = -(-batch // valid.shape[0])
    x = np.concatenate([valid] * copies)[:batch]
    rates(model, x, dtype)  # warm-up
    start = time.perf_counter()
    for _ in range(reps):
        rates(model, x, dtype)
    elapsed = time.perf_counter() - start
    return reps * batch / elapsed


def compare(model, data, path, dtype):
    with h5py.File(path, "r") as f:
        split = f.attrs.get("split", "valid")
        split = split.decode() if isinstance(split, bytes) else str(split)
        first = int(f.attrs.get("first_trial", 0))
        other = f[f"{split}_output_params"][()]
    with h5py.File(data, "r") as f:
        encod = f[f"{split}_encod_data"][first: first + other.shape[0]]
    if encod.shape[0] != other.shape[0]:
        raise SystemExit(f"{path}: {other.shape[0]} trials, but {data} has only {encod.shape[0]} from {first}")
    ours = rates(model, encod, dtype).astype(np.float64)
    if ours.shape != other.shape:
        raise SystemExit(f"{path}: rates {other.shape}, lfads-torch gives {ours.shape}")
    diff = np.abs(ours - other)
    return {"trials": int(other.shape[0]), "max_abs": float(diff.max()),
            "max_rel": float(diff.max() / np.abs(other).max()), "max_rate": float(np.abs(other).max())}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model")
    p.add_argument("data")
    p.add_argument("--arch", help="lorenz_models.ARCH name (default: the model file's stem)")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--bench", action="append", default=[], metavar="B:K")
    p.add_argument("--dtype", action="append", choices=sorted(DTYPES))
    p.add_argument("--compare", action="append", default=[])
    args = p.parse_args()
    arch = args.arch or os.path.splitext(os.path.basename(args.model))[0]
    if arch not in ARCH:
        raise SystemExit(f"unknown architecture {arch!r} (lorenz_models.ARCH has {', '.join(sorted(ARCH))})")
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    with h5py.File(args.data, "r") as f:
        valid = f["valid_encod_data"][()]
    import pytorch_lightning
    result = {"torch": torch.__version__, "pytorch_lightning": pytorch_lightning.__version__,
              "threads": torch.get_num_threads(), "arch": arch, "rate": {}, "compare": {}}
    for name in args.dtype or ["float32"]:
        dtype = DTYPES[name]
        model = load_model(arch, args.model, dtype)
        for spec in args.bench:
            batch, reps = (int(v) for v in spec.split(":"))
            result["rate"].setdefault(name, {})[str(batch)] = bench(model, valid, dtype, batch, reps)
        for path in args.compare:
            result["compare"].setdefault(name, {})[os.path.basename(path)] = compare(model, args.data, path, dtype)
    print("RESULT " + json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
