package org.cymem4j.array;

import org.cymem4j.internal.BufferLease;
import org.cymem4j.view.DType;

/**
 * Cython's {@code a.data.as_pyunicodes}: the elements of a {@code u} {@link TypedArray} (4-byte {@code wchar_t} code
 * points) as one-character strings, read and written in place with no JNI call per element. Valid until the array
 * changes its length or buffer or is closed (then every call throws {@link IllegalStateException}).
 *
 * <pre>{@code
 * try (TypedArray b = TypedArray.of('u', "这是啥")) {
 *     UnicodeElements u = b.asPyUnicodes();
 *     u.get(0);               // "这"
 *     u.set(2, "谁");         // array('u', '这是谁')
 * }
 * }</pre>
 */
public final class UnicodeElements extends Elements {
    UnicodeElements(BufferLease lease) {
        super(lease);
    }

    /**
     * Element {@code index} as a string of one code point (two {@code char}s outside the BMP).
     *
     * @param index the element's index, {@code 0 <= index < length()}
     * @return element {@code index} as a string of one code point (two {@code char}s outside the BMP)
     * @throws IllegalArgumentException if the element is not a Unicode code point (possible after raw writes)
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException if the array was closed or resized since this accessor was made
     */
    public String get(long index) {
        int cp = codePointAt(index);
        if (!Character.isValidCodePoint(cp)) {
            throw new IllegalArgumentException("element " + index + " (0x" + Integer.toHexString(cp)
                    + ") is not a Unicode code point (range 0..0x10ffff)");
        }
        return new String(Character.toChars(cp));
    }

    /**
     * Element {@code index} as a code point.
     *
     * @param index the element's index, {@code 0 <= index < length()}
     * @return element {@code index} as a code point
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException if the array was closed or resized since this accessor was made
     */
    public int codePointAt(long index) {
        return memory.getInt(offset(index));
    }

    /**
     * Stores the one code point of {@code character} at {@code index}.
     *
     * @param index the element's index, {@code 0 <= index < length()}
     * @param character a string of exactly one code point
     * @throws IllegalArgumentException if {@code character} is not exactly one code point (nothing is written)
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException if the array was closed or resized since this accessor was made
     */
    public void set(long index, String character) {
        if (character.isEmpty() || character.codePointCount(0, character.length()) != 1) {
            throw new IllegalArgumentException("set(" + index + ", \"" + character + "\"): expected one character, got "
                    + character.codePointCount(0, character.length()));
        }
        setCodePoint(index, character.codePointAt(0));
    }

    /**
     * Stores the code point {@code codePoint} at {@code index}.
     *
     * @param index the element's index, {@code 0 <= index < length()}
     * @param codePoint a Unicode code point
     * @throws IllegalArgumentException if {@code codePoint} is not in {@code 0..0x10FFFF} (nothing is written)
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException if the array was closed or resized since this accessor was made
     */
    public void setCodePoint(long index, int codePoint) {
        long o = offset(index);
        DType.WCHAR.checkValue(codePoint);
        memory.putInt(o, codePoint);
    }

    /**
     * The code points in a new Java array, in one bulk copy.
     *
     * @return the code points in a new Java array, in one bulk copy
     * @throws IllegalStateException if the array was closed or resized since this accessor was made
     */
    public int[] toArray() {
        int n = javaLength();
        int[] out = new int[n];
        memory.copyTo(0, out, 0, n);
        return out;
    }

    /**
     * All elements as one string.
     *
     * @return all elements as one string
     * @throws IllegalArgumentException if an element is not a Unicode code point
     * @throws IllegalStateException if the array was closed or resized since this accessor was made
     */
    public String asString() {
        int[] cps = toArray();
        for (int i = 0; i < cps.length; i++) {
            if (!Character.isValidCodePoint(cps[i])) {
                throw new IllegalArgumentException("element " + i + " (0x" + Integer.toHexString(cps[i])
                        + ") is not a Unicode code point (range 0..0x10ffff)");
            }
        }
        return new String(cps, 0, cps.length);
    }
}
