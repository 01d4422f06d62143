package org.cymem4j.array;

import org.cymem4j.Pool;
import org.cymem4j.internal.Checks;
import org.cymem4j.view.DType;

/**
 * Element access of a {@link TypedArray} by index: Python's {@code a[i]} and {@code a[i] = v} with negative indices,
 * the range checks on values, the unicode ({@code u}) elements as one-character strings, and the raw loads and
 * stores every other layer uses. Second layer of the class chain (see {@link ArrayBuffer}).
 */
abstract sealed class ArrayElements extends ArrayBuffer permits ArraySequence {

    ArrayElements(DType dtype, Pool pool, boolean ownsPool, long length) {
        super(dtype, pool, ownsPool, length);
    }

    /**
     * Element {@code index} as a {@code Long} (integer types; code point for {@code u}; unsigned types read exactly,
     * {@code L}/{@code Q} as their unsigned bit pattern) or a {@code Double} ({@code f}, {@code d}). Negative indices
     * count from the end.
     *
     * <pre>{@code
     * TypedArray.copyOf(DType.INT, 1, 2, 3).get(-1);   // 3L
     * }</pre>
     *
     * @param index the element's position; negative counts from the end ({@code -1} is the last)
     * @return the element as a {@code Long} (integer and {@code u} types) or a {@code Double} ({@code f}, {@code d})
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [-length, length)}
     *     ({@code index=3 length=3})
     * @throws IllegalStateException if the array is closed
     */
    public Number get(long index) {
        ensureOpen();
        long i = normalize(index);
        return dtype.isFloating() ? (Number) loadDouble(i) : (Number) loadInteger(i);
    }

    /**
     * Element {@code index} of an integer or {@code u} array, as a {@code long}; unsigned types are read exactly
     * ({@code I} 4000000000 is {@code 4000000000L}). Negative indices count from the end.
     *
     * @param index the element's position; negative counts from the end ({@code -1} is the last)
     * @return the element; {@code L}/{@code Q} as unsigned bit patterns, {@code u} as a code point
     * @throws IllegalArgumentException if the array holds floating-point values ({@code f}, {@code d}): use
     *     {@link #getDouble}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [-length, length)}
     * @throws IllegalStateException if the array is closed
     */
    public long getLong(long index) {
        ensureOpen();
        requireInteger("getDouble");
        return loadInteger(normalize(index));
    }

    /**
     * Element {@code index} as a {@code double}, for every type (unsigned types are read as unsigned).
     *
     * @param index the element's position; negative counts from the end ({@code -1} is the last)
     * @return the element converted to {@code double}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [-length, length)}
     * @throws IllegalStateException if the array is closed
     */
    public double getDouble(long index) {
        ensureOpen();
        return loadDouble(normalize(index));
    }

    /**
     * Stores {@code value} at {@code index} ({@code a[i] = v}); negative indices count from the end. Floating-point
     * arrays store it as a {@code double}/{@code float}.
     *
     * <pre>{@code
     * a.put(-1, 42);
     * TypedArray.allocate(DType.BYTE, 1).put(0, 128);   // throws: 128 does not fit 'b' (signed char, -128..127)
     * }</pre>
     *
     * @param index the element's position; negative counts from the end ({@code -1} is the last)
     * @param value the value to store; for {@code L}/{@code Q} an unsigned bit pattern, for {@code u} a code point
     * @throws IllegalArgumentException if the value does not fit the type (nothing is written)
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [-length, length)}
     * @throws IllegalStateException if the array is closed
     */
    public void put(long index, long value) {
        ensureOpen();
        long i = normalize(index);
        storeLong(i, checkLong(value));
    }

    /**
     * Stores a floating-point {@code value} at {@code index} of an {@code f} or {@code d} array; negative indices
     * count from the end.
     *
     * @param index the element's position; negative counts from the end ({@code -1} is the last)
     * @param value the value to store ({@code f} rounds it to {@code float})
     * @throws IllegalArgumentException if the array holds integers (nothing is written)
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [-length, length)}
     * @throws IllegalStateException if the array is closed
     */
    public void putDouble(long index, double value) {
        ensureOpen();
        checkDouble(value);
        storeDouble(normalize(index), value);
    }

    /**
     * Element {@code index} of a {@code u} array as a string of one code point (two {@code char}s outside the BMP):
     * Python's {@code a[i]} on a {@code 'u'} array, Cython's {@code a.data.as_pyunicodes[i]}. Negative indices count
     * from the end.
     *
     * <pre>{@code
     * TypedArray.copyOf(DType.WCHAR, "这是啥").getUnicode(0);   // "这"
     * }</pre>
     *
     * @param index the element's position; negative counts from the end ({@code -1} is the last)
     * @return element {@code index} as a string of one code point
     * @throws IllegalArgumentException if the array is not a {@code u} array, or the element is not a Unicode code
     *     point (possible after raw writes)
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [-length, length)}
     * @throws IllegalStateException if the array is closed
     */
    public String getUnicode(long index) {
        ensureOpen();
        requireUnicode(dtype);
        long i = normalize(index);
        int cp = (int) loadBits(i);
        if (!Character.isValidCodePoint(cp)) {
            throw new IllegalArgumentException("element " + i + " (0x" + Integer.toHexString(cp)
                    + ") is not a Unicode code point (range 0..0x10ffff)");
        }
        return new String(Character.toChars(cp));
    }

    /**
     * Stores the one code point of {@code character} at {@code index} of a {@code u} array ({@code a[i] = '谁'});
     * negative indices count from the end. {@link #put} stores a code point given as a number.
     *
     * @param index the element's position; negative counts from the end ({@code -1} is the last)
     * @param character a string of exactly one code point
     * @throws IllegalArgumentException if the array is not a {@code u} array, or {@code character} is not exactly one
     *     code point (nothing is written)
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [-length, length)}
     * @throws IllegalStateException if the array is closed
     */
    public void putUnicode(long index, String character) {
        ensureOpen();
        requireUnicode(dtype);
        int count = character.codePointCount(0, character.length());
        if (count != 1) {
            throw new IllegalArgumentException("character must be one code point but was \"" + character + "\" ("
                    + count + ")");
        }
        storeBits(normalize(index), character.codePointAt(0));
    }

    // ---- checks shared by the layers above ---------------------------------------------------------------

    /** Python's index rule: negative counts from the end; then {@code [0, length)}, else {@code index=3 length=3}. */
    final long normalize(long index) {
        long i = index < 0 ? index + length : index;
        if (i < 0 || i >= length) {
            Checks.index(index, length);
        }
        return i;
    }

    /** Range-checks an integer value for this type; floating types take any (they convert it). */
    final long checkLong(long value) {
        return dtype.isFloating() ? value : dtype.checkValue(value);
    }

    /** Refuses a floating-point value for an integer type: Python's "integer argument expected, got float". */
    final void checkDouble(double value) {
        if (!dtype.isFloating()) {
            throw Carriers.notFloating(dtype, value);
        }
    }

    /** {@code element type is double ('d'), not an integer type (use getDouble)}, for integer-only operations. */
    final void requireInteger(String alternative) {
        if (dtype.isFloating()) {
            throw Checks.elementType(describe(dtype), "an integer type (use " + alternative + ")");
        }
    }

    /** {@code element type is int ('i'), not wchar_t ('u')}, for the unicode operations. */
    static void requireUnicode(DType type) {
        if (type != DType.WCHAR) {
            throw Checks.elementType(describe(type), describe(DType.WCHAR));
        }
    }

    /** {@code double ('d')}: how element-type messages name a type. */
    static String describe(DType type) {
        return type.cName() + " ('" + type.typecode() + "')";
    }

    // ---- raw loads and stores (index already checked) ------------------------------------------------------

    /** Sign-extended raw bits of element {@code i}. */
    final long loadBits(long i) {
        long o = i * itemsize;
        switch (itemsize) {
            case 1: return block.getByte(o);
            case 2: return block.getShort(o);
            case 4: return block.getInt(o);
            default: return block.getLong(o);
        }
    }

    final void storeBits(long i, long bits) {
        long o = i * itemsize;
        switch (itemsize) {
            case 1: block.putByte(o, (byte) bits); break;
            case 2: block.putShort(o, (short) bits); break;
            case 4: block.putInt(o, (int) bits); break;
            default: block.putLong(o, bits); break;
        }
    }

    /** The integer value of element {@code i} (unsigned types zero-extended). */
    final long loadInteger(long i) {
        long b = loadBits(i);
        switch (dtype) {
            case UBYTE: return b & 0xFF;
            case USHORT: return b & 0xFFFF;
            case UINT: case WCHAR: return b & 0xFFFF_FFFFL;
            default: return b;
        }
    }

    final double loadDouble(long i) {
        switch (dtype) {
            case FLOAT: return block.getFloat(i * 4);
            case DOUBLE: return block.getDouble(i * 8);
            case ULONG: case ULONGLONG: return unsignedToDouble(loadBits(i));
            default: return loadInteger(i);
        }
    }

    private static double unsignedToDouble(long bits) {
        return bits >= 0 ? bits : ((double) ((bits >>> 1) | (bits & 1))) * 2.0;
    }

    /** Stores an already range-checked integer; floating types convert it. */
    final void storeLong(long i, long value) {
        if (dtype.isFloating()) {
            storeDouble(i, value);
        } else {
            storeBits(i, value);
        }
    }

    final void storeDouble(long i, double value) {
        if (dtype == DType.FLOAT) {
            block.putFloat(i * 4, (float) value);
        } else {
            block.putDouble(i * 8, value);
        }
    }

    /** Element bits for equality and hashing: floating-point NaNs collapse to one pattern, as Double.equals does. */
    final long canonicalBits(long i) {
        switch (dtype) {
            case FLOAT: return Float.floatToIntBits(block.getFloat(i * 4));
            case DOUBLE: return Double.doubleToLongBits(block.getDouble(i * 8));
            default: return loadBits(i);
        }
    }

    /** Appends {@code count} elements held in a Java array of the element width (or a byte[] of raw bytes). */
    final void appendCarrier(Object carrier, long count) {
        if (count == 0) {
            return;
        }
        long at = length;
        resizeSmart(at + count);
        writeCarrier(at, carrier, count);
    }

    /** Copies {@code count} elements held in a carrier array into elements {@code [at, at + count)}. */
    final void writeCarrier(long at, Object carrier, long count) {
        long offset = at * itemsize;
        int n = (int) count;
        if (carrier instanceof byte[]) {
            byte[] b = (byte[]) carrier;
            block.copyFrom(offset, b, 0, b.length);
        } else if (carrier instanceof short[]) {
            block.copyFrom(offset, (short[]) carrier, 0, n);
        } else if (carrier instanceof int[]) {
            block.copyFrom(offset, (int[]) carrier, 0, n);
        } else if (carrier instanceof long[]) {
            block.copyFrom(offset, (long[]) carrier, 0, n);
        } else if (carrier instanceof float[]) {
            block.copyFrom(offset, (float[]) carrier, 0, n);
        } else {
            block.copyFrom(offset, (double[]) carrier, 0, n);
        }
    }
}
