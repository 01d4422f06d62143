package org.cymem4j.array;

import org.cymem4j.internal.BufferLease;
import org.cymem4j.view.DType;

/**
 * Cython's {@code a.data.as_ushorts}: the elements of a {@link TypedArray} as C
 * {@code unsigned short}, read and written in place with bounds checks and no JNI call per element. Made by
 * {@link TypedArray}'s {@code as*} methods; valid until the array changes its length or buffer or is closed (then
 * every call throws {@link IllegalStateException}).
 *
 * <pre>{@code
 * UShortElements s = TypedArray.of('H', 65535).asUShorts();
 * s.get(0);          // 65535
 * }</pre>
 */
public final class UShortElements extends Elements {
    UShortElements(BufferLease lease) {
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
    public int get(long index) {
        long o = offset(index);
        return memory.getShort(o) & 0xFFFF;
    }

    /**
     * Stores {@code value} at {@code index}.
     *
     * @param index the element's index, {@code 0 <= index < length()}
     * @param value the value
     * @throws IllegalArgumentException if {@code value} is out of the type's range (nothing is written)
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException if the array was closed or resized since this accessor was made
     */
    public void set(long index, int value) {
        long o = offset(index);
        DType.USHORT.checkValue(value);
        memory.putShort(o, (short) value);
    }

    /**
     * A copy of the elements in a new Java array, in one bulk copy.
     *
     * @return a copy of the elements in a new Java array, in one bulk copy
     * @throws IllegalStateException if the array was closed or resized since this accessor was made, or it is too
     *     long for a Java array
     */
    public int[] toArray() {
        int n = javaLength();
        short[] raw = new short[n];
        memory.copyTo(0, raw, 0, n);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = raw[i] & 0xFFFF;
        }
        return out;
    }
}
