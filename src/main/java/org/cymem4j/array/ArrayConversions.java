package org.cymem4j.array;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.cymem4j.Pool;
import org.cymem4j.internal.PyStrings;
import org.cymem4j.view.DType;

/**
 * A {@link TypedArray}'s conversions to and from Java values ({@code tobytes}/{@code frombytes},
 * {@code tounicode}/{@code fromunicode}, {@code tolist}, Java arrays) and its identity as a value
 * ({@code equals}, {@code hashCode}, Python's {@code repr}). Fourth layer of the class chain (see {@link ArrayBuffer}).
 */
abstract sealed class ArrayConversions extends ArraySequence permits TypedArray {

    ArrayConversions(DType dtype, Pool pool, boolean ownsPool, long length, long alignment) {
        super(dtype, pool, ownsPool, length, alignment);
    }

    // ---- bytes and strings -------------------------------------------------------------------------------

    /**
     * The elements' bytes in native order ({@code a.tobytes()}).
     *
     * @return a new array of {@code byteSize()} bytes
     * @throws IllegalStateException if the array is closed, or its byte size exceeds a Java array's
     */
    public byte[] toBytes() {
        ensureOpen();
        int n = javaArrayLength(length * itemsize, "bytes");
        byte[] out = new byte[n];
        block.copyTo(0, out, 0, n);
        return out;
    }

    /**
     * Appends elements from their bytes in native order ({@code a.frombytes(b)}).
     *
     * @param bytes the elements' bytes in native order; a multiple of {@link #itemsize()} long
     * @throws IllegalArgumentException if {@code bytes.length} is not a multiple of {@link #itemsize()} (the array is
     *     unchanged)
     * @throws IllegalStateException if the array is closed
     */
    public void fromBytes(byte[] bytes) {
        ensureOpen();
        if (bytes.length % itemsize != 0) {
            throw new IllegalArgumentException("bytes length " + bytes.length + " is not a multiple of the item size "
                    + itemsize + " of " + name());
        }
        appendCarrier(bytes, bytes.length / itemsize);
    }

    /**
     * Appends the code points of {@code text} to a {@code u} array ({@code a.fromunicode(s)}).
     *
     * @param text the characters to append, one element per code point
     * @throws IllegalArgumentException if the array is not a {@code u} array
     * @throws IllegalStateException if the array is closed
     */
    public void fromUnicode(String text) {
        ensureOpen();
        requireUnicode(dtype);
        int[] codePoints = text.codePoints().toArray();
        appendCarrier(codePoints, codePoints.length);
    }

    /**
     * The elements of a {@code u} array as a string ({@code a.tounicode()}).
     *
     * @return a string of the elements' code points
     * @throws IllegalArgumentException if the array is not a {@code u} array, or an element is not a code point
     *     (possible after {@code fromBytes} or {@code extendBuffer})
     * @throws IllegalStateException if the array is closed
     */
    public String toUnicode() {
        ensureOpen();
        requireUnicode(dtype);
        int[] codePoints = codePoints();
        for (int cp : codePoints) {
            if (!Character.isValidCodePoint(cp)) {
                throw new IllegalArgumentException("element 0x" + Integer.toHexString(cp) + " of " + name()
                        + " is not a Unicode code point (range 0..0x10ffff)");
            }
        }
        return new String(codePoints, 0, codePoints.length);
    }

    // ---- Java arrays and lists ---------------------------------------------------------------------------

    /**
     * The elements of an integer or {@code u} array as {@code long}s ({@code a.tolist()}); unsigned types are
     * zero-extended, so they read exactly ({@code L}/{@code Q} as bit patterns).
     *
     * @return a new array holding a copy of the elements
     * @throws IllegalArgumentException if the array holds floating-point values: use {@link #toDoubleArray()}
     * @throws IllegalStateException if the array is closed, or longer than a Java array can be
     */
    public long[] toLongArray() {
        ensureOpen();
        requireInteger("toDoubleArray");
        long[] out = new long[javaArrayLength(length, "elements")];
        for (int i = 0; i < out.length; i++) {
            out[i] = loadInteger(i);
        }
        return out;
    }

    /**
     * The elements as {@code double}s, for every type.
     *
     * @return a new array holding a copy of the elements, converted to {@code double}
     * @throws IllegalStateException if the array is closed, or longer than a Java array can be
     */
    public double[] toDoubleArray() {
        ensureOpen();
        double[] out = new double[javaArrayLength(length, "elements")];
        for (int i = 0; i < out.length; i++) {
            out[i] = loadDouble(i);
        }
        return out;
    }

    /**
     * The elements as an unmodifiable list of {@code Long} or {@code Double} ({@code a.tolist()}), a copy.
     *
     * @return an unmodifiable copy of the elements, {@code Long} for integer and {@code u} types, {@code Double} for
     *     {@code f} and {@code d}
     * @throws IllegalStateException if the array is closed, or longer than a Java list can be
     */
    public List<Number> toList() {
        ensureOpen();
        int n = javaArrayLength(length, "elements");
        List<Number> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(dtype.isFloating() ? (Number) loadDouble(i) : (Number) loadInteger(i));
        }
        return Collections.unmodifiableList(out);
    }

    // ---- equality and text -------------------------------------------------------------------------------

    /**
     * True if {@code other} is a {@code TypedArray} with the same element type and the same elements, compared as
     * {@link java.util.Arrays#equals(double[], double[])} compares (floating-point values by bits: NaN equals NaN,
     * {@code 0.0} differs from {@code -0.0}). Unlike Python, arrays of different element types are never equal. A
     * closed array equals only itself.
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof TypedArray)) {
            return false;
        }
        TypedArray o = (TypedArray) other;
        if (!isOpen() || !o.isOpen() || o.dtype != dtype || o.length != length) {
            return false;
        }
        for (long i = 0; i < length; i++) {
            if (canonicalBits(i) != o.canonicalBits(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A hash of the element type and the elements, consistent with {@link #equals}. It changes when the elements
     * change, so do not mutate an array while it is a key of a hash map.
     */
    @Override
    public int hashCode() {
        if (!isOpen()) {
            return System.identityHashCode(this);
        }
        int h = dtype.hashCode();
        for (long i = 0; i < length; i++) {
            h = 31 * h + Long.hashCode(canonicalBits(i));
        }
        return h;
    }

    /**
     * Python's {@code repr}: {@code array('i', [1, 2, 3])}, {@code array('d', [1.0, 2.5])}, {@code array('u', '这是啥')},
     * {@code array('i')} when empty, or {@code array('i') (closed)}.
     */
    @Override
    public String toString() {
        if (!isOpen()) {
            return name() + " (closed)";
        }
        if (length == 0) {
            return name();
        }
        StringBuilder s = new StringBuilder(name().length() + 8 + (int) Math.min(length, 1 << 20) * 4);
        s.append("array('").append(dtype.typecode()).append("', ");
        if (dtype == DType.WCHAR) {
            PyStrings.appendRepr(s, codePoints());
            return s.append(')').toString();
        }
        s.append('[');
        for (long i = 0; i < length; i++) {
            if (i > 0) {
                s.append(", ");
            }
            if (dtype.isFloating()) {
                s.append(PyRepr.floatRepr(loadDouble(i)));
            } else if (dtype == DType.ULONG || dtype == DType.ULONGLONG) {
                s.append(Long.toUnsignedString(loadInteger(i)));
            } else {
                s.append(loadInteger(i));
            }
        }
        return s.append("])").toString();
    }

    /** The elements of a 4-byte array as a Java array, in one bulk copy. */
    private int[] codePoints() {
        int[] out = new int[javaArrayLength(length, "elements")];
        block.copyTo(0, out, 0, out.length);
        return out;
    }
}
