#!/usr/bin/env python3
"""Write the small real lfads-torch checkpoints that lfadsc's checkpoint reader is tested on.

Usage (from examples/lorenz/checkpoints, with torch, pytorch_lightning and lfads_torch installed):
    python make_checkpoints.py ../data/lorenz.h5 OUT_DIR [--epochs 2]

Trains lfads-torch's own LFADS LightningModule with a pytorch_lightning.Trainer
on CPU for a few epochs (the weights are not meant to be good; the file
structure is what matters) and keeps Lightning's last.ckpt of two models:
  * lorenz_con_brief.ckpt: the controller model, with `lfadsc_modules` added by
    the Lorenz example's DescribeModules callback (reconstruction is named);
  * lorenz_nocon_plain.ckpt: the model without controller, a plain Lightning
    checkpoint as lfads-torch writes it (no lfadsc_modules).
Then export each with tools/export_lfads_torch.py to the .h5 next to it.
"""

import argparse
import os
import shutil
import sys

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import ModelCheckpoint

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from lfads_torch.datamodules import BasicDataModule  # noqa: E402

from lorenz_models import build_model, module_description  # noqa: E402
from train_lfads_torch import DescribeModules  # noqa: E402


def train(name, data, out_dir, epochs, describe, target):
    pl.seed_everything(0, workers=True)
    run_dir = os.path.join(out_dir, "run_" + name)
    datamodule = BasicDataModule(datafile_pattern=os.path.abspath(data), batch_size=64)
    model = build_model(name)
    callbacks = [ModelCheckpoint(dirpath=os.path.join(run_dir, "ckpt"), save_last=True)]
    if describe:
        callbacks.append(DescribeModules(module_description(name)))
    trainer = pl.Trainer(max_epochs=epochs, accelerator="cpu", devices=1, enable_progress_bar=False,
                         callbacks=callbacks, logger=False, gradient_clip_val=200)
    trainer.fit(model=model, datamodule=datamodule)
    shutil.copyfile(os.path.join(run_dir, "ckpt", "last.ckpt"), os.path.join(out_dir, target))
    shutil.rmtree(run_dir)
    print(f"wrote {target}: {name}, {epochs} epochs, lfadsc_modules={describe}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("out_dir")
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out_dir, exist_ok=True)
    train("lorenz_con", args.data, args.out_dir, args.epochs, True, "lorenz_con_brief.ckpt")
    train("lorenz_nocon", args.data, args.out_dir, 1, False, "lorenz_nocon_plain.ckpt")


if __name__ == "__main__":
    main()
