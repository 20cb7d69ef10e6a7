#!/usr/bin/env python3
"""Writes hand-made Keras model_config JSON seeds for the fuzz-keras harness into fuzz/seeds/keras/.

Layer names and shapes match the in-memory weights of KerasConfigFuzzExercise (input width 3, units 2):
g (GRU, reset before), gr (GRU, reset after), d/d3 (Dense), q (QDense), l (LSTM), bi (Bidirectional GRU),
last (GRU with return_state). Deterministic; the outputs are committed.  python3 fuzz/seeds/make_keras_seeds.py
"""
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras")


def qbits(bits, integer):
    return {"class_name": "quantized_bits", "config": {"bits": bits, "integer": integer, "symmetric": 0, "alpha": 1,
                                                       "keep_negative": True, "use_stochastic_rounding": False}}


def inp(name, shape):
    return {"class_name": "InputLayer", "name": name, "inbound_nodes": [],
            "config": {"name": name, "batch_input_shape": [None] + shape, "dtype": "float32"}}


def layer(cls, name, config, inputs, tensor=0):
    c = dict(config, name=name)
    nodes = [[[i, 0, tensor, {}] for i in inputs]] if inputs else []
    return {"class_name": cls, "name": name, "config": c, "inbound_nodes": nodes}


def functional(layers, inputs, outputs, name="m"):
    return {"class_name": "Functional", "config": {"name": name, "layers": layers,
                                                   "input_layers": [[i, 0, 0] for i in inputs],
                                                   "output_layers": [[o, 0, 0] for o in outputs]}}


def k3_tensor(name):
    return {"class_name": "__keras_tensor__", "config": {"shape": [None], "dtype": "float32", "keras_history": [name, 0, 0]}}


SEEDS = {
    "sequential_gru_dense": {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "GRU", "config": {"name": "g", "units": 2, "reset_after": False, "return_sequences": True,
                                         "activation": "tanh", "recurrent_activation": "hard_sigmoid",
                                         "batch_input_shape": [None, 4, 3]}},
        {"class_name": "Dropout", "config": {"name": "drop", "rate": 0.5}},
        {"class_name": "Dense", "config": {"name": "d", "units": 3, "activation": "relu", "use_bias": True}}]}},
    "keras3_state_concat_qdense": {"class_name": "Functional", "config": {"name": "k3", "layers": [
        {"class_name": "InputLayer", "name": "x", "inbound_nodes": [], "config": {"name": "x", "batch_shape": [None, 5, 3]}},
        {"class_name": "InputLayer", "name": "h", "inbound_nodes": [], "config": {"name": "h", "batch_shape": [None, 2]}},
        {"class_name": "GRU", "name": "gr", "config": {"name": "gr", "units": 2, "return_sequences": True, "reset_after": True},
         "inbound_nodes": [{"args": [k3_tensor("x")], "kwargs": {"initial_state": [k3_tensor("h")]}}]},
        {"class_name": "Concatenate", "name": "cat", "config": {"name": "cat", "axis": -1},
         "inbound_nodes": [{"args": [[k3_tensor("gr"), k3_tensor("x")]], "kwargs": {}}]},
        {"class_name": "QDense", "name": "q", "config": {"name": "q", "units": 2, "use_bias": False,
                                                          "activation": "quantized_tanh(8)", "kernel_quantizer": qbits(8, 0)},
         "inbound_nodes": [{"args": [k3_tensor("cat")], "kwargs": {}}]}],
        "input_layers": [["x", 0, 0], ["h", 0, 0]], "output_layers": [["q", 0, 0]]}},
    "bidirectional_return_state": functional([
        inp("x", [6, 3]),
        layer("Bidirectional", "bi", {"layer": {"class_name": "GRU", "config": {"name": "g", "units": 2, "return_sequences": True,
                                                                                "reset_after": True}}, "merge_mode": "concat"}, ["x"]),
        layer("GRU", "last", {"units": 3, "return_state": True, "reset_after": False, "use_bias": False}, ["bi"]),
        {"class_name": "Dense", "name": "d3", "config": {"name": "d3", "units": 3}, "inbound_nodes": [[["last", 0, 1, {}]]]}],
        ["x"], ["d3", "last"]),
    "lstm_dense": functional([
        inp("x", [4, 3]),
        layer("LSTM", "l", {"units": 2, "return_sequences": False}, ["x"]),
        layer("Dense", "d", {"units": 3, "activation": "linear"}, ["l"])], ["x"], ["d"]),
    "qgru_quantized": functional([
        inp("x", [3, 3]),
        layer("QGRU", "g", {"units": 2, "reset_after": False, "return_sequences": True,
                            "kernel_quantizer": qbits(10, 2), "recurrent_quantizer": qbits(10, 2), "bias_quantizer": qbits(10, 2),
                            "state_quantizer": qbits(12, 3), "activation": "quantized_tanh(10)",
                            "recurrent_activation": "hard_sigmoid"}, ["x"]),
        layer("QActivation", "act", {"activation": "quantized_bits(8, 3)"}, ["g"]),
        layer("Dense", "d", {"units": 3}, ["act"])], ["x"], ["d"]),
    "gru_initial_state_list": functional([
        inp("x", [5, 3]), inp("h", [2]),
        {"class_name": "GRU", "name": "gr", "config": {"name": "gr", "units": 2, "reset_after": True},
         "inbound_nodes": [[["x", 0, 0, {}], ["h", 0, 0, {}]]]},
        layer("Activation", "a", {"activation": "sigmoid"}, ["gr"])], ["x", "h"], ["a"]),
    "dense_only": functional([inp("x", [3]), layer("Dense", "d3", {"units": 3, "activation": "tanh"}, ["x"])], ["x"], ["d3"]),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, config in SEEDS.items():
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(config, f, sort_keys=True)


if __name__ == "__main__":
    main()
