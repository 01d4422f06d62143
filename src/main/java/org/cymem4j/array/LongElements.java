package org.cymem4j.array;

import org.cymem4j.internal.BufferLease;

/**
 * Cython's {@code a.data.as_longs}, {@code a.data.as_longlongs}: the elements of a {@link TypedArray} as C
 * {@code long / long long}, read and written in place with bounds checks and no JNI call per element. Made by
 * {@link TypedArray}'s {@code as*} methods; valid until the array changes its length or buffer or is closed (then
 * every call throws {@link IllegalStateException}).
 *
 * <pre>{@code
 * LongElements q = TypedArray.of('q', -5L).asLongLongs();
 * q.get(0);          // -5L
 * }</pre>
 */
public final class LongElements extends Elements {
    LongElements(BufferLease lease) {
        super(lease);
    }

    /**
     * Element {@code index}.
     *
     * @param index the element's index, {@code 0 <= index < length()}
     * @return element {@code index}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException if the array was closed or resized since this accessor was made
     */
    public long get(long index) {
        long o = offset(index);
        return memory.getLong(o);
    }

    /**
     * Stores {@code value} at {@code index}.
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
