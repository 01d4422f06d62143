package org.cymem4j.array;

import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;

/**
 * The sequence operations of a {@link TypedArray}, as Python's {@code array.array} spells them: {@code append},
 * {@code insert}, {@code pop}, {@code remove}, {@code index}, {@code count}, {@code reverse}, {@code byteswap},
 * {@code extend}, and iteration. Third layer of the class chain (see {@link ArrayBuffer}).
 */
abstract sealed class ArraySequence extends ArrayElements permits ArrayConversions {

    ArraySequence(DType dtype, Pool pool, boolean ownsPool, long length, long alignment) {
        super(dtype, pool, ownsPool, length, alignment);
    }

    /**
     * Appends one value ({@code a.append(x)}), growing the buffer by {@link #resizeSmart} (amortised O(1)).
     *
     * <pre>{@code
     * a.append(7);
     * u.append('是');       // a code point, into a 'u' array
     * }</pre>
     *
     * @param value the value to append; for {@code L}/{@code Q} an unsigned bit pattern, for {@code u} a code point
     * @throws IllegalArgumentException if the value does not fit the type (the array is unchanged)
     * @throws IllegalStateException if the array is closed
     */
    public void append(long value) {
        ensureOpen();
        checkLong(value);
        long at = length;
        resizeChecked(at + 1);
        storeLong(at, value);
    }

    /**
     * Appends a floating-point value to an {@code f} or {@code d} array.
     *
     * @param value the value to append ({@code f} rounds it to {@code float})
     * @throws IllegalArgumentException if the array holds integers (the array is unchanged)
     * @throws IllegalStateException if the array is closed
     */
    public void append(double value) {
        ensureOpen();
        checkDouble(value);
        long at = length;
        resizeChecked(at + 1);
        storeDouble(at, value);
    }

    /**
     * Inserts {@code value} before position {@code index} ({@code a.insert(i, x)}): as in Python, a negative index
     * counts from the end and an index beyond either end inserts at that end.
     *
     * <pre>{@code
     * TypedArray a = TypedArray.copyOf(DType.INT, 1, 3);
     * a.insert(1, 2);       // array('i', [1, 2, 3])
     * a.insert(-100, 0);    // array('i', [0, 1, 2, 3])
     * }</pre>
     *
     * @param index the position to insert before; negative counts from the end, out-of-range values clamp to the nearer
     *     end
     * @param value the value to insert; for {@code L}/{@code Q} an unsigned bit pattern, for {@code u} a code point
     * @throws IllegalArgumentException if the value does not fit the type (the array is unchanged)
     * @throws IllegalStateException if the array is closed
     */
    public void insert(long index, long value) {
        ensureOpen();
        checkLong(value);
        long at = openGap(index);
        storeLong(at, value);
    }

    /**
     * Inserts a floating-point value before position {@code index} of an {@code f} or {@code d} array (see
     * {@link #insert(long, long)}).
     *
     * @param index the position to insert before; negative counts from the end, out-of-range values clamp to the nearer
     *     end
     * @param value the value to insert ({@code f} rounds it to {@code float})
     * @throws IllegalArgumentException if the array holds integers (the array is unchanged)
     * @throws IllegalStateException if the array is closed
     */
    public void insert(long index, double value) {
        ensureOpen();
        checkDouble(value);
        long at = openGap(index);
        storeDouble(at, value);
    }

    /**
     * Removes and returns the last element ({@code a.pop()}).
     *
     * @return the removed element, as {@link #get} would return it
     * @throws IndexOutOfBoundsException if the array is empty ({@code pop from empty array})
     * @throws IllegalStateException if the array is closed
     */
    public Number pop() {
        return pop(-1);
    }

    /**
     * Removes and returns element {@code index} ({@code a.pop(i)}); negative indices count from the end.
     *
     * <pre>{@code
     * TypedArray.copyOf(DType.INT, 1, 2, 3).pop(0);   // 1L, leaving array('i', [2, 3])
     * }</pre>
     *
     * @param index the element's position; negative counts from the end ({@code -1} is the last)
     * @return the removed element, as {@link #get} would return it
     * @throws IndexOutOfBoundsException if the array is empty or {@code index} is not in {@code [-length, length)}
     * @throws IllegalStateException if the array is closed
     */
    public Number pop(long index) {
        ensureOpen();
        if (length == 0) {
            throw new IndexOutOfBoundsException("pop from empty " + name());
        }
        long i = normalize(index);
        Number value = get(i);
        long tail = length - i - 1;
        if (tail > 0) {
            block.copyFrom(i * itemsize, block, (i + 1) * itemsize, tail * itemsize);
        }
        storeBits(length - 1, 0); // keep the spare capacity zeroed
        length--;
        changed();
        return value;
    }

    /**
     * Removes the first element equal to {@code value} ({@code a.remove(x)}).
     *
     * @param value the value to look for, compared as a number
     * @throws IllegalArgumentException if no element equals {@code value} (the array is unchanged)
     * @throws IllegalStateException if the array is closed
     */
    public void remove(long value) {
        long i = indexOf(value);
        if (i < 0) {
            String v = dtype.itemsize() == 8 && dtype.kind() == DType.Kind.UNSIGNED ? Long.toUnsignedString(value)
                    : String.valueOf(value);
            throw new IllegalArgumentException("remove(" + v + "): " + v + " is not in the " + name());
        }
        pop(i);
    }

    /**
     * Removes the first element equal to the floating-point {@code value}.
     *
     * @param value the value to look for, compared as a number; NaN matches nothing
     * @throws IllegalArgumentException if no element equals {@code value} (the array is unchanged)
     * @throws IllegalStateException if the array is closed
     */
    public void remove(double value) {
        long i = indexOf(value);
        if (i < 0) {
            String v = PyRepr.floatRepr(value);
            throw new IllegalArgumentException("remove(" + v + "): " + v + " is not in the " + name());
        }
        pop(i);
    }

    /**
     * The index of the first element equal to {@code value}, or -1 ({@code a.index(x)}, which raises instead).
     * Values compare as numbers: {@code 2} matches {@code 2.0} in a {@code d} array.
     *
     * @param value the value to look for, compared as a number
     * @return the index of the first equal element, or -1 if there is none
     * @throws IllegalStateException if the array is closed
     */
    public long indexOf(long value) {
        ensureOpen();
        for (long i = 0; i < length; i++) {
            if (equalsAt(i, value)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of the first element equal to the floating-point {@code value}, or -1. NaN matches nothing.
     *
     * @param value the value to look for, compared as a number
     * @return the index of the first equal element, or -1 if there is none
     * @throws IllegalStateException if the array is closed
     */
    public long indexOf(double value) {
        ensureOpen();
        for (long i = 0; i < length; i++) {
            if (loadDouble(i) == value) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The number of elements equal to {@code value} ({@code a.count(x)}).
     *
     * @param value the value to count, compared as a number
     * @return the number of equal elements
     * @throws IllegalStateException if the array is closed
     */
    public long count(long value) {
        ensureOpen();
        long n = 0;
        for (long i = 0; i < length; i++) {
            if (equalsAt(i, value)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The number of elements equal to the floating-point {@code value}. NaN matches nothing.
     *
     * @param value the value to count, compared as a number
     * @return the number of equal elements
     * @throws IllegalStateException if the array is closed
     */
    public long count(double value) {
        ensureOpen();
        long n = 0;
        for (long i = 0; i < length; i++) {
            if (loadDouble(i) == value) {
                n++;
            }
        }
        return n;
    }

    /**
     * Reverses the elements in place ({@code a.reverse()}). Views stay valid.
     *
     * @throws IllegalStateException if the array is closed
     */
    public void reverse() {
        ensureOpen();
        for (long i = 0, j = length - 1; i < j; i++, j--) {
            long x = loadBits(i);
            storeBits(i, loadBits(j));
            storeBits(j, x);
        }
    }

    /**
     * Reverses the byte order of every element in place ({@code a.byteswap()}), to exchange data with a machine of
     * the other endianness. A no-op for 1-byte types. Views stay valid.
     *
     * @throws IllegalStateException if the array is closed
     */
    public void byteswap() {
        ensureOpen();
        int shift = 64 - 8 * itemsize;
        if (itemsize == 1) {
            return;
        }
        for (long i = 0; i < length; i++) {
            storeBits(i, Long.reverseBytes(loadBits(i)) >> shift);
        }
    }

    /**
     * Appends the elements of {@code other} ({@code array.extend(self, other)}), which must have the same element
     * type; one native copy. {@code a.extend(a)} doubles {@code a}.
     *
     * @param other the array to append, of the same element type; may be this array
     * @throws IllegalArgumentException if the element types differ (the array is unchanged)
     * @throws IllegalStateException if either array is closed
     */
    public void extend(TypedArray other) {
        ensureOpen();
        other.ensureOpen();
        if (other.dtype != dtype) {
            throw new IllegalArgumentException("cannot extend " + name() + " with " + other.name()
                    + ": the typecodes must be the same");
        }
        long n = other.length;
        if (n > Long.MAX_VALUE / itemsize - length) {
            throw new IllegalArgumentException("extend: length " + length + " + " + n + " overflows");
        }
        long at = length;
        resizeSmart(at + n);
        if (n > 0) {
            block.copyFrom(at * itemsize, other.block, 0, n * itemsize);
        }
    }

    /**
     * Appends {@code values} ({@code a.extend([1, 2, 3])}), checked against the type's range first.
     *
     * @param values the values to append, in order
     * @throws IllegalArgumentException if a value does not fit the type (the array is unchanged)
     * @throws IllegalStateException if the array is closed
     */
    public void extend(int... values) {
        extend(Carriers.widen(values));
    }

    /**
     * Appends {@code values}, checked against the type's range first.
     *
     * @param values the values to append, in order ({@code L} and {@code Q} as unsigned bit patterns)
     * @throws IllegalArgumentException if a value does not fit the type (the array is unchanged)
     * @throws IllegalStateException if the array is closed
     */
    public void extend(long... values) {
        ensureOpen();
        appendCarrier(Carriers.fromLongs(dtype, values, 0, values.length), values.length);
    }

    /**
     * Appends floating-point {@code values} to an {@code f} or {@code d} array.
     *
     * @param values the values to append, in order
     * @throws IllegalArgumentException if the array holds integers (the array is unchanged)
     * @throws IllegalStateException if the array is closed
     */
    public void extend(double... values) {
        ensureOpen();
        appendCarrier(Carriers.fromDoubles(dtype, values), values.length);
    }

    /**
     * The elements in order, as {@code Long} or {@code Double} ({@code for x in a}). The iterator fails fast: it
     * throws {@link ConcurrentModificationException} once the array's length changed.
     *
     * @return an iterator over the elements, as {@link #get} returns them
     * @throws IllegalStateException if the array is closed
     */
    public Iterator<Number> iterator() {
        ensureOpen();
        return new Iterator<>() {
            private final long expected = modCount;
            private long next;

            @Override
            public boolean hasNext() {
                return next < length;
            }

            @Override
            public Number next() {
                if (modCount != expected) {
                    throw new ConcurrentModificationException(name() + " changed length during iteration");
                }
                if (next >= length) {
                    throw new NoSuchElementException();
                }
                return get(next++);
            }
        };
    }

    /** Python's insert position: clamped to {@code [0, length]}. Grows by one and shifts the tail; returns the slot. */
    private long openGap(long index) {
        long at = index < 0 ? Math.max(0, index + length) : Math.min(index, length);
        long tail = length - at;
        resizeSmart(length + 1);
        if (tail > 0) {
            block.copyFrom((at + 1) * itemsize, block, at * itemsize, tail * itemsize);
        }
        return at;
    }

    private boolean equalsAt(long i, long value) {
        if (dtype.isFloating()) {
            return loadDouble(i) == (double) value;
        }
        return loadInteger(i) == value; // L and Q: the bit pattern, so a negative long finds a value >= 2^63
    }
}
