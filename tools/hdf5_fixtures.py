#!/usr/bin/env python3
"""Writes the HDF5 test fixtures of Tests/HDF5Tests/Fixtures with h5py.

Run from the repository root:

    pip install h5py numpy
    python3 tools/hdf5_fixtures.py

For every fixture FILE.h5 it also writes
  FILE.expected.txt   the listing in exactly the text format of HDF5Inspector.text
  FILE.values.json    per dataset: element count, sum, first values, a row-slice sum, strings
and it writes inflate test vectors to inflate_vectors.json. Everything is deterministic
(fixed seeds); the .h5 outputs are committed so tests need no h5py.
"""
import base64
import json
import os
import sys
import zlib

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "HDF5Tests", "Fixtures")
KERAS_PEER = "/work/shared/peers/lfads-fpga-template/keras_model.h5"


# ---------------------------------------------------------------- listing (HDF5Inspector.text)

def type_name(tid):
    c = tid.get_class()
    if c == h5py.h5t.INTEGER:
        signed = tid.get_sign() == h5py.h5t.SGN_2
        be = tid.get_order() == h5py.h5t.ORDER_BE
        return f"{'int' if signed else 'uint'}{tid.get_size() * 8}{'be' if be else ''}"
    if c == h5py.h5t.FLOAT:
        be = tid.get_order() == h5py.h5t.ORDER_BE
        return f"float{tid.get_size() * 8}{'be' if be else ''}"
    if c == h5py.h5t.STRING:
        cset = "utf-8" if tid.get_cset() == h5py.h5t.CSET_UTF8 else "ascii"
        if tid.is_variable_str():
            return f"vlstring({cset})"
        pad = {h5py.h5t.STR_NULLTERM: "nullterm", h5py.h5t.STR_NULLPAD: "nullpad",
               h5py.h5t.STR_SPACEPAD: "spacepad"}[tid.get_strpad()]
        return f"string({tid.get_size()},{cset},{pad})"
    if c == h5py.h5t.ENUM:
        names = [tid.get_member_name(i) for i in range(tid.get_nmembers())]
        values = [tid.get_member_value(i) for i in range(tid.get_nmembers())]
        if names == [b"FALSE", b"TRUE"] and values == [0, 1]:
            return "bool"
        return f"enum({type_name(tid.get_super())})"
    return {h5py.h5t.COMPOUND: "compound", h5py.h5t.OPAQUE: "opaque", h5py.h5t.REFERENCE: "reference",
            h5py.h5t.ARRAY: "array", h5py.h5t.VLEN: "vlen", h5py.h5t.BITFIELD: "bitfield",
            h5py.h5t.TIME: "time"}.get(c, "unknown")


def shape_text(space):
    if space.get_simple_extent_type() == h5py.h5s.NULL:
        return "null"
    return "[" + ", ".join(str(d) for d in space.shape) + "]"


def quote(s):
    out = ['"']
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def element_text(x):
    if isinstance(x, (bytes, np.bytes_)):
        return quote(bytes(x).decode("utf-8", errors="replace"))
    if isinstance(x, str):
        return quote(x)
    if isinstance(x, (bool, np.bool_)):
        return str(int(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    return repr(float(x))


def value_text(value, scalar):
    """Attribute value as the inspector prints it: elided when > 8 elements or > 80 chars."""
    if isinstance(value, h5py.Empty):
        return "empty"
    flat = [value] if scalar else list(np.asarray(value).ravel())
    if len(flat) > 8:
        return f"<{len(flat)} values>"
    parts = [element_text(x) for x in flat]
    text = parts[0] if scalar else "[" + ", ".join(parts) + "]"
    if len(text) > 80:
        return f"<{len(flat)} values>" if not scalar else f"<{len(text)} chars>"
    return text


def attribute_lines(obj):
    lines = []
    names = sorted(obj.attrs.keys(), key=lambda s: s.encode())
    for name in names:
        aid = obj.attrs.get_id(name)
        space = aid.get_space()
        tname = type_name(aid.get_type())
        null = space.get_simple_extent_type() == h5py.h5s.NULL
        scalar = space.get_simple_extent_type() == h5py.h5s.SCALAR
        if null:
            value = "empty"
        elif tname.startswith(("compound", "opaque", "reference", "array", "vlen", "bitfield", "time", "unknown")):
            value = f"<{tname}>"
        else:
            value = value_text(obj.attrs[name], scalar)
        lines.append(f"  @{name}: {tname} {shape_text(space)} = {value}")
    return lines


def dataset_line(path, d):
    dcpl = d.id.get_create_plist()
    layout = {h5py.h5d.COMPACT: "compact", h5py.h5d.CONTIGUOUS: "contiguous",
              h5py.h5d.CHUNKED: "chunked"}.get(dcpl.get_layout(), "virtual")
    line = f"{path} dataset {type_name(d.id.get_type())} {shape_text(d.id.get_space())} {layout}"
    if layout == "chunked":
        line += " chunks=[" + ", ".join(str(c) for c in dcpl.get_chunk()) + "]"
        names = []
        for i in range(dcpl.get_nfilters()):
            code, _flags, values, _name = dcpl.get_filter(i)
            names.append({1: f"deflate({values[0] if values else 0})", 2: "shuffle", 3: "fletcher32", 4: "szip",
                          5: "nbit", 6: "scaleoffset"}.get(code, f"filter({code})"))
        if names:
            line += " filters=" + ",".join(names)
    return line


def listing(f):
    lines = []

    def walk(g, path):
        lines.append(f"{path} group")
        lines.extend(attribute_lines(g))
        for name in sorted(g.keys(), key=lambda s: s.encode()):
            child = (path if path != "/" else "") + "/" + name
            link = g.get(name, getlink=True)
            if isinstance(link, h5py.SoftLink):
                lines.append(f"{child} softlink {link.path}")
                continue
            if isinstance(link, h5py.ExternalLink):
                lines.append(f"{child} externallink")
                continue
            obj = g[name]
            if isinstance(obj, h5py.Group):
                walk(obj, child)
            elif isinstance(obj, h5py.Dataset):
                lines.append(dataset_line(child, obj))
                lines.extend(attribute_lines(obj))
            else:
                lines.append(f"{child} other")
    walk(f, "/")
    return "\n".join(lines) + "\n"


def values(f):
    out = {}

    def visit(name, obj):
        if not isinstance(obj, h5py.Dataset):
            return
        path = "/" + name
        if obj.shape is None:
            out[path] = {"null": True}
            return
        tname = type_name(obj.id.get_type())
        data = obj[()]
        entry = {"count": int(np.asarray(data).size), "shape": list(obj.shape)}
        if tname.startswith(("string", "vlstring")):
            flat = np.asarray(data, dtype=object).ravel()
            entry["strings"] = [x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x) for x in flat]
        else:
            arr = np.asarray(data).astype(np.float64).ravel()
            # Floats are stored as repr strings: some JSON parsers round decimal input.
            entry["sum"] = repr(float(arr.sum()))
            entry["first"] = [repr(float(x)) for x in arr[:6]]
            entry["integer"] = tname.startswith(("int", "uint", "bool", "enum"))
            if len(obj.shape) >= 1 and obj.shape[0] >= 2:
                a, b = 1, min(obj.shape[0], 1 + max(1, obj.shape[0] // 3))
                entry["rows"] = [a, b]
                entry["rows_sum"] = repr(float(np.asarray(obj[a:b]).astype(np.float64).sum()))
        out[path] = entry
    f.visititems(visit)
    return out


# ---------------------------------------------------------------- fixtures

def rng(seed):
    return np.random.default_rng(seed)


def build_types(f):
    """Every element type, attribute kind and the compact/scalar/empty corner cases."""
    g = f.create_group("types")
    r = rng(1)
    for bits in (8, 16, 32, 64):
        for signed in (True, False):
            dt = np.dtype(f"{'i' if signed else 'u'}{bits // 8}")
            lo, hi = (np.iinfo(dt).min, np.iinfo(dt).max) if bits < 64 else ((-2**40, 2**40) if signed else (0, 2**40))
            data = r.integers(lo, hi, size=7, dtype=np.int64 if signed or bits < 64 else np.uint64, endpoint=True).astype(dt)
            g.create_dataset(f"{'i' if signed else 'u'}{bits}", data=data)
            g.create_dataset(f"{'i' if signed else 'u'}{bits}be", data=data.astype(dt.newbyteorder(">")))
    for dt in ("f2", "f4", "f8"):
        data = (r.standard_normal(9) * 100).astype(dt)
        g.create_dataset(f"f{int(dt[1]) * 8}", data=data)
        g.create_dataset(f"f{int(dt[1]) * 8}be", data=data.astype(np.dtype(dt).newbyteorder(">")))
    g.create_dataset("bool", data=np.array([True, False, True, True]))
    g.create_dataset("scalar", data=np.float64(3.25))
    g.create_dataset("empty", data=h5py.Empty("f4"))
    g.create_dataset("matrix", data=np.arange(60, dtype=np.float32).reshape(5, 4, 3))
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    space = h5py.h5s.create_simple((12,))
    did = h5py.h5d.create(g.id, b"compact", h5py.h5t.STD_I32LE, space, dcpl=dcpl)
    did.write(h5py.h5s.ALL, h5py.h5s.ALL, np.arange(12, dtype=np.int32) * 3)

    s = f.create_group("strings")
    s.create_dataset("fixed", data=np.array([b"alpha", b"be", b"gamma-ray"], dtype="S9"))
    s.create_dataset("vlen", data=["first", "second \u00e9\u00e8", "", "fourth"], dtype=h5py.string_dtype())
    s.create_dataset("vlen_ascii", data=[b"x", b"yy"], dtype=h5py.string_dtype("ascii"))
    s.create_dataset("scalar_vlen", data="only one", dtype=h5py.string_dtype())

    a = f.create_group("attrs")
    a.attrs["int_scalar"] = np.int64(-42)
    a.attrs["int_vec"] = np.arange(5, dtype=np.int16)
    a.attrs["uint8"] = np.uint8(200)
    a.attrs["f32"] = np.float32(0.1)
    a.attrs["f64_vec"] = np.array([1.5, -2.25, 1e-7, 1e16, 123456789.0])
    a.attrs["f16"] = np.float16(0.5)
    a.attrs["be_int"] = np.array([1, -2], dtype=">i4")
    a.attrs["bool"] = np.bool_(True)
    a.attrs["vstr"] = "hello \"quoted\" world"
    a.attrs["vstr_utf8"] = "gr\u00fc\u00dfe"
    a.attrs["vstr_list"] = ["a", "bb", "ccc"]
    a.attrs["fixed"] = np.bytes_(b"fixed-len")
    a.attrs["fixed_list"] = np.array([b"dense", b"dense_1", b"gru"], dtype="S7")
    a.attrs["long_list"] = np.arange(20, dtype=np.float64)
    a.attrs["long_str"] = "x" * 120
    a.attrs["empty_attr"] = h5py.Empty("f8")
    a.attrs["zero_len"] = np.array([], dtype=np.float64)
    a.attrs["newline"] = "line1\nline2"
    f["types"].attrs["note"] = "attribute on a group with datasets"
    f["types/f32"].attrs["units"] = "mV"
    f["types/f32"].attrs["scale"] = np.float64(2.0)
    f["soft"] = h5py.SoftLink("/types/f32")
    f.attrs["root_attr"] = np.int32(7)


def build_chunks(f):
    """Chunked storage: filters, many chunks, fill values, every chunk index."""
    r = rng(2)
    big = r.standard_normal((1250, 4)).astype(np.float32)
    f.create_dataset("many_gzip", data=big, chunks=(1, 4), compression="gzip", compression_opts=4)
    smooth = np.cumsum(r.standard_normal((200, 30)), axis=0).astype(np.float64)
    f.create_dataset("gzip_shuffle", data=smooth, chunks=(16, 7), compression="gzip", shuffle=True)
    f.create_dataset("fletcher", data=np.arange(500, dtype=np.int32), chunks=(64,), fletcher32=True)
    f.create_dataset("all_filters", data=smooth[:50].astype(np.float32), chunks=(10, 10), shuffle=True,
                     compression="gzip", compression_opts=9, fletcher32=True)
    f.create_dataset("edges_3d", data=r.standard_normal((7, 5, 6)).astype(np.float32), chunks=(3, 2, 4))
    d = f.create_dataset("partial", shape=(40, 6), dtype=np.float32, chunks=(8, 6), fillvalue=-1.5)
    d[0:8] = 1.0
    d[24:30] = 2.0
    f.create_dataset("unwritten", shape=(10,), dtype=np.int16, chunks=(5,), fillvalue=9)
    e = f.create_dataset("extendable", shape=(0, 5), maxshape=(None, 5), dtype=np.float64, chunks=(4, 5),
                         compression="gzip")
    e.resize((37, 5))
    e[:] = r.standard_normal((37, 5))
    e2 = f.create_dataset("extendable_plain", data=np.arange(90, dtype=np.int64).reshape(30, 3),
                          maxshape=(None, 3), chunks=(2, 3))
    e2.resize((45, 3))
    e2[30:] = 7
    f.create_dataset("two_unlimited", data=np.arange(120, dtype=np.float32).reshape(12, 10), maxshape=(None, None),
                     chunks=(5, 4), compression="gzip")
    f.create_dataset("single_chunk", data=np.arange(64, dtype=np.uint16).reshape(8, 8), chunks=(8, 8),
                     compression="gzip")
    f.create_dataset("paged_fixed", data=np.arange(2100, dtype=np.float32), chunks=(1,))
    f.create_dataset("big_ea", data=np.arange(600, dtype=np.int32), maxshape=(None,), chunks=(1,),
                     compression="gzip")
    f.create_dataset("contiguous", data=big[:100])
    # Early allocation without filters: libver latest indexes these chunks implicitly.
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_chunk((4, 3))
    dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
    did = h5py.h5d.create(f.id, b"implicit", h5py.h5t.IEEE_F64LE, h5py.h5s.create_simple((10, 7)), dcpl=dcpl)
    did.write(h5py.h5s.ALL, h5py.h5s.ALL, np.arange(70, dtype=np.float64).reshape(10, 7) / 8)


def build_groups(f):
    """Big groups (multi-level B-trees / dense links), dense attributes, creation order."""
    g = f.create_group("big")
    for i in range(320):
        g.create_dataset(f"item_{i:03d}", data=np.array([i], dtype=np.int32))
    h = f.create_group("many_attrs")
    for i in range(12):
        h.attrs[f"attr_{i:02d}"] = np.float64(i) / 4
    if f.libver[0] != "earliest":
        # Larger than a fractal heap's managed-object limit: a "huge" object in dense storage
        # (the earliest format cannot hold attributes over 64 KiB at all).
        h.attrs["huge"] = np.arange(9000, dtype=np.float64)
    t = f.create_group("ordered", track_order=True)
    for name in ("zeta", "alpha", "mid"):
        t.create_group(name).attrs["n"] = len(name)
    for i in range(10):
        t.attrs[f"z{9 - i}"] = i
    nested = f.create_group("a/b/c/d")
    nested.create_dataset("leaf", data=np.arange(3, dtype=np.float64))


def build_keras(f):
    """Shaped like a Keras 2 weights file (layer_names/weight_names as fixed-length bytes)."""
    r = rng(3)
    f.attrs["backend"] = "tensorflow"
    f.attrs["keras_version"] = "2.6.0"
    f.attrs["model_config"] = json.dumps({"class_name": "Functional", "config": {"layers": [{"name": "dense"}]}})
    mw = f.create_group("model_weights")
    layers = {"dense": [("kernel:0", (16, 8)), ("bias:0", (8,))], "gru": [("kernel:0", (8, 24)), ("bias:0", (2, 24))],
              "dropout": []}
    mw.attrs["layer_names"] = np.array([n.encode() for n in layers], dtype=f"S{max(len(n) for n in layers)}")
    mw.attrs["backend"] = "tensorflow"
    for layer, weights in layers.items():
        lg = mw.create_group(layer)
        names = [f"{layer}/{w}" for w, _ in weights]
        lg.attrs["weight_names"] = np.array([n.encode() for n in names], dtype=f"S{max(len(n) for n in names)}") \
            if names else np.array([], dtype=np.float64)
        for w, shape in weights:
            lg.create_dataset(f"{layer}/{w}", data=r.standard_normal(shape).astype(np.float32))


FIXTURES = {"types": build_types, "chunks": build_chunks, "groups": build_groups, "keras": build_keras}


def write_outputs(path):
    base = path[:-3]
    with h5py.File(path, "r") as f:
        with open(base + ".expected.txt", "w") as out:
            out.write(listing(f))
        with open(base + ".values.json", "w") as out:
            json.dump(values(f), out, indent=1, sort_keys=True)


# ---------------------------------------------------------------- inflate vectors

class BitWriter:
    def __init__(self):
        self.out, self.acc, self.n = bytearray(), 0, 0

    def bits(self, value, count):
        self.acc |= value << self.n
        self.n += count
        while self.n >= 8:
            self.out.append(self.acc & 0xFF)
            self.acc >>= 8
            self.n -= 8

    def huffman(self, code, length):  # Huffman codes go most significant bit first
        for i in reversed(range(length)):
            self.bits((code >> i) & 1, 1)

    def finish(self):
        if self.n:
            self.out.append(self.acc & 0xFF)
        return bytes(self.out)


def fixed_literal(w, sym):
    if sym < 144:
        w.huffman(0x30 + sym, 8)
    elif sym < 256:
        w.huffman(0x190 + sym - 144, 9)
    elif sym < 280:
        w.huffman(sym - 256, 7)
    else:
        w.huffman(0xC0 + sym - 280, 8)


def zlib_wrap(deflate, payload):
    return b"\x78\x01" + deflate + zlib.adler32(payload).to_bytes(4, "big")


def one_symbol_distance_stream():
    """Dynamic block whose distance tree has a single one-bit code; decodes to b'aaaab'."""
    w = BitWriter()
    w.bits(1, 1); w.bits(2, 2)              # final, dynamic
    w.bits(258 - 257, 5); w.bits(0, 5); w.bits(19 - 4, 4)
    cl = {0: 2, 1: 2, 2: 2, 18: 2}          # code-length code: four 2-bit codes
    order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    for s in order:
        w.bits(cl.get(s, 0), 3)
    clcode = {0: 0b00, 1: 0b01, 2: 0b10, 18: 0b11}  # canonical order 0,1,2,18
    lengths = [0] * 258 + [1]
    for s in (97, 98, 256, 257):
        lengths[s] = 2
    i = 0
    while i < len(lengths):
        if lengths[i] == 0:
            run = 1
            while i + run < len(lengths) and lengths[i + run] == 0 and run < 138:
                run += 1
            if run >= 11:
                w.huffman(clcode[18], 2); w.bits(run - 11, 7); i += run
                continue
            w.huffman(clcode[0], 2); i += 1
            continue
        w.huffman(clcode[lengths[i]], 2); i += 1
    lit = {97: 0b00, 98: 0b01, 256: 0b10, 257: 0b11}
    w.huffman(lit[97], 2)
    w.huffman(lit[257], 2); w.huffman(0, 1)  # length 3, distance code 0 (one bit)
    w.huffman(lit[98], 2)
    w.huffman(lit[256], 2)
    return w.finish()


def fixed_stream(symbols):
    w = BitWriter()
    w.bits(1, 1); w.bits(1, 2)
    for kind, value in symbols:
        if kind == "lit":
            fixed_literal(w, value)
        elif kind == "dist":
            w.huffman(value, 5)
        else:
            w.bits(*value)
    fixed_literal(w, 256)
    return w.finish()


def inflate_vectors():
    r = np.random.default_rng(4)
    vectors = []

    def add(name, stream, expected=None, error=False):
        v = {"name": name, "zlib": base64.b64encode(stream).decode(), "error": error}
        if expected is not None:
            v["length"] = len(expected)
            v["crc32"] = zlib.crc32(expected)
            if len(expected) <= 64:
                v["expected"] = base64.b64encode(expected).decode()
        vectors.append(v)

    add("empty", zlib.compress(b""), b"")
    text = b"The quick brown fox jumps over the lazy dog. " * 40
    for level in (1, 6, 9):
        add(f"text_level{level}", zlib.compress(text, level), text)
    co = zlib.compressobj(0)
    stored = bytes(r.integers(0, 256, 70000, dtype=np.uint8))
    add("stored_blocks", co.compress(stored) + co.flush(), stored)
    co = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_FIXED)
    add("fixed_huffman", co.compress(text) + co.flush(), text)
    mixed = bytes(r.integers(0, 16, 30000, dtype=np.uint8)) + text * 20
    for level in (1, 5, 9):
        add(f"mixed_level{level}", zlib.compress(mixed, level), mixed)
    block = bytes(r.integers(0, 256, 32768, dtype=np.uint8))
    add("distance_32768", zlib.compress(block + block[:1000] + block, 9), block + block[:1000] + block)
    add("runs", zlib.compress(b"\x00" * 100000 + b"ab" * 5000, 9), b"\x00" * 100000 + b"ab" * 5000)
    add("one_symbol_distance", zlib_wrap(one_symbol_distance_stream(), b"aaaab"), b"aaaab")
    floats = np.cumsum(r.standard_normal(5000)).astype(np.float32).tobytes()
    add("floats_level6", zlib.compress(floats, 6), floats)

    good = zlib.compress(text, 6)
    add("bad_header_method", bytes([0x79]) + good[1:], error=True)
    add("bad_header_check", bytes([good[0], good[1] ^ 1]) + good[2:], error=True)
    add("bad_adler", good[:-1] + bytes([good[-1] ^ 0xFF]), error=True)
    add("truncated_half", good[: len(good) // 2], error=True)
    add("truncated_adler", good[:-2], error=True)
    add("header_only", good[:2], error=True)
    add("invalid_block_type", b"\x78\x01" + bytes([0b111]) + b"\x00" * 8, error=True)
    add("invalid_length_symbol", zlib_wrap(fixed_stream([("lit", 65), ("lit", 286)]), b"A"), error=True)
    add("invalid_distance_symbol", zlib_wrap(fixed_stream([("lit", 65), ("lit", 257), ("dist", 30)]), b"AAAA"), error=True)
    add("distance_too_far", zlib_wrap(fixed_stream([("lit", 65), ("lit", 257), ("dist", 1)]), b"AAAA"), error=True)
    add("stored_length_mismatch", b"\x78\x01" + bytes([1, 5, 0, 5, 0]) + b"hello" + b"\x00" * 4, error=True)
    add("oversubscribed_code", b"\x78\x01" + bytes([0b101, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) + b"\x00" * 8, error=True)
    return vectors


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, build in FIXTURES.items():
        for libver in ("earliest", "latest"):
            path = os.path.join(OUT, f"{name}_{libver}.h5")
            if os.path.exists(path):
                os.remove(path)
            with h5py.File(path, "w", libver=libver) as f:
                build(f)
            write_outputs(path)
    # 4-byte addresses and lengths behind a 512-byte user block (superblock found at 512).
    path = os.path.join(OUT, "offsets4_userblock.h5")
    if os.path.exists(path):
        os.remove(path)
    fcpl = h5py.h5p.create(h5py.h5p.FILE_CREATE)
    fcpl.set_sizes(4, 4)
    fcpl.set_userblock(512)
    with h5py.File(h5py.h5f.create(path.encode(), h5py.h5f.ACC_TRUNC, fcpl=fcpl)) as f:
        build_types(f)
        build_keras(f.create_group("keras"))
    write_outputs(path)
    if os.path.exists(KERAS_PEER):
        with h5py.File(KERAS_PEER, "r") as f:
            with open(os.path.join(OUT, "keras_model_peer.expected.txt"), "w") as out:
                out.write(listing(f))
            with open(os.path.join(OUT, "keras_model_peer.values.json"), "w") as out:
                json.dump(values(f), out, indent=1, sort_keys=True)
    else:
        print(f"note: {KERAS_PEER} not found; its expected listing was not regenerated", file=sys.stderr)
    with open(os.path.join(OUT, "inflate_vectors.json"), "w") as out:
        json.dump(inflate_vectors(), out, indent=0)
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote fixtures to {OUT} ({total} bytes)")


if __name__ == "__main__":
    main()
