package org.cymem4j.view;

import org.cymem4j.NativeOutOfMemoryError;
import org.cymem4j.Pool;
import org.cymem4j.internal.MemoryAccess;
import org.cymem4j.internal.NativeStatus;
import org.cymem4j.internal.Settings;
import org.cymem4j.internal.jni.NativeStrided;

/**
 * The whole-view operations behind {@link MemoryView}: copy, cast, fill, compare, and gathering elements into Java
 * arrays; the one seam between the views and the C strided kernels ({@code strided.c} through
 * {@link NativeStrided}). A view of at least {@link #NATIVE_THRESHOLD} elements goes to C in one JNI call (dimensions
 * merged, transposes cache-blocked, overlap handled there); a smaller one is walked here in Java with an odometer over
 * its strides (through {@link MemoryAccess}, never JNI per element), which costs less than the call for a few
 * elements. Indirect views always take the Java path: it checks every pointer it follows against the memory the
 * view's owner holds, which the C kernels cannot.
 *
 * <p>Callers have checked shapes and element types; every method enters both owners around its memory accesses.
 */
final class Kernels {
    /**
     * Views with at least this many elements (the larger view of a pair) go to C. Measured on this machine (JDK 17,
     * 2 vCPU, a stride-2 double copy and an int-to-double cast, best of 24 rounds): a C kernel call costs 85-100 ns
     * whatever the size up to a few hundred elements, the Java loop 20 ns plus about 4.5 ns per element; they cross
     * at 16 elements (Java 87 vs C 103 ns for the copy, 94 vs 89 for the cast), and at 1024 elements C is 25x
     * faster. {@code -Dcymem4j.view.nativeThreshold=N} overrides it (0: always C).
     */
    static final long NATIVE_THRESHOLD = Settings.VIEW_NATIVE_THRESHOLD;

    /** strided.h's CYM_DTYPE_RAW and jbridge_strided.h's CYM_J_DESC_ITEMSIZE_SHIFT (NativeConstantsTest). */
    static final int RAW_CODE = 14, ITEMSIZE_SHIFT = 32;

    private Kernels() {
    }

    private static boolean useNative(MemoryView a, MemoryView b) {
        return a.suboffsets == null && (b == null || b.suboffsets == null)
                && Math.max(a.size(), b == null ? 0 : b.size()) >= NATIVE_THRESHOLD;
    }

    /** The view as jbridge_strided.h's descriptor; the owner must be entered while C uses it. */
    static long[] descriptor(MemoryView v) {
        int nd = v.ndim;
        long[] d = new long[4 + 2 * nd];
        d[0] = v.region.address + v.offset;
        // the code (raw bytes for byte strings, sub-arrays and structs) with the itemsize above it
        d[1] = (v.dtype.isScalar() ? v.dtype.nativeCode() : RAW_CODE) | (long) v.itemsize << ITEMSIZE_SHIFT;
        d[2] = nd;
        System.arraycopy(v.shape, 0, d, 3, nd);
        System.arraycopy(v.strides, 0, d, 3 + nd, nd);
        d[3 + 2 * nd] = 0; // direct: indirect views never reach C
        return d;
    }

    /** Throws for a non-zero status of copy, cast or fill; {@code result}: 0, or {@code -status} (the one bridge encoding). */
    private static void check(int result, String operation) {
        if (result == NativeStatus.OK) {
            return;
        }
        if (result == -NativeStatus.ENOMEM) {
            throw new NativeOutOfMemoryError("the strided " + operation + " could not allocate its temporary buffer", 0);
        }
        throw new IllegalStateException("strided " + operation + " failed in C: " + NativeStatus.text(-result));
    }

    @FunctionalInterface
    private interface NativeOp {
        int run(long[] dst, long[] src);
    }

    /** Runs a two-view kernel in C with both owners entered (a shared pool cannot close under it). */
    private static int native2(MemoryView dst, MemoryView src, NativeOp op) {
        long[] d = descriptor(dst);
        long[] s = descriptor(src);
        dst.owner.enterNative();
        try {
            src.owner.enterNative();
            try {
                return op.run(d, s);
            } finally {
                src.owner.exitNative();
            }
        } finally {
            dst.owner.exitNative();
        }
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
                ViewLocation.Loc at = v.locate(idx);
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

    /** True when reading {@code v} into a Java array should go through C and one bulk copy. */
    static boolean bulkable(MemoryView v) {
        return v.suboffsets == null && v.size() >= NATIVE_THRESHOLD;
    }

    /** Reads the bytes of a C-contiguous view into Java memory. */
    @FunctionalInterface
    interface BulkReader {
        void read(MemoryAccess access, long offset);
    }

    /**
     * Gives {@code reader} the start of a C-contiguous run of {@code v}'s elements converted to {@code to}: {@code v}'s
     * own memory when it already is one, else a temporary array filled by one C copy or cast (and freed after).
     */
    static void readContiguous(MemoryView v, DType to, BulkReader reader) {
        ViewRecords.refuseConversion(v, to); // records: to their own type only
        if (v.isCContiguous() && v.dtype.nativeCode() == to.nativeCode()) {
            v.owner.enter();
            try {
                reader.read(v.region.access, v.offset);
            } finally {
                v.owner.exit();
            }
            return;
        }
        try (Pool scratch = Pool.open()) {
            MemoryView tmp = NativeArray.allocate(scratch, to, v.shape).view();
            if (v.dtype.nativeCode() == to.nativeCode()) {
                tmp.copyFrom(v); // records too (ViewRecords)
            } else {
                cast(tmp, v);
            }
            readContiguous(tmp, to, reader);
        }
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

    /**
     * The bits of every element of {@code v}, in C order, unconverted (sign-extended to 64 bits); for the types
     * beyond the array module's, {@link ElementCodec}'s words (native byte order, complex as two parts).
     */
    static long[] rawBits(MemoryView v) {
        if (!ElementCodec.isPlain(v.dtype)) {
            return words(v);
        }
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

    private static long[] words(MemoryView v) {
        long n = v.size();
        int per = ElementCodec.words(v.dtype);
        if (n > (Integer.MAX_VALUE - 8) / per) {
            throw new IllegalArgumentException("the view has " + n + " elements; the Java kernels handle at most "
                    + (Integer.MAX_VALUE - 8) / per + " of " + v.dtype.displayName());
        }
        long[] out = new long[(int) n * per];
        int[] k = {0};
        DType t = v.dtype;
        v.owner.enter();
        try {
            walk(v, (m, o) -> {
                ElementCodec.read(m, o, t, out, k[0]);
                k[0] += per;
            });
        } finally {
            v.owner.exit();
        }
        return out;
    }

    /** {@code words} of type {@code from} (as {@link #rawBits} gives them) converted to type {@code to}. */
    static long[] convertAll(long[] words, DType from, DType to) {
        if (from.nativeCode() == to.nativeCode() && from.itemsize() == to.itemsize()) {
            return words.clone(); // one type: a copy, as C's (a bool byte of 8 stays 8, as NumPy's astype keeps it)
        }
        if (ElementCodec.isPlain(from) && ElementCodec.isPlain(to)) {
            long[] bits = words.clone();
            if (from.nativeCode() != to.nativeCode()) {
                for (int k = 0; k < bits.length; k++) {
                    bits[k] = convert(bits[k], from, to);
                }
            }
            return bits;
        }
        int pf = ElementCodec.words(from);
        int pt = ElementCodec.words(to);
        long[] out = new long[words.length / pf * pt];
        for (int k = 0, j = 0; k < words.length; k += pf, j += pt) {
            ElementCodec.encode(ElementCodec.decode(words, k, from), to, out, j);
        }
        return out;
    }

    /** The elements of {@code v} converted to {@code to} (C cast semantics), as {@code to}'s bits, in C order. */
    static long[] gather(MemoryView v, DType to) {
        ViewRecords.refuseConversion(v, to);
        if (!ElementCodec.isPlain(v.dtype) || !ElementCodec.isPlain(to)) {
            return convertAll(rawBits(v), v.dtype, to);
        }
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
        v.owner.checkWritable();
        int w = v.itemsize;
        int[] k = {0};
        DType t = v.dtype;
        int per = ElementCodec.words(t);
        Visitor store = ElementCodec.isPlain(t) ? (m, o) -> writeBits(m, o, w, bits[k[0]++]) : (m, o) -> {
            ElementCodec.write(m, o, t, bits, k[0]);
            k[0] += per;
        };
        v.owner.enter();
        try {
            walk(v, store);
        } finally {
            v.owner.exit();
        }
    }

    // ---- operations ----------------------------------------------------------------------------------------------

    /** dst[...] = src[...]; same shape and type; overlap-safe (the source is read completely first). */
    static void copy(MemoryView dst, MemoryView src) {
        dst.checkWritable(); // a read-only DLPack tensor's view
        if (useNative(dst, src)) {
            copyNative(dst, src);
        } else {
            copyJava(dst, src);
        }
    }

    /** dst[...] = (dst type) src[...]. */
    static void cast(MemoryView dst, MemoryView src) {
        if ((!dst.dtype.isScalar() || !src.dtype.isScalar()) && !dst.dtype.equals(src.dtype)) {
            throw new IllegalArgumentException("cannot cast a view of " + src.dtype.displayName() + " to "
                    + dst.dtype.displayName() + ": byte strings, sub-arrays and structs are copied, never converted");
        }
        dst.checkWritable(); // a read-only DLPack tensor's view
        if (useNative(dst, src)) {
            castNative(dst, src);
        } else {
            castJava(dst, src);
        }
    }

    /** Every element of dst = bits (already in dst's type). */
    static void fill(MemoryView dst, long bits) {
        dst.checkWritable(); // a read-only DLPack tensor's view
        if (useNative(dst, null)) {
            fillNative(dst, bits);
        } else {
            fillJava(dst, bits);
        }
    }

    /** True if every pair of elements is equal by value; shapes are equal. */
    static boolean equal(MemoryView a, MemoryView b) {
        return useNative(a, b) ? equalNative(a, b) : equalJava(a, b);
    }

    // The two implementations of each operation, package-private so a test can hold them to the same results.

    static void copyNative(MemoryView dst, MemoryView src) {
        dst.owner.checkWritable(); // the C kernel cannot tell; a write to a read-only mapping would fault
        check(native2(dst, src, NativeStrided::cym_j_strided_copy), "copy");
    }

    static void copyJava(MemoryView dst, MemoryView src) {
        dst.owner.check();
        scatter(dst, rawBits(src));
    }

    static void castNative(MemoryView dst, MemoryView src) {
        dst.owner.checkWritable();
        check(native2(dst, src, NativeStrided::cym_j_strided_cast), "cast");
    }

    static void castJava(MemoryView dst, MemoryView src) {
        dst.owner.check();
        scatter(dst, convertAll(rawBits(src), src.dtype, dst.dtype));
    }

    static void fillNative(MemoryView dst, long bits) {
        dst.owner.checkWritable();
        long[] d = descriptor(dst);
        dst.owner.enterNative();
        try {
            check(NativeStrided.cym_j_strided_fill(d, bits), "fill");
        } finally {
            dst.owner.exitNative();
        }
    }

    static void fillJava(MemoryView dst, long bits) {
        dst.owner.checkWritable();
        int w = dst.itemsize;
        DType t = dst.dtype;
        long[] element = {bits, 0}; // a complex number's imaginary part is 0, as the C fill's
        Visitor store = ElementCodec.isPlain(t) ? (m, o) -> writeBits(m, o, w, bits)
                : (m, o) -> ElementCodec.write(m, o, t, element, 0);
        dst.owner.enter();
        try {
            walk(dst, store);
        } finally {
            dst.owner.exit();
        }
    }

    static boolean equalNative(MemoryView a, MemoryView b) {
        int r = native2(a, b, NativeStrided::cym_j_strided_equal);
        if (r < 0) {
            check(-r, "compare");
        }
        return r == 1;
    }

    static boolean equalJava(MemoryView a, MemoryView b) {
        long[] x = rawBits(a);
        long[] y = rawBits(b);
        if (!a.dtype.isScalar() || !b.dtype.isScalar()) { // raw bytes: equal bytes
            return a.itemsize == b.itemsize && java.util.Arrays.equals(x, y);
        }
        if (!ElementCodec.isPlain(a.dtype) || !ElementCodec.isPlain(b.dtype)) {
            int pa = ElementCodec.words(a.dtype);
            int pb = ElementCodec.words(b.dtype);
            for (int i = 0, j = 0; i < x.length; i += pa, j += pb) {
                if (!ElementCodec.equal(ElementCodec.decode(x, i, a.dtype), ElementCodec.decode(y, j, b.dtype))) {
                    return false;
                }
            }
            return true;
        }
        for (int k = 0; k < x.length; k++) {
            if (!sameValue(x[k], a.dtype, y[k], b.dtype)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Equality by value, exactly as strided.c's {@code num_equal}: floats compare as doubles (NaN equals nothing);
     * an integer equals a float only if the float is integral and the same number (no rounding of the integer);
     * integers compare as numbers (int64 -1 is not uint64 max).
     */
    static boolean sameValue(long x, DType a, long y, DType b) {
        if (a.isFloating() && b.isFloating()) {
            return toDouble(x, a) == toDouble(y, b);
        }
        if (b.isFloating()) {
            return integerEqualsDouble(x, a, toDouble(y, b));
        }
        if (a.isFloating()) {
            return integerEqualsDouble(y, b, toDouble(x, a));
        }
        return sameInteger(x, a, y, b);
    }

    private static boolean integerEqualsDouble(long bits, DType t, double f) {
        if (f != Math.floor(f)) {
            return false; // not integral, or NaN / infinite
        }
        long v = toLong(bits, t);
        if (t.isSigned()) {
            return f >= -0x1p63 && f < 0x1p63 && (long) f == v;
        }
        if (!(f >= 0 && f < 0x1p64)) {
            return false;
        }
        long u = f >= 0x1p63 ? (long) (f - 0x1p63) ^ Long.MIN_VALUE : (long) f;
        return u == v;
    }

    private static void checkFillable(DType t) {
        if (!t.isScalar()) {
            throw new IllegalArgumentException("cannot fill a view of " + t.displayName() + " with a number: byte "
                    + "strings, sub-arrays and structs have no value to fill with (the C kernels say CYM_EUNSUPPORTED)");
        }
    }

    /** The bits {@link #fill} takes for {@code value} stored in {@code t}: a float type's (the real part's) bits. */
    static long fillBits(DType t, double value) {
        checkFillable(t);
        int part = t.kind() == DType.Kind.COMPLEX ? t.itemsize() / 2 : t.itemsize();
        switch (part) {
            case 2: return ElementCodec.halfFromDouble(value) & 0xFFFFL;
            case 4: return Float.floatToRawIntBits((float) value) & 0xFFFF_FFFFL;
            default: return Double.doubleToRawLongBits(value);
        }
    }

    /** As {@link #fillBits(DType, double)} for an integer value; an integer type checks its range. */
    static long fillBits(DType t, long value) {
        checkFillable(t);
        if (t.isFloating() || t.kind() == DType.Kind.COMPLEX) {
            int part = t.kind() == DType.Kind.COMPLEX ? t.itemsize() / 2 : t.itemsize();
            return part == 4 ? Float.floatToRawIntBits((float) value) & 0xFFFF_FFFFL : fillBits(t, (double) value);
        }
        return t.checkValue(value);
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
            // an integer rounds once, straight to float (through double it could round twice, as C's does not)
            float f = from.isFloating() ? (float) toDouble(bits, from) : !isUnsigned64(from) || bits >= 0
                    ? (float) toLong(bits, from) : (float) (bits >>> 1 | (bits & 1)) * 2.0f;
            return Float.floatToRawIntBits(f) & 0xFFFF_FFFFL;
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
