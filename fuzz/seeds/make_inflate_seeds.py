#!/usr/bin/env python3
"""Writes seeds for the fuzz-inflate harness into fuzz/seeds/inflate/: a mode byte (see InflateFuzzExercise:
mode % 4 picks zlib / raw / exact size / fixed buffer), then a stream. Streams come from the inflate test
vectors (Tests/HDF5Tests/Fixtures/inflate_vectors.json) and from Python's zlib at several levels and
strategies (stored, fixed and dynamic Huffman blocks, long matches). Deterministic; outputs are committed.
    python3 fuzz/seeds/make_inflate_seeds.py
"""
import base64
import json
import os
import random
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "inflate")
VECTORS = os.path.join(HERE, "..", "..", "Tests", "HDF5Tests", "Fixtures", "inflate_vectors.json")


def write(name, mode, stream):
    with open(os.path.join(OUT, f"{name}.bin"), "wb") as f:
        f.write(bytes([mode]) + stream)


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(VECTORS) as f:
        vectors = json.load(f)
    for i, v in enumerate(vectors):
        stream = base64.b64decode(v["zlib"])
        if len(stream) <= 4096:
            write(f"vector_{v['name']}", (i * 4) % 256, stream)
    rng = random.Random(7)
    text = b"the quick brown fox jumps over the lazy dog; " * 20
    noise = bytes(rng.randrange(256) for _ in range(600))
    floats = b"".join(int(1000 + 3 * i).to_bytes(4, "little") for i in range(300))
    for name, data in (("text", text), ("noise", noise), ("floats", floats), ("zeros", bytes(2000))):
        for level in (0, 1, 9):
            write(f"{name}_l{level}_zlib", 0, zlib.compress(data, level))
            raw = zlib.compressobj(level, zlib.DEFLATED, -15)
            write(f"{name}_l{level}_raw", 1, raw.compress(data) + raw.flush())
        huff = zlib.compressobj(6, zlib.DEFLATED, 15, 8, zlib.Z_HUFFMAN_ONLY)
        write(f"{name}_huffman", 4, huff.compress(data) + huff.flush())
        fixed = zlib.compressobj(6, zlib.DEFLATED, 15, 8, zlib.Z_FIXED)
        write(f"{name}_fixed", 8, fixed.compress(data) + fixed.flush())
    # The compressor round trip (mode % 8 == 7) on plain bytes.
    write("roundtrip_text", 0x67, text[:300])
    write("roundtrip_noise", 0x07, noise[:200])


if __name__ == "__main__":
    main()
