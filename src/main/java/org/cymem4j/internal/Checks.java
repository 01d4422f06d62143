package org.cymem4j.internal;

/**
 * Argument checks shared by the public API, and the messages they throw: one place, so every message names
 * the bad value and the limit the same way ({@code index=7 length=8 capacity=12}).
 */
public final class Checks {
    private Checks() {
    }

    /** {@code 0x7f12...}: how every message prints an address. */
    public static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    /** Throws unless {@code value >= 0}; the message names the argument and its value. */
    public static long nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0 but was " + value);
        }
        return value;
    }

    /** {@code count * size} in bytes, or an exception naming both when either is negative or the product overflows. */
    public static long byteSize(long count, long size) {
        nonNegative(count, "count");
        nonNegative(size, "elemSize");
        long bytes = count * size;
        if (Math.multiplyHigh(count, size) != 0 || bytes < 0) {
            throw new IllegalArgumentException(
                    "count * elemSize overflows: count=" + count + " elemSize=" + size + " (limit " + Long.MAX_VALUE + " bytes)");
        }
        return bytes;
    }

    /** Throws unless {@code [offset, offset + length)} lies inside {@code [0, capacity)}; all in bytes. */
    public static void bounds(long offset, long length, long capacity) {
        if (offset < 0 || length < 0 || offset > capacity - length) {
            throw new IndexOutOfBoundsException(
                    "offset=" + offset + " length=" + length + " capacity=" + capacity);
        }
    }

    /** Throws unless {@code [index, index + count)} lies inside an array of {@code arrayLength} elements. */
    public static void arrayRange(int index, int count, int arrayLength) {
        if (index < 0 || count < 0 || index > arrayLength - count) {
            throw new IndexOutOfBoundsException(
                    "array index=" + index + " count=" + count + " array length=" + arrayLength);
        }
    }

    /**
     * Throws unless {@code 0 <= index < length}: {@code index=7 length=7}. Every element index of the API (views,
     * arrays, typed arrays, indexers) goes through this or {@link #index(long, long, int)}; no other format.
     */
    public static long index(long index, long length) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index=" + index + " length=" + length);
        }
        return index;
    }

    /** As {@link #index(long, long)} for one axis of an N-d view: {@code index=7 length=7 axis=1}. */
    public static long index(long index, long length, int axis) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index=" + index + " length=" + length + " axis=" + axis);
        }
        return index;
    }

    /** Throws unless {@code length <= capacity}: {@code length=9 capacity=8}, for fixed-capacity destinations. */
    public static void capacity(long length, long capacity) {
        if (length < 0 || length > capacity) {
            throw new IndexOutOfBoundsException("length=" + length + " capacity=" + capacity);
        }
    }

    /**
     * The one exception for an accessor of the wrong element type (an {@code int} read of a {@code double} view, an
     * {@code asInts()} of a {@code 'd'} array): {@code element type is float64 ('d'), not int32 ('i')}.
     */
    public static IllegalArgumentException elementType(String actual, String requested) {
        return new IllegalArgumentException("element type is " + actual + ", not " + requested);
    }

}
