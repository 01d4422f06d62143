#!/usr/bin/env python3
"""The NumPy side of ElementTypesTest: for every scalar element type (bool, the integers, float16/32/64,
complex64/128, each multi-byte one also big-endian), seeded values as NumPy stores and reads them, their casts to
every other type (astype, casting='unsafe') and whether they compare equal to each cast (==, element-wise).

Usage: element_types.py halves SEED N: N float32 values (random bit patterns, ties, subnormals, overflow) and
NumPy's float16 of each, one "<float32 bits hex> <float16 bits hex>" per line.

Usage: element_types.py SEED N. Output, one block per type:
  T <type> <bytes hex>         the n elements as stored
  V <v0> <v1> ...              their values: integers in decimal (uint64 as unsigned), floats as float.hex of the
                               double, complex as re/im; bool 0/1
  C <target> <bytes hex>       astype(target)
  E <target> <0|1>             every a[i] == a.astype(target)[i] as Python compares the stored values: exactly
                               (NumPy's == rounds an integer to float64 first: uint64 2^64-1 == 2.0^64 there;
                               cymem4j's contentEquals and Python's int == float do not)
The values avoid NumPy's undefined casts (negative or out-of-range floats to integers)."""
import sys
import warnings

import numpy as np

TYPES = ["?", "b", "B", "h", "H", "i", "I", "q", "Q", "e", "f", "d", "F", "D",
         ">h", ">H", ">i", ">I", ">q", ">Q", ">e", ">f", ">d", ">F", ">D"]


def values(t, rng, n):
    dt = np.dtype(t)
    if dt.kind == "b":
        return rng.integers(0, 2, n).astype(dt)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        lo = max(int(info.min), -100)
        v = rng.integers(lo, 120, n).astype(dt)
        if dt.itemsize == 8 and dt.kind == "u":  # the unsigned 64-bit values Java holds as negative longs
            v[::3] = np.array([2**63, 2**64 - 1, 2**63 + 2**11, 10**19, 2**64 - 2**11], dtype=np.uint64)[
                rng.integers(0, 5, len(v[::3]))]
        return v
    if dt.kind == "f":
        v = (rng.random(n) * 120).astype(dt)
        v[0] = 0.0
        v[1] = 1.5
        return v
    v = (rng.random(n) * 120 + 1j * rng.random(n) * 120).astype(dt)
    v[0] = 2.0  # imaginary part 0: equal to a real
    return v


def show(v):
    dt = v.dtype
    if dt.kind == "b":
        return " ".join(str(int(x)) for x in v)
    if dt.kind in "iu":
        return " ".join(str(int(x)) for x in v)
    if dt.kind == "f":
        return " ".join(float(x).hex() for x in v)
    return " ".join(float(x.real).hex() + "/" + float(x.imag).hex() for x in v)


def halves(seed, n):
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32)
    f = bits.view(np.float32).copy()
    # ties and near-ties around every binade of float16, and its subnormals
    k = n // 4
    hbits = rng.integers(0, 0x7BFF, k).astype(np.uint16)
    h = hbits.view(np.float16).astype(np.float32)
    h2 = (hbits + 1).astype(np.uint16).view(np.float16).astype(np.float32)
    f[:k] = (h.astype(np.float64) + h2.astype(np.float64)) / 2  # exact in float32
    f[k:2 * k] = np.nextafter(f[:k], np.float32(np.inf))
    f[2 * k:2 * k + 8] = [65504, 65519.996, 65520, 2**-24, 2**-25, 3 * 2**-25, np.inf, -0.0]
    with np.errstate(all="ignore"):
        h = f.astype(np.float16)
    for x, y in zip(f.view(np.uint32), h.view(np.uint16)):
        print(f"{int(x):08x} {int(y):04x}")


def main():
    if sys.argv[1] == "halves":
        halves(int(sys.argv[2]), int(sys.argv[3]))
        return
    seed, n = int(sys.argv[1]), int(sys.argv[2])
    rng = np.random.default_rng(seed)
    warnings.simplefilter("ignore")  # ComplexWarning (dropping imaginary parts) and overflow to inf are intended
    out = []
    for t in TYPES:
        a = values(t, rng, n)
        out.append(f"T {t} {a.tobytes().hex()}")
        out.append("V " + show(a))
        for u in TYPES:
            c = a.astype(u, casting="unsafe")
            out.append(f"C {u} {c.tobytes().hex()}")
            out.append(f"E {u} {int(all(x == y for x, y in zip(a.tolist(), c.tolist())))}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
