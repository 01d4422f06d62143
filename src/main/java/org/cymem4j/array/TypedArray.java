package org.cymem4j.array;

import java.util.ConcurrentModificationException;

import org.cymem4j.NativeOutOfMemoryError;
import org.cymem4j.Pool;
import org.cymem4j.view.DType;

/**
 * Python's {@code array.array} as Cython's {@code cpython.array} extends it, over native memory: a compact, resizable,
 * one-dimensional array of one C type (a {@link DType}: typecodes {@code b B h H i I l L q Q f d u}) whose buffer C
 * code can use directly at {@link #address()}.
 *
 * <pre>{@code
 * try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3);
 *      TypedArray c = TypedArray.copyOf(DType.INT, 4, 5, 6)) {
 *     a.view().getInt(0);                  // 1              (Cython: a.data.as_ints[0])
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
 * {@link #allocate(DType, long)} or {@link #copyOf(DType, int...)} owns a private pool confined to the creating
 * thread, and {@link #close()} frees it. An array made by {@link #allocate(Pool, DType, long)} lives in that pool:
 * {@code close()} frees its block early, and closing the pool frees it in any case. Elements past {@link #length()}
 * up to {@link #capacity()} are always zero, so growing the array shows zeros.
 *
 * <h2>Views: Cython's {@code a.data.as_*}</h2>
 * {@link #view()} is a {@link org.cymem4j.view.MemoryView} of the elements in place ({@code a.data.as_ints[i]} is
 * {@code a.view().getInt(i)}), and {@link #view(DType)} the same bytes seen as another type ({@code as_longs} over a
 * {@code d} array, {@code memoryview.cast}). A view, like the iterator, captures the buffer and the length at the time
 * it is made. Any operation that changes the length or may move the buffer ({@code append}, {@code insert},
 * {@code pop}, {@code remove}, {@code resize}, {@code resizeSmart}, {@code extend}, {@code extendBuffer},
 * {@code fromBytes}, {@code fromUnicode}, {@code close}) ends it: a later access throws
 * {@link IllegalStateException} (the iterator: {@link ConcurrentModificationException}) instead of reading memory
 * that a {@code realloc} may have freed. Writes that keep the length ({@code put}, {@code reverse},
 * {@code byteswap}, {@code zero}) keep it valid. Take a new view after a resize, as C code must re-read
 * {@code a.data.as_ints} after {@code resize}.
 *
 * <h2>Values</h2>
 * Integer elements travel as {@code long}, checked against the type's range before anything is written
 * ({@code 300 does not fit 'B' (unsigned char, 0..255)}); unsigned elements are read exactly by {@link #get},
 * {@link #getLong} and {@link #toLongArray()} ({@code L} and {@code Q} as unsigned bit patterns,
 * {@link Long#toUnsignedString}). {@code L} and {@code Q} hold 0..2^64-1 in Java's convention: every {@code long} is
 * the bit pattern of one such value, so {@code append(-1L)} stores 2^64-1 and {@code indexOf}, {@code count} and
 * {@code remove} find values from 2^63 up by that pattern; the narrower unsigned types reject negative values when
 * storing them. Floating-point elements travel
 * as {@code double} ({@code f} rounds to float). {@code u} elements are Unicode code points in a 4-byte
 * {@code wchar_t}, also read and written as one-character strings ({@link #getUnicode}, {@link #putUnicode}).
 *
 * @apiNote Like {@link Pool}, {@code close()} is idempotent. A {@code TypedArray} is not thread-safe (like
 *     {@code java.util.ArrayList}); its pool's confinement rules apply to every access.
 */
public final class TypedArray extends ArrayConversions implements AutoCloseable, Iterable<Number> {
    // The methods are cut by concern into the package-private layers this class inherits (as StringBuilder inherits
    // from AbstractStringBuilder): the buffer, its growth, views and lifetime (ArrayBuffer), element access
    // (ArrayElements), the sequence operations (ArraySequence), conversions, equality and text (ArrayConversions).
    // This file holds creation.

    private TypedArray(DType dtype, Pool pool, boolean ownsPool, long length) {
        super(dtype, pool, ownsPool, length, 1);
    }

    private TypedArray(DType dtype, Pool pool, boolean ownsPool, long length, long alignment) {
        super(dtype, pool, ownsPool, length, alignment);
    }

    /**
     * A zeroed array of {@code length} elements in a private pool, confined to the calling thread.
     *
     * <pre>{@code
     * try (TypedArray a = TypedArray.allocate(DType.DOUBLE, 3)) {   // array('d', [0.0, 0.0, 0.0])
     *     a.putDouble(1, 2.5);
     * }
     * }</pre>
     *
     * @param dtype the element type
     * @param length number of elements
     * @return a new open array of {@code length} zero elements; close it to free its private pool
     * @throws IllegalArgumentException for a negative length or a byte size that overflows
     * @throws NativeOutOfMemoryError if the memory cannot be allocated
     * @throws NullPointerException if {@code dtype} is null
     */
    public static TypedArray allocate(DType dtype, long length) {
        checkLength(length, dtype);
        Pool own = Pool.open();
        try {
            return new TypedArray(dtype, own, true, length);
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
     *     TypedArray a = TypedArray.allocate(pool, DType.INT, 0);
     *     a.extend(1, 2, 3);
     * }                                // a's buffer freed with the pool; a.get(0) now throws
     * }</pre>
     *
     * @param pool the pool whose block holds the buffer
     * @param dtype the element type
     * @param length number of elements
     * @return a new open array of {@code length} zero elements, living in {@code pool}
     * @throws IllegalArgumentException for a negative length or a byte size that overflows
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     * @throws NativeOutOfMemoryError if the memory cannot be allocated
     * @throws NullPointerException if {@code pool} or {@code dtype} is null
     */
    public static TypedArray allocate(Pool pool, DType dtype, long length) {
        if (pool == null) {
            throw new NullPointerException("pool");
        }
        checkLength(length, dtype);
        return new TypedArray(dtype, pool, false, length);
    }

    /**
     * A zeroed array of {@code length} elements in a private pool whose buffer starts at a multiple of
     * {@code alignment} bytes (SIMD loads, {@code O_DIRECT} I/O, cache lines), and keeps it when it grows: every
     * {@code resize}, {@code append}, {@code extend} reallocates to an equally aligned buffer. Served by
     * {@link Pool#allocAligned}. Arrays made from it ({@code copy()}, {@code clone}) are ordinary ones.
     *
     * <pre>{@code
     * try (TypedArray a = TypedArray.allocateAligned(DType.FLOAT, 1000, 64)) {
     *     simdKernel(a.address(), a.length());   // a.address() % 64 == 0, also after a.append(...)
     * }
     * }</pre>
     *
     * @param dtype the element type
     * @param length number of elements
     * @param alignment in bytes: a power of two from 1 to 2^30 (1 GiB)
     * @return a new open array of {@code length} zero elements; close it to free its private pool
     * @throws IllegalArgumentException for a negative length, a byte size that overflows, or a bad alignment (the
     *     message names it)
     * @throws NativeOutOfMemoryError if the memory cannot be allocated
     * @throws NullPointerException if {@code dtype} is null
     */
    public static TypedArray allocateAligned(DType dtype, long length, long alignment) {
        checkLength(length, dtype);
        Pool own = Pool.open();
        try {
            return new TypedArray(dtype, own, true, length, alignment);
        } catch (RuntimeException | Error e) {
            own.close();
            throw e;
        }
    }

    /**
     * A zeroed array of {@code length} elements in {@code pool} whose buffer starts at a multiple of
     * {@code alignment} bytes, and keeps it when it grows, as {@link #allocateAligned(DType, long, long)}.
     *
     * <pre>{@code
     * TypedArray a = TypedArray.allocateAligned(pool, DType.DOUBLE, 0, 4096);   // for O_DIRECT reads
     * }</pre>
     *
     * @param pool the pool whose block holds the buffer
     * @param dtype the element type
     * @param length number of elements
     * @param alignment in bytes: a power of two from 1 to 2^30 (1 GiB)
     * @return a new open array of {@code length} zero elements, living in {@code pool}
     * @throws IllegalArgumentException for a negative length, a byte size that overflows, or a bad alignment
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     * @throws NativeOutOfMemoryError if the memory cannot be allocated
     * @throws NullPointerException if {@code pool} or {@code dtype} is null
     */
    public static TypedArray allocateAligned(Pool pool, DType dtype, long length, long alignment) {
        if (pool == null) {
            throw new NullPointerException("pool");
        }
        checkLength(length, dtype);
        return new TypedArray(dtype, pool, false, length, alignment);
    }

    /**
     * An array holding a copy of {@code values} ({@code array.array('i', [1, 2, 3])}). Integer types check every
     * value against their range; {@code FLOAT} and {@code DOUBLE} store them as floating-point numbers;
     * {@code WCHAR} stores them as code points.
     *
     * <pre>{@code
     * TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3);   // array('i', [1, 2, 3])
     * TypedArray.copyOf(DType.UBYTE, 1, 300);                 // throws: 300 does not fit 'B' (unsigned char, 0..255)
     * }</pre>
     *
     * @param dtype the element type
     * @param values the elements, in order
     * @return a new open array in a private pool, holding {@code values}
     * @throws IllegalArgumentException for a value out of the type's range (nothing is allocated then)
     * @throws NullPointerException if {@code dtype} is null
     */
    public static TypedArray copyOf(DType dtype, int... values) {
        return copyOf(dtype, Carriers.widen(values));
    }

    /**
     * As {@link #copyOf(DType, int...)}, with {@code long} values ({@code q}, {@code Q}, {@code l}, {@code L}).
     *
     * <pre>{@code
     * TypedArray q = TypedArray.copyOf(DType.LONGLONG, Long.MIN_VALUE, 0L);
     * }</pre>
     *
     * @param dtype the element type
     * @param values the elements, in order ({@code L} and {@code Q} as unsigned bit patterns)
     * @return a new open array in a private pool, holding {@code values}
     * @throws IllegalArgumentException for a value out of the type's range (nothing is allocated then)
     * @throws NullPointerException if {@code dtype} is null
     */
    public static TypedArray copyOf(DType dtype, long... values) {
        Object carrier = Carriers.fromLongs(dtype, values, 0, values.length);
        return filled(dtype, carrier, values.length);
    }

    /**
     * As {@link #copyOf(DType, int...)}, with floating-point values; only {@code FLOAT} and {@code DOUBLE} hold them.
     *
     * <pre>{@code
     * TypedArray d = TypedArray.copyOf(DType.DOUBLE, 1.0, 2.5);   // array('d', [1.0, 2.5])
     * }</pre>
     *
     * @param dtype {@link DType#FLOAT} or {@link DType#DOUBLE}
     * @param values the elements, in order
     * @return a new open array in a private pool, holding {@code values}
     * @throws IllegalArgumentException for an integer type (Python's "integer argument expected, got float")
     * @throws NullPointerException if {@code dtype} is null
     */
    public static TypedArray copyOf(DType dtype, double... values) {
        Object carrier = Carriers.fromDoubles(dtype, values);
        return filled(dtype, carrier, values.length);
    }

    /**
     * A {@code u} array holding the code points of {@code text} ({@code array.array('u', "这是啥")}); a surrogate
     * pair becomes one element.
     *
     * <pre>{@code
     * TypedArray b = TypedArray.copyOf(DType.WCHAR, "这是啥");
     * b.getUnicode(0);                                         // "这"
     * }</pre>
     *
     * @param dtype {@link DType#WCHAR}
     * @param text the characters to store, one element per code point
     * @return a new open {@code u} array in a private pool, holding the code points of {@code text}
     * @throws IllegalArgumentException if {@code dtype} is not {@link DType#WCHAR}
     * @throws NullPointerException if {@code dtype} is null
     */
    public static TypedArray copyOf(DType dtype, String text) {
        requireUnicode(dtype);
        int[] codePoints = text.codePoints().toArray();
        return filled(dtype, codePoints, codePoints.length);
    }

    /**
     * Cython's {@code array.clone(template, length, zero)}: a new array of {@code template}'s type with {@code length}
     * elements, in the same place as the template (its pool, or a private pool of its own). This library's memory is
     * always zeroed ({@code calloc}), so the elements are zero whether or not {@code zero} is set; the flag is kept so
     * that ported code reads the same.
     *
     * <pre>{@code
     * try (TypedArray t = TypedArray.copyOf(DType.DOUBLE, 1.5);
     *      TypedArray c = TypedArray.clone(t, 100, true)) {   // array('d', [0.0, ... 100 zeros])
     * }
     * }</pre>
     *
     * @param template the array whose element type and place (pool) the new array takes; its elements are not copied
     * @param length number of elements of the new array
     * @param zero Cython's flag; ignored, the elements are always zero
     * @return a new open array of {@code length} zero elements
     * @throws IllegalArgumentException if {@code length} is negative or its byte size overflows
     * @throws IllegalStateException if the template is closed
     */
    public static TypedArray clone(TypedArray template, long length, boolean zero) {
        template.ensureOpen();
        return template.ownsPool ? allocate(template.dtype, length) : allocate(template.pool, template.dtype, length);
    }

    /**
     * Cython's {@code array.copy(self)}: a new array with the same type and elements, in the same place as this one
     * (its pool, or a private pool of its own). One native copy.
     *
     * <pre>{@code
     * try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2); TypedArray b = a.copy()) {
     *     b.put(0, 9);                  // a is still array('i', [1, 2])
     * }
     * }</pre>
     *
     * @return a new open array with this array's element type and elements
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

    /** A new array in a private pool holding {@code count} already checked values; freed again if the copy fails. */
    private static TypedArray filled(DType dtype, Object carrier, long count) {
        TypedArray a = allocate(dtype, count);
        try {
            a.writeCarrier(0, carrier, count);
            return a;
        } catch (RuntimeException | Error e) {
            a.close();
            throw e;
        }
    }
}
