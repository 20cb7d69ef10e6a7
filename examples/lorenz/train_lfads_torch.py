#!/usr/bin/env python3
"""Train one Lorenz example model with lfads-torch's own LightningModule and a
pytorch_lightning.Trainer (CPU), as lfads-torch's run_model would.

Usage:
    python train_lfads_torch.py {lorenz_nocon|lorenz_con} DATA.h5 RUN_DIR \
        [--epochs 400] [--seed 0] [--threads 1]

Writes RUN_DIR/lightning_checkpoints/{best,last}.ckpt and RUN_DIR/csv_logs.
The best checkpoint (lowest valid/recon_smth, as lfads-torch's
posterior_sampling.use_best_ckpt) is the one to export. Each checkpoint also
carries `lfadsc_modules`: strings describing the constructor arguments that
LFADS.save_hyperparameters leaves out (read-in/out, reconstruction, priors).
"""

import argparse
import os
import time

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import Callback, ModelCheckpoint
from pytorch_lightning.loggers import CSVLogger

from lfads_torch.datamodules import BasicDataModule

from lorenz_models import ARCH, build_model, module_description


class DescribeModules(Callback):
    def __init__(self, description):
        self.description = description

    def on_save_checkpoint(self, trainer, pl_module, checkpoint):
        checkpoint["lfadsc_modules"] = dict(self.description)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", choices=sorted(ARCH))
    parser.add_argument("data")
    parser.add_argument("run_dir")
    parser.add_argument("--epochs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    pl.seed_everything(args.seed, workers=True)
    os.makedirs(args.run_dir, exist_ok=True)
    datamodule = BasicDataModule(
        datafile_pattern=os.path.abspath(args.data), batch_size=args.batch_size)
    model = build_model(args.model)
    checkpoint = ModelCheckpoint(
        monitor="valid/recon_smth", mode="min", save_top_k=1, save_last=True,
        dirpath=os.path.join(args.run_dir, "lightning_checkpoints"),
        filename="best", auto_insert_metric_name=False)
    trainer = pl.Trainer(
        max_epochs=args.epochs,
        gradient_clip_val=200,
        log_every_n_steps=5,
        accelerator="cpu",
        devices=1,
        enable_progress_bar=False,
        callbacks=[checkpoint, DescribeModules(module_description(args.model))],
        logger=CSVLogger(save_dir=os.path.join(args.run_dir, "csv_logs"), name="", version=""),
    )
    start = time.time()
    trainer.fit(model=model, datamodule=datamodule)
    elapsed = time.time() - start
    n_params = sum(p.numel() for p in model.parameters())
    print(f"trained {args.model}: {args.epochs} epochs in {elapsed:.1f} s, "
          f"{n_params} parameters, best {checkpoint.best_model_path} "
          f"(valid/recon_smth {float(checkpoint.best_model_score):.6f})")


if __name__ == "__main__":
    main()
