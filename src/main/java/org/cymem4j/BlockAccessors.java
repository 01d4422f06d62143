package org.cymem4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;

import org.cymem4j.internal.BlockCache;
import org.cymem4j.internal.Lazy;
import org.cymem4j.internal.NativeStatus;
import org.cymem4j.internal.PoolCalls;
import org.cymem4j.internal.jni.NativePool;

/**
 * A pool's {@link Block} accessors, one per live block address, and the protocol that revokes them: a block's
 * accessor dies in the same locked step as the native free or realloc of its block, so that no {@link #block} can
 * size a block at that address between the two. (Revoking after an unlocked free revoked a new block's accessor that
 * another thread had just made at the reused address: PoolContractTest's four-thread shared-pool run.)
 *
 * <p>The map has its own lock, apart from the pool's child list ({@link ChildPools}): an accessor never waits for a
 * child pool to open, nor the other way round. Pools that never made an accessor skip the lock on the hot path
 * ({@link #made}).
 */
final class BlockAccessors {
    /** {@link Pool#accessors}: made by the first call that needs it, one per pool even when two threads race. */
    private static final VarHandle OF_POOL =
            Lazy.field(MethodHandles.lookup(), Pool.class, "accessors", BlockAccessors.class);
    /** How a revoked accessor's message ends: its block was freed (or its pool closed). */
    static final String FREED = "was freed";
    /** How it ends after a realloc, which may have resized the block in place: the old handle ends either way. */
    static final String RESIZED = "was resized by realloc: use the address it returned";

    private final Pool pool;
    // The monitor is this object (package-private, nobody else locks it): one object less per pool.
    /** Accessors handed out per block address, invalidated when the block is freed; made on first use. */
    private Map<Long, Block> accessors; // guarded by this
    /**
     * Set (under the lock) before the first accessor is handed out; never cleared. Lets {@link #free} skip the lock
     * on pools that never made an accessor: taking it cost about 20 ns of a 60 ns alloc+free pair.
     */
    private volatile boolean made;

    private BlockAccessors(Pool pool) {
        this.pool = pool;
    }

    /**
     * The pool's accessors, made on first need (an empty pool's open + close makes none: issue 20). A race between
     * two threads of a shared pool publishes one; the loser's object is dropped before anything used it.
     */
    static BlockAccessors of(Pool pool) {
        BlockAccessors a = pool.accessors;
        return a != null ? a : Lazy.publish(OF_POOL, pool, new BlockAccessors(pool));
    }

    /** Whether an accessor was ever made for a block of {@code pool}: a free then may have one to revoke. */
    static boolean anyMade(Pool pool) {
        BlockAccessors a = pool.accessors;
        return a != null && a.made;
    }

    /** The accessor of a live block, made on first request; call inside the pool's call bracket. */
    Block block(long address) {
        synchronized (this) {
            if (accessors == null) {
                accessors = new HashMap<>();
                made = true; // before the size is read: see revokeIfStale
            }
            long size = PoolSnapshots.liveSize(pool, address, "block");
            return accessors.computeIfAbsent(address, a -> new Block(pool, a, size));
        }
    }

    /** Frees a block through the pool's native call and revokes its accessor in the same step: 0, or a status. */
    int free(long address) {
        if (made) {
            synchronized (this) { // free and revoke in one step against block()
                Block exported = endExports(address);
                int status = nativeFree(address);
                if (status == NativeStatus.OK) {
                    revoke(address, FREED);
                } else if (exported != null) {
                    exported.span.resumeExports();
                }
                return status;
            }
        }
        int status = nativeFree(address);
        if (status == NativeStatus.OK) {
            revokeIfStale(address, FREED);
        }
        return status;
    }

    /** Resizes a block through the pool's native call and revokes the old accessor in the same step, as {@link #free}. */
    long realloc(long address, long newBytes) {
        if (made) {
            synchronized (this) {
                Block exported = endExports(address);
                long r = nativeRealloc(address, newBytes);
                if (r > 0) {
                    revoke(address, RESIZED);
                } else if (exported != null) {
                    exported.span.resumeExports();
                }
                return r;
            }
        }
        long r = nativeRealloc(address, newBytes);
        if (r > 0) {
            revokeIfStale(address, RESIZED);
        }
        return r;
    }

    /** The native free, marked as a native call on the pool's scope (a Java hook may not re-enter). */
    private int nativeFree(long address) {
        BlockCache c = pool.resource.cache;
        if (c != null && c.keep(address)) {
            return NativeStatus.OK; // a block the pool handed out and still had: kept for reuse, C told later
        }
        long r;
        pool.scope.enterNativeCall("free");
        try {
            r = PoolCalls.free(pool.handleFor(address), address);
        } finally {
            pool.scope.exitNativeCall();
        }
        if (r < 0) {
            return (int) r;
        }
        if ((c = pool.resource.cache) != null) {
            c.freed(r);
        }
        return NativeStatus.OK;
    }

    /** The native realloc, marked as {@link #nativeFree} is: the new address, or -status. */
    private long nativeRealloc(long address, long newBytes) {
        BlockCache c = pool.resource.cache;
        long oldBytes = -1;
        boolean known = false; // a known block is a plain one, and so is its resized block: known in turn
        if (c != null) { // the cache counts the pool's live bytes: it needs the old size (known, or asked of C)
            oldBytes = c.sizeIfKnown(address);
            known = oldBytes >= 0;
            if (!known) {
                oldBytes = NativePool.cym_j_pool_size_of(pool.handleFor(address), address);
            }
            c.forget(address); // C decides, and its size changes
        }
        long r;
        pool.scope.enterNativeCall("realloc");
        try {
            r = NativePool.cym_j_pool_realloc(pool.handleFor(address), address, newBytes);
        } finally {
            pool.scope.exitNativeCall();
        }
        if (r > 0 && c != null) {
            c.freed(oldBytes);
            if (known) {
                c.allocated(r, newBytes);
            } else { // maybe aligned (realloc keeps that): never served to a plain allocation
                c.counted(newBytes);
            }
        }
        return r;
    }

    /**
     * Ends the segments exported over the block at {@code address} (JDK 22+) before its native free or realloc: their
     * arena closes with a handshake, so a read in flight on another thread finishes or fails before the memory goes.
     * Exports exist only over blocks with an accessor, so the locked path sees every one. Call under the lock.
     *
     * @return the block's accessor, to resume its exports if the native call fails; or null
     */
    private Block endExports(long address) {
        Block b = accessors == null ? null : accessors.get(address);
        if (b != null) {
            b.span.suspendExports();
        }
        return b;
    }

    /** Invalidates every accessor of {@code a}'s pool (null: none was made); the pool is closing, no call can start. */
    static void revokeAll(BlockAccessors a) {
        if (a == null || !a.made) {
            return;
        }
        synchronized (a) {
            if (a.accessors != null) {
                a.accessors.values().forEach(b -> b.invalidate(FREED));
                a.accessors = null;
            }
        }
    }

    /** Revokes the accessor of a block just freed or moved; call under the lock, in the native call's step. */
    private void revoke(long address, String why) {
        Block b = accessors == null ? null : accessors.remove(address);
        if (b != null) {
            b.invalidate(why);
        }
    }

    /**
     * After a free or realloc made without the lock (the pool had no accessor yet): if {@link #block} made the pool's
     * first accessor meanwhile, it may have sized the block before the free. block() publishes {@code made} before it
     * reads the size and this reads the flag after the native call, so one of them sees the other. Such an accessor
     * is revoked unless it still matches the block living at its address now (a new block there, made by another
     * thread after the free, keeps its accessor).
     */
    private void revokeIfStale(long address, String why) {
        if (!made) {
            return;
        }
        synchronized (this) {
            Block b = accessors == null ? null : accessors.get(address);
            if (b != null && NativePool.cym_j_pool_size_of(pool.handleFor(address), address) != b.byteSize()) {
                accessors.remove(address);
                b.invalidate(why);
            }
        }
    }
}
