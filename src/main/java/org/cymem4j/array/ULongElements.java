package org.cymem4j.array;

import org.cymem4j.internal.BufferLease;

/**
 * Cython's {@code a.data.as_ulongs}, {@code a.data.as_ulonglongs}: the elements of a {@link TypedArray} as C
 * {@code unsigned long / unsigned long long}, read and written in place with bounds checks and no JNI call per element. Made by
 * {@link TypedArray}'s {@code as*} methods; valid until the array changes its length or buffer or is closed (then
 * every call throws {@link IllegalStateException}).
 *
 * <pre>{@code
 * ULongElements q = TypedArray.create('Q', 1).asULongLongs();
 * q.set(0, -1L);                       // the bits of 2^64 - 1
 * Long.toUnsignedString(q.get(0));     // "18446744073709551615"
 * }</pre>
 */
public final class ULongElements extends Elements {
    ULongElements(BufferLease lease) {
        super(lease);
    }

    /**
     * Element {@code index} (an unsigned bit pattern: read it with {@link Long#toUnsignedString(long)} or {@link Long#compareUnsigned}).
     *
     * @param index the element's index, {@code 0 <= index < length()}
     * @return element {@code index}, an unsigned bit pattern
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException if the array was closed or resized since this accessor was made
     */
    public long get(long index) {
        long o = offset(index);
        return memory.getLong(o);
    }

    /**
     * Stores {@code value} (an unsigned bit pattern: {@code -1L} stores 2^64 - 1) at {@code index}.
     *
     * @param index the element's index, {@code 0 <= index < length()}
     * @param value the value
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException if the array was closed or resized since this accessor was made
     */
    public void set(long index, long value) {
        long o = offset(index);
        memory.putLong(o, value);
    }

    /**
     * A copy of the elements in a new Java array, in one bulk copy.
     *
     * @return a copy of the elements in a new Java array, in one bulk copy
     * @throws IllegalStateException if the array was closed or resized since this accessor was made, or it is too
     *     long for a Java array
     */
    public long[] toArray() {
        int n = javaLength();
        long[] out = new long[n];
        memory.copyTo(0, out, 0, n);
        return out;
    }
}
