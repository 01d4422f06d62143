package org.cymem4j.array;

import java.nio.ByteBuffer;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.Handles;
import org.cymem4j.internal.Span;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;

/**
 * Element access of a {@link TypedArray}: by index (Python's {@code a[i]} and {@code a[i] = v} with negative indices,
 * the unicode ({@code u}) elements as one-character strings), and in place through views (Cython's
 * {@code a.data.as_*}), which are windows of the buffer's span that go stale when the array changes. Second layer
 * of the class chain (see {@link ArrayBuffer}).
 */
abstract sealed class ArrayElements extends ArrayBuffer permits ArraySequence {

    ArrayElements(DType dtype, Pool pool, boolean ownsPool, long length, long alignment) {
        super(dtype, pool, ownsPool, length, alignment);
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

    // ---- views: windows of the buffer's span ----------------------------------------------------------------

    /**
     * A one-dimensional {@link MemoryView} of the elements, in place (Cython's {@code cython.int[:] ca = a}, Python's
     * {@code memoryview(a)}; {@code a.data.as_ints[i]} is {@code a.view().getInt(i)}). It reads and writes through
     * the accessor of the element's width ({@code getInt} for {@code i I u}); unsigned elements come back as their
     * bit pattern ({@code Integer.toUnsignedLong(v.getInt(i))}, or {@link TypedArray#getLong} on the array, reads
     * them exactly). The view does not follow a resize: after anything that may move the buffer or change the length
     * ({@code append}, {@code pop}, {@code resize}, {@code extend}, ...) or after {@code close()}, every access
     * through it throws {@link IllegalStateException} instead of reading freed memory; take a new view then. Writes
     * that keep the length ({@code put}, {@code reverse}, {@code zero}) keep it valid.
     *
     * <pre>{@code
     * TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3);
     * MemoryView ca = a.view();
     * ca.putInt(0, 42);           // a.get(0) == 42
     * a.append(4);                // may move the buffer
     * ca.getInt(0);               // throws IllegalStateException: this view of array('i') is stale: ...
     * a.view().getInt(3);         // 4
     * }</pre>
     *
     * @return a one-dimensional view of this array's {@link #length()} elements, valid until the next change of
     *     length or buffer, or close
     * @throws IllegalStateException if the array is closed
     */
    public MemoryView view() {
        ensureOpen();
        return window(dtype, length);
    }

    /**
     * The same bytes seen as elements of {@code as} (Python's {@code memoryview(a).cast(code)}, a C cast; Cython's
     * {@code a.data.as_longs} over a {@code d} array): a one-dimensional view of the whole elements of {@code as}
     * that fit {@link #byteSize()}, with no check that the bits make sense as the new type. Unlike Python's
     * {@code cast}, a byte size that is not a multiple of the new width is not an error: the trailing bytes are not
     * in the view (12 bytes are one {@code long}). Ended by the same operations as {@link #view()}.
     *
     * <pre>{@code
     * TypedArray d = TypedArray.copyOf(DType.DOUBLE, 1.0);
     * d.view(DType.LONG).getLong(0);             // 0x3ff0000000000000L, the bits of 1.0
     * }</pre>
     *
     * @param as the element type to see the bytes as
     * @return a one-dimensional view of {@code byteSize() / as.itemsize()} elements of {@code as}
     * @throws IllegalStateException if the array is closed
     * @throws NullPointerException if {@code as} is null
     */
    public MemoryView view(DType as) {
        ensureOpen();
        if (as == null) {
            throw new NullPointerException("as");
        }
        return window(as, length * itemsize / as.itemsize());
    }

    // ---- exports: the elements' bytes, a window of the buffer like view() ---------------------------------------

    /**
     * The elements' bytes as a checked direct {@link ByteBuffer} (JDK 22 and later; Python's
     * {@code memoryview(a)}): native byte order, position 0, capacity {@link #byteSize()}, no copy. Like
     * {@link #view()} it is a window: it ends, and every access through it throws {@link IllegalStateException},
     * once the array changes its length or buffer ({@code append}, {@code resize}, ...) or is closed; an access
     * racing that on another thread finishes or fails before the old buffer is freed. It is
     * {@code view().asByteBuffer()}; the segment is {@code Segments.asSegment(a.view())}.
     *
     * <pre>{@code
     * TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3);
     * ByteBuffer bb = a.asByteBuffer();   // 12 bytes
     * bb.getInt(8);                       // 3
     * a.append(4);
     * bb.getInt(8);                       // throws IllegalStateException (already closed)
     * }</pre>
     *
     * @return a buffer over exactly the {@link #length()} elements
     * @throws IllegalStateException if the array is closed
     * @throws UnsupportedOperationException on JDK 17 to 21 (use {@link #asByteBufferUnchecked()}), or above
     *     {@code Integer.MAX_VALUE} bytes
     */
    public ByteBuffer asByteBuffer() {
        return view().asByteBuffer();
    }

    /**
     * The elements' bytes as a plain direct {@link ByteBuffer}, on every JDK, with <b>no check after it is made</b>:
     * an escape hatch, named so as FFM names its restricted methods. The caller must stop using it before the array
     * changes its length or buffer or is closed, because the buffer may then point at freed memory (a crash or
     * silent corruption). Prefer {@link #asByteBuffer()} on JDK 22 and later.
     *
     * <pre>{@code
     * channel.write(a.asByteBufferUnchecked());   // used at once, before a is resized or closed
     * }</pre>
     *
     * @return an unchecked buffer over exactly the {@link #length()} elements
     * @throws IllegalStateException if the array is closed
     * @throws UnsupportedOperationException above {@code Integer.MAX_VALUE} bytes
     */
    public ByteBuffer asByteBufferUnchecked() {
        return view().asByteBufferUnchecked();
    }

    /**
     * {@code count} elements of {@code as} over a window of the buffer's span (stale once the array changes), whose
     * {@code base()} is this array, as a Cython memoryview of an {@code array.array} has it.
     */
    private MemoryView window(DType as, long count) {
        Span window = Handles.spanOf(Handles.window(block, count * as.itemsize(), "this view of " + name()));
        return (MemoryView) Handles.views().spanView(window, this, pool, window.address(), window.bytes(), as,
                new long[] {count}, null);
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

    /** {@code element type is float64 ('d'), not an integer type (use getDouble)}, for integer-only operations. */
    final void requireInteger(String alternative) {
        if (dtype.isFloating()) {
            throw Checks.elementType(dtype.displayName(), "an integer type (use " + alternative + ")");
        }
    }

    /** {@code element type is int32 ('i'), not wchar_t ('u')}, for the unicode operations. */
    static void requireUnicode(DType type) {
        if (type != DType.WCHAR) {
            throw Checks.elementType(type.displayName(), DType.WCHAR.displayName());
        }
    }
}
