package org.cymem4j;

import org.bytedeco.javacpp.Pointer;
import org.cymem4j.internal.Checks;

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
    private Pointer guarded; // a typed pointer made over this block, disarmed with it

    Block(Pool pool, long address, long bytes) {
        super(pool, address, bytes);
    }

    /** The pool that owns this block. */
    public Pool pool() {
        return pool;
    }

    /** Enters a call made through a typed pointer over this block: checks the pool and that the block is live. */
    void enter() {
        pool.acquire();
        if (isInvalidated()) {
            pool.release();
            throw new IllegalStateException(describe() + " was freed");
        }
    }

    /** Leaves a call entered by {@link #enter()}. */
    void exit() {
        pool.release();
    }

    /** Makes {@code pointer} stop working with this block; its address is zeroed then, as a second line of defence. */
    void guard(Pointer pointer) {
        this.guarded = pointer;
    }

    @Override
    void invalidate() {
        super.invalidate();
        if (guarded != null) {
            PoolPointers.disarm(guarded);
        }
    }

    @Override
    String describe() {
        return "block " + Checks.hex(address) + " (" + bytes + " bytes) of " + pool.resourceName();
    }
}
