package org.cymem4j;

import java.lang.ref.Reference;

import org.cymem4j.internal.BlockCache;
import org.cymem4j.internal.Budget;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.Events;
import org.cymem4j.internal.NativeStatus;
import org.cymem4j.internal.PoolCalls;
import org.cymem4j.internal.jni.NativePool;

/**
 * The bodies of {@link Pool#alloc}, {@link Pool#free} and {@link Pool#realloc}: one attempt inside the pool's call
 * bracket, the {@link AllocationListener}'s one retry outside it, and the exception each failure status becomes.
 * The accessor revoke protocol of free and realloc is {@link BlockAccessors}'.
 */
final class PoolAllocation {
    private PoolAllocation() {
    }

    /** See {@link Pool#alloc}. */
    static long alloc(Pool pool, long count, long elemSize) {
        return allocate(pool, count, elemSize, 0);
    }

    /** See {@link Pool#allocAligned}. */
    static long allocAligned(Pool pool, long count, long elemSize, long alignment) {
        if (alignment < 1 || alignment > NativePool.ALIGNMENT_MAX || (alignment & (alignment - 1)) != 0) {
            throw new IllegalArgumentException("alignment must be a power of two from 1 to "
                    + NativePool.ALIGNMENT_MAX + " but was " + alignment);
        }
        long bytes = Checks.byteSize(count, elemSize);
        if (bytes > NativePool.ALIGNED_SIZE_MAX) {
            throw new IllegalArgumentException("count * elemSize of an aligned block must be <= "
                    + NativePool.ALIGNED_SIZE_MAX + " but was " + bytes + " (count=" + count + " elemSize=" + elemSize + ")");
        }
        return allocate(pool, count, elemSize, alignment);
    }

    /** An allocation, {@code alignment} 0 for an ordinary block: the attempt, the listener's retry, the failure. */
    private static long allocate(Pool pool, long count, long elemSize, long alignment) {
        return afterAttempt(pool, tryAlloc(pool, count, elemSize, alignment), count, elemSize, alignment);
    }

    /**
     * The rest of {@link Pool#alloc} after its fast path's one attempt ({@code r}: the address, or -status): the
     * listener's retry, the failure, the large-allocation event.
     */
    static long afterAttempt(Pool pool, long r, long count, long elemSize) {
        return afterAttempt(pool, r, count, elemSize, 0);
    }

    private static long afterAttempt(Pool pool, long r, long count, long elemSize, long alignment) {
        long bytes = Checks.byteSize(count, elemSize);
        if (r <= 0 && retryAfterLimit(pool, r, bytes)) {
            r = tryAlloc(pool, count, elemSize, alignment);
        }
        if (r <= 0) {
            throw failure(pool, r, bytes, "count=" + count + " elemSize=" + elemSize
                    + (alignment > 0 ? " alignment=" + alignment : ""));
        }
        if (bytes >= Events.LARGE_ALLOCATION_BYTES) {
            Events.largeAllocation(pool.resource, bytes, r);
        }
        return r;
    }

    /** One allocation attempt inside the call bracket: the address, or a negative status. */
    private static long tryAlloc(Pool pool, long count, long elemSize, long alignment) {
        pool.acquire();
        try {
            if (pool.scope.mayCallJava()) { // the message is built only where a hook can re-enter: not the hot path
                pool.scope.checkNotInNativeCall((alignment > 0 ? "allocAligned(" : "alloc(") + count + ", " + elemSize
                        + (alignment > 0 ? ", " + alignment : "") + ")");
            }
            long r;
            pool.scope.enterNativeCall("alloc");
            try {
                r = alignment == 0 ? PoolCalls.alloc(pool.handle(), count, elemSize)
                        : NativePool.cym_j_pool_alloc_aligned(pool.handle(), count, elemSize, alignment);
            } finally {
                pool.scope.exitNativeCall();
            }
            if (r > 0 && pool.debug != null) {
                pool.debug.allocated(r);
            }
            BlockCache c = pool.resource.cache;
            if (r > 0 && c != null) { // an aligned block is only counted: a plain alloc must not get it back
                if (alignment == 0) {
                    c.allocated(r, Checks.byteSize(count, elemSize));
                } else {
                    c.counted(Checks.byteSize(count, elemSize));
                }
            }
            return r;
        } finally {
            pool.release();
            Reference.reachabilityFence(pool);
        }
    }

    /**
     * {@link Pool#free}'s common case: a block the pool just handed out kept by its block cache, with no native call
     * (no accessor to revoke: none was ever made). False: {@link #free} does the rest.
     */
    static boolean keep(Pool pool, long address) {
        BlockCache c = pool.resource.cache;
        if (c == null || BlockAccessors.anyMade(pool)) {
            return false;
        }
        pool.acquire();
        try {
            return c.keep(address);
        } finally {
            pool.release();
        }
    }

    /** See {@link Pool#free}. */
    static void free(Pool pool, long address) {
        pool.acquire();
        try {
            if (pool.scope.mayCallJava()) {
                pool.scope.checkNotInNativeCall("free(" + Checks.hex(address) + ")");
            }
            int status = BlockAccessors.of(pool).free(address);
            if (status == -NativeStatus.EBUSY) {
                throw pinned(pool, address, "free");
            }
            if (status != NativeStatus.OK) {
                throw notOwned(pool, address, "free");
            }
            if (pool.debug != null) {
                pool.debug.freed(pool.handle(), address);
            }
        } finally {
            pool.release();
            Reference.reachabilityFence(pool);
        }
    }

    /** See {@link Pool#realloc}. */
    static long realloc(Pool pool, long address, long newBytes) {
        Checks.nonNegative(newBytes, "newBytes");
        long r = tryRealloc(pool, address, newBytes, true);
        if (r <= 0 && !(retryAfterLimit(pool, r, newBytes) && (r = tryRealloc(pool, address, newBytes, false)) > 0)) {
            throw failure(pool, r, newBytes, "realloc of " + Checks.hex(address)
                    + "; the old block is unchanged and still owned");
        }
        if (newBytes >= Events.LARGE_ALLOCATION_BYTES && r > 0) {
            Events.largeAllocation(pool.resource, newBytes, r);
        }
        return r;
    }

    /**
     * One resize attempt inside the call bracket: the new address, or (when {@code listenerMayRetry} and there is a
     * listener) -ELIMIT; every other failure throws. The old block's accessor is revoked as in {@link #free}.
     */
    private static long tryRealloc(Pool pool, long address, long newBytes, boolean listenerMayRetry) {
        pool.acquire();
        try {
            if (pool.scope.mayCallJava()) {
                pool.scope.checkNotInNativeCall("realloc(" + Checks.hex(address) + ", " + newBytes + ")");
            }
            long r = BlockAccessors.of(pool).realloc(address, newBytes);
            if (r == -NativeStatus.ELIMIT && listenerMayRetry && pool.listener != null) {
                return r;
            }
            if (r == -NativeStatus.ENOTOWNED) {
                throw notOwned(pool, address, "realloc");
            }
            if (r == -NativeStatus.EBUSY) {
                throw pinned(pool, address, "realloc");
            }
            if (r == -NativeStatus.EUNSUPPORTED) {
                throw new IllegalArgumentException("address " + Checks.hex(address) + " was adopted by "
                        + pool.resource.name() + " with its own free function and cannot be reallocated");
            }
            if (r <= 0) {
                throw failure(pool, r, newBytes, "realloc of " + Checks.hex(address)
                        + "; the old block is unchanged and still owned");
            }
            if (pool.debug != null) {
                pool.debug.moved(pool.handle(), address, r);
            }
            return r;
        } finally {
            pool.release();
            Reference.reachabilityFence(pool);
        }
    }

    /**
     * Asks the listener, after the limit refused {@code bytes}, whether to retry once. Called outside the call
     * bracket: the listener may free, allocate or close the pool; a retry on a closed pool then throws.
     */
    private static boolean retryAfterLimit(Pool pool, long result, long bytes) {
        AllocationListener listener = pool.listener;
        return result == -NativeStatus.ELIMIT && listener != null && listener.onLimitExceeded(pool, bytes, pool.stats());
    }

    /** A block exported as a DLPack tensor stays where it is until the consumer calls the tensor's deleter. */
    private static IllegalStateException pinned(Pool pool, long address, String operation) {
        return new IllegalStateException(operation + "(" + Checks.hex(address) + "): the block is exported as "
                + org.cymem4j.internal.jni.NativeDLPack.cym_j_pool_pinned(pool.handle(), address) + " DLPack tensor(s) of " + pool.resource.name()
                + " whose deleter has not run; the block is unchanged");
    }

    /** Why {@code address} could not be freed or resized: inside a block, or not the pool's at all. */
    private static RuntimeException notOwned(Pool pool, long address, String operation) {
        long h = PoolSnapshots.settled(pool); // an address inside a kept (freed) block is inside no live block
        long start = NativePool.cym_j_pool_find_containing(h, address);
        if (start > 0 && start != address) {
            return new IllegalArgumentException(operation + "(" + Checks.hex(address) + "): the address is inside "
                    + "block " + Checks.hex(start) + " (" + NativePool.cym_j_pool_size_of(h, start)
                    + " bytes) of " + pool.resource.name() + ", not its start; nothing was freed");
        }
        return new IllegalArgumentException(operation + "(" + Checks.hex(address) + "): not a live block of "
                + pool.resource.name() + " (foreign, or already freed); nothing was freed");
    }

    /** The exception a failed allocation or resize ({@code result} = -status) becomes. */
    private static Error failure(Pool pool, long result, long bytes, String detail) {
        int status = (int) -result;
        if (status == NativeStatus.EOVERFLOW || status == NativeStatus.EINVAL) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes (" + detail + "): "
                    + NativeStatus.text(status));
        }
        long[] s = pool.resource.stats();
        if (s == null) {
            throw pool.scope.closed(); // the listener closed the pool and declined the retry
        }
        // No Budget when the limit was set natively (cym_pool_set_limit on nativeHandle()): use the C limit then.
        Budget budget = pool.resource.budget();
        long limit = budget != null ? budget.limit() : s[NativePool.STAT_LIMIT_BYTES];
        Events.allocationFailed(pool.resource, bytes, s[NativePool.STAT_LIVE_BYTES], limit,
                status == NativeStatus.ELIMIT);
        if (status == NativeStatus.ELIMIT) {
            long reserved = budget != null ? budget.reserved() : 0;
            return new NativeOutOfMemoryError(pool.resource.name() + " limit exceeded: requested " + bytes
                    + " bytes (" + detail + ") with " + s[NativePool.STAT_LIVE_BYTES] + " bytes live"
                    + (reserved > 0 ? ", " + reserved + " bytes reserved by child pools" : "")
                    + " and a limit of " + limit + " bytes", bytes);
        }
        return new NativeOutOfMemoryError("the " + pool.allocatorName() + " allocator could not provide " + bytes
                + " bytes (" + detail + ") for " + pool.resource.name(), bytes);
    }
}
