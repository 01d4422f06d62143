package org.cymem4j.array;

import org.cymem4j.Block;
import org.cymem4j.NativeOutOfMemoryError;
import org.cymem4j.Pool;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.Handles;
import org.cymem4j.internal.MemoryAccess;
import org.cymem4j.internal.Span;
import org.cymem4j.internal.jni.NativePool;
import org.cymem4j.view.DType;

/**
 * The buffer of a {@link TypedArray} and how it grows: its state (block, span, length, capacity), the size queries,
 * Cython's {@code resize}/{@code resize_smart}/{@code extend_buffer}, the raw element loads and stores with the
 * value checks before them, and {@code close}. The bottom layer of the class chain {@code ArrayBuffer <- ArrayElements
 * <- ArraySequence <- ArrayConversions <- TypedArray}, cut by concern as the JDK's {@code StringBuilder} inherits its
 * public methods from a package-private class; only {@link TypedArray} is API.
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
    /** Elements in use, {@code 0 <= length <= capacity}; the bytes from {@code length * itemsize} on are 0. */
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

    /** {@code alignment} 1 is an ordinary block; any other is kept by every realloc (the pool's C realloc keeps it). */
    ArrayBuffer(DType dtype, Pool pool, boolean ownsPool, long length, long alignment) {
        // Python's array module has no bool, float16, complex, big-endian or struct elements
        if (dtype.nativeCode() < 0 || dtype.nativeCode() > DType.DOUBLE.nativeCode()) {
            throw new IllegalArgumentException("a typed array holds the array module's types (b B u h H i I l L q Q f d), "
                    + "not " + dtype.displayName() + "; use a NativeArray for it");
        }
        this.dtype = dtype;
        this.itemsize = dtype.itemsize();
        this.pool = pool;
        this.ownsPool = ownsPool;
        long address = alignment == 1 ? pool.alloc(length, itemsize) : pool.allocAligned(length, itemsize, alignment);
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
        resizeChecked(n);
    }

    /**
     * {@link #resizeSmart} after the caller's own {@link #ensureOpen()}: an append checks the array once, not twice
     * (it is one of the two or three checks an append within capacity costs).
     */
    final void resizeChecked(long n) {
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

    // ---- raw loads and stores (index already checked), value checks ---------------------------------------

    // Element loads and stores enter the buffer's span themselves (not through the Block's accessors), so an
    // append's walk is ArraySequence -> ArrayBuffer -> Span -> MemoryAccess.

    /** Sign-extended raw bits of element {@code i}. */
    final long loadBits(long i) {
        long o = i * itemsize;
        Span s = span;
        s.enter();
        try {
            MemoryAccess m = s.access(o, itemsize);
            switch (itemsize) {
                case 1: return m.getByte(o);
                case 2: return m.getShort(o);
                case 4: return m.getInt(o);
                default: return m.getLong(o);
            }
        } finally {
            s.exit();
        }
    }

    final void storeBits(long i, long bits) {
        long o = i * itemsize;
        Span s = span;
        s.enterWrite();
        try {
            MemoryAccess m = s.access(o, itemsize);
            switch (itemsize) {
                case 1: m.putByte(o, (byte) bits); break;
                case 2: m.putShort(o, (short) bits); break;
                case 4: m.putInt(o, (int) bits); break;
                default: m.putLong(o, bits); break;
            }
        } finally {
            s.exit();
        }
    }

    /** Element {@code i} of an {@code f} or {@code d} array. */
    private double loadFloating(long i) {
        long o = i * itemsize;
        Span s = span;
        s.enter();
        try {
            MemoryAccess m = s.access(o, itemsize);
            return itemsize == 4 ? m.getFloat(o) : m.getDouble(o);
        } finally {
            s.exit();
        }
    }

    /** The integer value of element {@code i} (unsigned types zero-extended). */
    final long loadInteger(long i) {
        long b = loadBits(i);
        switch (dtype.typecode()) {
            case 'B': return b & 0xFF;
            case 'H': return b & 0xFFFF;
            case 'I': case 'u': return b & 0xFFFF_FFFFL;
            default: return b;
        }
    }

    final double loadDouble(long i) {
        switch (dtype.typecode()) {
            case 'f': case 'd': return loadFloating(i);
            case 'L': case 'Q': return unsignedToDouble(loadBits(i));
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
        long o = i * itemsize;
        Span s = span;
        s.enterWrite();
        try {
            MemoryAccess m = s.access(o, itemsize);
            if (itemsize == 4) {
                m.putFloat(o, (float) value);
            } else {
                m.putDouble(o, value);
            }
        } finally {
            s.exit();
        }
    }

    /** Element bits for equality and hashing: floating-point NaNs collapse to one pattern, as Double.equals does. */
    final long canonicalBits(long i) {
        switch (dtype.typecode()) {
            case 'f': return Float.floatToIntBits((float) loadFloating(i));
            case 'd': return Double.doubleToLongBits(loadFloating(i));
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
            throw new IllegalStateException(
                    n + " " + what + " do not fit a Java array (limit " + (Integer.MAX_VALUE - 8) + ")");
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
