package org.cymem4j.view;

import java.util.Arrays;

/**
 * {@link ViewShapes#reshape(long...)} and {@link ViewShapes#view(DType)}: NumPy's rules, followed line by line so the
 * shapes, strides and errors are NumPy's ({@code PyArray_Newshape} with {@code copy=False} and
 * {@code _attempt_nocopy_reshape}; {@code array_descr_set} for a new element type). The offset never changes.
 */
final class ViewReshapes {
    private ViewReshapes() {
    }

    // ---- reshape ---------------------------------------------------------------------------------------------

    static MemoryView reshape(MemoryView v, long[] requested) {
        refuseIndirect(v, "reshape");
        long[] shape = inferred(v, requested);
        ViewLocation.checkShape(shape);
        checkBytes(shape, v.itemsize);
        long[] strides;
        if (Arrays.equals(requested, v.shape)) { // NumPy's quick check, made before a -1 is inferred
            strides = v.strides.clone();
        } else if (v.isCContiguous()) {
            strides = cStrides(shape, v.itemsize);
        } else {
            strides = noCopyStrides(v.shape, v.strides, shape, v.itemsize);
            if (strides == null) {
                throw new IllegalArgumentException("cannot reshape a view of shape " + Arrays.toString(v.shape)
                        + " and strides " + Arrays.toString(v.strides) + " into shape " + Arrays.toString(shape)
                        + " without a copy (copy() it first)");
            }
        }
        v.owner.check();
        return new MemoryView(v.owner, v.region, v.offset, v.dtype, shape, strides, null);
    }

    /** The shape with its one {@code -1} replaced by what the size leaves (NumPy's {@code _fix_unknown_dimension}). */
    private static long[] inferred(MemoryView v, long[] requested) {
        long[] shape = requested.clone();
        long size = v.elementCount();
        int unknown = -1;
        long known = 1;
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException("cannot reshape into shape " + Arrays.toString(requested)
                            + ": only one length may be -1 (inferred)");
                }
                unknown = k;
            } else if (shape[k] < 0) {
                throw new IllegalArgumentException("shape[" + k + "] must be >= 0 or -1 (inferred) but was " + shape[k]);
            } else if (known != 0 && shape[k] != 0 && Math.multiplyHigh(known, shape[k]) != 0
                    || known * shape[k] < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(requested) + " has more than "
                        + Long.MAX_VALUE + " elements");
            } else {
                known *= shape[k];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || size % known != 0) {
                throw mismatch(size, requested);
            }
            shape[unknown] = size / known;
        } else if (known != size) {
            throw mismatch(size, requested);
        }
        return shape;
    }

    /**
     * NumPy's "array is too big": the non-zero lengths times the item size fit a long, for an empty shape too (its
     * C strides are those products, so they would wrap), as {@code NativeArray.allocate} requires.
     */
    private static void checkBytes(long[] shape, int itemsize) {
        long bytes = itemsize;
        for (long n : shape) {
            if (n != 0) {
                if (n > Long.MAX_VALUE / bytes) {
                    throw new IllegalArgumentException("cannot reshape into shape " + Arrays.toString(shape) + ": its"
                            + " non-zero lengths times the item size (" + itemsize + ") pass " + Long.MAX_VALUE
                            + " bytes");
                }
                bytes *= n;
            }
        }
    }

    private static IllegalArgumentException mismatch(long size, long[] requested) {
        return new IllegalArgumentException("cannot reshape a view of size " + size + " into shape "
                + Arrays.toString(requested));
    }

    /** C-order strides as NumPy fills them: an axis of length 0 does not multiply the strides before it. */
    static long[] cStrides(long[] shape, long itemsize) {
        long[] st = new long[shape.length];
        long s = itemsize;
        for (int k = shape.length - 1; k >= 0; k--) {
            st[k] = s;
            if (shape[k] != 0) {
                s *= shape[k];
            }
        }
        return st;
    }

    /**
     * NumPy's {@code _attempt_nocopy_reshape} in C order: groups of old axes whose product is a group of new axes,
     * each old group mergeable (every stride = the next axis's length times its stride); null when a copy is needed.
     */
    static long[] noCopyStrides(long[] oldShape, long[] oldStrides, long[] newShape, long itemsize) {
        int oldNd = 0;
        long[] olddims = new long[oldShape.length];
        long[] oldstr = new long[oldShape.length];
        for (int k = 0; k < oldShape.length; k++) {
            if (oldShape[k] != 1) { // length-1 axes: their strides do not matter
                olddims[oldNd] = oldShape[k];
                oldstr[oldNd] = oldStrides[k];
                oldNd++;
            }
        }
        int newNd = newShape.length;
        long[] newstr = new long[newNd];
        int oi = 0;
        int oj = 1;
        int ni = 0;
        int nj = 1;
        while (ni < newNd && oi < oldNd) {
            long np = newShape[ni];
            long op = olddims[oi];
            while (np != op) {
                if (np < op) {
                    np *= newShape[nj++]; // NumPy's loop: sizes are equal and non-zero here, so it ends
                } else {
                    op *= olddims[oj++];
                }
            }
            for (int ok = oi; ok < oj - 1; ok++) {
                if (oldstr[ok] != olddims[ok + 1] * oldstr[ok + 1]) {
                    return null;
                }
            }
            newstr[nj - 1] = oldstr[oj - 1];
            for (int nk = nj - 1; nk > ni; nk--) {
                newstr[nk - 1] = newstr[nk] * newShape[nk];
            }
            ni = nj++;
            oi = oj++;
        }
        long last = ni >= 1 ? newstr[ni - 1] : itemsize;
        for (int nk = ni; nk < newNd; nk++) {
            newstr[nk] = last;
        }
        return newstr;
    }

    // ---- view(dtype) -----------------------------------------------------------------------------------------

    static MemoryView view(MemoryView v, DType dtype) {
        refuseIndirect(v, "view(" + dtype.displayName() + ")");
        long[] shape = v.shape.clone();
        long[] strides = v.strides.clone();
        int oldSize = v.itemsize;
        int newSize = dtype.itemsize();
        String change = " (a view of " + v.dtype.displayName() + ", " + oldSize + " bytes, as " + dtype.displayName()
                + ", " + newSize + " bytes; shape " + Arrays.toString(v.shape) + ", strides "
                + Arrays.toString(v.strides) + ")";
        if (newSize != oldSize) {
            if (v.ndim == 0) {
                throw new IllegalArgumentException("the element type of a 0-d view can change only to one of the same"
                        + " item size" + change);
            }
            if (dtype.kind() == DType.Kind.SUBARRAY) {
                throw new IllegalArgumentException("the element type can change to a sub-array type only of the same"
                        + " item size" + change);
            }
            int axis = v.ndim - 1;
            if (shape[axis] != 1 && v.elementCount() != 0 && strides[axis] != oldSize) {
                throw new IllegalArgumentException("the element type can change to one of another item size only if"
                        + " the last axis is contiguous" + change);
            }
            if (shape[axis] > Long.MAX_VALUE / oldSize) { // an empty view can have such an axis
                throw new IllegalArgumentException("the last axis has more than " + Long.MAX_VALUE + " bytes"
                        + change);
            }
            if (newSize < oldSize) {
                if (oldSize % newSize != 0) {
                    throw new IllegalArgumentException("a smaller item size must divide the old one" + change);
                }
                shape[axis] = shape[axis] * (oldSize / newSize);
            } else {
                long bytes = shape[axis] * oldSize;
                if (bytes % newSize != 0) {
                    throw new IllegalArgumentException("a larger item size must divide the bytes of the last axis ("
                            + bytes + ")" + change);
                }
                shape[axis] = bytes / newSize;
            }
            strides[axis] = newSize;
        }
        DType type = dtype;
        if (dtype.kind() == DType.Kind.SUBARRAY) { // its axes come last, as NumPy's
            long[] dims = dtype.dims();
            type = dtype.element();
            long[] sh = Arrays.copyOf(shape, shape.length + dims.length);
            long[] st = Arrays.copyOf(strides, strides.length + dims.length);
            System.arraycopy(dims, 0, sh, shape.length, dims.length);
            System.arraycopy(cStrides(dims, type.itemsize()), 0, st, strides.length, dims.length);
            shape = ViewLocation.checkShape(sh);
            strides = st;
        }
        v.owner.check();
        return new MemoryView(v.owner, v.region, v.offset, type, shape, strides, null);
    }

    private static void refuseIndirect(MemoryView v, String what) {
        if (v.suboffsets != null) {
            throw new IllegalArgumentException("cannot " + what + " a view with indirect axes (copy() it first)");
        }
    }
}
