"""The two lfads-torch model configurations of the Lorenz example.

Builds lfads_torch.model.LFADS (lfads-torch's own LightningModule) with the
same constructor arguments lfads-torch's hydra configs would pass. Used by
train_lfads_torch.py and make_reference.py. Needs torch and lfads_torch.
"""

from torch import nn

from lfads_torch.model import LFADS
from lfads_torch.modules import augmentations
from lfads_torch.modules.priors import AutoregressiveMultivariateNormal, MultivariateNormal
from lfads_torch.modules.readin_readout import FanInLinear
from lfads_torch.modules.recons import Poisson

N_NEURONS = 40
SEQ_LEN = 50

# Architecture per model. Dimensions are deliberately pairwise different
# where possible, so that an importer that swaps two axes fails loudly.
ARCH = {
    "lorenz_nocon": dict(
        readin_dim=None,  # identity read-in: encoders see the 40 neurons
        ic_enc_dim=32, ic_dim=16, gen_dim=32, fac_dim=8,
        ci_enc_dim=0, con_dim=0, co_dim=0,
    ),
    "lorenz_con": dict(
        readin_dim=28,  # nn.Linear(40, 28) read-in
        ic_enc_dim=24, ic_dim=12, gen_dim=32, fac_dim=8,
        ci_enc_dim=16, con_dim=16, co_dim=2,
    ),
}

# Training hyperparameters shared by both models (lfads-torch names).
TRAIN_HPS = dict(
    dropout_rate=0.05,
    cell_clip=5.0,
    ic_post_var_min=1.0e-4,
    loss_scale=1.0e4,
    recon_reduce_mean=True,
    lr_scheduler=True,
    lr_init=5.0e-3,
    lr_stop=1.0e-5,
    lr_decay=0.95,
    lr_patience=6,
    lr_adam_beta1=0.9,
    lr_adam_beta2=0.999,
    lr_adam_epsilon=1.0e-8,
    weight_decay=0.0,
    l2_start_epoch=0,
    l2_increase_epoch=80,
    l2_ic_enc_scale=0.0,
    l2_ci_enc_scale=0.0,
    l2_gen_scale=1.0e-3,
    l2_con_scale=1.0e-3,
    kl_start_epoch=0,
    kl_increase_epoch=80,
    kl_ic_scale=1.0e-4,
    kl_co_scale=1.0e-4,
)
CD_RATE = 0.3


def module_description(name):
    """Strings for the parts that LFADS.save_hyperparameters leaves out."""
    a = ARCH[name]
    readin = "Identity" if a["readin_dim"] is None else \
        f"torch.nn.Linear(in_features={N_NEURONS}, out_features={a['readin_dim']}, bias=True)"
    return {
        "readin": readin,
        "readout": "lfads_torch.modules.readin_readout.FanInLinear("
                   f"in_features={a['fac_dim']}, out_features={N_NEURONS}, bias=True)",
        "reconstruction": "lfads_torch.modules.recons.Poisson",
        "ic_prior": f"lfads_torch.modules.priors.MultivariateNormal(mean=0, variance=0.1, shape={a['ic_dim']})",
        "co_prior": f"lfads_torch.modules.priors.AutoregressiveMultivariateNormal(tau=10.0, nvar=0.1, shape={a['co_dim']})",
        "train_aug_stack": f"CoordinatedDropout(cd_rate={CD_RATE}, cd_pass_rate=0.0)",
        "num_sessions": 1,
    }


def build_model(name):
    a = ARCH[name]
    if a["readin_dim"] is None:
        readin = nn.ModuleList([nn.Identity()])
        encod_dim = N_NEURONS
    else:
        readin = nn.ModuleList([nn.Linear(N_NEURONS, a["readin_dim"])])
        encod_dim = a["readin_dim"]
    cd = augmentations.CoordinatedDropout(cd_rate=CD_RATE, cd_pass_rate=0.0, ic_enc_seq_len=0)
    return LFADS(
        encod_data_dim=encod_dim,
        encod_seq_len=SEQ_LEN,
        recon_seq_len=SEQ_LEN,
        ext_input_dim=0,
        ic_enc_seq_len=0,
        ic_enc_dim=a["ic_enc_dim"],
        ci_enc_dim=a["ci_enc_dim"],
        ci_lag=1,
        con_dim=a["con_dim"],
        co_dim=a["co_dim"],
        ic_dim=a["ic_dim"],
        gen_dim=a["gen_dim"],
        fac_dim=a["fac_dim"],
        reconstruction=nn.ModuleList([Poisson()]),
        variational=True,
        co_prior=AutoregressiveMultivariateNormal(tau=10.0, nvar=0.1, shape=a["co_dim"]),
        ic_prior=MultivariateNormal(mean=0, variance=0.1, shape=a["ic_dim"]),
        train_aug_stack=augmentations.AugmentationStack(
            transforms=[cd], batch_order=[0], loss_order=[0]),
        infer_aug_stack=augmentations.AugmentationStack(),
        readin=readin,
        readout=nn.ModuleList([FanInLinear(a["fac_dim"], N_NEURONS)]),
        **TRAIN_HPS,
    )
