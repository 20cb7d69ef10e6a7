#!/usr/bin/env python3
"""Independent NumPy forward pass of an exported lfads-torch model.

Reads the HDF5 written by tools/export_lfads_torch.py and computes the
posterior-mean inference pass (what lfads-torch's LFADS.forward does with
sample_posteriors=False, dropout off), vectorised over trials.

Usage:
    # outputs for the first 20 validation trials, compared with a reference
    python tools/lfads_numpy_reference.py MODEL.h5 DATA.h5 --trials 20 \
        --compare REF.h5 [--out OUT.h5]
    # throughput: N timed repetitions of a batch of B trials
    python tools/lfads_numpy_reference.py MODEL.h5 DATA.h5 --bench N --batch B \
        [--dtype float32]

DATA.h5 holds `<split>_encod_data` [trials, T, D] (`--split valid` default;
a reference file's `valid_encod_data` works too) and, when the model has
ext_input_dim > 0, `<split>_ext_input`. Needs only numpy and h5py.

The math, per lfads-torch (module names in brackets):
  GRU cell [ClippedGRUCell], weights in PyTorch layout W_ih [3H, I],
  W_hh [3H, H], chunks in the order z, r, n:
      x = W_ih u + b_ih ;  (x_z, x_r, x_n) = chunks of x
      z = sigmoid(x_z + W_hz h + b_hz) ; r = sigmoid(x_r + W_hr h + b_hr)
      n = tanh(x_n + W_hn (r * h) + b_hn)        (reset before the matmul)
      h' = clamp(z * h + (1 - z) * n, -cell_clip, cell_clip)
  b_hh is frozen at zero by lfads-torch but added anyway, as it does.
  Encoders [BidirectionalClippedGRU]: forward GRU from h0[0] over t = 0..T-1,
  backward GRU from h0[1] over t = T-1..0 (its outputs re-indexed by t);
  h0 are learned parameters [2, 1, H] shared by all trials.
  IC: E = [h_fwd(T-1), h_bwd(0)] ; p = ic_linear(E) ; mean = p[:ic_dim],
  logvar = p[ic_dim:] ; std = sqrt(exp(logvar) + ic_post_var_min).
  CI (controller only): ci(t) = [fwd(t - lag), bwd(t + lag)], zero outside
  0..L-1 (L = encod_seq_len - ic_enc_seq_len), then zero-padded at the end to
  recon_seq_len and at the front by ic_enc_seq_len.
  Decoder: g0 = ic_to_g0(mean) ; f0 = Wf_hat g0 ; c0 = con_h0 ; per step t:
      c = con_cell([ci(t), f_prev], c) ; (u, logvar_u) = co_linear(c)
      co_std = sqrt(exp(logvar_u)) ; gen_input = [u, ext(t)]
      g = gen_cell(gen_input, g) ; f = Wf_hat g
  (without a controller gen_input = ext(t), possibly empty: then only b_ih
  enters the generator's input side). Wf_hat = fac_linear.weight [fac, gen]
  with each row divided by max(L2 norm, 1e-12) (F.normalize, at every call),
  no bias. Rates = exp(readout(f)) in counts per bin (Poisson).
"""

import argparse
import json
import sys
import time

import h5py
import numpy as np

OUTPUT_NAMES = ["output_params", "factors", "gen_states", "gen_init", "ic_mean",
                "ic_std", "co_means", "co_stds", "con_states", "gen_inputs"]


class ModelError(Exception):
    pass


def load_model(path, dtype=np.float64):
    with h5py.File(path, "r") as f:
        if "hparams" not in f.attrs:
            raise ModelError(f"{path}: no root attribute 'hparams'")
        hp = json.loads(f.attrs["hparams"])
        w = {k: np.asarray(f[k][()], dtype=dtype) for k in f.keys()
             if isinstance(f[k], h5py.Dataset)}
    if hp.get("num_sessions", 1) != 1 or "readout.1.weight" in w:
        raise ModelError(f"{path}: only single-session models are supported")
    recon = str(hp.get("reconstruction", "unknown"))
    if not recon.startswith("unknown") and "Poisson" not in recon:
        raise ModelError(f"{path}: reconstruction {recon!r} is not Poisson (only exp rates are implemented)")
    return hp, w


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


class GRU:
    """ClippedGRUCell parameters, pre-split into the z, r, n blocks."""

    def __init__(self, w, prefix, clip):
        self.w_ih = w[prefix + ".weight_ih"]
        self.b_ih = w[prefix + ".bias_ih"]
        w_hh, b_hh = w[prefix + ".weight_hh"], w[prefix + ".bias_hh"]
        h = w_hh.shape[1]
        if w_hh.shape[0] != 3 * h or self.w_ih.shape[0] != 3 * h:
            raise ModelError(f"{prefix}: weight shapes {self.w_ih.shape}, {w_hh.shape} are not [3H, *]")
        self.hidden = h
        self.w_zr_t = np.ascontiguousarray(w_hh[: 2 * h].T)
        self.b_zr = b_hh[: 2 * h]
        self.w_n_t = np.ascontiguousarray(w_hh[2 * h:].T)
        self.b_n = b_hh[2 * h:]
        self.w_ih_t = np.ascontiguousarray(self.w_ih.T)
        self.clip = clip

    def input_part(self, x):
        """W_ih x + b_ih for x [..., I] (all time steps at once)."""
        return x @ self.w_ih_t + self.b_ih

    def step(self, x_all, h):
        hsz = self.hidden
        h_zr = h @ self.w_zr_t + self.b_zr
        z = sigmoid(x_all[:, :hsz] + h_zr[:, :hsz])
        r = sigmoid(x_all[:, hsz:2 * hsz] + h_zr[:, hsz:])
        n = np.tanh(x_all[:, 2 * hsz:] + (r * h) @ self.w_n_t + self.b_n)
        return np.clip(z * h + (1.0 - z) * n, -self.clip, self.clip)


def run_bidirectional(w, prefix, h0, data, clip):
    """Returns outputs fwd [B,T,H], bwd [B,T,H] (bwd indexed by original t)."""
    fwd = GRU(w, prefix + ".fwd_gru.cell", clip)
    bwd = GRU(w, prefix + ".bwd_gru.cell", clip)
    batch, steps, _ = data.shape
    xf, xb = fwd.input_part(data), bwd.input_part(data)
    out_f = np.empty((batch, steps, fwd.hidden), dtype=data.dtype)
    out_b = np.empty((batch, steps, bwd.hidden), dtype=data.dtype)
    hf = np.broadcast_to(h0[0, 0], (batch, fwd.hidden))
    hb = np.broadcast_to(h0[1, 0], (batch, bwd.hidden))
    for t in range(steps):
        hf = fwd.step(xf[:, t], hf)
        out_f[:, t] = hf
        hb = bwd.step(xb[:, steps - 1 - t], hb)
        out_b[:, steps - 1 - t] = hb
    return out_f, out_b


def normalized_rows(weight):
    norms = np.sqrt(np.sum(weight * weight, axis=1, keepdims=True))
    return weight / np.maximum(norms, 1e-12)


def forward(hp, w, encod, ext_input=None):
    """Posterior-mean forward. encod [B, T, D] raw counts (before read-in)."""
    dtype = w["decoder.ic_to_g0.weight"].dtype
    x = np.asarray(encod, dtype=dtype)
    if "readin.0.weight" in w:
        x = x @ w["readin.0.weight"].T + w["readin.0.bias"]
    batch, steps, dim = x.shape
    if steps != hp["encod_seq_len"] or dim != hp["encod_data_dim"]:
        raise ModelError(f"data [{steps}, {dim}] after read-in, model wants "
                         f"[{hp['encod_seq_len']}, {hp['encod_data_dim']}]")
    clip = float(hp["cell_clip"])
    ic_len, recon_len = hp["ic_enc_seq_len"], hp["recon_seq_len"]
    use_con = hp["ci_enc_dim"] > 0 and hp["con_dim"] > 0 and hp["co_dim"] > 0
    ic_data, ci_data = (x[:, :ic_len], x[:, ic_len:]) if ic_len > 0 else (x, x)

    # Initial-condition encoder and posterior.
    out_f, out_b = run_bidirectional(w, "encoder.ic_enc", w["encoder.ic_enc_h0"], ic_data, clip)
    enc = np.concatenate([out_f[:, -1], out_b[:, 0]], axis=1)
    ic_params = enc @ w["encoder.ic_linear.weight"].T + w["encoder.ic_linear.bias"]
    ic_dim = hp["ic_dim"]
    ic_mean, ic_logvar = ic_params[:, :ic_dim], ic_params[:, ic_dim:]
    ic_std = np.sqrt(np.exp(ic_logvar) + hp["ic_post_var_min"])

    # Controller inputs with lag, as lfads-torch pads and slices them.
    if use_con:
        ci_f, ci_b = run_bidirectional(w, "encoder.ci_enc", w["encoder.ci_enc_h0"], ci_data, clip)
        lag, ci_len = hp["ci_lag"], hp["encod_seq_len"] - ic_len
        pad_f = np.concatenate([np.zeros_like(ci_f[:, :lag]) if lag else ci_f[:, :0], ci_f], axis=1)
        pad_b = np.concatenate([ci_b, np.zeros_like(ci_b[:, :lag]) if lag else ci_b[:, :0]], axis=1)
        ci = np.concatenate([pad_f[:, :ci_len], pad_b[:, pad_b.shape[1] - ci_len:]], axis=2)
        ci = np.concatenate([
            np.zeros((batch, ic_len, ci.shape[2]), dtype),
            ci,
            np.zeros((batch, recon_len - hp["encod_seq_len"], ci.shape[2]), dtype),
        ], axis=1)
    ext_dim = hp["ext_input_dim"]
    if ext_dim > 0:
        if ext_input is None:
            raise ModelError("model has ext_input_dim > 0 but no external input was given")
        ext = np.asarray(ext_input, dtype=dtype)
        ext = np.concatenate([ext, np.zeros((batch, recon_len - ext.shape[1], ext_dim), dtype)], axis=1)
    else:
        ext = np.zeros((batch, recon_len, 0), dtype)

    # Decoder unroll.
    fac_w_t = np.ascontiguousarray(normalized_rows(w["decoder.rnn.cell.fac_linear.weight"]).T)
    gen = GRU(w, "decoder.rnn.cell.gen_cell", clip)
    gen_init = ic_mean @ w["decoder.ic_to_g0.weight"].T + w["decoder.ic_to_g0.bias"]
    g = gen_init
    f = g @ fac_w_t
    co_dim, con_dim = hp["co_dim"], hp["con_dim"]
    out = {
        "gen_states": np.empty((batch, recon_len, gen.hidden), dtype),
        "factors": np.empty((batch, recon_len, fac_w_t.shape[1]), dtype),
        # Without a controller lfads-torch carries its initial states along.
        "con_states": np.broadcast_to(w["decoder.con_h0"][0], (batch, recon_len, con_dim)).copy(),
        "co_means": np.zeros((batch, recon_len, co_dim), dtype),
        "co_stds": np.ones((batch, recon_len, co_dim), dtype),
        "gen_inputs": np.zeros((batch, recon_len, co_dim + ext_dim), dtype),
    }
    if use_con:
        con = GRU(w, "decoder.rnn.cell.con_cell", clip)
        con_ci_t = np.ascontiguousarray(con.w_ih_t[: ci.shape[2]])
        con_f_t = np.ascontiguousarray(con.w_ih_t[ci.shape[2]:])
        ci_part = ci @ con_ci_t + con.b_ih  # input side of the controller, all steps
        co_w_t, co_b = w["decoder.rnn.cell.co_linear.weight"].T, w["decoder.rnn.cell.co_linear.bias"]
        c = np.broadcast_to(w["decoder.con_h0"][0], (batch, con.hidden))
    else:
        gen_x = gen.input_part(ext)  # [B, T, 3H]; only b_ih when ext is empty
    for t in range(recon_len):
        if use_con:
            c = con.step(ci_part[:, t] + f @ con_f_t, c)
            co = c @ co_w_t + co_b
            u = co[:, :co_dim]
            out["con_states"][:, t] = c
            out["co_means"][:, t] = u
            out["co_stds"][:, t] = np.sqrt(np.exp(co[:, co_dim:]))
            gen_in = np.concatenate([u, ext[:, t]], axis=1)
            out["gen_inputs"][:, t] = gen_in
            g = gen.step(gen.input_part(gen_in), g)
        else:
            out["gen_inputs"][:, t] = ext[:, t]
            g = gen.step(gen_x[:, t], g)
        f = g @ fac_w_t
        out["gen_states"][:, t] = g
        out["factors"][:, t] = f
    logrates = out["factors"] @ w["readout.0.weight"].T + w["readout.0.bias"]
    out["output_params"] = np.exp(logrates)
    out.update(gen_init=gen_init, ic_mean=ic_mean, ic_std=ic_std)
    return out


def read_data(path, split, trials):
    with h5py.File(path, "r") as f:
        key = f"{split}_encod_data"
        if key not in f:
            raise ModelError(f"{path}: no dataset {key}")
        encod = f[key][()] if trials is None else f[key][:trials]
        ext_key = f"{split}_ext_input"
        ext = None
        if ext_key in f:
            ext = f[ext_key][()] if trials is None else f[ext_key][:trials]
    return encod, ext


def compare(out, ref_path, split):
    """Per output: max |a-b|, max |a-b| / max|b|, and max elementwise |a-b|/|b|
    over elements with |b| >= 1e-6 max|b|."""
    rows = []
    with h5py.File(ref_path, "r") as f:
        for name in OUTPUT_NAMES:
            key = f"{split}_{name}"
            if key not in f:
                continue
            ref = f[key][()]
            mine = out[name]
            if ref.shape != mine.shape:
                rows.append((key, "shape", ref.shape, mine.shape))
                continue
            if ref.size == 0:
                rows.append((key, 0.0, 0.0, 0.0))
                continue
            diff = np.abs(mine.astype(np.float64) - ref)
            scale = np.max(np.abs(ref))
            mask = np.abs(ref) >= 1e-6 * scale
            elem = np.max(diff[mask] / np.abs(ref[mask])) if mask.any() else 0.0
            rows.append((key, float(diff.max()), float(diff.max() / scale) if scale else 0.0, float(elem)))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("data")
    parser.add_argument("--split", default="valid")
    parser.add_argument("--trials", type=int, default=None)
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--compare", help="reference HDF5 with <split>_<output> datasets")
    parser.add_argument("--out", help="write the outputs to this HDF5 file")
    parser.add_argument("--bench", type=int, default=0, help="timed repetitions")
    parser.add_argument("--batch", type=int, default=80, help="trials per benchmark batch")
    args = parser.parse_args(argv)
    dtype = np.dtype(args.dtype)
    try:
        hp, w = load_model(args.model, dtype)
        if args.bench > 0:
            encod, ext = read_data(args.data, args.split, None)
            reps = -(-args.batch // encod.shape[0])
            batch = np.concatenate([encod] * reps)[: args.batch].astype(dtype)
            ext_b = None if ext is None else np.concatenate([ext] * reps)[: args.batch]
            forward(hp, w, batch, ext_b)  # warm-up
            start = time.perf_counter()
            for _ in range(args.bench):
                forward(hp, w, batch, ext_b)
            elapsed = time.perf_counter() - start
            rate = args.bench * args.batch / elapsed
            print(f"numpy {np.__version__} {args.dtype}: {args.bench} x batch {args.batch} in "
                  f"{elapsed:.3f} s -> {rate:.1f} trials/s ({1e3 * elapsed / args.bench:.3f} ms/batch)")
            return 0
        encod, ext = read_data(args.data, args.split, args.trials)
        out = forward(hp, w, encod, ext)
        if args.out:
            with h5py.File(args.out, "w") as f:
                for name in OUTPUT_NAMES:
                    f.create_dataset(f"{args.split}_{name}", data=out[name])
        if args.compare:
            worst = 0.0
            print(f"{'dataset':<24} {'max abs err':>12} {'max abs/max|ref|':>17} {'max elem rel':>13}")
            for key, a, b, c in compare(out, args.compare, args.split):
                if a == "shape":
                    print(f"{key:<24} shape mismatch: ref {b}, numpy {c}")
                    worst = float("inf")
                    continue
                print(f"{key:<24} {a:12.3e} {b:17.3e} {c:13.3e}")
                worst = max(worst, b, c)
            print(f"worst relative error: {worst:.3e}")
        else:
            rates = out["output_params"]
            print(f"rates {rates.shape}: mean {rates.mean():.6f}")
    except (ModelError, KeyError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
