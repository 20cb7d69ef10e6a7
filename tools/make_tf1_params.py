#!/usr/bin/env python3
"""Convert an lfads-torch export (tools/export_lfads_torch.py) into the layout of TF1 LFADS'
`--kind=write_model_params` HDF5 file, for testing lfadsc's `lfads-tf1` importer on a real model.

Usage:
    python tools/make_tf1_params.py examples/lorenz/models/lorenz_con.h5 \
        examples/lorenz/models/lorenz_con_tf1.h5 [--dataset-name lorenz]

TF1 layout (one dataset per variable, name = variable name with '/' -> '_'):
  encoder GRU (ic_enc, ci_enc; class GRU, forget bias 1.0, clip):
    LFADS_<e>_enc_<fwd|rev>_GRU_Gates_xh_2_ru_W:0     [I+H, 2H]  rows x then h; columns r then u
    LFADS_<e>_enc_<fwd|rev>_GRU_Gates_xh_2_ru_b:0     [1, 2H]
    LFADS_<e>_enc_<fwd|rev>_GRU_Candidate_xrh_2_c_W:0 [I+H, H]
    LFADS_<e>_enc_<fwd|rev>_GRU_Candidate_xrh_2_c_b:0 [1, H]
    LFADS_<e>_enc_<fwd|rev>_<e>_enc_t0_<fwd|rev>:0   [1, H]   learned initial state
  generator / controller (class GenGRU; input matrices without bias):
    LFADS_<gen|con>_GenGRU_Gates_x_2_ru_W:0 [I, 2H], ..._Gates_h_2_ru_W:0 [H, 2H], ..._Gates_h_2_ru_b:0 [1, 2H],
    LFADS_<gen|con>_GenGRU_Candidate_x_2_c_W:0 [I, H], ..._Candidate_rh_2_c_W:0 [H, H], ..._rh_2_c_b:0 [1, H]
  LFADS_con_c0:0 [1, con], LFADS_con_con_to_post_co_{mean,logvar}_{W,b}:0 ([con, co], [1, co]),
  LFADS_z_ic_enc_2_post_g0_{mean,logvar}_{W,b}:0 ([2*ic_enc, ic], [1, ic]),
  LFADS_gen_g0_2_gen_ic_{W,b}:0 ([ic, gen], [1, gen]; absent when ic_dim == gen_dim: identity),
  LFADS_gen_gen_2_fac_W:0 [gen, fac] (normalised per column at use), LFADS_x_2_infac_<name>_{W,b}:0 (read-in,
  absent for identity), LFADS_glm_fac_2_logrates_<name>_{W,b}:0 ([fac, D], [1, D]).
Matrices are [in, out] (TF1 computes x @ W).

Gate conversion. lfads-torch's ClippedGRUCell: z = s(Wz x + bz + Uz h + b'z), r = s(...),
n = tanh(Wn x + bn + Un (r*h) + b'n), h' = z h + (1 - z) n. TF1's GRU: [r, u] = [x, h] @ W_ru + b_ru,
u = s(u + 1.0) (constant forget bias), c = tanh([x, r*h] @ W_c + b_c), h' = u h + (1 - u) c. So u is z,
the r/u columns are swapped relative to torch's z/r row blocks, the input and recurrent biases merge, and
the update bias carries -1.0 to cancel TF1's forget bias.

The datasets are written as float64 (TF1 itself writes float32) so that b_u = bz + b'z - 1 is exact and the
two imports can be compared to rounding level. A root attribute `hparams` (JSON) holds the TF1
hyperparameters the weights cannot tell (num_steps, cell_clip_value, ic_post_var_min, controller_input_lag, ...).
Needs numpy and h5py.
"""

import argparse
import json
import sys

import h5py
import numpy as np

FORGET_BIAS = 1.0


def torch_gru(w, prefix):
    """Torch blocks (z, r, n) of W_ih [3H, I], W_hh [3H, H] and the two biases."""
    wih, whh = w[prefix + ".weight_ih"], w[prefix + ".weight_hh"]
    bih, bhh = w[prefix + ".bias_ih"], w[prefix + ".bias_hh"]
    h = whh.shape[1]
    blocks = lambda m: (m[:h], m[h:2 * h], m[2 * h:])
    return h, blocks(wih), blocks(whh), blocks(bih), blocks(bhh)


def encoder_gru(out, w, prefix, tf_scope):
    h, (wz, wr, wn), (uz, ur, un), (bz, br, bn), (cz, cr, cn) = torch_gru(w, prefix)
    w_ru = np.concatenate([np.concatenate([wr.T, wz.T], axis=1),     # x rows
                           np.concatenate([ur.T, uz.T], axis=1)], axis=0)  # h rows
    b_ru = np.concatenate([br + cr, bz + cz - FORGET_BIAS])[None, :]
    w_c = np.concatenate([wn.T, un.T], axis=0)
    b_c = (bn + cn)[None, :]
    out[f"{tf_scope}_GRU_Gates_xh_2_ru_W:0"] = w_ru
    out[f"{tf_scope}_GRU_Gates_xh_2_ru_b:0"] = b_ru
    out[f"{tf_scope}_GRU_Candidate_xrh_2_c_W:0"] = w_c
    out[f"{tf_scope}_GRU_Candidate_xrh_2_c_b:0"] = b_c


def gen_gru(out, w, prefix, tf_scope):
    h, (wz, wr, wn), (uz, ur, un), (bz, br, bn), (cz, cr, cn) = torch_gru(w, prefix)
    if wz.shape[1] > 0:  # TF1 creates no input matrices for a cell without inputs
        out[f"{tf_scope}_GenGRU_Gates_x_2_ru_W:0"] = np.concatenate([wr.T, wz.T], axis=1)
        out[f"{tf_scope}_GenGRU_Candidate_x_2_c_W:0"] = wn.T
    out[f"{tf_scope}_GenGRU_Gates_h_2_ru_W:0"] = np.concatenate([ur.T, uz.T], axis=1)
    out[f"{tf_scope}_GenGRU_Gates_h_2_ru_b:0"] = np.concatenate([br + cr, bz + cz - FORGET_BIAS])[None, :]
    out[f"{tf_scope}_GenGRU_Candidate_rh_2_c_W:0"] = un.T
    out[f"{tf_scope}_GenGRU_Candidate_rh_2_c_b:0"] = (bn + cn)[None, :]


def convert(src, dst, name):
    with h5py.File(src, "r") as f:
        hp = json.loads(f.attrs["hparams"])
        w = {k: np.asarray(f[k][()], dtype=np.float64) for k in f.keys()}
    if hp.get("ic_enc_seq_len", 0) != 0 or hp["recon_seq_len"] != hp["encod_seq_len"]:
        raise SystemExit("only models whose encoders see the whole sequence can be converted")
    if "readout.1.weight" in w:
        raise SystemExit("only single-session models can be converted")
    out = {}
    for enc in ("ic", "ci"):
        if f"encoder.{enc}_enc_h0" not in w:
            continue
        h0 = w[f"encoder.{enc}_enc_h0"]
        for i, (tdir, tfdir) in enumerate((("fwd", "fwd"), ("bwd", "rev"))):
            scope = f"LFADS_{enc}_enc_{tfdir}"
            encoder_gru(out, w, f"encoder.{enc}_enc.{tdir}_gru.cell", scope)
            out[f"{scope}_{enc}_enc_t0_{tfdir}:0"] = h0[i]  # [1, H]
    ic = hp["ic_dim"]
    lin, bias = w["encoder.ic_linear.weight"], w["encoder.ic_linear.bias"]
    out["LFADS_z_ic_enc_2_post_g0_mean_W:0"] = lin[:ic].T
    out["LFADS_z_ic_enc_2_post_g0_mean_b:0"] = bias[:ic][None, :]
    out["LFADS_z_ic_enc_2_post_g0_logvar_W:0"] = lin[ic:].T
    out["LFADS_z_ic_enc_2_post_g0_logvar_b:0"] = bias[ic:][None, :]
    # TF1 uses an identity here when ic_dim == gen_dim; lfads-torch always has a Linear.
    out["LFADS_gen_g0_2_gen_ic_W:0"] = w["decoder.ic_to_g0.weight"].T
    out["LFADS_gen_g0_2_gen_ic_b:0"] = w["decoder.ic_to_g0.bias"][None, :]
    gen_gru(out, w, "decoder.rnn.cell.gen_cell", "LFADS_gen")
    out["LFADS_gen_gen_2_fac_W:0"] = w["decoder.rnn.cell.fac_linear.weight"].T
    if "decoder.rnn.cell.con_cell.weight_hh" in w:
        gen_gru(out, w, "decoder.rnn.cell.con_cell", "LFADS_con")
        out["LFADS_con_c0:0"] = w["decoder.con_h0"]
        co = hp["co_dim"]
        lin, bias = w["decoder.rnn.cell.co_linear.weight"], w["decoder.rnn.cell.co_linear.bias"]
        out["LFADS_con_con_to_post_co_mean_W:0"] = lin[:co].T
        out["LFADS_con_con_to_post_co_mean_b:0"] = bias[:co][None, :]
        out["LFADS_con_con_to_post_co_logvar_W:0"] = lin[co:].T
        out["LFADS_con_con_to_post_co_logvar_b:0"] = bias[co:][None, :]
    if "readin.0.weight" in w:
        out[f"LFADS_x_2_infac_{name}_W:0"] = w["readin.0.weight"].T
        out[f"LFADS_x_2_infac_{name}_b:0"] = w["readin.0.bias"][None, :]
    out[f"LFADS_glm_fac_2_logrates_{name}_W:0"] = w["readout.0.weight"].T
    out[f"LFADS_glm_fac_2_logrates_{name}_b:0"] = w["readout.0.bias"][None, :]
    hparams = {
        "num_steps": hp["encod_seq_len"], "cell_clip_value": hp["cell_clip"],
        "ic_post_var_min": hp["ic_post_var_min"], "controller_input_lag": hp["ci_lag"],
        "ic_dim": ic, "co_dim": hp["co_dim"], "ext_input_dim": hp["ext_input_dim"],
        "output_dist": "poisson", "do_causal_controller": False, "do_feed_factors_to_controller": True,
        "feedback_factors_or_rates": "factors", "inject_ext_input_to_gen": hp["ext_input_dim"] > 0,
        "dataset_names": [name], "source": "converted from an lfads-torch export by tools/make_tf1_params.py",
    }
    with h5py.File(dst, "w") as f:
        for key in sorted(out):
            f.create_dataset(key, data=np.ascontiguousarray(out[key], dtype=np.float64))
        f.attrs["hparams"] = json.dumps(hparams, sort_keys=True)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--dataset-name", default="lorenz")
    a = p.parse_args(argv)
    out = convert(a.src, a.dst, a.dataset_name)
    print(f"wrote {a.dst}: {len(out)} datasets, {sum(v.size for v in out.values())} values")


if __name__ == "__main__":
    sys.exit(main())
