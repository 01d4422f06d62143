package org.cymem4j;

import java.lang.ref.Reference;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import org.cymem4j.internal.BlockCache;
import org.cymem4j.internal.Budget;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.jni.NativeAllocator;
import org.cymem4j.internal.jni.NativePool;

/**
 * What a pool reports about itself: its counters ({@link Pool#stats}, {@link Pool#liveBytes}) and the copy of its
 * live blocks ({@link Pool#addresses}), each read inside the pool's call bracket so that a concurrent close cannot
 * free the table under the read.
 */
final class PoolSnapshots {
    private PoolSnapshots() {
    }

    /** See {@link Pool#stats}. */
    static PoolStats stats(Pool pool) {
        pool.acquire();
        try {
            long[] s = pool.resource.stats();
            Budget budget = pool.resource.budget();
            return new PoolStats(s[NativePool.STAT_LIVE_BYTES], s[NativePool.STAT_LIVE_BLOCKS],
                    s[NativePool.STAT_PEAK_BYTES], s[NativePool.STAT_TOTAL_ALLOCS], s[NativePool.STAT_TOTAL_FREES],
                    s[NativePool.STAT_FAILED_ALLOCS], budget == null ? -1 : budget.limit(),
                    budget == null ? 0 : budget.reserved());
        } finally {
            pool.release();
            Reference.reachabilityFence(pool);
        }
    }

    /** One counter, {@code NativePool.STAT_*}. */
    static long stat(Pool pool, int index) {
        pool.acquire();
        try {
            return pool.resource.stats()[index];
        } finally {
            pool.release();
            Reference.reachabilityFence(pool);
        }
    }

    /** See {@link Pool#addresses}. */
    static Map<Long, Long> addresses(Pool pool) {
        pool.acquire();
        try {
            return Collections.unmodifiableMap(liveBlocks(pool));
        } finally {
            pool.release();
            Reference.reachabilityFence(pool);
        }
    }

    /**
     * The live blocks, address to size: inside the call bracket, or while closing (the pool is marked closed then,
     * and no call can start).
     */
    static Map<Long, Long> liveBlocks(Pool pool) {
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, pool.resource.stats()[NativePool.STAT_LIVE_BLOCKS]);
        long[] addresses = new long[capacity];
        long[] sizes = new long[capacity];
        int n = (int) Math.min(capacity, NativePool.cym_j_pool_snapshot(settled(pool), addresses, sizes, capacity));
        Map<Long, Long> live = new HashMap<>(Math.max(16, n * 2));
        for (int i = 0; i < n; i++) {
            live.put(addresses[i], sizes[i]);
        }
        return live;
    }

    /**
     * The usable size of a live block as the allocator that made it reports it, or -1 (see Allocator.usableSize):
     * ownership and size asked in one call bracket, so a concurrent close() cannot free the block in between.
     */
    static long usableSize(Pool pool, long address) {
        pool.acquire();
        try {
            liveSize(pool, address, "usableSize");
            long r = NativeAllocator.cym_j_pool_usable_size(pool.handleFor(address), address);
            return r < 0 ? -1 : r; // -CYM_EUNSUPPORTED: the allocator cannot tell
        } finally {
            pool.release();
            Reference.reachabilityFence(pool);
        }
    }

    /** See {@link Pool#owns}. */
    static boolean owns(Pool pool, long address) {
        pool.acquire();
        try {
            return NativePool.cym_j_pool_owns(pool.handleFor(address), address) != 0;
        } finally {
            pool.release();
            Reference.reachabilityFence(pool);
        }
    }

    /** See {@link Pool#sizeOf}. */
    static long sizeOf(Pool pool, long address) {
        pool.acquire();
        try {
            return liveSize(pool, address, "sizeOf");
        } finally {
            pool.release();
            Reference.reachabilityFence(pool);
        }
    }

    /**
     * The handle for a call that looks at every block (a snapshot, the block an address falls in): the block cache's
     * kept blocks given back to C first. Inside the call bracket.
     */
    static long settled(Pool pool) {
        long h = pool.handle();
        pool.resource.settle();
        return h;
    }

    /** The size of a live block; call inside the call bracket. {@code operation} names the call in the message. */
    static long liveSize(Pool pool, long address, String operation) {
        BlockCache c = pool.resource.cache;
        long size = c != null ? c.sizeIfKnown(address) : -1; // a block just handed out: no native call
        if (size < 0) {
            size = NativePool.cym_j_pool_size_of(pool.handleFor(address), address);
        }
        if (size < 0) {
            throw new IllegalArgumentException(operation + "(" + Checks.hex(address) + "): not a live block of "
                    + pool.resource.name());
        }
        return size;
    }
}
