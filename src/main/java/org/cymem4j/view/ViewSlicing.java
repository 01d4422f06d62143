package org.cymem4j.view;

import java.util.ArrayList;
import java.util.List;

/**
 * The slicing evaluator behind {@link MemoryView#slice(String)} and {@link MemoryView#slice(Index...)}: NumPy's basic
 * indexing (integers, {@code start:stop:step}, one {@code ...}, {@code None}) applied to a view's shape, strides and
 * suboffsets, following Cython's rule for indirect axes. The result shares the view's owner; nothing is copied.
 */
final class ViewSlicing {
    private ViewSlicing() {
    }

    /** The view {@code v[expression]}; {@code items} are the parsed items, {@code expression} quotes them in messages. */
    static MemoryView slice(MemoryView v, String expression, Index[] items) {
        final int ndim = v.ndim;
        final long[] shape = v.shape;
        final long[] strides = v.strides;
        final int itemsize = v.itemsize;
        int named = 0;
        int ellipses = 0;
        int integers = 0;
        int newAxes = 0;
        for (Index it : items) {
            if (it.kind() == Index.Kind.ELLIPSIS) {
                ellipses++;
            } else if (it.kind() == Index.Kind.NEW_AXIS) {
                newAxes++;
            } else {
                named++;
                integers += it.kind() == Index.Kind.INT ? 1 : 0;
            }
        }
        if (ellipses > 1) {
            throw new IllegalArgumentException("bad index [" + expression + "]: an index can only have a single ellipsis ('...')");
        }
        if (named > ndim) {
            throw new IndexOutOfBoundsException("too many indices [" + expression + "]: the view is " + ndim
                    + "-dimensional, but " + named + " were indexed");
        }
        long resultDims = (long) ndim - integers + newAxes;
        if (resultDims > ViewLocation.MAX_NDIM) { // checkShape's limit
            throw new IllegalArgumentException("bad index [" + expression + "]: the view would have " + resultDims
                    + " dimensions, but a view has at most 32");
        }
        List<Long> sh = new ArrayList<>();
        List<Long> st = new ArrayList<>();
        List<Long> so = new ArrayList<>();
        Region reg = v.region;
        long off = v.offset;
        int axis = 0;
        boolean sawEllipsis = false;
        // Past an indirect axis, moving along a later axis moves inside the pointed-to memory, not the pointer
        // table: the shift goes into that axis's suboffset (Cython's rule), not into the data offset.
        int lastIndirect = -1;
        for (int p = 0; p <= items.length; p++) {
            Index it = p < items.length ? items[p] : null;
            if (it == null) {
                if (sawEllipsis) {
                    break;
                }
                // no ellipsis: the axes not named are kept whole at the end
                while (axis < ndim) {
                    sh.add(shape[axis]);
                    st.add(strides[axis]);
                    so.add(sub(v, axis));
                    axis++;
                }
                break;
            }
            switch (it.kind()) {
                case ELLIPSIS: {
                    sawEllipsis = true;
                    int keep = ndim - named;
                    for (int k = 0; k < keep; k++, axis++) {
                        sh.add(shape[axis]);
                        st.add(strides[axis]);
                        so.add(sub(v, axis));
                    }
                    break;
                }
                case NEW_AXIS:
                    sh.add(1L);
                    st.add(0L);
                    so.add(-1L);
                    break;
                case INT: {
                    long n = shape[axis];
                    long i = it.value() < 0 ? it.value() + n : it.value();
                    if (i < 0 || i >= n) {
                        throw new IndexOutOfBoundsException("index=" + it.value() + " length=" + n + " axis=" + axis
                                + " (in [" + expression + "], item '" + it + "')"); // Checks.index's format, in context
                    }
                    long s = sub(v, axis);
                    if (lastIndirect >= 0) {
                        so.set(lastIndirect, so.get(lastIndirect) + i * strides[axis]);
                    } else {
                        off += i * strides[axis];
                    }
                    if (s >= 0) {
                        if (!sh.isEmpty()) {
                            throw new IllegalArgumentException("bad index [" + expression + "]: all dimensions preceding"
                                    + " dimension " + axis + " must be indexed and not sliced (it is indirect)");
                        }
                        long target = readPointer(v, reg, off) + s;
                        reg = v.owner.regionFor(target, 0);
                        off = target - reg.address;
                    }
                    axis++;
                    break;
                }
                default: {
                    long n = shape[axis];
                    long[] r = sliceIndices(it, n);
                    long start = r[0];
                    long step = r[1];
                    long len = r[2];
                    if (len > 0) {
                        if (lastIndirect >= 0) {
                            so.set(lastIndirect, so.get(lastIndirect) + start * strides[axis]);
                        } else {
                            off += start * strides[axis];
                        }
                    } else {
                        step = 1; // NumPy's rule for empty slices: the axis keeps its stride
                    }
                    sh.add(len);
                    st.add(strides[axis] * step);
                    so.add(sub(v, axis));
                    if (sub(v, axis) >= 0) {
                        lastIndirect = so.size() - 1;
                    }
                    axis++;
                }
            }
        }
        long[] outShape = unbox(sh);
        long[] outStrides = unbox(st);
        long[] outSub = unbox(so);
        if (!ViewLocation.anyIndirect(outSub)) {
            ViewLocation.checkExtent(reg, off, itemsize, outShape, outStrides);
            outSub = null;
        }
        return new MemoryView(v.owner, reg, off, v.dtype, outShape, outStrides, outSub);
    }

    private static long sub(MemoryView v, int axis) {
        return v.suboffsets == null ? -1 : v.suboffsets[axis];
    }

    private static long readPointer(MemoryView v, Region reg, long off) {
        v.span.enter();
        try {
            if (!reg.contains(reg.address + off, 8)) {
                throw new IllegalStateException("indirect pointer slot at offset " + off + " is outside its memory");
            }
            return reg.access.getLong(off);
        } finally {
            v.span.exit();
        }
    }

    private static long[] unbox(List<Long> values) {
        long[] out = new long[values.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = values.get(k);
        }
        return out;
    }

    /** Python's {@code slice.indices(n)} plus the length: {start, step, length}. */
    static long[] sliceIndices(Index it, long n) {
        long step = it.step() == null ? 1 : it.step();
        long start;
        long stop;
        if (it.start() == null) {
            start = step < 0 ? n - 1 : 0;
        } else {
            start = clamp(it.start(), n, step);
        }
        if (it.stop() == null) {
            stop = step < 0 ? -1 : n;
        } else {
            stop = clamp(it.stop(), n, step);
        }
        long len;
        if (step < 0) {
            len = stop < start ? (start - stop - 1) / -step + 1 : 0;
        } else {
            len = start < stop ? (stop - start - 1) / step + 1 : 0;
        }
        return new long[] {start, step, len};
    }

    private static long clamp(long i, long n, long step) {
        if (i < 0) {
            i += n;
            if (i < 0) {
                i = step < 0 ? -1 : 0;
            }
        } else if (i >= n) {
            i = step < 0 ? n - 1 : n;
        }
        return i;
    }
}
