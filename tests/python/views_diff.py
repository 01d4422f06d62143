#!/usr/bin/env python3
"""NumPy side of the memoryview differential test (tests/java/.../NumpyDifferentialTest.java).

Usage: views_diff.py DIR. Reads DIR/cases.txt, one case per line:
    id;typecode;order;shape;transpose;expression
(shape as comma-separated ints, possibly empty; order C or F; transpose 0/1). For each case it builds the base
array exactly as the Java side does (values (7*k + 3) cast to the dtype, laid out in memory in the given order,
then optionally transposed), applies a[expression] with NumPy's basic indexing, and writes:
  - DIR/expected.txt: "id ok <shape> <strides>" or "id error <ExceptionType>";
  - DIR/exp_<id>.npy: the result (np.save);
and checks the Java result DIR/act_<id>.npy (written by Npy.write) against NumPy's (values, and the file
byte for byte against np.save's), printing one line per
mismatch to DIR/java_npy_mismatches.txt. Exit status 0 unless the script itself fails.
"""
import io
import os
import sys

import numpy as np

TYPES = {'b': 'i1', 'B': 'u1', 'h': 'i2', 'H': 'u2', 'i': 'i4', 'I': 'u4',
         'l': 'i8', 'L': 'u8', 'q': 'i8', 'Q': 'u8', 'f': 'f4', 'd': 'f8'}


def base_array(typecode, order, shape, transpose):
    dt = np.dtype('<' + TYPES[typecode]) if TYPES[typecode][1] != '1' else np.dtype(TYPES[typecode])
    n = int(np.prod(shape)) if shape else 1
    flat = (np.arange(n, dtype=np.int64) * 7 + 3).astype(dt)
    a = np.ndarray(shape, dtype=dt, buffer=flat if n > 0 else np.empty(1, dtype=dt), order=order)
    return a.T if transpose else a


def main(directory):
    out = []
    mismatches = []
    with open(os.path.join(directory, 'cases.txt')) as f:
        lines = [line.rstrip('\n') for line in f if line.strip()]
    for line in lines:
        cid, typecode, order, shape_text, transpose, expr = line.split(';', 5)
        shape = tuple(int(s) for s in shape_text.split(',') if s != '')
        a = base_array(typecode, order, shape, transpose == '1')
        try:
            r = eval('a[' + expr + ']', {'a': a, 'None': None})
        except Exception as e:  # IndexError, ValueError, TypeError: the Java side must throw too
            out.append('%s error %s' % (cid, type(e).__name__))
            continue
        r = np.asarray(r)
        out.append('%s ok %s %s' % (cid, ','.join(str(s) for s in r.shape) or '-',
                                    ','.join(str(s) for s in r.strides) or '-'))
        np.save(os.path.join(directory, 'exp_%s.npy' % cid), r)
        act_path = os.path.join(directory, 'act_%s.npy' % cid)
        if os.path.exists(act_path):
            buf = io.BytesIO()
            np.save(buf, r)
            with open(act_path, 'rb') as f:
                act_bytes = f.read()
            if act_bytes != buf.getvalue():
                mismatches.append('%s [%s] Npy.write bytes differ from np.save: %r vs %r'
                                  % (cid, expr, act_bytes[:160], buf.getvalue()[:160]))
            act = np.load(act_path)
            if act.shape != r.shape or act.dtype.str.lstrip('|<') != r.dtype.str.lstrip('|<') \
                    or not np.array_equal(act, r):
                mismatches.append('%s [%s] java wrote shape %s dtype %s, numpy has shape %s dtype %s; equal=%s'
                                  % (cid, expr, act.shape, act.dtype.str, r.shape, r.dtype.str,
                                     act.shape == r.shape and np.array_equal(act, r)))
        else:
            mismatches.append('%s [%s] java wrote no result but numpy has shape %s' % (cid, expr, r.shape))
    with open(os.path.join(directory, 'expected.txt'), 'w') as f:
        f.write('\n'.join(out) + '\n')
    with open(os.path.join(directory, 'java_npy_mismatches.txt'), 'w') as f:
        f.write('\n'.join(mismatches) + ('\n' if mismatches else ''))


if __name__ == '__main__':
    main(sys.argv[1])
