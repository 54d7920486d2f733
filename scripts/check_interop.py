#!/usr/bin/env python3
"""Cross-checks the Swift toolkit's file formats against Python's numpy and safetensors.

Usage: check_interop.py DIR

DIR holds the files Tests/EBMCoreTests/InteropTests.swift writes. Each is loaded with
`safetensors.numpy.load_file` / `numpy.load` and compared (names, dtypes, shapes, values, and
for plain files the exact bytes Python itself would write) with the contents defined below,
which the Swift test builds from the same formulas. Then the script writes python.* files into
DIR for the Swift side to read back.

Prints one line per file; on the first mismatch prints one line to stderr and exits 1.
Needs: pip install numpy safetensors
"""
import io
import json
import pathlib
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save, save_file


class Mismatch(Exception):
    pass


def ramp(shape, dtype=np.float32):
    """Element i (flat, C order) is i * 0.25 - 3, exact in float32 for these sizes."""
    count = int(np.prod(shape, dtype=np.int64))
    return (np.arange(count, dtype=np.float64) * 0.25 - 3).astype(dtype).reshape(shape)


# What the Swift side writes.
SWIFT_SAFETENSORS = {
    "layers.0.weight": ramp((3, 4)),
    "layers.0.bias": ramp((4,)),
    "scalar": ramp(()),
    "empty": ramp((0, 3)),
}
SWIFT_METADATA = {"format": "interop-1", "note": 'é "quoted"\nline'}
PLAIN_SAFETENSORS = {"a": ramp((5,)), "b": ramp((2, 3))}
SWIFT_NPZ = {
    "f32": ramp((2, 3, 4)),
    "f64": np.arange(5, dtype=np.float64) * 0.1 - 1,
    "i64": np.arange(6, dtype=np.int64).reshape(2, 3) * 1_000_000_007 - 5,
    "i32": np.arange(4, dtype=np.int32) * -7,
    "u8": (np.arange(16, dtype=np.int64) * 17 % 256).astype(np.uint8),
    "b1": np.arange(3) % 2 == 0,
    "scalar": ramp((), np.float64),
}

# What this script writes for the Swift side.
PYTHON_NPZ = {
    "f32": ramp((2, 3)),
    "f64": np.arange(4, dtype=np.float64) * 0.1 - 1,
    "i64": np.arange(3, dtype=np.int64) * 1_000_000_007 - 5,
    "u8": (np.arange(5) * 50).astype(np.uint8),
    "b1": np.array([True, False, True]),
    "fortran": np.asfortranarray(ramp((2, 3), np.float64)),
}
PYTHON_SAFETENSORS = {
    "w": ramp((2, 2)),
    "d": np.arange(3, dtype=np.float64) * 0.5,
    "n": np.arange(2, dtype=np.int64) - 1,
}


def compare(file, found, expected):
    if sorted(found) != sorted(expected):
        raise Mismatch(f"{file}: names {sorted(found)}, expected {sorted(expected)}")
    for name, want in expected.items():
        got = np.asarray(found[name])
        if got.dtype != want.dtype:
            raise Mismatch(f"{file}: {name} has dtype {got.dtype}, expected {want.dtype}")
        if got.shape != want.shape:
            raise Mismatch(f"{file}: {name} has shape {got.shape}, expected {want.shape}")
        if not np.array_equal(got, want):
            raise Mismatch(f"{file}: {name} values differ, e.g. {got.ravel()[:4]} vs {want.ravel()[:4]}")


def metadata(path):
    with safe_open(str(path), framework="np") as f:
        return f.metadata() or {}


def check(directory):
    path = directory / "swift.safetensors"
    compare(path.name, load_file(str(path)), SWIFT_SAFETENSORS)
    if metadata(path) != SWIFT_METADATA:
        raise Mismatch(f"{path.name}: metadata {metadata(path)}, expected {SWIFT_METADATA}")
    print(f"ok {path.name}: {len(SWIFT_SAFETENSORS)} tensors and metadata match")

    path = directory / "plain.safetensors"
    compare(path.name, load_file(str(path)), PLAIN_SAFETENSORS)
    if path.read_bytes() != save(PLAIN_SAFETENSORS):
        raise Mismatch(f"{path.name}: bytes differ from safetensors.numpy.save of the same tensors")
    print(f"ok {path.name}: identical bytes to safetensors.numpy.save")

    path = directory / "swift.npz"
    with np.load(path, allow_pickle=False) as archive:
        compare(path.name, {name: archive[name] for name in archive.files}, SWIFT_NPZ)
    print(f"ok {path.name}: {len(SWIFT_NPZ)} arrays match")

    path = directory / "f32.npy"
    compare(path.name, {"f32": np.load(path, allow_pickle=False)}, {"f32": SWIFT_NPZ["f32"]})
    buffer = io.BytesIO()
    np.save(buffer, SWIFT_NPZ["f32"])
    if path.read_bytes() != buffer.getvalue():
        raise Mismatch(f"{path.name}: bytes differ from numpy.save of the same array")
    print(f"ok {path.name}: identical bytes to numpy.save")

    path = directory / "checkpoint.safetensors"
    tensors = load_file(str(path))
    meta = metadata(path)
    if meta.get("format") != "ebm-checkpoint-1" or meta.get("kind") != "interop":
        raise Mismatch(f"{path.name}: metadata format/kind are {meta.get('format')}/{meta.get('kind')}")
    config = json.loads(meta["config"])
    if sorted(config) != ["inputShape", "labelCount", "layers"]:
        raise Mismatch(f"{path.name}: config keys {sorted(config)}")
    if not tensors or any(t.dtype != np.float32 or not name.startswith("layers.") for name, t in tensors.items()):
        raise Mismatch(f"{path.name}: expected float32 layers.* tensors, got {sorted(tensors)}")
    print(f"ok {path.name}: {len(tensors)} parameters, config {config['inputShape']} -> {len(config['layers'])} layers")


def write(directory):
    np.savez(directory / "python.npz", **PYTHON_NPZ)
    np.savez_compressed(directory / "python_compressed.npz", f32=PYTHON_NPZ["f32"])
    np.save(directory / "python_fortran.npy", np.asfortranarray(ramp((2, 3, 4))))
    save_file(PYTHON_SAFETENSORS, str(directory / "python.safetensors"), metadata={"writer": "python"})
    print("wrote python.npz, python_compressed.npz, python_fortran.npy, python.safetensors")


def main():
    if len(sys.argv) != 2:
        print("usage: check_interop.py DIR", file=sys.stderr)
        return 2
    directory = pathlib.Path(sys.argv[1])
    try:
        check(directory)
    except Mismatch as error:
        print(f"check_interop: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a file Python cannot even load is a mismatch too
        print(f"check_interop: {type(error).__name__}: {error}".splitlines()[0], file=sys.stderr)
        return 1
    write(directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
