"""NumPy's side of NpyMapTest (memory-mapped .npy).

  python3 npy_map.py make DIR   writes DIR/<code>_<order>.npy for every dtype Npy.map supports, in C and Fortran
                                order: shape (3, 4), element (i, j) = 4 * i + j (+ 0.5 for floats; chr(97 + 4i + j)
                                for U1)
  python3 npy_map.py show FILE  prints np.load(FILE)'s elements in C order of the logical array, one line, spaces
"""
import sys

import numpy as np

CODES = ["i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f4", "f8", "U1"]


def make(directory):
    for code in CODES:
        k = np.arange(12).reshape(3, 4)
        if code == "U1":
            a = np.array([chr(97 + x) for x in k.ravel()], dtype="<U1").reshape(3, 4)
        else:
            a = k.astype("<" + code if code[1] != "1" else code)
            if code[0] == "f":
                a = a + np.array(0.5, dtype=a.dtype)
        np.save(f"{directory}/{code}_C.npy", np.ascontiguousarray(a))
        np.save(f"{directory}/{code}_F.npy", np.asfortranarray(a))


def show(path):
    a = np.load(path)
    print(" ".join(repr(x.item()) for x in a.ravel(order="C")))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        show(sys.argv[2])
