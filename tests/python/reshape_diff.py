"""NumPy's side of ReshapeDifferentialTest: reshape (copy=False) and view(dtype) of strided arrays.

Reads cases.jsonl from the directory given, one JSON object per line:
  {"dt": dtype, "base": bytes, "off": offset, "shape": [...], "strides": [...], "op": "reshape", "arg": [...]}
  {... "op": "view", "to": dtype}
  {... "op": "field", "path": [name, ...]}   (a[name][name]...)
where a dtype is a NumPy dtype string ("i4", "V24", "S5"), [dtype string, [dims]] for a sub-array type, or
{"fmt": PEP 3118 format} for a struct.
Writes results.txt, one line per case: "ok|shape|strides|offset" (comma-separated, offset in bytes from the
buffer's start) or "err|<exception type>".
"""
import json
import sys

import numpy as np

try:
    from numpy._core._internal import _dtype_from_pep3118
except ImportError:  # NumPy 1.x
    from numpy.core._internal import _dtype_from_pep3118


def dtype(spec):
    if isinstance(spec, dict):
        return _dtype_from_pep3118(spec["fmt"])
    if isinstance(spec, list):
        return np.dtype((spec[0], tuple(spec[1])))
    return np.dtype(spec)


def main(directory):
    out = []
    with open(directory + "/cases.jsonl") as f:
        for line in f:
            c = json.loads(line)
            base = np.zeros(c["base"], dtype=np.uint8)
            a = np.ndarray(tuple(c["shape"]), dtype=dtype(c["dt"]), buffer=base, offset=c["off"],
                           strides=tuple(c["strides"]))
            try:
                if c["op"] == "reshape":
                    r = a.reshape(tuple(c["arg"]), copy=False)
                elif c["op"] == "field":
                    r = a
                    for name in c["path"]:
                        r = r[name]
                else:
                    r = a.view(dtype(c["to"]))
            except (ValueError, IndexError, KeyError) as e:
                out.append("err|" + type(e).__name__)
                continue
            off = r.__array_interface__["data"][0] - base.__array_interface__["data"][0]
            out.append("ok|%s|%s|%d" % (",".join(map(str, r.shape)), ",".join(map(str, r.strides)), off))
    with open(directory + "/results.txt", "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
