package org.cymem4j;

import org.cymem4j.internal.Bulk;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.GuardedPointer;
import org.cymem4j.internal.Handles;
import org.cymem4j.internal.Span;
import org.cymem4j.internal.jni.NativePool;

/**
 * A range of native memory that Java reads and writes by byte offset, with bounds and liveness checks and no
 * JNI call per element: {@link Address} (a block that owns itself) and {@link Block} (a block of a {@link Pool}).
 * Values use the platform's native byte order, so C code sees them as its own {@code int}, {@code double}, ...
 *
 * <pre>{@code
 * try (Pool pool = Pool.open()) {
 *     Block b = pool.block(pool.alloc(4, Double.BYTES));
 *     b.putDouble(8, 2.5);             // element 1
 *     double x = b.getDouble(8);       // 2.5
 *     b.getDouble(32);                 // throws IndexOutOfBoundsException: offset=32 length=8 capacity=32
 * }                                    // block freed here; b.getDouble(0) now throws IllegalStateException
 * }</pre>
 *
 * <p>On a confined pool the liveness check is two field reads. On a shared pool every access takes and releases
 * a use count, so that a concurrent {@code close()} waits for it instead of freeing the memory under it; prefer the
 * bulk {@code copyFrom}/{@code copyTo} methods there. Freeing a block of a shared pool while another thread still
 * accesses it is a race this class does not prevent (as with C's {@code free}).
 */
public abstract sealed class NativeMemory permits Address, Block {
    static {
        // The view and array packages reach spans through this, without a public method on the handles.
        Handles.registerMemory(new Handles.Memory() {
            @Override
            public Span spanOf(Object handle) {
                if (handle instanceof NativeMemory) {
                    return ((NativeMemory) handle).span;
                }
                return handle instanceof GuardedPointer ? ((GuardedPointer) handle).span() : null;
            }

            @Override
            public Object window(Object block, long bytes, Object face) {
                Block b = (Block) block;
                return new Block(b.pool, b.span.window(bytes, face), face);
            }

            @Override
            public void guard(Object block, GuardedPointer pointer) {
                ((Block) block).guard(pointer);
            }
        });
    }

    final Pool pool;
    final long address;
    final long bytes;
    /** The memory and its validity, checked through the pool's scope on every access: the one lifetime core. */
    final Span span;

    NativeMemory(Pool pool, long address, long bytes) {
        this.pool = pool;
        this.address = address;
        this.bytes = bytes;
        this.span = new Span(pool.scope(), address, bytes, this);
    }

    /** Memory over an existing span (a window of a block, for a typed array's accessors). */
    NativeMemory(Pool pool, Span span) {
        this.pool = pool;
        this.address = span.address();
        this.bytes = span.bytes();
        this.span = span;
    }

    /**
     * The address of the first byte, for C code.
     *
     * @return the native address of the memory's first byte
     * @throws IllegalStateException if the memory was freed or its pool closed
     */
    public final long address() {
        span.check();
        return address;
    }

    /**
     * The size in bytes.
     *
     * @return the number of bytes accessors may reach; still answered after the memory is freed
     */
    public final long byteSize() {
        return bytes;
    }

    /**
     * Sets {@code length} bytes from byte {@code offset} to {@code value}, in one native call.
     *
     * @param offset in bytes from the start of the memory
     * @param length the number of bytes to set
     * @param value the byte to store in each of them
     * @throws IndexOutOfBoundsException if the range is outside the memory (nothing is written then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void fill(long offset, long length, byte value) {
        span.enterNative();
        try {
            Checks.bounds(offset, length, bytes);
            NativePool.cym_j_memset(address + offset, value, length);
        } finally {
            span.exitNative();
        }
    }

    /**
     * Copies {@code length} bytes from {@code src} at {@code srcOffset} into this memory at {@code offset}, in one
     * native call; the two ranges may overlap.
     *
     * @param offset in bytes from the start of this memory
     * @param src the memory to copy from (may be this memory)
     * @param srcOffset in bytes from the start of {@code src}
     * @param length the number of bytes to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if either memory was freed, its pool closed, or a confined pool is used from
     *     another thread
     */
    public final void copyFrom(long offset, NativeMemory src, long srcOffset, long length) {
        span.enterNative();
        try {
            src.span.enterNative();
            try {
                Checks.bounds(offset, length, bytes);
                Checks.bounds(srcOffset, length, src.bytes);
                NativePool.cym_j_memmove(address + offset, src.address + srcOffset, length);
            } finally {
                src.span.exitNative();
            }
        } finally {
            span.exitNative();
        }
    }

    /** How messages name this memory, e.g. {@code block 0x7f3a2c000b70 (64 bytes) of Pool#3}. */
    abstract String describe();

    @Override
    public String toString() {
        return describe();
    }

    /**
     * Reads the byte at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @return the byte stored at {@code offset}
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 1 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final byte getByte(long offset) {
        span.enter();
        try {
            return span.access(offset, 1).getByte(offset);
        } finally {
            span.exit();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @param value the byte to store
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 1 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putByte(long offset, byte value) {
        span.enter();
        try {
            span.access(offset, 1).putByte(offset, value);
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} bytes from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @param src the array to copy from
     * @param index the first element of {@code src} to copy
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyFrom(long offset, byte[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 1), offset, index, count, 1, (b, i, n) -> b.put(src, i, n));
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} bytes from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @param dst the array to copy into
     * @param index the first element of {@code dst} to write
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyTo(long offset, byte[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 1), offset, index, count, 1, (b, i, n) -> b.get(dst, i, n));
        } finally {
            span.exit();
        }
    }

    /**
     * Reads the short at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @return the short stored at {@code offset}
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 2 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final short getShort(long offset) {
        span.enter();
        try {
            return span.access(offset, 2).getShort(offset);
        } finally {
            span.exit();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @param value the short to store
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 2 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putShort(long offset, short value) {
        span.enter();
        try {
            span.access(offset, 2).putShort(offset, value);
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} shorts from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @param src the array to copy from
     * @param index the first element of {@code src} to copy
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyFrom(long offset, short[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 2), offset, index, count, 2, (b, i, n) -> b.asShortBuffer().put(src, i, n));
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} shorts from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @param dst the array to copy into
     * @param index the first element of {@code dst} to write
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyTo(long offset, short[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 2), offset, index, count, 2, (b, i, n) -> b.asShortBuffer().get(dst, i, n));
        } finally {
            span.exit();
        }
    }

    /**
     * Reads the char at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @return the char stored at {@code offset}
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 2 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final char getChar(long offset) {
        span.enter();
        try {
            return span.access(offset, 2).getChar(offset);
        } finally {
            span.exit();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @param value the char to store
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 2 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putChar(long offset, char value) {
        span.enter();
        try {
            span.access(offset, 2).putChar(offset, value);
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} chars from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @param src the array to copy from
     * @param index the first element of {@code src} to copy
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyFrom(long offset, char[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 2), offset, index, count, 2, (b, i, n) -> b.asCharBuffer().put(src, i, n));
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} chars from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @param dst the array to copy into
     * @param index the first element of {@code dst} to write
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyTo(long offset, char[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 2), offset, index, count, 2, (b, i, n) -> b.asCharBuffer().get(dst, i, n));
        } finally {
            span.exit();
        }
    }

    /**
     * Reads the int at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @return the int stored at {@code offset}
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 4 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final int getInt(long offset) {
        span.enter();
        try {
            return span.access(offset, 4).getInt(offset);
        } finally {
            span.exit();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @param value the int to store
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 4 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putInt(long offset, int value) {
        span.enter();
        try {
            span.access(offset, 4).putInt(offset, value);
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} ints from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @param src the array to copy from
     * @param index the first element of {@code src} to copy
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyFrom(long offset, int[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 4), offset, index, count, 4, (b, i, n) -> b.asIntBuffer().put(src, i, n));
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} ints from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @param dst the array to copy into
     * @param index the first element of {@code dst} to write
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyTo(long offset, int[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 4), offset, index, count, 4, (b, i, n) -> b.asIntBuffer().get(dst, i, n));
        } finally {
            span.exit();
        }
    }

    /**
     * Reads the long at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @return the long stored at {@code offset}
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 8 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final long getLong(long offset) {
        span.enter();
        try {
            return span.access(offset, 8).getLong(offset);
        } finally {
            span.exit();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @param value the long to store
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 8 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putLong(long offset, long value) {
        span.enter();
        try {
            span.access(offset, 8).putLong(offset, value);
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} longs from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @param src the array to copy from
     * @param index the first element of {@code src} to copy
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyFrom(long offset, long[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 8), offset, index, count, 8, (b, i, n) -> b.asLongBuffer().put(src, i, n));
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} longs from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @param dst the array to copy into
     * @param index the first element of {@code dst} to write
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyTo(long offset, long[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 8), offset, index, count, 8, (b, i, n) -> b.asLongBuffer().get(dst, i, n));
        } finally {
            span.exit();
        }
    }

    /**
     * Reads the float at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @return the float stored at {@code offset}
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 4 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final float getFloat(long offset) {
        span.enter();
        try {
            return span.access(offset, 4).getFloat(offset);
        } finally {
            span.exit();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @param value the float to store
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 4 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putFloat(long offset, float value) {
        span.enter();
        try {
            span.access(offset, 4).putFloat(offset, value);
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} floats from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @param src the array to copy from
     * @param index the first element of {@code src} to copy
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyFrom(long offset, float[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 4), offset, index, count, 4, (b, i, n) -> b.asFloatBuffer().put(src, i, n));
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} floats from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @param dst the array to copy into
     * @param index the first element of {@code dst} to write
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyTo(long offset, float[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 4), offset, index, count, 4, (b, i, n) -> b.asFloatBuffer().get(dst, i, n));
        } finally {
            span.exit();
        }
    }

    /**
     * Reads the double at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @return the double stored at {@code offset}
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 8 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final double getDouble(long offset) {
        span.enter();
        try {
            return span.access(offset, 8).getDouble(offset);
        } finally {
            span.exit();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @param value the double to store
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 8 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putDouble(long offset, double value) {
        span.enter();
        try {
            span.access(offset, 8).putDouble(offset, value);
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} doubles from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @param src the array to copy from
     * @param index the first element of {@code src} to copy
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyFrom(long offset, double[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 8), offset, index, count, 8, (b, i, n) -> b.asDoubleBuffer().put(src, i, n));
        } finally {
            span.exit();
        }
    }

    /**
     * Copies {@code count} doubles from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @param dst the array to copy into
     * @param index the first element of {@code dst} to write
     * @param count the number of elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void copyTo(long offset, double[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        span.enter();
        try {
            Bulk.copy(span.access(offset, (long) count * 8), offset, index, count, 8, (b, i, n) -> b.asDoubleBuffer().get(dst, i, n));
        } finally {
            span.exit();
        }
    }
}
