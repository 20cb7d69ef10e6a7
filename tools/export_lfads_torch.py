#!/usr/bin/env python3
"""Export an lfads-torch Lightning checkpoint to the HDF5 form lfadsc imports.

Usage:
    python tools/export_lfads_torch.py CKPT OUT.h5 [--reconstruction NAME]

Needs only torch, h5py and numpy: lfads_torch, pytorch_lightning and any other
class pickled into the checkpoint are replaced by inert stand-ins while
loading, so their state is read but none of their code is imported or run.

Output:
  * one float32 dataset per `ckpt["state_dict"]` entry, named exactly as the
    key (e.g. `encoder.ic_enc.fwd_gru.cell.weight_ih`), same shape (a
    zero-size shape such as the input weights of a generator without inputs,
    [3*gen_dim, 0], is kept as a zero-size dataset);
  * root string attribute `hparams`: JSON object of the constructor
    hyperparameters from `ckpt["hyper_parameters"]` (values that are not JSON
    numbers/strings/booleans are written as descriptive strings), plus
    `readin`, `readout`, `reconstruction`, `ic_prior`, `co_prior` (strings)
    and `num_sessions`. LFADS.save_hyperparameters leaves the read-in/out,
    reconstruction and priors out of the checkpoint, so they come from
    `ckpt["lfadsc_modules"]` when the training script stored it (the Lorenz
    example does), else they are inferred from state_dict names and shapes;
    the reconstruction distribution cannot be inferred (Poisson has no
    weights) and is then "unknown" unless --reconstruction is given;
  * root attribute `lfadsc_export_version` = 1, and `source_epoch`,
    `source_global_step` when the checkpoint has them.
"""

import argparse
import json
import math
import pickle
import sys
import types

import h5py
import numpy as np
import torch

EXPORT_VERSION = 1

# Modules whose classes are really imported while unpickling; every other
# class becomes a stand-in (see _Stand_in).
_REAL_MODULE_ROOTS = {"torch", "numpy", "collections", "builtins", "copyreg",
                      "_codecs", "__builtin__", "copy_reg", "math"}

REQUIRED_HPARAMS = [
    "encod_data_dim", "encod_seq_len", "recon_seq_len", "ext_input_dim",
    "ic_enc_seq_len", "ic_enc_dim", "ci_enc_dim", "ci_lag", "con_dim", "co_dim",
    "ic_dim", "gen_dim", "fac_dim", "cell_clip", "dropout_rate", "variational",
]


class _StandIn(dict):
    """Inert replacement for a class that is not imported: keeps the pickled
    state (dict items, attribute state, constructor arguments) for describing."""

    _qualified_name = "unknown"

    def __init__(self, *args, **kwargs):
        self.__dict__["_standin_args"] = args
        self.__dict__["_standin_kwargs"] = kwargs

    def __setstate__(self, state):
        if isinstance(state, tuple) and len(state) == 2:
            state = {**(state[0] or {}), **(state[1] or {})}
        if isinstance(state, dict):
            self.__dict__.update(state)
        else:
            self.__dict__["_standin_state"] = state

    def __reduce__(self):  # never pickled again
        raise TypeError("stand-in objects cannot be pickled")


def _stand_in_class(module, name):
    return type(name, (_StandIn,), {"_qualified_name": f"{module}.{name}",
                                    "__module__": "lfadsc_stand_in"})


class _LenientUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module.split(".")[0] in _REAL_MODULE_ROOTS:
            return super().find_class(module, name)
        return _stand_in_class(module, name)


# A stand-in for the pickle module: everything from pickle, but a lenient Unpickler.
_lenient_pickle = types.ModuleType("lfadsc_lenient_pickle")
_lenient_pickle.__dict__.update({k: v for k, v in vars(pickle).items() if not k.startswith("__")})
_lenient_pickle.Unpickler = _LenientUnpickler
_lenient_pickle.load = lambda f, **kw: _LenientUnpickler(f, **kw).load()


def load_checkpoint(path):
    # torch 1.13 replaces a given pickle_module by its module-global `pickle`
    # whenever weights_only is False, so that global is swapped for the call.
    import torch.serialization as serialization
    saved = getattr(serialization, "pickle", None)
    if saved is pickle:
        serialization.pickle = _lenient_pickle
    try:
        try:
            return torch.load(path, map_location="cpu", pickle_module=_lenient_pickle,
                              weights_only=False)
        except TypeError:  # torch without the weights_only argument
            return torch.load(path, map_location="cpu", pickle_module=_lenient_pickle)
    finally:
        if saved is pickle:
            serialization.pickle = saved


def describe(value, depth=0):
    """JSON-compatible form of a hyperparameter value."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return describe(value.item(), depth)
    if isinstance(value, (list, tuple)) and depth < 4:
        return [describe(v, depth + 1) for v in value]
    if isinstance(value, torch.Tensor):
        if value.numel() <= 16:
            return f"tensor(shape={list(value.shape)}, values={value.detach().flatten().tolist()})"
        return f"tensor(shape={list(value.shape)}, dtype={value.dtype})"
    if isinstance(value, _StandIn):
        return _describe_stand_in(value, depth)
    if isinstance(value, dict) and depth < 4:
        return {str(k): describe(v, depth + 1) for k, v in value.items()}
    return repr(value)


def _describe_stand_in(obj, depth):
    fields = []
    params = obj.__dict__.get("_parameters")
    if isinstance(params, dict):
        for k, p in params.items():
            if isinstance(p, torch.Tensor):
                fields.append(f"{k}=shape{list(p.shape)}")
    for k, v in obj.__dict__.items():
        if k.startswith("_") or depth >= 3:
            continue
        if isinstance(v, (bool, int, float, str)):
            fields.append(f"{k}={v!r}")
        elif isinstance(v, (list, tuple)):
            fields.append(f"{k}=[{', '.join(str(describe(x, depth + 1)) for x in v)}]")
        elif isinstance(v, _StandIn):
            fields.append(f"{k}={_describe_stand_in(v, depth + 1)}")
    return f"{type(obj)._qualified_name}({', '.join(fields)})"


def _linear_description(state_dict, prefix):
    """Describe the per-session modules `prefix.<i>` from their weights."""
    sessions = sorted({int(k.split(".")[1]) for k in state_dict
                       if k.startswith(prefix + ".") and k.split(".")[1].isdigit()})
    out = []
    for s in sessions:
        w = state_dict.get(f"{prefix}.{s}.weight")
        if w is None or w.dim() != 2:
            out.append("unknown module with weights: " + ", ".join(
                k for k in state_dict if k.startswith(f"{prefix}.{s}.")))
            continue
        bias = f"{prefix}.{s}.bias" in state_dict
        out.append(f"Linear(in_features={w.shape[1]}, out_features={w.shape[0]}, bias={bias})")
    return out


def inferred_modules(state_dict, hparams):
    readin = _linear_description(state_dict, "readin") or ["Identity"]
    readout = _linear_description(state_dict, "readout") or ["Identity"]
    if "ic_prior.mean" in state_dict and "ic_prior.logvar" in state_dict:
        ic_prior = f"MultivariateNormal(shape={list(state_dict['ic_prior.mean'].shape)})"
    elif "ic_prior.loc" in state_dict:
        ic_prior = f"MultivariateStudentT(shape={list(state_dict['ic_prior.loc'].shape)})"
    else:
        ic_prior = "Null (no parameters in state_dict)"
    if isinstance(hparams.get("co_prior"), _StandIn):
        co_prior = _describe_stand_in(hparams["co_prior"], 0)
    elif "co_prior.logtaus" in state_dict:
        co_prior = f"AutoregressiveMultivariateNormal(shape={list(state_dict['co_prior.logtaus'].shape)})"
    else:
        co_prior = "Null (no parameters in state_dict)"
    one = lambda xs: xs[0] if len(xs) == 1 else xs
    return {
        "readin": one(readin),
        "readout": one(readout),
        "reconstruction": "unknown: not stored in the checkpoint (give --reconstruction)",
        "ic_prior": ic_prior,
        "co_prior": co_prior,
        "num_sessions": max(len(readin), len(readout)),
    }


def build_hparams(ckpt, reconstruction):
    raw = dict(ckpt.get("hyper_parameters", {}))
    state_dict = ckpt["state_dict"]
    hp = {str(k): describe(v) for k, v in raw.items()}
    modules = inferred_modules(state_dict, raw)
    stored = ckpt.get("lfadsc_modules")
    if isinstance(stored, dict):
        modules.update({str(k): describe(v) for k, v in stored.items()})
    if reconstruction:
        modules["reconstruction"] = reconstruction
    hp.update(modules)
    missing = [k for k in REQUIRED_HPARAMS if k not in hp]
    if missing:
        raise SystemExit(f"checkpoint hyper_parameters lack {', '.join(missing)}")
    return hp


def export(ckpt_path, out_path, reconstruction=None):
    ckpt = load_checkpoint(ckpt_path)
    if "state_dict" not in ckpt:
        raise SystemExit(f"{ckpt_path}: no state_dict in checkpoint")
    hparams = build_hparams(ckpt, reconstruction)
    with h5py.File(out_path, "w") as f:
        for key, tensor in ckpt["state_dict"].items():
            if "/" in key:
                raise SystemExit(f"{ckpt_path}: state_dict key {key!r} contains '/'")
            f.create_dataset(key, data=tensor.detach().cpu().numpy().astype(np.float32))
        f.attrs["hparams"] = json.dumps(hparams, sort_keys=True)
        f.attrs["lfadsc_export_version"] = np.int64(EXPORT_VERSION)
        for src, dst in (("epoch", "source_epoch"), ("global_step", "source_global_step")):
            if isinstance(ckpt.get(src), int):
                f.attrs[dst] = np.int64(ckpt[src])
    return ckpt["state_dict"], hparams


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ckpt")
    parser.add_argument("out")
    parser.add_argument("--reconstruction", help="reconstruction distribution name, "
                        "used when the checkpoint does not say it (e.g. Poisson)")
    args = parser.parse_args(argv)
    state_dict, hparams = export(args.ckpt, args.out, args.reconstruction)
    n = sum(int(t.numel()) for t in state_dict.values())
    print(f"wrote {args.out}: {len(state_dict)} datasets, {n} values; "
          f"reconstruction={hparams['reconstruction']}, readin={hparams['readin']}")


if __name__ == "__main__":
    sys.exit(main())
