package org.cymem4j.array;

import org.cymem4j.internal.BufferLease;

/**
 * Cython's {@code a.data.as_shorts}: the elements of a {@link TypedArray} as C
 * {@code short}, read and written in place with bounds checks and no JNI call per element. Made by
 * {@link TypedArray}'s {@code as*} methods; valid until the array changes its length or buffer or is closed (then
 * every call throws {@link IllegalStateException}).
 *
 * <pre>{@code
 * ShortElements s = TypedArray.of('h', -2).asShorts();
 * s.get(0);          // -2
 * }</pre>
 */
public final class ShortElements extends Elements {
    ShortElements(BufferLease lease) {
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
    public short get(long index) {
        long o = offset(index);
        return memory.getShort(o);
    }

    /**
     * Stores {@code value} at {@code index}.
     *
     * @param index the element's index, {@code 0 <= index < length()}
     * @param value the value
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException if the array was closed or resized since this accessor was made
     */
    public void set(long index, short value) {
        long o = offset(index);
        memory.putShort(o, value);
    }

    /**
     * A copy of the elements in a new Java array, in one bulk copy.
     *
     * @return a copy of the elements in a new Java array, in one bulk copy
     * @throws IllegalStateException if the array was closed or resized since this accessor was made, or it is too
     *     long for a Java array
     */
    public short[] toArray() {
        int n = javaLength();
        short[] out = new short[n];
        memory.copyTo(0, out, 0, n);
        return out;
    }
}
