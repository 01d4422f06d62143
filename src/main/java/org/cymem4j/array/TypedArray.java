package org.cymem4j.array;

import java.util.ArrayList;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.cymem4j.Block;
import org.cymem4j.NativeMemory;
import org.cymem4j.NativeOutOfMemoryError;
import org.cymem4j.Pool;
import org.cymem4j.internal.BufferLease;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.Handles;
import org.cymem4j.internal.Span;
import org.cymem4j.internal.jni.NativePool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;

/**
 * Python's {@code array.array} as Cython's {@code cpython.array} extends it, over native memory: a compact, resizable,
 * one-dimensional array of one C type (typecodes {@code b B h H i I l L q Q f d u}, see {@link DType}) whose buffer
 * C code can use directly at {@link #address()}.
 *
 * <pre>{@code
 * try (TypedArray a = TypedArray.of('i', 1, 2, 3);
 *      TypedArray c = TypedArray.of('i', 4, 5, 6)) {
 *     a.asInts().get(0);                   // 1              (Cython: a.data.as_ints[0])
 *     a.extend(c);                         //                (array.extend(a, c))
 *     a.toString();                        // "array('i', [1, 2, 3, 4, 5, 6])"
 *     a.resize(a.length() - c.length());   // back to the original three elements
 *     a.get(-1);                           // 3L, Python's negative indices
 *     nativeLibrary.sum(a.address(), a.length());
 * }                                        // both buffers freed here; a.get(0) would now throw
 *                                          // IllegalStateException: array('i') is closed
 * }</pre>
 *
 * <h2>Memory</h2>
 * The buffer is one block of a {@link Pool}: zeroed when allocated, resized with the pool's {@code realloc} (in C),
 * read and written from Java through the pool's accessors (no JNI call per element). An array made by
 * {@link #create(char, long)} or {@link #of(char, int...)} owns a private pool confined to the creating thread, and
 * {@link #close()} frees it. An array made by {@link #create(Pool, char, long)} lives in that pool: {@code close()}
 * frees its block early, and closing the pool frees it in any case. Elements past {@link #length()} up to
 * {@link #capacity()} are always zero, so growing the array shows zeros.
 *
 * <h2>Leases: element accessors, views, iterators</h2>
 * {@link #asInts()} and the other {@code as*} accessors, the iterator and the buffer lease behind views all capture
 * the buffer and the length at the time they are made. Any operation that changes the length or may move the buffer
 * ({@code append}, {@code insert}, {@code pop}, {@code remove}, {@code resize}, {@code resizeSmart}, {@code extend},
 * {@code extendBuffer}, {@code fromBytes}, {@code fromUnicode}, {@code close}) ends them: a later access throws
 * {@link IllegalStateException} (the iterator: {@link ConcurrentModificationException}) instead of reading memory
 * that a {@code realloc} may have freed. Writes that keep the length ({@code set}, {@code reverse},
 * {@code byteswap}, {@code zero}) keep them valid. Take a new accessor after a resize, as C code must re-read
 * {@code a.data.as_ints} after {@code resize}.
 *
 * <h2>Values</h2>
 * Integer elements travel as {@code long}, checked against the type's range before anything is written
 * ({@code 300 does not fit 'B' (unsigned char, 0..255)}); {@code L} and {@code Q} elements travel as unsigned bit
 * patterns ({@link Long#toUnsignedString}), and negative values are rejected when storing them. Floating-point
 * elements travel as {@code double} ({@code f} rounds to float). {@code u} elements are Unicode code points in a
 * 4-byte {@code wchar_t}.
 *
 * @apiNote Like {@link Pool}, {@code close()} is idempotent. A {@code TypedArray} is not thread-safe (like
 *     {@code java.util.ArrayList}); its pool's confinement rules apply to every access.
 */
public final class TypedArray implements AutoCloseable, Iterable<Number> {
    static {
        Handles.registerTypedArray(a -> ((TypedArray) a).lease()); // for MemoryView.of(TypedArray)
    }


    private final DType dtype;
    private final int itemsize;
    private final Pool pool;
    /** True when {@link #pool} is this array's private pool, closed with it. */
    private final boolean ownsPool;
    /** The current buffer: a block of {@link #pool} of {@code capacity * itemsize} bytes. */
    private Block block;
    /**
     * {@link #block}'s span in the lifetime core. Leases (element accessors, views) are windows of it, so a change of
     * length {@linkplain Span#advance advances} it and every older lease goes stale; a realloc invalidates it.
     */
    private Span span;
    /** The address of {@link #block}, kept so that close() can free it even after its accessor was invalidated. */
    private long base;
    /** Elements in use; {@code 0 <= length <= capacity}. Bytes {@code [length * itemsize, capacity * itemsize)} are 0. */
    private long length;
    /** Elements allocated. */
    private long capacity;
    /** Bumped by every change of length or buffer, for the iterator's fail-fast check (leases use {@link #span}). */
    private long modCount;
    /** Why a lease went stale, in the message of every access through it afterwards (evaluated then). */
    private final Object staleness = new Object() {
        @Override
        public String toString() {
            return closed ? "is stale: " + name() + " is closed"
                    : "is stale: the array was resized after it was made (length " + length + " now); take a new one";
        }
    };
    private boolean closed;

    private TypedArray(DType dtype, Pool pool, boolean ownsPool, long length) {
        this.dtype = dtype;
        this.itemsize = dtype.itemsize();
        this.pool = pool;
        this.ownsPool = ownsPool;
        long address = pool.alloc(length, itemsize);
        this.block = pool.block(address);
        this.span = Handles.spanOf(block);
        this.base = address;
        this.length = length;
        this.capacity = length;
    }

    // ---- creation ----------------------------------------------------------------------------------------

    /**
     * A zeroed array of {@code length} elements in a private pool, confined to the calling thread.
     *
     * <pre>{@code
     * try (TypedArray a = TypedArray.create('d', 3)) {   // array('d', [0.0, 0.0, 0.0])
     *     a.setDouble(1, 2.5);
     * }
     * }</pre>
     *
     * @param typecode one of {@code b B h H i I l L q Q f d u}
     * @param length number of elements
     * @return a new open array of {@code length} zero elements; close it to free its private pool
     * @throws IllegalArgumentException for an unknown typecode, a negative length or a byte size that overflows
     * @throws NativeOutOfMemoryError if the memory cannot be allocated
     */
    public static TypedArray create(char typecode, long length) {
        DType type = DType.fromTypecode(typecode);
        checkLength(length, type);
        Pool own = Pool.open();
        try {
            return new TypedArray(type, own, true, length);
        } catch (RuntimeException | Error e) {
            own.close();
            throw e;
        }
    }

    /**
     * A zeroed array of {@code length} elements whose buffer is a block of {@code pool}: closing the pool frees it.
     *
     * <pre>{@code
     * try (Pool pool = Pool.open()) {
     *     TypedArray a = TypedArray.create(pool, 'i', 0);
     *     a.extend(1, 2, 3);
     * }                                // a's buffer freed with the pool; a.get(0) now throws
     * }</pre>
     *
     * @param pool the pool whose block holds the buffer
     * @param typecode one of {@code b B h H i I l L q Q f d u}
     * @param length number of elements
     * @return a new open array of {@code length} zero elements, living in {@code pool}
     * @throws IllegalArgumentException for an unknown typecode, a negative length or a byte size that overflows
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     * @throws NativeOutOfMemoryError if the memory cannot be allocated
     * @throws NullPointerException if {@code pool} is null
     */
    public static TypedArray create(Pool pool, char typecode, long length) {
        if (pool == null) {
            throw new NullPointerException("pool");
        }
        DType type = DType.fromTypecode(typecode);
        checkLength(length, type);
        return new TypedArray(type, pool, false, length);
    }

    /**
     * An array holding {@code values} ({@code array.array('i', [1, 2, 3])}). Integer typecodes check every value
     * against their range; {@code f} and {@code d} store them as floating-point numbers; {@code u} stores them as
     * code points.
     *
     * <pre>{@code
     * TypedArray a = TypedArray.of('i', 1, 2, 3);   // array('i', [1, 2, 3])
     * TypedArray.of('B', 1, 300);                   // throws: 300 does not fit 'B' (unsigned char, 0..255)
     * }</pre>
     *
     * @param typecode one of {@code b B h H i I l L q Q f d u}
     * @param values the elements, in order
     * @return a new open array in a private pool, holding {@code values}
     * @throws IllegalArgumentException for an unknown typecode or a value out of the type's range (nothing is
     *     allocated then)
     */
    public static TypedArray of(char typecode, int... values) {
        long[] wide = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return of(typecode, wide);
    }

    /**
     * As {@link #of(char, int...)}, with {@code long} values ({@code q}, {@code Q}, {@code l}, {@code L}).
     *
     * <pre>{@code
     * TypedArray q = TypedArray.of('q', Long.MIN_VALUE, 0L);
     * }</pre>
     *
     * @param typecode one of {@code b B h H i I l L q Q f d u}
     * @param values the elements, in order ({@code L} and {@code Q} as unsigned bit patterns)
     * @return a new open array in a private pool, holding {@code values}
     * @throws IllegalArgumentException for an unknown typecode or a value out of the type's range
     */
    public static TypedArray of(char typecode, long... values) {
        DType type = DType.fromTypecode(typecode);
        Object carrier = Carriers.fromLongs(type, values, 0, values.length);
        TypedArray a = create(typecode, values.length);
        try {
            a.writeCarrier(0, carrier, values.length);
            return a;
        } catch (RuntimeException | Error e) {
            a.close();
            throw e;
        }
    }

    /**
     * As {@link #of(char, int...)}, with floating-point values; only {@code f} and {@code d} hold them.
     *
     * <pre>{@code
     * TypedArray d = TypedArray.of('d', 1.0, 2.5);   // array('d', [1.0, 2.5])
     * }</pre>
     *
     * @param typecode {@code f} or {@code d}
     * @param values the elements, in order
     * @return a new open array in a private pool, holding {@code values}
     * @throws IllegalArgumentException for an unknown typecode, or an integer typecode (Python's "integer argument
     *     expected, got float")
     */
    public static TypedArray of(char typecode, double... values) {
        DType type = DType.fromTypecode(typecode);
        Object carrier = Carriers.fromDoubles(type, values);
        TypedArray a = create(typecode, values.length);
        try {
            a.writeCarrier(0, carrier, values.length);
            return a;
        } catch (RuntimeException | Error e) {
            a.close();
            throw e;
        }
    }

    /**
     * A {@code u} array holding the code points of {@code text} ({@code array.array('u', "这是啥")}); a surrogate
     * pair becomes one element.
     *
     * <pre>{@code
     * TypedArray b = TypedArray.of('u', "这是啥");
     * b.asPyUnicodes().get(0);                     // "这"
     * }</pre>
     *
     * @param typecode {@code 'u'}
     * @param text the characters to store, one element per code point
     * @return a new open {@code u} array in a private pool, holding the code points of {@code text}
     * @throws IllegalArgumentException if {@code typecode} is not {@code 'u'}
     */
    public static TypedArray of(char typecode, String text) {
        DType type = DType.fromTypecode(typecode);
        requireUnicode(type, "of(typecode, String)");
        TypedArray a = create(typecode, 0);
        try {
            a.fromUnicode(text);
            return a;
        } catch (RuntimeException | Error e) {
            a.close();
            throw e;
        }
    }

    /**
     * Cython's {@code array.clone(template, length, zero)}: a new array of {@code template}'s type with {@code length}
     * elements, in the same place as the template (its pool, or a private pool of its own). This library's memory is
     * always zeroed ({@code calloc}), so the elements are zero whether or not {@code zero} is set; the flag is kept so
     * that ported code reads the same.
     *
     * <pre>{@code
     * try (TypedArray t = TypedArray.of('d', 1.5);
     *      TypedArray c = TypedArray.clone(t, 100, true)) {   // array('d', [0.0, ... 100 zeros])
     * }
     * }</pre>
     *
     * @param template the array whose typecode and place (pool) the new array takes; its elements are not copied
     * @param length number of elements of the new array
     * @param zero Cython's flag; ignored, the elements are always zero
     * @return a new open array of {@code length} zero elements
     * @throws IllegalArgumentException if {@code length} is negative or its byte size overflows
     * @throws IllegalStateException if the template is closed
     */
    public static TypedArray clone(TypedArray template, long length, boolean zero) {
        template.ensureOpen();
        return template.ownsPool ? create(template.typecode(), length) : create(template.pool, template.typecode(), length);
    }

    /**
     * Cython's {@code array.copy(self)}: a new array with the same type and elements, in the same place as this one
     * (its pool, or a private pool of its own). One native copy.
     *
     * <pre>{@code
     * try (TypedArray a = TypedArray.of('i', 1, 2); TypedArray b = a.copy()) {
     *     b.set(0, 9);                  // a is still array('i', [1, 2])
     * }
     * }</pre>
     *
     * @return a new open array with this array's typecode and elements
     * @throws IllegalStateException if this array is closed
     */
    public TypedArray copy() {
        TypedArray c = clone(this, length, false);
        try {
            if (length > 0) {
                c.block.copyFrom(0, block, 0, length * itemsize);
            }
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    // ---- description -------------------------------------------------------------------------------------

    /**
     * The typecode, {@code 'i'} for an {@code int} array. Works after close.
     *
     * @return the typecode, one of {@code b B h H i I l L q Q f d u}
     */
    public char typecode() {
        return dtype.typecode();
    }

    /**
     * The element type. Works after close.
     *
     * @return the element type, the {@link DType} of {@link #typecode()}
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * Bytes per element ({@code array.itemsize}). Works after close.
     *
     * @return the size of one element in bytes
     */
    public int itemsize() {
        return itemsize;
    }

    /**
     * The number of elements ({@code len(a)}).
     *
     * @return the number of elements in use
     * @throws IllegalStateException if the array is closed
     */
    public long length() {
        ensureOpen();
        return length;
    }

    /**
     * The number of elements the buffer holds before it must grow (CPython's {@code allocated}).
     *
     * @return the number of elements the buffer has room for, {@code >= length()}
     * @throws IllegalStateException if the array is closed
     */
    public long capacity() {
        ensureOpen();
        return capacity;
    }

    /**
     * The address of element 0, for C code ({@code a.data.as_voidptr}); {@code length() * itemsize()} bytes are
     * valid there. It changes when a resize moves the buffer.
     *
     * @return the native address of element 0
     * @throws IllegalStateException if the array is closed, or used from a thread its pool is not confined to
     */
    public long address() {
        ensureOpen();
        return block.address();
    }

    /**
     * True until {@link #close()} (or, for an array in a pool, until the pool is closed).
     *
     * @return true until the array or its pool is closed
     */
    public boolean isOpen() {
        return !closed && pool.isOpen();
    }

    // ---- element access ----------------------------------------------------------------------------------

    /**
     * Element {@code index} as a {@code Long} (integer types; code point for {@code u}; unsigned bit pattern for
     * {@code L}/{@code Q}) or a {@code Double} ({@code f}, {@code d}). Negative indices count from the end.
     *
     * <pre>{@code
     * TypedArray.of('i', 1, 2, 3).get(-1);   // 3L
     * }</pre>
     *
     * @param index the element's position; negative counts from the end ({@code -1} is the last)
     * @return the element as a {@code Long} (integer and {@code u} types) or a {@code Double} ({@code f}, {@code d})
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [-length, length)}
     * @throws IllegalStateException if the array is closed
     */
    public Number get(long index) {
        ensureOpen();
        long i = normalize(index);
        return dtype.isFloating() ? (Number) loadDouble(i) : (Number) loadInteger(i);
    }

    /**
     * Element {@code index} of an integer or {@code u} array, as a {@code long}. Negative indices count from the end.
     *
     * @param index the element's position; negative counts from the end ({@code -1} is the last)
     * @return the element; {@code L}/{@code Q} as unsigned bit patterns, {@code u} as a code point
     * @throws ClassCastException if the array holds floating-point values ({@code f}, {@code d}): use
     *     {@link #getDouble}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [-length, length)}
     * @throws IllegalStateException if the array is closed
     */
    public long getLong(long index) {
        ensureOpen();
        if (dtype.isFloating()) {
            throw new ClassCastException(name() + " holds " + dtype.cName() + " values: use getDouble");
        }
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
     * a.set(-1, 42);
     * TypedArray.create('b', 1).set(0, 128);   // throws: 128 does not fit 'b' (signed char, -128..127)
     * }</pre>
     *
     * @param index the element's position; negative counts from the end ({@code -1} is the last)
     * @param value the value to store; for {@code L}/{@code Q} an unsigned bit pattern, for {@code u} a code point
     * @throws IllegalArgumentException if the value does not fit the type (nothing is written)
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [-length, length)}
     * @throws IllegalStateException if the array is closed
     */
    public void set(long index, long value) {
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
    public void setDouble(long index, double value) {
        ensureOpen();
        checkDouble(value);
        storeDouble(normalize(index), value);
    }

    // ---- Python list-like operations ---------------------------------------------------------------------

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
        resizeSmart(at + 1);
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
        resizeSmart(at + 1);
        storeDouble(at, value);
    }

    /**
     * Inserts {@code value} before position {@code index} ({@code a.insert(i, x)}): as in Python, a negative index
     * counts from the end and an index beyond either end inserts at that end.
     *
     * <pre>{@code
     * TypedArray a = TypedArray.of('i', 1, 3);
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
     * TypedArray.of('i', 1, 2, 3).pop(0);   // 1L, leaving array('i', [2, 3])
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
            throw new IllegalArgumentException("remove(" + value + "): " + value + " is not in the " + name());
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
     * Reverses the elements in place ({@code a.reverse()}). Leases stay valid.
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
     * the other endianness. A no-op for 1-byte types. Leases stay valid.
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

    // ---- Cython's cpython.array C operations -------------------------------------------------------------

    /**
     * Sets the length to exactly {@code n} elements and the buffer to exactly that size ({@code array.resize}): one
     * native {@code realloc}, which may move the buffer. New elements are zero. Not for many small increments: use
     * {@link #resizeSmart}.
     *
     * <pre>{@code
     * a.resize(a.length() - 3);    // drop the last three elements
     * }</pre>
     *
     * @param n the new length, in elements
     * @throws IllegalArgumentException if {@code n < 0} or {@code n * itemsize()} overflows (the array is unchanged)
     * @throws NativeOutOfMemoryError if the allocator fails (the array is unchanged)
     * @throws IllegalStateException if the array is closed
     */
    public void resize(long n) {
        ensureOpen();
        checkLength(n, dtype);
        reallocate(n);
        length = n;
    }

    /**
     * Sets the length to {@code n} elements, keeping spare capacity for later growth ({@code array.resize_smart}):
     * growth allocates {@code n + n/2 + 1} elements, so appending one element at a time costs amortised O(1); a
     * shrink to more than a quarter of the capacity keeps the buffer (and zeroes the dropped elements). New elements
     * are zero.
     *
     * @param n the new length, in elements
     * @throws IllegalArgumentException if {@code n < 0} or {@code n * itemsize()} overflows (the array is unchanged)
     * @throws NativeOutOfMemoryError if the allocator fails (the array is unchanged)
     * @throws IllegalStateException if the array is closed
     */
    public void resizeSmart(long n) {
        ensureOpen();
        checkLength(n, dtype);
        long oldLength = length;
        if (n <= capacity && n > capacity / 4) {
            if (n < oldLength) {
                block.fill(n * itemsize, (oldLength - n) * itemsize, (byte) 0);
            }
            length = n;
            changed();
            return;
        }
        long max = Long.MAX_VALUE / itemsize;
        long grown = n > (max - 1) / 3 * 2 ? max : n + n / 2 + 1;
        reallocate(grown);
        if (n < oldLength) {
            // a shrink to a quarter or less: the smaller buffer may still hold part of the dropped tail
            long end = Math.min(oldLength, grown);
            block.fill(n * itemsize, (end - n) * itemsize, (byte) 0);
        }
        length = n;
    }

    /**
     * Appends {@code count} elements read from native memory at {@code address} ({@code array.extend_buffer}), in one
     * native copy. The source may lie inside this array's own buffer, even when the growth moves it.
     *
     * <pre>{@code
     * try (Address src = new Address(3, Integer.BYTES)) {
     *     a.extendBuffer(src.address(), 3);     // count in elements, not bytes
     * }
     * }</pre>
     *
     * @param address the first source byte; {@code count * itemsize()} bytes must be readable there
     * @param count number of elements (not bytes)
     * @throws IllegalArgumentException if {@code count < 0}, the byte count or the new length overflows, or
     *     {@code address} is 0 with {@code count > 0} (the array is unchanged)
     * @throws IndexOutOfBoundsException if the source starts inside this array's buffer but runs past its length
     * @throws IllegalStateException if the array is closed
     */
    public void extendBuffer(long address, long count) {
        ensureOpen();
        Checks.nonNegative(count, "count");
        long bytes = Checks.byteSize(count, itemsize);
        if (count > Long.MAX_VALUE / itemsize - length) {
            throw new IllegalArgumentException("extendBuffer: length " + length + " + count " + count
                    + " overflows (limit " + Long.MAX_VALUE / itemsize + " elements of " + itemsize + " bytes)");
        }
        if (count == 0) {
            return;
        }
        if (address == 0) {
            throw new IllegalArgumentException("extendBuffer: address 0x0 with count=" + count);
        }
        long base = block.address();
        long used = length * itemsize;
        // A source inside our own buffer must be re-read at its offset: the growth below may move the buffer.
        long selfOffset = address >= base && address - base < capacity * itemsize ? address - base : -1;
        if (selfOffset >= 0) {
            Checks.bounds(selfOffset, bytes, used);
        }
        long at = length;
        resizeSmart(length + count);
        if (selfOffset >= 0) {
            block.copyFrom(at * itemsize, block, selfOffset, bytes);
        } else {
            span.enterNative(); // a shared pool's close() waits for the copy
            try {
                NativePool.cym_j_memmove(span.address() + at * itemsize, address, bytes);
            } finally {
                span.exitNative();
            }
        }
    }

    /**
     * Appends the elements of {@code other} ({@code array.extend(self, other)}), which must have the same typecode;
     * one native copy. {@code a.extend(a)} doubles {@code a}.
     *
     * @param other the array to append, of the same typecode; may be this array
     * @throws IllegalArgumentException if the typecodes differ (the array is unchanged)
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
        long[] wide = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        extend(wide);
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
     * Sets every element to zero ({@code array.zero}), in one native {@code memset}. Leases stay valid.
     *
     * @throws IllegalStateException if the array is closed
     */
    public void zero() {
        ensureOpen();
        block.fill(0, length * itemsize, (byte) 0);
    }

    // ---- bytes and strings -------------------------------------------------------------------------------

    /**
     * The elements' bytes in native order ({@code a.tobytes()}).
     *
     * @return a new array of {@code length() * itemsize()} bytes
     * @throws IllegalStateException if the array is closed, or its byte size exceeds a Java array's
     */
    public byte[] toBytes() {
        ensureOpen();
        int n = javaArrayLength(length * itemsize, "bytes");
        byte[] out = new byte[n];
        block.copyTo(0, out, 0, n);
        return out;
    }

    /**
     * Appends elements from their bytes in native order ({@code a.frombytes(b)}).
     *
     * @param bytes the elements' bytes in native order; a multiple of {@link #itemsize()} long
     * @throws IllegalArgumentException if {@code bytes.length} is not a multiple of {@link #itemsize()} (the array is
     *     unchanged)
     * @throws IllegalStateException if the array is closed
     */
    public void fromBytes(byte[] bytes) {
        ensureOpen();
        if (bytes.length % itemsize != 0) {
            throw new IllegalArgumentException("bytes length " + bytes.length + " is not a multiple of the item size "
                    + itemsize + " of " + name());
        }
        appendCarrier(bytes, bytes.length / itemsize);
    }

    /**
     * Appends the code points of {@code text} to a {@code u} array ({@code a.fromunicode(s)}).
     *
     * @param text the characters to append, one element per code point
     * @throws IllegalArgumentException if the array is not a {@code u} array
     * @throws IllegalStateException if the array is closed
     */
    public void fromUnicode(String text) {
        ensureOpen();
        requireUnicode(dtype, "fromUnicode");
        int[] codePoints = text.codePoints().toArray();
        appendCarrier(codePoints, codePoints.length);
    }

    /**
     * The elements of a {@code u} array as a string ({@code a.tounicode()}).
     *
     * @return a string of the elements' code points
     * @throws IllegalArgumentException if the array is not a {@code u} array, or an element is not a code point
     *     (possible after {@code fromBytes} or {@code extendBuffer})
     * @throws IllegalStateException if the array is closed
     */
    public String toUnicode() {
        ensureOpen();
        requireUnicode(dtype, "toUnicode");
        int n = javaArrayLength(length, "elements");
        int[] codePoints = new int[n];
        block.copyTo(0, codePoints, 0, n);
        for (int cp : codePoints) {
            if (!Character.isValidCodePoint(cp)) {
                throw new IllegalArgumentException("element 0x" + Integer.toHexString(cp) + " of " + name()
                        + " is not a Unicode code point (range 0..0x10ffff)");
            }
        }
        return new String(codePoints, 0, n);
    }

    /**
     * The elements of an integer or {@code u} array as {@code long}s ({@code a.tolist()}); unsigned types are
     * zero-extended ({@code L}/{@code Q} as bit patterns).
     *
     * @return a new array holding a copy of the elements
     * @throws ClassCastException if the array holds floating-point values: use {@link #toDoubleArray()}
     * @throws IllegalStateException if the array is closed, or longer than a Java array can be
     */
    public long[] toLongArray() {
        ensureOpen();
        if (dtype.isFloating()) {
            throw new ClassCastException(name() + " holds " + dtype.cName() + " values: use toDoubleArray");
        }
        long[] out = new long[javaArrayLength(length, "elements")];
        for (int i = 0; i < out.length; i++) {
            out[i] = loadInteger(i);
        }
        return out;
    }

    /**
     * The elements as {@code double}s, for every type.
     *
     * @return a new array holding a copy of the elements, converted to {@code double}
     * @throws IllegalStateException if the array is closed, or longer than a Java array can be
     */
    public double[] toDoubleArray() {
        ensureOpen();
        double[] out = new double[javaArrayLength(length, "elements")];
        for (int i = 0; i < out.length; i++) {
            out[i] = loadDouble(i);
        }
        return out;
    }

    /**
     * The elements as an unmodifiable list of {@code Long} or {@code Double} ({@code a.tolist()}), a copy.
     *
     * @return an unmodifiable copy of the elements, {@code Long} for integer and {@code u} types, {@code Double} for
     *     {@code f} and {@code d}
     * @throws IllegalStateException if the array is closed, or longer than a Java list can be
     */
    public List<Number> toList() {
        ensureOpen();
        int n = javaArrayLength(length, "elements");
        List<Number> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(dtype.isFloating() ? (Number) loadDouble(i) : (Number) loadInteger(i));
        }
        return Collections.unmodifiableList(out);
    }

    // ---- memoryview ------------------------------------------------------------------------------------------

    /**
     * A one-dimensional {@link MemoryView} of the buffer, in place: Cython's {@code cython.int[:] ca = a}. The view
     * does not follow a resize: after anything that may move the buffer ({@code append}, {@code resize},
     * {@code extend}, ...) or after {@code close()}, every access through it throws {@link IllegalStateException}
     * instead of reading freed memory; take a new view then.
     *
     * <pre>{@code
     * TypedArray a = TypedArray.of('i', 1, 2, 3);
     * MemoryView ca = a.view();
     * ca.putInt(0, 42);           // a.get(0) == 42
     * a.append(4);                // may move the buffer
     * ca.getInt(0);               // throws IllegalStateException
     * a.view().getInt(3);         // 4
     * }</pre>
     *
     * @return a one-dimensional view of this array's {@link #length()} elements, valid until the next resize or close
     * @throws IllegalStateException if the array is closed
     */
    public MemoryView view() {
        return MemoryView.of(this);
    }

    // ---- typed accessors: Cython's a.data.as_* ------------------------------------------------------------

    /**
     * {@code a.data.as_chars}: the elements of a 1-byte integer array as C {@code char} (signed on x86-64).
     *
     * @return an accessor over the {@link #length()} elements as {@code char}, valid until the next change of length or
     *     buffer
     * @throws ClassCastException if the elements are not 1-byte integers
     * @throws IllegalStateException if the array is closed
     */
    public ByteElements asChars() {
        return new ByteElements(lease(DType.BYTE, "asChars()"));
    }

    /**
     * {@code a.data.as_schars}: the elements of a 1-byte integer array as {@code signed char}.
     *
     * @return an accessor over the {@link #length()} elements as {@code signed char}, valid until the next change of
     *     length or buffer
     * @throws ClassCastException if the elements are not 1-byte integers
     * @throws IllegalStateException if the array is closed
     */
    public ByteElements asSChars() {
        return new ByteElements(lease(DType.BYTE, "asSChars()"));
    }

    /**
     * {@code a.data.as_uchars}: the elements of a 1-byte integer array as {@code unsigned char} (0..255).
     *
     * @return an accessor over the {@link #length()} elements as {@code unsigned char}, valid until the next change of
     *     length or buffer
     * @throws ClassCastException if the elements are not 1-byte integers
     * @throws IllegalStateException if the array is closed
     */
    public UByteElements asUChars() {
        return new UByteElements(lease(DType.UBYTE, "asUChars()"));
    }

    /**
     * {@code a.data.as_shorts}: the elements of a 2-byte integer array as {@code short}.
     *
     * @return an accessor over the {@link #length()} elements as {@code short}, valid until the next change of length
     *     or buffer
     * @throws ClassCastException if the elements are not 2-byte integers
     * @throws IllegalStateException if the array is closed
     */
    public ShortElements asShorts() {
        return new ShortElements(lease(DType.SHORT, "asShorts()"));
    }

    /**
     * {@code a.data.as_ushorts}: the elements of a 2-byte integer array as {@code unsigned short}.
     *
     * @return an accessor over the {@link #length()} elements as {@code unsigned short}, valid until the next change of
     *     length or buffer
     * @throws ClassCastException if the elements are not 2-byte integers
     * @throws IllegalStateException if the array is closed
     */
    public UShortElements asUShorts() {
        return new UShortElements(lease(DType.USHORT, "asUShorts()"));
    }

    /**
     * {@code a.data.as_ints}: the elements of a 4-byte integer array ({@code i}, {@code I}, {@code u}) as {@code int}.
     *
     * <pre>{@code
     * TypedArray.of('i', 1, 2, 3).asInts().get(0);    // 1
     * TypedArray.of('d', 1.0).asInts();               // throws ClassCastException
     * }</pre>
     *
     * @return an accessor over the {@link #length()} elements as {@code int}, valid until the next change of length or
     *     buffer
     * @throws ClassCastException if the elements are not 4-byte integers
     * @throws IllegalStateException if the array is closed
     */
    public IntElements asInts() {
        return new IntElements(lease(DType.INT, "asInts()"));
    }

    /**
     * {@code a.data.as_uints}: the elements of a 4-byte integer array as {@code unsigned int}.
     *
     * @return an accessor over the {@link #length()} elements as {@code unsigned int}, valid until the next change of
     *     length or buffer
     * @throws ClassCastException if the elements are not 4-byte integers
     * @throws IllegalStateException if the array is closed
     */
    public UIntElements asUInts() {
        return new UIntElements(lease(DType.UINT, "asUInts()"));
    }

    /**
     * {@code a.data.as_longs}: the elements of an 8-byte integer array as {@code long}.
     *
     * @return an accessor over the {@link #length()} elements as {@code long}, valid until the next change of length or
     *     buffer
     * @throws ClassCastException if the elements are not 8-byte integers
     * @throws IllegalStateException if the array is closed
     */
    public LongElements asLongs() {
        return new LongElements(lease(DType.LONG, "asLongs()"));
    }

    /**
     * {@code a.data.as_ulongs}: the elements of an 8-byte integer array as {@code unsigned long} bit patterns.
     *
     * @return an accessor over the {@link #length()} elements as {@code unsigned long}, valid until the next change of
     *     length or buffer
     * @throws ClassCastException if the elements are not 8-byte integers
     * @throws IllegalStateException if the array is closed
     */
    public ULongElements asULongs() {
        return new ULongElements(lease(DType.ULONG, "asULongs()"));
    }

    /**
     * {@code a.data.as_longlongs}: the elements of an 8-byte integer array as {@code long long}.
     *
     * @return an accessor over the {@link #length()} elements as {@code long long}, valid until the next change of
     *     length or buffer
     * @throws ClassCastException if the elements are not 8-byte integers
     * @throws IllegalStateException if the array is closed
     */
    public LongElements asLongLongs() {
        return new LongElements(lease(DType.LONGLONG, "asLongLongs()"));
    }

    /**
     * {@code a.data.as_ulonglongs}: the elements of an 8-byte integer array as {@code unsigned long long} bit
     * patterns.
     *
     * @return an accessor over the {@link #length()} elements as {@code unsigned long long}, valid until the next
     *     change of length or buffer
     * @throws ClassCastException if the elements are not 8-byte integers
     * @throws IllegalStateException if the array is closed
     */
    public ULongElements asULongLongs() {
        return new ULongElements(lease(DType.ULONGLONG, "asULongLongs()"));
    }

    /**
     * {@code a.data.as_floats}: the elements of an {@code f} array.
     *
     * @return an accessor over the {@link #length()} elements as {@code float}, valid until the next change of length
     *     or buffer
     * @throws ClassCastException if the array is not an {@code f} array
     * @throws IllegalStateException if the array is closed
     */
    public FloatElements asFloats() {
        return new FloatElements(lease(DType.FLOAT, "asFloats()"));
    }

    /**
     * {@code a.data.as_doubles}: the elements of a {@code d} array.
     *
     * <pre>{@code
     * DoubleElements d = TypedArray.of('d', 1.0, 2.5).asDoubles();
     * d.set(0, d.get(0) + d.get(1));
     * }</pre>
     *
     * @return an accessor over the {@link #length()} elements as {@code double}, valid until the next change of length
     *     or buffer
     * @throws ClassCastException if the array is not a {@code d} array
     * @throws IllegalStateException if the array is closed
     */
    public DoubleElements asDoubles() {
        return new DoubleElements(lease(DType.DOUBLE, "asDoubles()"));
    }

    /**
     * {@code a.data.as_pyunicodes}: the elements of a 4-byte array ({@code u}) as one-character strings.
     *
     * <pre>{@code
     * TypedArray.of('u', "这是啥").asPyUnicodes().get(0);   // "这"
     * }</pre>
     *
     * @return an accessor over the {@link #length()} elements as {@code wchar_t}, valid until the next change of length
     *     or buffer
     * @throws ClassCastException if the elements are not 4-byte integers
     * @throws IllegalStateException if the array is closed
     */
    public UnicodeElements asPyUnicodes() {
        return new UnicodeElements(lease(DType.WCHAR, "asPyUnicodes()"));
    }

    /**
     * The explicit reinterpreting accessors: the same {@code as*} family over this array's bytes with no type check,
     * as a C cast would read them ({@code length() * itemsize() / width} elements of the accessor's width).
     *
     * <pre>{@code
     * TypedArray d = TypedArray.of('d', 1.0);
     * d.reinterpret().asLongs().get(0);            // 0x3ff0000000000000L, the bits of 1.0
     * }</pre>
     *
     * @return the unchecked accessor factory for this array
     * @throws IllegalStateException if the array is closed
     */
    public Reinterpreting reinterpret() {
        ensureOpen();
        return new Reinterpreting();
    }

    /**
     * The {@code as*} accessors without the element-type check, from {@link TypedArray#reinterpret()}. Each accessor
     * it makes is ended by the same operations as the checked ones.
     */
    public final class Reinterpreting {
        private Reinterpreting() {
        }

        /**
         * The bytes as {@code char} (signed).
         *
         * @return an accessor over the bytes as {@code char}, {@code length() * itemsize()} divided by its width
         *     elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public ByteElements asChars() {
            return new ByteElements(rawLease(DType.BYTE));
        }

        /**
         * The bytes as {@code signed char}.
         *
         * @return an accessor over the bytes as {@code signed char}, {@code length() * itemsize()} divided by its width
         *     elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public ByteElements asSChars() {
            return new ByteElements(rawLease(DType.BYTE));
        }

        /**
         * The bytes as {@code unsigned char}.
         *
         * @return an accessor over the bytes as {@code unsigned char}, {@code length() * itemsize()} divided by its
         *     width elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public UByteElements asUChars() {
            return new UByteElements(rawLease(DType.UBYTE));
        }

        /**
         * The bytes as {@code short}.
         *
         * @return an accessor over the bytes as {@code short}, {@code length() * itemsize()} divided by its width
         *     elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public ShortElements asShorts() {
            return new ShortElements(rawLease(DType.SHORT));
        }

        /**
         * The bytes as {@code unsigned short}.
         *
         * @return an accessor over the bytes as {@code unsigned short}, {@code length() * itemsize()} divided by its
         *     width elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public UShortElements asUShorts() {
            return new UShortElements(rawLease(DType.USHORT));
        }

        /**
         * The bytes as {@code int}.
         *
         * @return an accessor over the bytes as {@code int}, {@code length() * itemsize()} divided by its width
         *     elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public IntElements asInts() {
            return new IntElements(rawLease(DType.INT));
        }

        /**
         * The bytes as {@code unsigned int}.
         *
         * @return an accessor over the bytes as {@code unsigned int}, {@code length() * itemsize()} divided by its
         *     width elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public UIntElements asUInts() {
            return new UIntElements(rawLease(DType.UINT));
        }

        /**
         * The bytes as {@code long}.
         *
         * @return an accessor over the bytes as {@code long}, {@code length() * itemsize()} divided by its width
         *     elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public LongElements asLongs() {
            return new LongElements(rawLease(DType.LONG));
        }

        /**
         * The bytes as {@code unsigned long}.
         *
         * @return an accessor over the bytes as {@code unsigned long}, {@code length() * itemsize()} divided by its
         *     width elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public ULongElements asULongs() {
            return new ULongElements(rawLease(DType.ULONG));
        }

        /**
         * The bytes as {@code long long}.
         *
         * @return an accessor over the bytes as {@code long long}, {@code length() * itemsize()} divided by its width
         *     elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public LongElements asLongLongs() {
            return new LongElements(rawLease(DType.LONGLONG));
        }

        /**
         * The bytes as {@code unsigned long long}.
         *
         * @return an accessor over the bytes as {@code unsigned long long}, {@code length() * itemsize()} divided by
         *     its width elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public ULongElements asULongLongs() {
            return new ULongElements(rawLease(DType.ULONGLONG));
        }

        /**
         * The bytes as {@code float}.
         *
         * @return an accessor over the bytes as {@code float}, {@code length() * itemsize()} divided by its width
         *     elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public FloatElements asFloats() {
            return new FloatElements(rawLease(DType.FLOAT));
        }

        /**
         * The bytes as {@code double}.
         *
         * @return an accessor over the bytes as {@code double}, {@code length() * itemsize()} divided by its width
         *     elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public DoubleElements asDoubles() {
            return new DoubleElements(rawLease(DType.DOUBLE));
        }

        /**
         * The bytes as {@code wchar_t} code points.
         *
         * @return an accessor over the bytes as {@code wchar_t}, {@code length() * itemsize()} divided by its width
         *     elements, valid until the next change of length or buffer
         * @throws IllegalStateException if the array is closed
         */
        public UnicodeElements asPyUnicodes() {
            return new UnicodeElements(rawLease(DType.WCHAR));
        }
    }

    // ---- leases (accessors, views) -----------------------------------------------------------------------

    /**
     * A lease on the whole buffer as this array's own type, for a one-dimensional view: valid until the length or
     * the buffer changes or the array closes (see the class comment).
     */
    BufferLease lease() {
        ensureOpen();
        return lease(dtype, length, "this view of " + name());
    }

    private BufferLease lease(DType as, String accessor) {
        ensureOpen();
        if (!compatible(as)) {
            throw new ClassCastException(accessor + " reads " + as.itemsize() + "-byte " + as.cName() + " ('"
                    + as.typecode() + "') but " + name() + " holds " + itemsize + "-byte " + dtype.cName()
                    + ": use reinterpret()." + accessor + " to reinterpret the bytes");
        }
        return lease(as, length, "this accessor of " + name());
    }

    private BufferLease rawLease(DType as) {
        ensureOpen();
        return lease(as, length * itemsize / as.itemsize(), "this accessor of " + name());
    }

    /** A window of the buffer's span over {@code count} elements of {@code as}: stale once the array changes. */
    private BufferLease lease(DType as, long count, String face) {
        Object window = Handles.window(block, count * as.itemsize(), face);
        return new BufferLease(as, count, Handles.spanOf(window), window, name());
    }

    /** Same width, and both integers (signed, unsigned or characters) or both the same floating type. */
    private boolean compatible(DType as) {
        if (as.itemsize() != itemsize) {
            return false;
        }
        return as.isFloating() || dtype.isFloating() ? as == dtype : true;
    }

    // ---- iteration, equality, text ------------------------------------------------------------------------

    /**
     * The elements in order, as {@code Long} or {@code Double} ({@code for x in a}). The iterator fails fast: it
     * throws {@link ConcurrentModificationException} once the array's length changed.
     *
     * @throws IllegalStateException if the array is closed
     */
    @Override
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

    /**
     * True if {@code other} is a {@code TypedArray} with the same typecode and the same elements, compared as
     * {@link java.util.Arrays#equals(double[], double[])} compares (floating-point values by bits: NaN equals NaN,
     * {@code 0.0} differs from {@code -0.0}). Unlike Python, arrays of different typecodes are never equal. A closed
     * array equals only itself.
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof TypedArray)) {
            return false;
        }
        TypedArray o = (TypedArray) other;
        if (!isOpen() || !o.isOpen() || o.dtype != dtype || o.length != length) {
            return false;
        }
        for (long i = 0; i < length; i++) {
            if (canonicalBits(i) != o.canonicalBits(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A hash of the typecode and the elements, consistent with {@link #equals}. It changes when the elements change,
     * so do not mutate an array while it is a key of a hash map.
     */
    @Override
    public int hashCode() {
        if (!isOpen()) {
            return System.identityHashCode(this);
        }
        int h = dtype.hashCode();
        for (long i = 0; i < length; i++) {
            h = 31 * h + Long.hashCode(canonicalBits(i));
        }
        return h;
    }

    /**
     * Python's {@code repr}: {@code array('i', [1, 2, 3])}, {@code array('d', [1.0, 2.5])}, {@code array('u', '这是啥')},
     * {@code array('i')} when empty, or {@code array('i') (closed)}.
     */
    @Override
    public String toString() {
        if (!isOpen()) {
            return name() + " (closed)";
        }
        if (length == 0) {
            return name();
        }
        StringBuilder s = new StringBuilder(name().length() + 8 + (int) Math.min(length, 1 << 20) * 4);
        s.append("array('").append(dtype.typecode()).append("', ");
        if (dtype == DType.WCHAR) {
            int[] codePoints = new int[javaArrayLength(length, "elements")];
            block.copyTo(0, codePoints, 0, codePoints.length);
            PyRepr.appendStr(s, codePoints);
            return s.append(')').toString();
        }
        s.append('[');
        for (long i = 0; i < length; i++) {
            if (i > 0) {
                s.append(", ");
            }
            if (dtype.isFloating()) {
                s.append(PyRepr.floatRepr(loadDouble(i)));
            } else if (dtype == DType.ULONG || dtype == DType.ULONGLONG) {
                s.append(Long.toUnsignedString(loadInteger(i)));
            } else {
                s.append(loadInteger(i));
            }
        }
        return s.append("])").toString();
    }

    // ---- lifetime ----------------------------------------------------------------------------------------

    /**
     * Frees the buffer: a standalone array closes its private pool; an array in a pool frees its block now (nothing
     * to do if the pool is already closed). Idempotent. Afterwards every operation except {@link #typecode()},
     * {@link #dtype()}, {@link #itemsize()}, {@link #isOpen()} and {@link #toString()} throws
     * {@link IllegalStateException}, and so do its accessors.
     *
     * @throws IllegalStateException if the array's pool is confined to another thread
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (ownsPool) {
            pool.close();
        } else if (pool.isOpen() && span.isValid()) {
            // Only while the block is still this array's: after a pool.free of it (a user's mistake), another block
            // may have its address, and freeing that one would lose someone else's data.
            pool.free(base);
        }
        closed = true;
        changed();
    }

    // ---- internals ---------------------------------------------------------------------------------------

    /** {@code array('i')}: how messages name this array. */
    private String name() {
        return "array('" + dtype.typecode() + "')";
    }

    /**
     * Throws with this array's own message when it or its pool is closed. Plain reads only, so that element loops
     * stay optimisable: the block accessor's own check behind every read and write is the one that guards memory.
     */
    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(name() + " is closed");
        }
        if (!span.scope().looksOpen()) {
            throw new IllegalStateException(name() + " was freed with its pool: " + pool);
        }
        span.scope().checkThread(); // before append() or resize() changes the length
    }

    private static void checkLength(long n, DType type) {
        Checks.nonNegative(n, "length");
        Checks.byteSize(n, type.itemsize());
    }

    private static void requireUnicode(DType type, String operation) {
        if (type != DType.WCHAR) {
            throw new IllegalArgumentException(operation + " needs a 'u' array, not '" + type.typecode() + "'");
        }
    }

    private static int javaArrayLength(long n, String what) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(n + " " + what + " do not fit a Java array (limit " + (Integer.MAX_VALUE - 8) + ")");
        }
        return (int) n;
    }

    /** Python's index rule: negative counts from the end; then {@code [0, length)}. */
    private long normalize(long index) {
        long i = index < 0 ? index + length : index;
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("index " + index + " out of range for " + name() + " of length " + length);
        }
        return i;
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

    /** Records a change of length or buffer: older leases go stale, iterators fail fast. */
    private void changed() {
        modCount++;
        span.advance(staleness);
    }

    /** Reallocates to exactly {@code newCapacity} elements; the old buffer stays intact on failure. */
    private void reallocate(long newCapacity) {
        long bytes = Checks.byteSize(newCapacity, itemsize);
        span.advance(staleness); // leases of the old buffer say why they ended, not just that it was freed
        long moved = pool.realloc(block.address(), bytes);
        block = pool.block(moved);
        span = Handles.spanOf(block);
        base = moved;
        capacity = newCapacity;
        changed();
    }

    /** Appends {@code count} elements held in a Java array of the element width (or a byte[] of raw bytes). */
    private void appendCarrier(Object carrier, long count) {
        if (count == 0) {
            return;
        }
        long at = length;
        resizeSmart(at + count);
        writeCarrier(at, carrier, count);
    }

    /** Copies {@code count} elements held in a carrier array into elements {@code [at, at + count)}. */
    private void writeCarrier(long at, Object carrier, long count) {
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

    private long checkLong(long value) {
        return dtype.isFloating() ? value : dtype.checkValue(value);
    }

    private void checkDouble(double value) {
        if (!dtype.isFloating()) {
            throw Carriers.notFloating(dtype, value);
        }
    }

    private boolean equalsAt(long i, long value) {
        if (dtype.isFloating()) {
            return loadDouble(i) == (double) value;
        }
        if ((dtype == DType.ULONG || dtype == DType.ULONGLONG) && value < 0) {
            return false; // bit patterns of values >= 2^63 are negative longs, never equal to a negative number
        }
        return loadInteger(i) == value;
    }

    /** Sign-extended raw bits of element {@code i}. */
    private long loadBits(long i) {
        long o = i * itemsize;
        switch (itemsize) {
            case 1: return block.getByte(o);
            case 2: return block.getShort(o);
            case 4: return block.getInt(o);
            default: return block.getLong(o);
        }
    }

    private void storeBits(long i, long bits) {
        long o = i * itemsize;
        switch (itemsize) {
            case 1: block.putByte(o, (byte) bits); break;
            case 2: block.putShort(o, (short) bits); break;
            case 4: block.putInt(o, (int) bits); break;
            default: block.putLong(o, bits); break;
        }
    }

    /** The integer value of element {@code i} (unsigned types zero-extended). */
    private long loadInteger(long i) {
        long b = loadBits(i);
        switch (dtype.typecode()) {
            case 'B': return b & 0xFF;
            case 'H': return b & 0xFFFF;
            case 'I': case 'u': return b & 0xFFFF_FFFFL;
            default: return b;
        }
    }

    private double loadDouble(long i) {
        switch (dtype.typecode()) {
            case 'f': return block.getFloat(i * 4);
            case 'd': return block.getDouble(i * 8);
            case 'L': case 'Q': return unsignedToDouble(loadBits(i));
            default: return loadInteger(i);
        }
    }

    private static double unsignedToDouble(long bits) {
        return bits >= 0 ? bits : ((double) ((bits >>> 1) | (bits & 1))) * 2.0;
    }

    /** Stores an already range-checked integer; floating types convert it. */
    private void storeLong(long i, long value) {
        if (dtype.isFloating()) {
            storeDouble(i, value);
        } else {
            storeBits(i, value);
        }
    }

    private void storeDouble(long i, double value) {
        if (dtype == DType.FLOAT) {
            block.putFloat(i * 4, (float) value);
        } else {
            block.putDouble(i * 8, value);
        }
    }

    /** Element bits for equality and hashing: floating-point NaNs collapse to one pattern, as Double.equals does. */
    private long canonicalBits(long i) {
        switch (dtype.typecode()) {
            case 'f': return Float.floatToIntBits(block.getFloat(i * 4));
            case 'd': return Double.doubleToLongBits(block.getDouble(i * 8));
            default: return loadBits(i);
        }
    }
}
