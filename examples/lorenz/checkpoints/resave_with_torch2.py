#!/usr/bin/env python3
"""Re-save a checkpoint's model part with the installed torch (meant for torch >= 2.1), to test the reader
on the newer archive layout (byteorder entry, .data/serialization_id, .format_version, storage alignment).

Usage: python resave_with_torch2.py lorenz_con_brief.ckpt lorenz_con_torch2.ckpt

Loads the input with tools/export_lfads_torch.py's lenient loader (no lfads_torch or Lightning needed) and
writes {state_dict, hyper_parameters (plain values only), lfadsc_modules} with torch.save's defaults.
"""

import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tools"))
from export_lfads_torch import load_checkpoint  # noqa: E402


def plain(value):
    return value is None or isinstance(value, (bool, int, float, str))


def main():
    src, dst = sys.argv[1:3]
    ckpt = load_checkpoint(src)
    out = {
        "state_dict": ckpt["state_dict"],
        "hyper_parameters": {k: v for k, v in ckpt["hyper_parameters"].items() if plain(v)},
        "lfadsc_modules": ckpt.get("lfadsc_modules", {}),
    }
    torch.save(out, dst)
    print(f"wrote {dst} with torch {torch.__version__}")


if __name__ == "__main__":
    main()
