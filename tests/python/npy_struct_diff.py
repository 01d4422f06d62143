#!/usr/bin/env python3
"""NumPy side of the .npy struct differential test (tests/java/.../NpyStructDifferentialTest.java).

Usage: npy_struct_diff.py DIR. Reads DIR/decls.jsonl, one array per line:
    {"id": N, "t": TYPE, "shape": [D, ...], "fortran": 0|1, "at": BYTE OFFSET, "n": BYTES}
TYPE is a declaration as struct_diff.py reads it (the struct laid out by C's rules, or packed). The array's raw
bytes are DIR/data.bin[at:at + n], in the array's memory order (C, or Fortran when "fortran" is 1). Java wrote the
array with Npy to DIR/java_N.npy. For each line this script builds the dtype from the declaration (not from Java's
file), makes the array over those bytes, writes it with np.save to DIR/numpy_N.npy, and loads Java's file with
np.load. It writes DIR/results.txt, one line per array, fields separated by '|':
    id | "ok" if java_N.npy is byte-identical to numpy_N.npy, else "bad <where they differ and both headers>"
       | "ok" if np.load(java_N.npy) has NumPy's dtype, shape, order and bytes, else "bad <what differs>"
Exit status 0 unless the script itself fails.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from struct_diff import to_numpy  # noqa: E402 - the same declaration -> dtype rules as the layout test


def header_of(b):
    n = 10 + int.from_bytes(b[8:10], 'little') if b[6] == 1 else 12 + int.from_bytes(b[8:12], 'little')
    return b[:n]


def compare_files(mine, numpys):
    if mine == numpys:
        return 'ok'
    at = next((i for i in range(min(len(mine), len(numpys))) if mine[i] != numpys[i]), min(len(mine), len(numpys)))
    return 'bad differ at byte %d (lengths %d, %d); java header %r; numpy header %r' % (
        at, len(mine), len(numpys), header_of(mine), header_of(numpys))


def compare_loaded(loaded, arr):
    problems = []
    if loaded.dtype != arr.dtype:
        problems.append('dtype %s, not %s' % (loaded.dtype.descr, arr.dtype.descr))
    if loaded.shape != arr.shape:
        problems.append('shape %s, not %s' % (loaded.shape, arr.shape))
    if arr.ndim > 1 and loaded.flags.f_contiguous != arr.flags.f_contiguous:
        problems.append('f_contiguous %s' % loaded.flags.f_contiguous)
    if loaded.tobytes('A') != arr.tobytes('A'):
        problems.append('other bytes')
    return 'ok' if not problems else 'bad ' + '; '.join(problems)


def main(d):
    with open(os.path.join(d, 'data.bin'), 'rb') as f:
        data = f.read()
    lines = []
    with open(os.path.join(d, 'decls.jsonl')) as f:
        for raw in f:
            decl = json.loads(raw)
            i = decl['id']
            dt = to_numpy(decl['t'])
            shape = tuple(decl['shape'])
            flat = np.frombuffer(data[decl['at']:decl['at'] + decl['n']], dtype=dt)
            if decl['fortran']:
                arr = flat.reshape(shape[::-1]).T
            else:
                arr = flat.reshape(shape)
            numpy_file = os.path.join(d, 'numpy_%d.npy' % i)
            np.save(numpy_file, arr)
            java_file = os.path.join(d, 'java_%d.npy' % i)
            with open(java_file, 'rb') as jf, open(numpy_file, 'rb') as nf:
                same = compare_files(jf.read(), nf.read())
            try:
                loaded = compare_loaded(np.load(java_file), arr)
            except Exception as e:  # noqa: BLE001 - any failure is a finding, reported to the Java side
                loaded = 'bad %s: %s' % (type(e).__name__, e)
            lines.append('|'.join(str(x).replace('|', '/').replace('\n', ' ') for x in (i, same, loaded)))
    with open(os.path.join(d, 'results.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main(sys.argv[1])
