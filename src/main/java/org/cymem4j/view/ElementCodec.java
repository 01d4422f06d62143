package org.cymem4j.view;

import org.cymem4j.internal.MemoryAccess;

/**
 * Elements of every type as Java values, one at a time: byte-swapped storage, float16, bool and complex. It is the
 * slower path of the element accessors (the fixed-rank ones read the array module's native-order types directly) and
 * the Java half of the kernels for the types beyond those ten, with the rules of strided.c's {@code load_num} and
 * {@code store_num}, so that a small view (walked in Java) and a large one (in C) give the same results.
 *
 * <p>An element travels as <em>words</em>: one {@code long} for a scalar (its bits in native order, sign-extended),
 * two for a complex number (the real and imaginary parts' bits), and the raw bytes, eight to a word, for byte strings,
 * sub-arrays and structs.
 */
final class ElementCodec {
    /** Kinds of a decoded value. */
    static final int SIGNED = 0, UNSIGNED = 1, REAL = 2, COMPLEX = 3;

    private ElementCodec() {
    }

    /** One element's value: an integer (bool 0 or 1; a 64-bit unsigned one as its bit pattern), or a number. */
    static final class Num {
        int kind;
        long i;
        double re;
        double im;
    }

    /** True for the array module's ten types in native order: the typed kernels (Java and C) of the old path. */
    static boolean isPlain(DType t) {
        int c = t.nativeCode();
        return c >= 0 && c <= DType.DOUBLE.nativeCode();
    }

    /** Longs per element in the word form. */
    static int words(DType t) {
        if (!t.isScalar()) {
            return (t.itemsize() + 7) / 8;
        }
        return t.kind() == DType.Kind.COMPLEX ? 2 : 1;
    }

    // ---- one part (a scalar, or half a complex) ------------------------------------------------------------------

    static long readPart(MemoryAccess m, long o, int size, boolean swap) {
        switch (size) {
            case 1:
                return m.getByte(o);
            case 2: {
                short v = m.getShort(o);
                return swap ? Short.reverseBytes(v) : v;
            }
            case 4: {
                int v = m.getInt(o);
                return swap ? Integer.reverseBytes(v) : v;
            }
            default: {
                long v = m.getLong(o);
                return swap ? Long.reverseBytes(v) : v;
            }
        }
    }

    static void writePart(MemoryAccess m, long o, int size, boolean swap, long bits) {
        switch (size) {
            case 1: m.putByte(o, (byte) bits); break;
            case 2: m.putShort(o, swap ? Short.reverseBytes((short) bits) : (short) bits); break;
            case 4: m.putInt(o, swap ? Integer.reverseBytes((int) bits) : (int) bits); break;
            default: m.putLong(o, swap ? Long.reverseBytes(bits) : bits);
        }
    }

    /** The element at {@code o} in word form, into {@code out[at ...]}. */
    static void read(MemoryAccess m, long o, DType t, long[] out, int at) {
        int n = t.itemsize();
        if (!t.isScalar()) {
            for (int w = 0; w * 8 < n; w++) {
                long v = 0;
                for (int b = 0; b < 8 && w * 8 + b < n; b++) {
                    v |= (m.getByte(o + w * 8 + b) & 0xFFL) << (8 * b);
                }
                out[at + w] = v;
            }
        } else if (t.kind() == DType.Kind.COMPLEX) {
            out[at] = readPart(m, o, n / 2, t.bigEndian());
            out[at + 1] = readPart(m, o + n / 2, n / 2, t.bigEndian());
        } else {
            out[at] = readPart(m, o, n, t.bigEndian());
        }
    }

    /** Writes the element in word form {@code in[at ...]} at {@code o}. */
    static void write(MemoryAccess m, long o, DType t, long[] in, int at) {
        int n = t.itemsize();
        if (!t.isScalar()) {
            for (int b = 0; b < n; b++) {
                m.putByte(o + b, (byte) (in[at + b / 8] >>> (8 * (b % 8))));
            }
        } else if (t.kind() == DType.Kind.COMPLEX) {
            writePart(m, o, n / 2, t.bigEndian(), in[at]);
            writePart(m, o + n / 2, n / 2, t.bigEndian(), in[at + 1]);
        } else {
            writePart(m, o, n, t.bigEndian(), in[at]);
        }
    }

    // ---- the slower accessors ----------------------------------------------------------------------------------

    /**
     * The element at {@code o} as the bits of its accessor's Java type: the integer, {@code float} bits for float16
     * and float32, {@code double} bits for float64, whatever the byte order.
     */
    static long readAs(MemoryAccess m, long o, DType t) {
        long bits = readPart(m, o, t.itemsize(), t.bigEndian());
        return t.itemsize() == 2 && t.isFloating() ? Float.floatToRawIntBits((float) halfToDouble((short) bits)) : bits;
    }

    /** Writes {@code bits} of the accessor's Java type (see {@link #readAs}); a float16 rounds to nearest even. */
    static void writeAs(MemoryAccess m, long o, DType t, long bits) {
        long stored = t.itemsize() == 2 && t.isFloating() ? halfFromFloat((int) bits) : bits;
        writePart(m, o, t.itemsize(), t.bigEndian(), stored);
    }

    static double[] readComplex(MemoryAccess m, long o, DType t) {
        long[] w = new long[2];
        read(m, o, t, w, 0);
        Num x = decode(w, 0, t);
        return new double[] {x.re, x.im};
    }

    static void writeComplex(MemoryAccess m, long o, DType t, double re, double im) {
        Num x = new Num();
        x.kind = COMPLEX;
        x.re = re;
        x.im = im;
        long[] w = new long[2];
        encode(x, t, w, 0);
        write(m, o, t, w, 0);
    }

    // ---- values ------------------------------------------------------------------------------------------------

    /** The value of the scalar whose words start at {@code w[at]}. */
    static Num decode(long[] w, int at, DType t) {
        Num n = new Num();
        long b = w[at];
        switch (t.kind()) {
            case SIGNED:
                n.kind = SIGNED;
                n.i = b;
                break;
            case BOOL:
                n.kind = UNSIGNED;
                n.i = (b & 0xFF) != 0 ? 1 : 0;
                break;
            case FLOATING:
                n.kind = REAL;
                n.re = part(b, t.itemsize());
                break;
            case COMPLEX:
                n.kind = COMPLEX;
                n.re = part(b, t.itemsize() / 2);
                n.im = part(w[at + 1], t.itemsize() / 2);
                break;
            default: // unsigned integers and wchar_t
                n.kind = UNSIGNED;
                n.i = Kernels.toLong(b, t);
        }
        return n;
    }

    private static double part(long bits, int size) {
        switch (size) {
            case 2: return halfToDouble((short) bits);
            case 4: return Float.intBitsToFloat((int) bits);
            default: return Double.longBitsToDouble(bits);
        }
    }

    /** Stores {@code x} as words of {@code t}, by the rules of the C kernels' casts (NumPy's unsafe casting). */
    static void encode(Num x, DType t, long[] out, int at) {
        boolean integer = x.kind == SIGNED || x.kind == UNSIGNED;
        switch (t.kind()) {
            case BOOL:
                out[at] = (integer ? x.i != 0 : x.re != 0 || x.im != 0) ? 1 : 0;
                break;
            case FLOATING:
                out[at] = realBits(x, t.itemsize());
                break;
            case COMPLEX: {
                int half = t.itemsize() / 2;
                out[at] = realBits(x, half);
                Num im = new Num();
                im.kind = REAL;
                im.re = integer ? 0 : x.im;
                out[at + 1] = realBits(im, half);
                break;
            }
            default: // integers wrap (the low bits are kept on write); numbers truncate and saturate
                out[at] = integer ? x.i : Kernels.convert(Double.doubleToRawLongBits(x.re), DType.DOUBLE, t);
        }
    }

    /** The real part of {@code x} as the bits of a float of {@code size} bytes, rounded once. */
    private static long realBits(Num x, int size) {
        switch (size) {
            case 2: return halfFromDouble(asDouble(x)) & 0xFFFFL;
            case 4: return Float.floatToRawIntBits(asFloat(x)) & 0xFFFF_FFFFL;
            default: return Double.doubleToRawLongBits(asDouble(x));
        }
    }

    static double asDouble(Num x) {
        if (x.kind == SIGNED) {
            return x.i;
        }
        if (x.kind == UNSIGNED) {
            return x.i >= 0 ? x.i : (double) (x.i >>> 1 | (x.i & 1)) * 2.0; // round-to-odd halving: one rounding
        }
        return x.re;
    }

    private static float asFloat(Num x) {
        if (x.kind == SIGNED) {
            return x.i;
        }
        if (x.kind == UNSIGNED) {
            return x.i >= 0 ? x.i : (float) (x.i >>> 1 | (x.i & 1)) * 2.0f;
        }
        return (float) x.re;
    }

    /** Equality by value, as strided.c's {@code num_equal}: both parts of complex numbers, integers exactly. */
    static boolean equal(Num x, Num y) {
        boolean xi = x.kind <= UNSIGNED;
        boolean yi = y.kind <= UNSIGNED;
        if (!xi && !yi) {
            return x.re == y.re && x.im == y.im;
        }
        if (!yi) {
            return y.im == 0 && integerEquals(x, y.re);
        }
        if (!xi) {
            return x.im == 0 && integerEquals(y, x.re);
        }
        if (x.kind == y.kind) {
            return x.i == y.i;
        }
        Num s = x.kind == SIGNED ? x : y;
        Num u = x.kind == SIGNED ? y : x;
        return s.i >= 0 && s.i == u.i; // int64 -1 is not uint64 max
    }

    private static boolean integerEquals(Num n, double f) {
        if (f != Math.floor(f)) {
            return false; // not integral, or NaN
        }
        if (n.kind == SIGNED) {
            return f >= -0x1p63 && f < 0x1p63 && (long) f == n.i;
        }
        if (!(f >= 0 && f < 0x1p64)) {
            return false;
        }
        return (f >= 0x1p63 ? (long) (f - 0x1p63) ^ Long.MIN_VALUE : (long) f) == n.i;
    }

    // ---- float16 -----------------------------------------------------------------------------------------------

    /** IEEE 754 binary16 to double: exact; a NaN keeps its payload in the top significand bits (as NumPy). */
    static double halfToDouble(short h) {
        int bits = h & 0xFFFF;
        long sign = (long) (bits & 0x8000) << 48;
        int exp = (bits >>> 10) & 0x1F;
        long man = bits & 0x3FF;
        if (exp == 0x1F) {
            return Double.longBitsToDouble(sign | 0x7FF0_0000_0000_0000L | man << 42);
        }
        if (exp == 0) {
            double v = man * 0x1p-24; // subnormal or zero: exact
            return sign != 0 ? -v : v;
        }
        return Double.longBitsToDouble(sign | (long) (exp - 15 + 1023) << 52 | man << 42);
    }

    /** Float bits to binary16: as {@link #halfFromDouble}, and a NaN keeps its top payload bits as they are. */
    static short halfFromFloat(int bits) {
        if ((bits & 0x7F80_0000) == 0x7F80_0000 && (bits & 0x7F_FFFF) != 0) { // a NaN: (double) would quiet it
            int nan = 0x7C00 + ((bits & 0x7F_FFFF) >>> 13);
            return (short) (bits >>> 16 & 0x8000 | (nan == 0x7C00 ? 0x7C01 : nan));
        }
        return halfFromDouble(Float.intBitsToFloat(bits));
    }

    /**
     * Double to binary16, rounded to nearest even in one step (a float argument is exact as a double, so it rounds
     * once too): overflow gives infinity, less than half the smallest subnormal a signed zero, a NaN stays a NaN
     * with its top payload bits (as NumPy's {@code npy_double_to_half}). Java 17 has no
     * {@code Float.floatToFloat16}.
     */
    static short halfFromDouble(double v) {
        long b = Double.doubleToRawLongBits(v);
        int sign = (int) (b >>> 48) & 0x8000;
        int exp = (int) (b >>> 52) & 0x7FF;
        long man = b & 0xF_FFFF_FFFF_FFFFL;
        if (exp == 0x7FF) {
            if (man == 0) {
                return (short) (sign | 0x7C00);
            }
            int nan = (int) (0x7C00 + (man >>> 42));
            return (short) (sign | (nan == 0x7C00 ? 0x7C01 : nan));
        }
        int e = exp == 0 ? -1022 : exp - 1023; // v = m * 2^(e - 52)
        if (e > 15) {
            return (short) (sign | 0x7C00);
        }
        long m = exp == 0 ? man : man | 1L << 52;
        int q = e >= -14 ? e - 10 : -24; // the quantum of binary16 at this exponent
        int shift = q - (e - 52);         // >= 42
        if (shift >= 64) {
            return (short) sign;
        }
        long r = m >>> shift;
        long rem = m & ((1L << shift) - 1);
        long half = 1L << (shift - 1);
        if (rem > half || rem == half && (r & 1) != 0) {
            r++;
        }
        // a carry into the next binade adds into the exponent; from e == 15 that makes 0x7C00, infinity
        long magnitude = e >= -14 ? ((long) (e + 15) << 10) + (r - 1024) : r;
        return (short) (sign | magnitude);
    }
}
