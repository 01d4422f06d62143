package org.cymem4j.view;

import org.cymem4j.internal.MemoryAccess;

/**
 * The whole-view operations behind {@link MemoryView}: copy, cast, fill, compare, and gathering elements into Java
 * arrays. This class is the one seam between the views and the C strided kernels: the Java loops here walk a view
 * with an odometer over its strides (reading through {@link MemoryAccess}, never JNI per element) and handle any
 * layout, overlap included (the source is gathered before the destination is written).
 *
 * <p>Callers have checked shapes and element types; every method enters both owners around its memory accesses.
 */
final class Kernels {
    private Kernels() {
    }

    /** Visits the byte offset of every element in C order. */
    @FunctionalInterface
    interface Visitor {
        void visit(MemoryAccess access, long offset);
    }

    /** Walks {@code v} in C order; the caller has entered the owner. */
    static void walk(MemoryView v, Visitor f) {
        int nd = v.ndim;
        for (long n : v.shape) {
            if (n == 0) {
                return;
            }
        }
        if (v.suboffsets != null) {
            long[] idx = new long[nd];
            do {
                MemoryView.Loc at = v.locateForKernel(idx);
                f.visit(at.access, at.offset);
            } while (next(idx, v.shape));
            return;
        }
        MemoryAccess m = v.region.access;
        if (nd == 0) {
            f.visit(m, v.offset);
            return;
        }
        long[] idx = new long[nd];
        long inner = v.shape[nd - 1];
        long innerStride = v.strides[nd - 1];
        long off = v.offset;
        for (;;) {
            long o = off;
            for (long i = 0; i < inner; i++, o += innerStride) {
                f.visit(m, o);
            }
            int k = nd - 2;
            for (; k >= 0; k--) {
                idx[k]++;
                off += v.strides[k];
                if (idx[k] < v.shape[k]) {
                    break;
                }
                off -= v.shape[k] * v.strides[k];
                idx[k] = 0;
            }
            if (k < 0) {
                return;
            }
        }
    }

    private static boolean next(long[] idx, long[] shape) {
        for (int k = idx.length - 1; k >= 0; k--) {
            if (++idx[k] < shape[k]) {
                return true;
            }
            idx[k] = 0;
        }
        return false;
    }

    // ---- raw element bits --------------------------------------------------------------------------------------

    static long readBits(MemoryAccess m, long o, int itemsize) {
        switch (itemsize) {
            case 1: return m.getByte(o);
            case 2: return m.getShort(o);
            case 4: return m.getInt(o);
            default: return m.getLong(o);
        }
    }

    static void writeBits(MemoryAccess m, long o, int itemsize, long bits) {
        switch (itemsize) {
            case 1: m.putByte(o, (byte) bits); break;
            case 2: m.putShort(o, (short) bits); break;
            case 4: m.putInt(o, (int) bits); break;
            default: m.putLong(o, bits);
        }
    }

    /** The bits of every element of {@code v}, in C order, unconverted (sign-extended to 64 bits). */
    static long[] rawBits(MemoryView v) {
        long n = v.size();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the view has " + n + " elements; the Java kernels handle at most "
                    + (Integer.MAX_VALUE - 8));
        }
        long[] out = new long[(int) n];
        int w = v.itemsize;
        int[] k = {0};
        v.owner.enter();
        try {
            walk(v, (m, o) -> out[k[0]++] = readBits(m, o, w));
        } finally {
            v.owner.exit();
        }
        return out;
    }

    /** The elements of {@code v} converted to {@code to} (C cast semantics), as {@code to}'s bits, in C order. */
    static long[] gather(MemoryView v, DType to) {
        long[] bits = rawBits(v);
        if (v.dtype.nativeCode() != to.nativeCode()) {
            for (int k = 0; k < bits.length; k++) {
                bits[k] = convert(bits[k], v.dtype, to);
            }
        }
        return bits;
    }

    /** Writes {@code bits} (C order, already in {@code v}'s type) into {@code v}. */
    static void scatter(MemoryView v, long[] bits) {
        int w = v.itemsize;
        int[] k = {0};
        v.owner.enter();
        try {
            walk(v, (m, o) -> writeBits(m, o, w, bits[k[0]++]));
        } finally {
            v.owner.exit();
        }
    }

    // ---- operations ----------------------------------------------------------------------------------------------

    /** dst[...] = src[...]; same shape and type; overlap-safe (the source is read completely first). */
    static void copy(MemoryView dst, MemoryView src) {
        dst.owner.check();
        scatter(dst, rawBits(src));
    }

    /** dst[...] = (dst type) src[...]. */
    static void cast(MemoryView dst, MemoryView src) {
        dst.owner.check();
        scatter(dst, gather(src, dst.dtype));
    }

    /** Every element of dst = bits (already in dst's type). */
    static void fill(MemoryView dst, long bits) {
        int w = dst.itemsize;
        dst.owner.enter();
        try {
            walk(dst, (m, o) -> writeBits(m, o, w, bits));
        } finally {
            dst.owner.exit();
        }
    }

    /** True if every pair of elements is equal by value; shapes are equal. */
    static boolean equal(MemoryView a, MemoryView b) {
        long[] x = rawBits(a);
        long[] y = rawBits(b);
        boolean floating = a.dtype.isFloating() || b.dtype.isFloating();
        for (int k = 0; k < x.length; k++) {
            if (floating) {
                if (toDouble(x[k], a.dtype) != toDouble(y[k], b.dtype)) {
                    return false;
                }
            } else if (!sameInteger(x[k], a.dtype, y[k], b.dtype)) {
                return false;
            }
        }
        return true;
    }

    // ---- value conversion (C cast semantics, as the C kernels define them) -------------------------------------

    private static boolean isUnsigned64(DType t) {
        return t.itemsize() == 8 && !t.isFloating() && !t.isSigned();
    }

    /** The integer value of raw bits: sign- or zero-extended; 64-bit unsigned values stay as their bit pattern. */
    static long toLong(long bits, DType t) {
        if (t.isSigned() || t.itemsize() == 8) {
            return bits;
        }
        return bits & (t.itemsize() == 1 ? 0xFFL : t.itemsize() == 2 ? 0xFFFFL : 0xFFFF_FFFFL);
    }

    static double toDouble(long bits, DType t) {
        if (t == DType.FLOAT) {
            return Float.intBitsToFloat((int) bits);
        }
        if (t == DType.DOUBLE) {
            return Double.longBitsToDouble(bits);
        }
        long v = toLong(bits, t);
        if (isUnsigned64(t) && v < 0) {
            return (double) (v >>> 1 | (v & 1)) * 2.0; // round-to-odd halving keeps the rounding correct
        }
        return (double) v;
    }

    private static boolean sameInteger(long x, DType a, long y, DType b) {
        long u = toLong(x, a);
        long v = toLong(y, b);
        boolean uHigh = isUnsigned64(a) && u < 0; // >= 2^63
        boolean vHigh = isUnsigned64(b) && v < 0;
        return uHigh == vHigh && u == v;
    }

    /** Converts raw bits of type {@code from} to raw bits of type {@code to}. */
    static long convert(long bits, DType from, DType to) {
        if (to == DType.FLOAT) {
            return Float.floatToRawIntBits((float) toDouble(bits, from)) & 0xFFFF_FFFFL;
        }
        if (to == DType.DOUBLE) {
            return Double.doubleToRawLongBits(toDouble(bits, from));
        }
        if (!from.isFloating()) {
            return toLong(bits, from); // integer to integer wraps: the low bits are kept on write
        }
        double d = toDouble(bits, from);
        if (Double.isNaN(d)) {
            return 0;
        }
        if (isUnsigned64(to)) {
            if (d <= 0) {
                return 0;
            }
            if (d >= 0x1p64) {
                return -1L;
            }
            return d >= 0x1p63 ? (long) (d - 0x1p63) ^ Long.MIN_VALUE : (long) d;
        }
        long t = (long) d; // truncates toward zero, saturates at the long range
        return Math.max(to.minValue(), Math.min(to.maxValue(), t));
    }
}
