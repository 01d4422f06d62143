package org.cymem4j.array;

import org.cymem4j.Block;
import org.cymem4j.NativeOutOfMemoryError;
import org.cymem4j.Pool;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.Handles;
import org.cymem4j.internal.Span;
import org.cymem4j.internal.jni.NativePool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;

/**
 * The buffer of a {@link TypedArray} and how it grows: its state (block, span, length, capacity), the size queries,
 * Cython's {@code resize}/{@code resize_smart}/{@code extend_buffer}, the views lent out as windows of the buffer's
 * span, and {@code close}. The bottom layer of the class chain {@code ArrayBuffer <- ArrayElements <- ArraySequence
 * <- ArrayConversions <- TypedArray}, cut by concern as the JDK's {@code StringBuilder} inherits its public methods
 * from a package-private class; only {@link TypedArray} is API.
 *
 * <p>Invariants: {@code 0 <= length <= capacity}; bytes {@code [length * itemsize, capacity * itemsize)} of the
 * block are zero; {@code span} is {@code block}'s span, advanced by every change of length or buffer so that every
 * window lent before it goes stale.
 */
abstract sealed class ArrayBuffer permits ArrayElements {
    final DType dtype;
    final int itemsize;
    final Pool pool;
    /** True when {@link #pool} is this array's private pool, closed with it. */
    final boolean ownsPool;
    /** The current buffer: a block of {@link #pool} of {@code capacity * itemsize} bytes. */
    Block block;
    /**
     * {@link #block}'s span in the lifetime core. Views are windows of it, so a change of length
     * {@linkplain Span#advance advances} it and every older view goes stale; a realloc invalidates it.
     */
    Span span;
    /** The address of {@link #block}, kept so that close() can free it even after its accessor was invalidated. */
    private long base;
    /** Elements in use; {@code 0 <= length <= capacity}. Bytes {@code [length * itemsize, capacity * itemsize)} are 0. */
    long length;
    /** Elements allocated. */
    long capacity;
    /** Bumped by every change of length or buffer, for the iterator's fail-fast check (views use {@link #span}). */
    long modCount;
    /** Why a view went stale, in the message of every access through it afterwards (evaluated then). */
    private final Object staleness = new Object() {
        @Override
        public String toString() {
            return closed ? "is stale: " + name() + " is closed"
                    : "is stale: the array was resized after it was made (length " + length + " now); take a new one";
        }
    };
    private boolean closed;

    ArrayBuffer(DType dtype, Pool pool, boolean ownsPool, long length) {
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

    // ---- description -------------------------------------------------------------------------------------

    /**
     * The typecode, {@code 'i'} for an {@code int} array; a read-only property, the API takes {@link DType}s. Works
     * after close.
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
     * The bytes the elements cover, {@code length() * itemsize()} ({@code a.buffer_info()[1] * a.itemsize}).
     *
     * @return the number of bytes the {@link #length()} elements cover
     * @throws IllegalStateException if the array is closed
     */
    public long byteSize() {
        ensureOpen();
        return length * itemsize;
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
     * The address of element 0, for C code ({@code a.data.as_voidptr}); {@code byteSize()} bytes are valid there. It
     * changes when a resize moves the buffer.
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

    // ---- growth: Cython's cpython.array C operations -------------------------------------------------------

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
        long start = block.address();
        long used = length * itemsize;
        // A source inside our own buffer must be re-read at its offset: the growth below may move the buffer.
        long selfOffset = address >= start && address - start < capacity * itemsize ? address - start : -1;
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
     * Sets every element to zero ({@code array.zero}), in one native {@code memset}. Views stay valid.
     *
     * @throws IllegalStateException if the array is closed
     */
    public void zero() {
        ensureOpen();
        block.fill(0, length * itemsize, (byte) 0);
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

    /** A view of {@code count} elements of {@code as} over a window of the buffer's span: stale once the array changes. */
    private MemoryView window(DType as, long count) {
        Block window = (Block) Handles.window(block, count * as.itemsize(), "this view of " + name());
        return MemoryView.of(window, as, count);
    }

    // ---- lifetime ----------------------------------------------------------------------------------------

    /**
     * Frees the buffer: a standalone array closes its private pool; an array in a pool frees its block now (nothing
     * to do if the pool is already closed). Idempotent. Afterwards every operation except {@link #typecode()},
     * {@link #dtype()}, {@link #itemsize()}, {@link #isOpen()} and {@link TypedArray#toString()} throws
     * {@link IllegalStateException}, and so does every view of it.
     *
     * @throws IllegalStateException if the array's pool is confined to another thread
     */
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
    final String name() {
        return "array('" + dtype.typecode() + "')";
    }

    /**
     * Throws with this array's own message when it or its pool is closed. Plain reads only, so that element loops
     * stay optimisable: the block accessor's own check behind every read and write is the one that guards memory.
     */
    final void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(name() + " is closed");
        }
        if (!span.scope().looksOpen()) {
            throw new IllegalStateException(name() + " was freed with its pool: " + pool);
        }
        span.scope().checkThread(); // before append() or resize() changes the length
    }

    static void checkLength(long n, DType type) {
        Checks.nonNegative(n, "length");
        Checks.byteSize(n, type.itemsize());
    }

    /** {@code n} as a Java array length, or an exception naming {@code what} when it is too long for one. */
    static int javaArrayLength(long n, String what) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(n + " " + what + " do not fit a Java array (limit " + (Integer.MAX_VALUE - 8) + ")");
        }
        return (int) n;
    }

    /** Records a change of length or buffer: older views go stale, iterators fail fast. */
    final void changed() {
        modCount++;
        span.advance(staleness);
    }

    /** Reallocates to exactly {@code newCapacity} elements; the old buffer stays intact on failure. */
    private void reallocate(long newCapacity) {
        long bytes = Checks.byteSize(newCapacity, itemsize);
        span.advance(staleness); // views of the old buffer say why they ended, not just that it was freed
        long moved = pool.realloc(block.address(), bytes);
        block = pool.block(moved);
        span = Handles.spanOf(block);
        base = moved;
        capacity = newCapacity;
        changed();
    }
}
