package org.cymem4j;

import org.cymem4j.internal.Checks;
import org.cymem4j.internal.MemoryAccess;
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
    final Pool pool;
    final long address;
    final long bytes;
    private MemoryAccess access;
    /**
     * Set when the block is freed or moved through its pool. Plain, so that element loops can hoist the check (a
     * volatile read per element cost 5x on a sum of doubles): it is written inside the pool's acquire/release
     * bracket or by close(), and every reader enters that bracket first, so a confined pool's owner sees its own
     * writes (or the previous owner's, through the handoff) and a shared pool's use count orders writer and reader.
     */
    private boolean freed;

    NativeMemory(Pool pool, long address, long bytes) {
        this.pool = pool;
        this.address = address;
        this.bytes = bytes;
    }

    /**
     * The address of the first byte, for C code.
     *
     * @throws IllegalStateException if the memory was freed or its pool closed
     */
    public final long address() {
        pool.acquire();
        try {
            checkNotFreed();
            return address;
        } finally {
            pool.release();
        }
    }

    /** The size in bytes. */
    public final long bytes() {
        return bytes;
    }

    /** Marks the memory as gone: every later access throws. */
    void invalidate() {
        freed = true;
    }

    final boolean isInvalidated() {
        return freed;
    }

    private void checkNotFreed() {
        if (freed) {
            throw new IllegalStateException(describe() + " was freed");
        }
    }

    /** Checks liveness and bounds, then gives the accessor; call between {@code pool.acquire()} and {@code release()}. */
    private MemoryAccess access(long offset, long length) {
        checkNotFreed();
        Checks.bounds(offset, length, bytes);
        MemoryAccess a = access;
        if (a == null) {
            a = new MemoryAccess(address, bytes);
            access = a;
        }
        return a;
    }

    /**
     * Sets {@code length} bytes from byte {@code offset} to {@code value}, in one native call.
     *
     * @throws IndexOutOfBoundsException if the range is outside the memory (nothing is written then)
     */
    public final void fill(long offset, long length, byte value) {
        pool.acquire();
        try {
            access(offset, length);
            NativePool.cym_j_memset(address + offset, value, length);
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code length} bytes from {@code src} at {@code srcOffset} into this memory at {@code offset}, in one
     * native call; the two ranges may overlap.
     *
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyFrom(long offset, NativeMemory src, long srcOffset, long length) {
        pool.acquire();
        try {
            src.pool.acquire();
            try {
                access(offset, length);
                src.access(srcOffset, length);
                NativePool.cym_j_memmove(address + offset, src.address + srcOffset, length);
            } finally {
                src.pool.release();
            }
        } finally {
            pool.release();
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
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 1 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final byte getByte(long offset) {
        pool.acquire();
        try {
            return access(offset, 1).getByte(offset);
        } finally {
            pool.release();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 1 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putByte(long offset, byte value) {
        pool.acquire();
        try {
            access(offset, 1).putByte(offset, value);
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} bytes from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyFrom(long offset, byte[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        pool.acquire();
        try {
            access(offset, (long) count * 1).bulk(offset, index, count, 1, (b, i, n) -> b.put(src, i, n));
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} bytes from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyTo(long offset, byte[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        pool.acquire();
        try {
            access(offset, (long) count * 1).bulk(offset, index, count, 1, (b, i, n) -> b.get(dst, i, n));
        } finally {
            pool.release();
        }
    }

    /**
     * Reads the short at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 2 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final short getShort(long offset) {
        pool.acquire();
        try {
            return access(offset, 2).getShort(offset);
        } finally {
            pool.release();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 2 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putShort(long offset, short value) {
        pool.acquire();
        try {
            access(offset, 2).putShort(offset, value);
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} shorts from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyFrom(long offset, short[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        pool.acquire();
        try {
            access(offset, (long) count * 2).bulk(offset, index, count, 2, (b, i, n) -> b.asShortBuffer().put(src, i, n));
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} shorts from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyTo(long offset, short[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        pool.acquire();
        try {
            access(offset, (long) count * 2).bulk(offset, index, count, 2, (b, i, n) -> b.asShortBuffer().get(dst, i, n));
        } finally {
            pool.release();
        }
    }

    /**
     * Reads the char at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 2 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final char getChar(long offset) {
        pool.acquire();
        try {
            return access(offset, 2).getChar(offset);
        } finally {
            pool.release();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 2 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putChar(long offset, char value) {
        pool.acquire();
        try {
            access(offset, 2).putChar(offset, value);
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} chars from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyFrom(long offset, char[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        pool.acquire();
        try {
            access(offset, (long) count * 2).bulk(offset, index, count, 2, (b, i, n) -> b.asCharBuffer().put(src, i, n));
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} chars from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyTo(long offset, char[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        pool.acquire();
        try {
            access(offset, (long) count * 2).bulk(offset, index, count, 2, (b, i, n) -> b.asCharBuffer().get(dst, i, n));
        } finally {
            pool.release();
        }
    }

    /**
     * Reads the int at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 4 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final int getInt(long offset) {
        pool.acquire();
        try {
            return access(offset, 4).getInt(offset);
        } finally {
            pool.release();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 4 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putInt(long offset, int value) {
        pool.acquire();
        try {
            access(offset, 4).putInt(offset, value);
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} ints from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyFrom(long offset, int[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        pool.acquire();
        try {
            access(offset, (long) count * 4).bulk(offset, index, count, 4, (b, i, n) -> b.asIntBuffer().put(src, i, n));
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} ints from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyTo(long offset, int[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        pool.acquire();
        try {
            access(offset, (long) count * 4).bulk(offset, index, count, 4, (b, i, n) -> b.asIntBuffer().get(dst, i, n));
        } finally {
            pool.release();
        }
    }

    /**
     * Reads the long at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 8 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final long getLong(long offset) {
        pool.acquire();
        try {
            return access(offset, 8).getLong(offset);
        } finally {
            pool.release();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 8 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putLong(long offset, long value) {
        pool.acquire();
        try {
            access(offset, 8).putLong(offset, value);
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} longs from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyFrom(long offset, long[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        pool.acquire();
        try {
            access(offset, (long) count * 8).bulk(offset, index, count, 8, (b, i, n) -> b.asLongBuffer().put(src, i, n));
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} longs from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyTo(long offset, long[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        pool.acquire();
        try {
            access(offset, (long) count * 8).bulk(offset, index, count, 8, (b, i, n) -> b.asLongBuffer().get(dst, i, n));
        } finally {
            pool.release();
        }
    }

    /**
     * Reads the float at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 4 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final float getFloat(long offset) {
        pool.acquire();
        try {
            return access(offset, 4).getFloat(offset);
        } finally {
            pool.release();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 4 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putFloat(long offset, float value) {
        pool.acquire();
        try {
            access(offset, 4).putFloat(offset, value);
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} floats from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyFrom(long offset, float[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        pool.acquire();
        try {
            access(offset, (long) count * 4).bulk(offset, index, count, 4, (b, i, n) -> b.asFloatBuffer().put(src, i, n));
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} floats from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyTo(long offset, float[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        pool.acquire();
        try {
            access(offset, (long) count * 4).bulk(offset, index, count, 4, (b, i, n) -> b.asFloatBuffer().get(dst, i, n));
        } finally {
            pool.release();
        }
    }

    /**
     * Reads the double at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 8 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final double getDouble(long offset) {
        pool.acquire();
        try {
            return access(offset, 8).getDouble(offset);
        } finally {
            pool.release();
        }
    }

    /**
     * Writes {@code value} at byte {@code offset} (native byte order).
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if {@code offset < 0} or {@code offset + 8 > bytes()}
     * @throws IllegalStateException if the memory was freed, its pool closed, or a confined pool is used from another thread
     */
    public final void putDouble(long offset, double value) {
        pool.acquire();
        try {
            access(offset, 8).putDouble(offset, value);
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} doubles from {@code src[index ...]} into this memory at byte {@code offset}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyFrom(long offset, double[] src, int index, int count) {
        Checks.arrayRange(index, count, src.length);
        pool.acquire();
        try {
            access(offset, (long) count * 8).bulk(offset, index, count, 8, (b, i, n) -> b.asDoubleBuffer().put(src, i, n));
        } finally {
            pool.release();
        }
    }

    /**
     * Copies {@code count} doubles from this memory at byte {@code offset} into {@code dst[index ...]}.
     *
     * @param offset in bytes from the start of the memory
     * @throws IndexOutOfBoundsException if either range is out of bounds (nothing is copied then)
     */
    public final void copyTo(long offset, double[] dst, int index, int count) {
        Checks.arrayRange(index, count, dst.length);
        pool.acquire();
        try {
            access(offset, (long) count * 8).bulk(offset, index, count, 8, (b, i, n) -> b.asDoubleBuffer().get(dst, i, n));
        } finally {
            pool.release();
        }
    }
}
