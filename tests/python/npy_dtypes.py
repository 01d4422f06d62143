#!/usr/bin/env python3
"""NumPy side of NpyDtypesTest (tests/java/.../NpyDtypesTest.java): .npy files of every element type.

Usage:
  npy_dtypes.py save DIR   writes, for each case below, DIR/NAME.npy with np.save, DIR/NAME.bin with the array's
                           bytes in memory order (arr.tobytes('A')), and one line of DIR/manifest.txt:
                               NAME | itemsize | shape | fortran (0/1) | layout
                           layout: for a struct every leaf field as path=offset:kind:size:order[dims], for another
                           type kind:size:order (order '<', '>' or '|'), as NumPy reports them.
  npy_dtypes.py load DIR   np.load's every DIR/java_NAME.npy (written by Java from DIR/NAME.npy) and compares it
                           with np.load(DIR/NAME.npy): writes DIR/loaded.txt, "NAME | ok" or "NAME | bad <what>".
"""
import os
import sys
import warnings

import numpy as np

INNER = np.dtype([('x', 'i1'), ('y', '<c8')], align=True)
CASES = {
    'bool': (np.dtype('?'), (5,)),
    'int8': (np.dtype('i1'), (2, 3)),
    'uint16be': (np.dtype('>u2'), (4,)),
    'int32be': (np.dtype('>i4'), (2, 3)),
    'int64be': (np.dtype('>i8'), (3,)),
    'uint64': (np.dtype('<u8'), (3,)),
    'float16': (np.dtype('<f2'), (7,)),
    'float16be': (np.dtype('>f2'), (2, 2)),
    'float32be': (np.dtype('>f4'), (3,)),
    'float64be': (np.dtype('>f8'), (2, 3, 2)),
    'complex64': (np.dtype('<c8'), (3,)),
    'complex128': (np.dtype('<c16'), (2, 2)),
    'complex128be': (np.dtype('>c16'), (2,)),
    'bytes5': (np.dtype('S5'), (4,)),
    'wchar': (np.dtype('<U1'), (3,)),
    'scalar0d': (np.dtype('<c8'), ()),
    'empty': (np.dtype([('a', '<i4'), ('b', '>f8')], align=True), (0, 3)),
    'aligned': (np.dtype([('a', 'u1'), ('b', '<f8'), ('c', '<i2')], align=True), (3,)),
    'packed': (np.dtype([('a', 'u1'), ('b', '<f8'), ('c', '>i2')]), (3,)),
    'nested': (np.dtype([('p', INNER), ('q', '?'), ('r', INNER, (2,))], align=True), (2,)),
    'subarrays': (np.dtype([('m', '<f8', (2, 3)), ('s', 'S3', (2,)), ('e', '>f2', (3,))], align=True), (2, 2)),
    'offsets': (np.dtype({'names': ['a', 'b'], 'formats': ['>i2', '<i4'], 'offsets': [2, 8], 'itemsize': 24}), (2,)),
    'quotes': (np.dtype([("it's", '<i4'), ('say "hi"', '<i2'), ('back\\slash\ttab', 'u1')]), (2,)),
    'latin1': (np.dtype([('caf\u00e9', '<i4'), ('\u00fc', '>f4')]), (3,)),
    'utf8': (np.dtype([('\u6e29\u5ea6', '<f4'), ('\u03c0', '<f8'), ('\U0001f600', 'u1')]), (2,)),
    'wide': (np.dtype([('field_%04d' % i, '<i4' if i % 3 else '>f8') for i in range(3000)]), (2,)),
}


def fill(arr, rng):
    raw = arr.reshape(-1).view(np.uint8) if arr.size else None
    if raw is not None:
        raw[:] = rng.integers(0, 256, raw.size, dtype=np.uint8)


def leaves(dt, prefix, base, out):
    if dt.names is None:
        sub = ''
        if dt.subdtype is not None:
            sub = str(list(dt.shape)).replace(' ', '')
            dt = dt.base
            if dt.names is not None:
                inner = []
                leaves(dt, '', 0, inner)
                out.append('%s=%d:struct%d%s{%s}' % (prefix, base, dt.itemsize, sub, ';'.join(inner)))
                return
        order = dt.byteorder if dt.itemsize > 1 and dt.kind != 'S' else '|'
        if order == '=':
            order = '<' if sys.byteorder == 'little' else '>'
        out.append('%s=%d:%s:%d:%s%s' % (prefix, base, dt.kind, dt.itemsize, order, sub))
        return
    for name in dt.names:
        fdt, off = dt.fields[name][:2]
        leaves(fdt, prefix + '.' + name, base + off, out)


def save(d):
    rng = np.random.default_rng(20261207)
    lines = []
    for name, (dt, shape) in CASES.items():
        fortran = len(shape) > 1 and name in ('int32be', 'float64be', 'complex128', 'subarrays')
        arr = np.zeros(shape, dt, order='F' if fortran else 'C')
        fill(arr.T if fortran else arr, rng)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # format 2.0/3.0 warnings
            np.save(os.path.join(d, name + '.npy'), arr)
        with open(os.path.join(d, name + '.bin'), 'wb') as f:
            f.write(arr.tobytes('A'))
        out = []
        leaves(dt, '', 0, out)
        lines.append('|'.join([name, str(dt.itemsize), ','.join(str(x) for x in shape), '1' if fortran else '0',
                               ','.join(out)]))
    with open(os.path.join(d, 'manifest.txt'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')


def load(d):
    lines = []
    for name in CASES:
        java = os.path.join(d, 'java_' + name + '.npy')
        try:
            mine = np.load(java, max_header_size=1 << 20)  # 'wide' has a 69 KB header
            theirs = np.load(os.path.join(d, name + '.npy'), max_header_size=1 << 20)
            problems = []
            if mine.dtype != theirs.dtype:
                problems.append('dtype %s' % (mine.dtype,))
            if mine.shape != theirs.shape:
                problems.append('shape %s' % (mine.shape,))
            if mine.flags.f_contiguous != theirs.flags.f_contiguous:
                problems.append('order')
            if mine.tobytes('A') != theirs.tobytes('A'):
                problems.append('bytes')
            lines.append(name + ' | ' + ('ok' if not problems else 'bad ' + ', '.join(problems)))
        except Exception as e:  # noqa: BLE001 - reported to the Java side
            lines.append('%s | bad %s: %s' % (name, type(e).__name__, e))
    with open(os.path.join(d, 'loaded.txt'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    {'save': save, 'load': load}[sys.argv[1]](sys.argv[2])
