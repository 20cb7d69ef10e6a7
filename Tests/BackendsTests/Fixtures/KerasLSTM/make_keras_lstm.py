"""Writes the Keras LSTM acceptance model and its Keras float reference outputs (run once; outputs are committed).

Model: input 20 steps x 6 features -> LSTM(20) (last state) -> Dense(64, relu) -> Dense(1, sigmoid).
Weights are seeded uniform draws (no training needed: the test checks arithmetic, not accuracy), scaled so the
gates and the output sigmoid see a spread of values.

Usage (Keras 3 with any backend; the numpy backend needs `pip install keras jax scipy h5py`):
    KERAS_BACKEND=numpy python make_keras_lstm.py OUTDIR
Files: lstm_model.h5 (legacy Keras HDF5: model_config attribute + model_weights groups), inputs.txt (one trial per
line, 120 values, time-major), keras_outputs.txt (per trial: the sigmoid output, then the 20 LSTM outputs), and
keras_version.txt.
"""
import os
import sys

import keras
import numpy as np

STEPS, FEATURES, UNITS, TRIALS = 20, 6, 20, 32


def main(out):
    rng = np.random.default_rng(20251206)
    inp = keras.Input((STEPS, FEATURES), name="x")
    lstm = keras.layers.LSTM(UNITS, name="lstm")(inp)
    hidden = keras.layers.Dense(64, activation="relu", name="hidden")(lstm)
    prob = keras.layers.Dense(1, activation="sigmoid", name="prob")(hidden)
    model = keras.Model(inp, prob, name="lstm_acceptance")
    scales = {"lstm": (0.5, 0.4, 0.5), "hidden": (0.5, 0.2), "prob": (1.0, 0.2)}
    for layer in model.layers:
        if layer.name in scales:
            layer.set_weights([rng.uniform(-s, s, w.shape).astype(np.float32)
                               for s, w in zip(scales[layer.name], layer.get_weights())])
    x = rng.uniform(-2, 2, (TRIALS, STEPS, FEATURES)).astype(np.float32)
    probe = keras.Model(inp, [prob, lstm])
    p, h = probe.predict(x, verbose=0)
    os.makedirs(out, exist_ok=True)
    model.save(os.path.join(out, "lstm_model.h5"))
    with open(os.path.join(out, "inputs.txt"), "w") as f:
        for t in range(TRIALS):
            f.write(" ".join(repr(float(v)) for v in x[t].reshape(-1)) + "\n")
    with open(os.path.join(out, "keras_outputs.txt"), "w") as f:
        for t in range(TRIALS):
            f.write(" ".join(repr(float(v)) for v in np.concatenate([p[t], h[t]])) + "\n")
    with open(os.path.join(out, "keras_version.txt"), "w") as f:
        f.write(f"keras {keras.__version__}, backend {keras.backend.backend()}, numpy {np.__version__}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
