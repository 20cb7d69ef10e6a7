#!/usr/bin/env python3
"""Writes small HDF5 seed files (a few KiB each) for the fuzz-hdf5 harness into fuzz/seeds/hdf5/.

The test fixtures are 10-300 KiB, which makes the fuzzer slow (tens of executions per second); these
seeds cover the same format features in files small enough for thousands of executions per second:
both superblock generations, compact/contiguous/chunked layouts, every chunk index, deflate, shuffle,
fletcher32, fixed and variable strings, enums, compound (unsupported)
types, dense attribute storage, soft/external links, large and small groups. Deterministic; the outputs
are committed, so h5py is only needed to regenerate them:  python3 fuzz/seeds/make_hdf5_seeds.py
"""
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hdf5")


def make(name, libver, body):
    path = os.path.join(OUT, name + ".h5")
    with h5py.File(path, "w", libver=libver, track_order=False) as f:
        body(f)
    print(f"{name}.h5 {os.path.getsize(path)} bytes")


def numeric(f):
    f.create_dataset("i8", data=np.arange(-4, 4, dtype="i1"))
    f.create_dataset("u16be", data=np.arange(6, dtype=">u2").reshape(2, 3))
    f.create_dataset("f32", data=np.linspace(-1, 1, 6, dtype="f4").reshape(3, 2))
    f.create_dataset("f64be", data=np.array([1.5, -2.25], dtype=">f8"))
    f.create_dataset("i64", data=np.array([1 << 40, -3], dtype="i8"))
    f.create_dataset("scalar", data=np.float64(3.5))
    f.create_dataset("empty", data=h5py.Empty("f4"))
    f.create_dataset("bool", data=np.array([True, False]))
    f.create_dataset("enum", data=np.array([0, 1], dtype="u1"), dtype=h5py.enum_dtype({"a": 0, "b": 1}, basetype="u1"))
    f.create_dataset("compound", data=np.zeros(2, dtype=[("x", "f4"), ("y", "i2")]))


def strings(f):
    f.create_dataset("fixed", data=np.array([b"ab", b"cde"], dtype="S4"))
    f.create_dataset("vlen", data=["x", "yz"], dtype=h5py.string_dtype())
    f.attrs["note"] = "hello"
    f.attrs["vals"] = np.array([1, 2, 3], dtype="i4")
    f.attrs["names"] = np.array([b"w:0", b"b:0"], dtype="S3")
    f.attrs["empty"] = h5py.Empty("f4")
    f.attrs.create("vstrs", ["p", "qr"], dtype=h5py.string_dtype())


def layouts(f):
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    space = h5py.h5s.create_simple((4,))
    d = h5py.h5d.create(f.id, b"compact", h5py.h5t.NATIVE_INT32, space, dcpl)
    d.write(h5py.h5s.ALL, h5py.h5s.ALL, np.arange(4, dtype="i4"))
    f.create_dataset("contig", data=np.arange(8, dtype="f4"))
    f.create_dataset("chunked", data=np.arange(24, dtype="f4").reshape(6, 4), chunks=(4, 3))


def filters(f):
    data = np.arange(40, dtype="f4").reshape(10, 4)
    f.create_dataset("deflate", data=data, chunks=(4, 4), compression="gzip", compression_opts=4)
    f.create_dataset("shuffle", data=data, chunks=(5, 2), shuffle=True, compression="gzip")
    f.create_dataset("fletcher", data=data, chunks=(10, 4), fletcher32=True)
    f.create_dataset("unlimited", data=data, chunks=(3, 4), maxshape=(None, 4), compression="gzip")
    f.create_dataset("unlim2", data=data, chunks=(3, 2), maxshape=(None, None))
    f.create_dataset("single", data=data, chunks=(10, 4), maxshape=(10, 4), compression="gzip")


def groups(f):
    g = f.create_group("a/b/c")
    g.attrs["depth"] = 3
    f["a/soft"] = h5py.SoftLink("/a/b")
    f["ext"] = h5py.ExternalLink("other.h5", "/x")
    f["a/hard"] = f["a/b"]
    big = f.create_group("many")
    for i in range(20):
        big.create_dataset(f"d{i}", data=np.int16(i))
    dense = f.create_group("dense_attrs")
    for i in range(12):
        dense.attrs[f"attr{i:02d}"] = np.arange(i, dtype="f8")


def keras_like(f):
    f.attrs["model_config"] = '{"class_name": "Sequential", "config": {"name": "m", "layers": []}}'
    f.attrs["keras_version"] = "2.6.0"
    w = f.create_group("model_weights/dense/dense")
    w.create_dataset("kernel:0", data=np.ones((2, 3), dtype="f4"))
    w.create_dataset("bias:0", data=np.zeros(3, dtype="f4"))
    f["model_weights/dense"].attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])


def main():
    os.makedirs(OUT, exist_ok=True)
    for libver, tag in (("earliest", "v0"), ("latest", "v3")):
        for name, body in (("numeric", numeric), ("strings", strings), ("layouts", layouts),
                           ("filters", filters), ("groups", groups), ("keras", keras_like)):
            make(f"{name}_{tag}", libver, body)


if __name__ == "__main__":
    main()
