package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.cymem4j.internal.PoolResource;
import org.cymem4j.internal.jni.NativePool;
import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile review of the block cache (internal.BlockCache): each test is a scenario whose observable result must be
 * the same as with {@code -Dcymem4j.blockCache=false} (every free and allocation in C).
 */
class BlockCacheHostileTest {

    /** A LargeAllocation JFR event per allocation at or above the threshold, also for a block the cache serves. */
    @Test
    void shouldRecordALargeAllocationEventForAReusedBlock(@TempDir Path dir) throws Exception {
        for (String cache : List.of("false", "true")) {
            ChildJvm.Result r = ChildJvm.run(BlockCacheLargeEventMain.class,
                    List.of("-Dcymem4j.jfr.largeAllocationBytes=64", "-Dcymem4j.blockCache=" + cache), Map.of(),
                    null, dir);
            assertEquals("events=3", r.out(), "blockCache=" + cache + ": " + r.err());
        }
    }

    /** BlockCacheOracleMain's scenarios print the same with the cache as without it (every call in C). */
    @Test
    void shouldShowTheSameResultsAsWithoutTheCache(@TempDir Path dir) throws Exception {
        ChildJvm.Result oracle = ChildJvm.run(BlockCacheOracleMain.class, List.of("-Dcymem4j.blockCache=false"),
                Map.of(), null, dir);
        assertEquals(0, oracle.exit(), oracle.err());
        ChildJvm.Result cached = ChildJvm.run(BlockCacheOracleMain.class, List.of(), Map.of(), null, dir);
        assertEquals(oracle.out(), cached.out(), cached.err());
    }

    /**
     * A freed aligned block is not handed to a plain allocation: that block would keep its alignment, so its
     * realloc would always move and its usable size would be the aligned allocation's, not the slab class's.
     */
    @Test
    void shouldNotServeAFreedAlignedBlockToAPlainAllocation() {
        try (Pool pool = Pool.open()) {
            long p = pool.allocAligned(1, 64, 4096);
            pool.free(p);
            long q = pool.alloc(1, 64);
            assertEquals(1, NativePool.cym_j_pool_alignment_of(pool.handleFor(q), q), "a plain block");
            assertEquals(64, Allocator.usableSize(pool, q), "a 64-byte slab block");
            assertEquals(q, pool.realloc(q, 60), "same size class: resized in place");
            long a = pool.realloc(pool.allocAligned(1, 32, 4096), 48); // realloc keeps the alignment
            pool.free(a);
            long b = pool.alloc(1, 48);
            assertEquals(1, NativePool.cym_j_pool_alignment_of(pool.handleFor(b), b),
                    "a plain block, not the resized one");
        }
    }

    /**
     * Another thread's reads of a confined pool's counters (Pools.stats, leak listings: PoolResource.stats) while
     * the owner settles the cache: never negative live blocks, never falling totals.
     */
    @Test
    void shouldNeverShowHalfASettleToAnotherThreadsStats() throws Exception {
        AtomicReference<String> bad = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (Pool pool = Pool.open()) {
            pool.free(pool.alloc(1, 8)); // the C pool exists
            PoolResource resource = pool.resource;
            Thread reader = new Thread(() -> {
                long allocs = 0;
                long frees = 0;
                while (!stop.get()) {
                    long[] s = resource.stats();
                    if (s == null) {
                        return;
                    }
                    if (s[NativePool.STAT_LIVE_BLOCKS] < 0 || s[NativePool.STAT_TOTAL_ALLOCS] < allocs
                            || s[NativePool.STAT_TOTAL_FREES] < frees) {
                        bad.compareAndSet(null, Arrays.toString(s) + " after allocs=" + allocs + " frees=" + frees);
                    }
                    allocs = s[NativePool.STAT_TOTAL_ALLOCS];
                    frees = s[NativePool.STAT_TOTAL_FREES];
                }
            });
            reader.start();
            long[] blocks = new long[16];
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (bad.get() == null && System.nanoTime() < end) {
                for (int i = 0; i < blocks.length; i++) {
                    blocks[i] = pool.alloc(1, 64);
                }
                for (long b : blocks) {
                    pool.free(b);
                }
                pool.owns(blocks[0]); // a kept block: the cache is settled
            }
            stop.set(true);
            reader.join();
        }
        assertNull(bad.get());
    }
}
