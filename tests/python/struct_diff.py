#!/usr/bin/env python3
"""NumPy and ctypes side of the struct-layout differential test (tests/java/.../StructDifferentialTest.java).

Usage: struct_diff.py DIR. Reads DIR/decls.jsonl, one declaration per line:
    {"id": N, "t": TYPE, "fmt": "<the PEP 3118 format cymem4j wrote>"}
    TYPE := {"k": "s", "c": "<code>", "be": 0|1}          a scalar (PEP 3118 code: b B ? h H i I l L q Q e f d Zf Zd w)
          | {"k": "b", "n": N}                              a byte string of N bytes
          | {"k": "a", "e": TYPE, "d": [D1, D2, ...]}       a sub-array (C order: e[D1][D2]...)
          | {"k": "t", "p": 0|1, "f": [["name", TYPE], ...]} a struct, laid out by C's rules or packed (_pack_ = 1)
For each it builds the type with ctypes (the platform's C layout rules) and with NumPy (align=True, or packed), and
writes DIR/results.txt, one line per declaration, fields separated by '|':
    id | ctypes size | ctypes alignment | ctypes offsets | numpy itemsize | numpy alignment | numpy offsets
       | numpy's PEP 3118 format | NumPy's own reading of that format: itemsize | its offsets
       | cymem4j's format read by NumPy: "ok" if equal to NumPy's dtype, else "bad <what NumPy read>"
Offsets are "path=offset" for every leaf field (structs flattened with dotted paths; sub-arrays are leaves),
comma-separated, in declaration order. Exit status 0 unless the script itself fails.
"""
import ctypes
import json
import os
import sys

import numpy as np

try:
    from numpy._core._internal import _dtype_from_pep3118
except ImportError:  # NumPy 1.x
    from numpy.core._internal import _dtype_from_pep3118

CTYPES = {'b': ctypes.c_byte, 'B': ctypes.c_ubyte, '?': ctypes.c_bool, 'h': ctypes.c_short,
          'H': ctypes.c_ushort, 'i': ctypes.c_int, 'I': ctypes.c_uint, 'l': ctypes.c_long, 'L': ctypes.c_ulong,
          'q': ctypes.c_longlong, 'Q': ctypes.c_ulonglong, 'f': ctypes.c_float, 'd': ctypes.c_double,
          'e': ctypes.c_uint16,                      # no float16 in ctypes: same size and alignment
          'Zf': ctypes.c_float * 2, 'Zd': ctypes.c_double * 2,  # C's _Complex: two floats, aligned as one
          'w': ctypes.c_wchar}
NUMPY = {'b': 'i1', 'B': 'u1', '?': '?', 'h': 'i2', 'H': 'u2', 'i': 'i4', 'I': 'u4', 'l': 'i8', 'L': 'u8',
         'q': 'i8', 'Q': 'u8', 'e': 'f2', 'f': 'f4', 'd': 'f8', 'Zf': 'c8', 'Zd': 'c16', 'w': 'U1'}


def to_ctypes(t, counter):
    k = t['k']
    if k == 's':
        return CTYPES[t['c']]
    if k == 'b':
        return ctypes.c_char * t['n']
    if k == 'a':
        c = to_ctypes(t['e'], counter)
        for d in reversed(t['d']):
            c = c * d
        return c
    counter[0] += 1
    attrs = {'_fields_': [(name, to_ctypes(ft, counter)) for name, ft in t['f']]}
    if t['p']:
        attrs['_pack_'] = 1
    return type('S%d' % counter[0], (ctypes.Structure,), attrs)


def to_numpy(t):
    k = t['k']
    if k == 's':
        code = NUMPY[t['c']]
        if code[-1] != '1' or code == 'U1':
            code = ('>' if t['be'] else '<') + code
        return np.dtype(code)
    if k == 'b':
        return np.dtype('S%d' % t['n'])
    if k == 'a':
        return np.dtype((to_numpy(t['e']), tuple(t['d'])))
    return np.dtype([(name, to_numpy(ft)) for name, ft in t['f']], align=not t['p'])


def ctypes_offsets(c, prefix, base, out):
    for name, ftype in c._fields_:
        off = base + getattr(c, name).offset
        if isinstance(ftype, type) and issubclass(ftype, ctypes.Structure):
            ctypes_offsets(ftype, prefix + name + '.', off, out)
        else:
            out.append('%s%s=%d' % (prefix, name, off))
    return out


def numpy_offsets(dt, prefix, base, out):
    for name in dt.names:
        fdt, off = dt.fields[name][:2]
        if fdt.names is not None and fdt.subdtype is None:
            numpy_offsets(fdt, prefix + name + '.', base + off, out)
        else:
            out.append('%s%s=%d' % (prefix, name, base + off))
    return out


def offsets_of(dt, is_struct):
    return ','.join(numpy_offsets(dt, '', 0, [])) if is_struct and dt.names is not None else ''


def main(d):
    lines = []
    with open(os.path.join(d, 'decls.jsonl')) as f:
        for raw in f:
            decl = json.loads(raw)
            t = decl['t']
            ct = to_ctypes(t, [0])
            dt = to_numpy(t)
            ct_offs = ','.join(ctypes_offsets(ct, '', 0, []))
            np_offs = offsets_of(dt, True)
            np_fmt = memoryview(np.zeros(1, dt)).format
            reread = _dtype_from_pep3118(np_fmt)
            try:
                mine = _dtype_from_pep3118(decl['fmt'])
                verdict = 'ok' if mine == dt else 'bad ' + str(mine).replace('|', '/')
            except Exception as e:  # noqa: BLE001 - any failure is a finding, reported to the Java side
                verdict = 'bad %s: %s' % (type(e).__name__, str(e).replace('|', '/'))
            lines.append('|'.join(str(x) for x in (
                decl['id'], ctypes.sizeof(ct), ctypes.alignment(ct), ct_offs, dt.itemsize, dt.alignment, np_offs,
                np_fmt, reread.itemsize, offsets_of(reread, True), verdict)))
    with open(os.path.join(d, 'results.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main(sys.argv[1])
