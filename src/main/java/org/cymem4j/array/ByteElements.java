package org.cymem4j.array;

import org.cymem4j.internal.BufferLease;

/**
 * Cython's {@code a.data.as_chars}, {@code a.data.as_schars}: the elements of a {@link TypedArray} as C
 * {@code char / signed char}, read and written in place with bounds checks and no JNI call per element. Made by
 * {@link TypedArray}'s {@code as*} methods; valid until the array changes its length or buffer or is closed (then
 * every call throws {@link IllegalStateException}).
 *
 * <pre>{@code
 * ByteElements c = TypedArray.of('b', -1, 2).asChars();
 * c.get(0);          // -1
 * }</pre>
 */
public final class ByteElements extends Elements {
    ByteElements(BufferLease lease) {
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
    public byte get(long index) {
        long o = offset(index);
        return memory.getByte(o);
    }

    /**
     * Stores {@code value} at {@code index}.
     *
     * @param index the element's index, {@code 0 <= index < length()}
     * @param value the value
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException if the array was closed or resized since this accessor was made
     */
    public void set(long index, byte value) {
        long o = offset(index);
        memory.putByte(o, value);
    }

    /**
     * A copy of the elements in a new Java array, in one bulk copy.
     *
     * @return a copy of the elements in a new Java array, in one bulk copy
     * @throws IllegalStateException if the array was closed or resized since this accessor was made, or it is too
     *     long for a Java array
     */
    public byte[] toArray() {
        int n = javaLength();
        byte[] out = new byte[n];
        memory.copyTo(0, out, 0, n);
        return out;
    }
}
