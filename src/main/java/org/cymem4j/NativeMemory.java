package org.cymem4j;

import java.nio.ByteBuffer;

import org.cymem4j.internal.Checks;
import org.cymem4j.internal.Exports;
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
public abstract sealed class NativeMemory extends NativeMemoryAccessors permits Address, Block {
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

    NativeMemory(Pool pool, long address, long bytes) {
        super(pool.scope(), address, bytes);
        this.pool = pool;
        this.address = address;
        this.bytes = bytes;
    }

    /** Memory over an existing span (a window of a block, for a typed array's accessors). */
    NativeMemory(Pool pool, Span span) {
        super(span);
        this.pool = pool;
        this.address = span.address();
        this.bytes = span.bytes();
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

    // ---- exports: the same bytes as a ByteBuffer (a MemorySegment: org.cymem4j.view.Segments.asSegment) --------

    /**
     * The memory as a direct {@link ByteBuffer}, checked (JDK 22 and later): native byte order, position 0, capacity
     * {@link #byteSize()}, no copy. It is the buffer of {@link org.cymem4j.view.Segments#asSegment(NativeMemory)}'s
     * segment ({@code MemorySegment.asByteBuffer}), so it ends exactly when that segment does: once the block is
     * freed or reallocated, or its pool (an {@link Address}) is closed, every access through it throws
     * {@link IllegalStateException}, and an access racing that free or close on another thread finishes or fails
     * before the memory is freed. It may be used from any thread while the memory lives. Needs native access
     * ({@code --enable-native-access}), as {@code MemorySegment.reinterpret} does.
     *
     * <pre>{@code
     * try (Pool pool = Pool.open()) {
     *     long p = pool.alloc(2, Integer.BYTES);
     *     ByteBuffer bb = pool.block(p).asByteBuffer();   // capacity 8, native order
     *     bb.putInt(4, 7);                                // pool.block(p).getInt(4) == 7
     *     pool.free(p);
     *     bb.getInt(4);                                   // throws IllegalStateException (already closed)
     * }
     * }</pre>
     *
     * @return a buffer over exactly this memory's bytes
     * @throws IllegalStateException if the memory was freed or its pool closed, or a confined pool is used from
     *     another thread
     * @throws UnsupportedOperationException on JDK 17 to 21 (use {@link #asByteBufferUnchecked()}), or if the memory
     *     is larger than a {@code ByteBuffer} can hold ({@code Integer.MAX_VALUE} bytes)
     */
    public final ByteBuffer asByteBuffer() {
        return Exports.buffer(span, 0, bytes, false, this);
    }

    /**
     * The memory as a plain direct {@link ByteBuffer}, on every JDK: native byte order, position 0, capacity
     * {@link #byteSize()}, no copy, and <b>no check after it is made</b>. A direct buffer cannot be invalidated, so
     * this is an escape hatch, named so as FFM names its restricted methods: the caller must stop using the buffer
     * before the block is freed or reallocated or its pool closed (for an {@link Address}: before it is closed, and
     * keep the {@code Address} reachable), because an access after that reads or writes freed memory and may crash
     * the JVM. Prefer {@link #asByteBuffer()} on JDK 22 and later.
     *
     * <pre>{@code
     * try (Address a = new Address(16, 1)) {
     *     channel.read(a.asByteBufferUnchecked());   // fills the 16 bytes; the buffer is dropped before close()
     * }
     * }</pre>
     *
     * @return an unchecked buffer over exactly this memory's bytes
     * @throws IllegalStateException if the memory was already freed or its pool closed, or a confined pool is used
     *     from another thread (checked once, now)
     * @throws UnsupportedOperationException if the memory is larger than {@code Integer.MAX_VALUE} bytes
     */
    public final ByteBuffer asByteBufferUnchecked() {
        return Exports.unchecked(span, 0, bytes, false);
    }

    /** How messages name this memory, e.g. {@code block 0x7f3a2c000b70 (64 bytes) of Pool#3}. */
    abstract String describe();

    @Override
    public String toString() {
        return describe();
    }
}
