package org.cymem4j.array;

import java.util.Objects;

import org.cymem4j.NativeMemory;
import org.cymem4j.internal.BufferLease;
import org.cymem4j.view.DType;

/**
 * A typed accessor over a {@link TypedArray}'s buffer: Cython's {@code a.data.as_ints} and its family, made safe.
 * Each accessor reads one C type, checks every index against the length it was made with, and reads the memory in
 * place (no copy, no JNI call per element). It is a lease: once the array changes its length or buffer (append,
 * resize, extend, ...) or is closed, every call throws {@link IllegalStateException}, so it never reads memory a
 * {@code realloc} freed. Take a new accessor after such a change.
 *
 * <pre>{@code
 * try (TypedArray a = TypedArray.of('i', 1, 2, 3)) {
 *     IntElements ints = a.asInts();
 *     ints.set(0, ints.get(1) + ints.get(2));   // array('i', [5, 2, 3])
 *     a.append(4);
 *     ints.get(0);                              // throws IllegalStateException: ... stale ...
 *     a.asInts().get(3);                        // 4
 * }
 * }</pre>
 */
public abstract sealed class Elements permits ByteElements, UByteElements, ShortElements, UShortElements, IntElements, UIntElements, LongElements, ULongElements, FloatElements, DoubleElements, UnicodeElements {
    private final BufferLease lease;
    /** A window of the array's buffer: its every accessor checks the lease (the lifetime core's window span). */
    final NativeMemory memory;
    private final long length;
    private final int width;

    Elements(BufferLease lease) {
        this.lease = lease;
        this.memory = (NativeMemory) lease.memory();
        this.length = lease.length();
        this.width = lease.dtype().itemsize();
    }

    /**
     * The number of elements this accessor covers.
     *
     * @return the number of elements this accessor covers
     */
    public final long length() {
        return length;
    }

    /**
     * The C type this accessor reads ({@link DType#INT} for {@link IntElements}).
     *
     * @return the C type this accessor reads ({@link DType#INT} for {@link IntElements})
     */
    public final DType dtype() {
        return lease.dtype();
    }

    /** Checks the index; returns the element's byte offset. The memory access that follows checks the lease. */
    final long offset(long index) {
        return Objects.checkIndex(index, length) * width;
    }

    /** Checks the lease; returns the length as a Java array length. */
    final int javaLength() {
        lease.span().check();
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(length + " elements do not fit a Java array (limit " + (Integer.MAX_VALUE - 8) + ")");
        }
        return (int) length;
    }

    /** {@code IntElements of array('i'), 3 elements}. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + " of " + lease.ownerName() + ", " + length + " elements";
    }
}
