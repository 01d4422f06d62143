package org.cymem4j;

import org.cymem4j.internal.Checks;
import org.cymem4j.internal.GuardedPointer;
import org.cymem4j.internal.Span;

/**
 * Java access to one block of a {@link Pool}, by byte offset: see {@link NativeMemory} for the accessors. The pool
 * owns the memory; the accessor only checks, on every call, that the pool is open (and, for a confined pool, used
 * from its thread) and that the block has not been freed or reallocated.
 *
 * <pre>{@code
 * try (Pool pool = Pool.open()) {
 *     long p = pool.alloc(2, Long.BYTES);
 *     Block b = pool.block(p);
 *     b.putLong(8, -1L);
 *     pool.free(p);
 *     b.getLong(8);            // throws IllegalStateException: block 0x... (16 bytes) of Pool#1 was freed
 * }
 * }</pre>
 */
public final class Block extends NativeMemory {
    private GuardedPointer guarded; // a typed pointer made over this block, disarmed with it
    /** What messages call a window ({@code array('i')}), or null for a whole block. */
    private final Object windowFace;

    Block(Pool pool, long address, long bytes) {
        super(pool, address, bytes);
        this.windowFace = null;
    }

    /** A window over the start of {@code parent}, for a typed array's buffer (see {@link Span#window}). */
    Block(Pool pool, Span window, Object face) {
        super(pool, window);
        this.windowFace = face;
    }

    /**
     * The pool that owns this block.
     *
     * @return the owning pool, open or closed
     */
    public Pool pool() {
        return pool;
    }

    /** Makes {@code pointer} stop working with this block; its address is zeroed then, as a second line of defence. */
    void guard(GuardedPointer pointer) {
        this.guarded = pointer;
    }

    /**
     * Marks the block as freed or resized through its pool: every later access throws, its message ending in
     * {@code why} ({@link BlockAccessors#FREED} or {@link BlockAccessors#RESIZED}).
     */
    void invalidate(String why) {
        span.invalidate(why);
        if (guarded != null) {
            guarded.disarm();
        }
    }

    @Override
    String describe() {
        return windowFace != null ? String.valueOf(windowFace)
                : "block " + Checks.hex(address) + " (" + bytes + " bytes) of " + pool.scope().name();
    }
}
