package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.cymem4j.internal.BlockCache;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.PoolResource;
import org.cymem4j.internal.jni.NativePool;
import org.junit.jupiter.api.Test;

/**
 * Leases (internal.BlockCache, issue 20's bump path): a confined pool hands out a slab's never-used blocks from Java,
 * and C learns of them only when it must act or answer. Nothing a user can observe differs from blocks C handed
 * out: zero memory, distinct addresses, exact counters, every query and misuse answered as before, the next pool's
 * fresh memory zero. Expected values come from a model kept here or from C asked after a settle.
 */
class BlockLeaseTest {
    private static BlockCache cacheOf(Pool pool) {
        return pool.resource.cache;
    }

    /** C's counters, not adjusted by the cache (no settle). */
    private static long[] cStats(Pool pool) {
        long[] out = new long[NativePool.STAT_COUNT];
        NativePool.cym_j_pool_stats(pool.handle, out);
        return out;
    }

    private static void assertConsistent(Pool pool) {
        assertEquals(1, NativePool.cym_j_pool_check(pool.handle), "C's invariants of the pool");
        BlockCache c = cacheOf(pool);
        if (c != null) {
            assertNull(c.check());
        }
    }

    private static void assertZero(Pool pool, long address, long size) {
        Block b = pool.block(address);
        for (long k = 0; k < size; k++) {
            assertEquals(0, b.getByte(k), "byte " + k + " of a new block of " + size + " at " + Long.toHexString(address));
        }
    }

    @Test
    void shouldHandOutALeasesBlocksWithoutTellingC() {
        try (Pool pool = Pool.open()) {
            long first = pool.alloc(1, 64);
            Set<Long> seen = new HashSet<>(List.of(first));
            for (int i = 1; i < 500; i++) {
                long a = pool.alloc(1, 64);
                assertTrue(seen.add(a), "a block handed out twice");
                assertEquals(first + 64L * i, a, "the lease's blocks, one after another");
            }
            assertEquals(500, cacheOf(pool).leaseHanded());
            assertEquals(0, cStats(pool)[NativePool.STAT_TOTAL_ALLOCS], "C has not been told");
            assertEquals(500, pool.stats().totalAllocs());
            assertEquals(500 * 64, pool.stats().liveBytes());
            assertConsistent(pool);
            assertTrue(pool.owns(first + 64 * 499)); // C asked: committed first
            assertEquals(0, cacheOf(pool).leaseHanded());
            assertEquals(500, cStats(pool)[NativePool.STAT_LIVE_BLOCKS]);
            assertEquals(64, pool.sizeOf(first));
            assertConsistent(pool);
            assertEquals(first + 64 * 500, pool.alloc(1, 64), "the lease goes on after the commit");
            assertEquals(1, cacheOf(pool).leaseHanded());
        }
    }

    @Test
    void shouldZeroEveryBlockAndRenewUsedUpLeases() {
        try (Pool pool = Pool.open()) {
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 5000; i++) { // several slabs' worth: each used-up lease is committed with the next
                long a = pool.alloc(1, 48);
                assertTrue(seen.add(a));
                assertZero(pool, a, 48);
                pool.block(a).fill(0, 48, (byte) 0xEE);
            }
            assertTrue(cacheOf(pool).leaseHanded() < 5000 && cStats(pool)[NativePool.STAT_LIVE_BLOCKS] > 0,
                    "used-up leases were committed");
            assertEquals(5000, pool.liveBlocks());
            assertEquals(5000 * 48, pool.liveBytes());
            assertConsistent(pool);
            assertEquals(5000, pool.addresses().size());
            assertEquals(5000, cStats(pool)[NativePool.STAT_TOTAL_ALLOCS]);
            assertConsistent(pool);
        }
    }

    @Test
    void shouldKeepTheNextPoolsFreshMemoryZero() {
        int[] sizes = {16, 64, 100, 4096};
        for (int round = 0; round < 3; round++) {
            try (Pool pool = Pool.open()) {
                for (int i = 0; i < 2000; i++) {
                    int size = sizes[i % sizes.length];
                    long a = pool.alloc(1, size);
                    assertZero(pool, a, size);
                    pool.block(a).fill(0, size, (byte) 0xFF); // closed dirty: its slabs go to the thread's cache
                }
            }
        }
    }

    @Test
    void shouldAnswerEveryQueryAndMisuseAboutALeasedBlockAsC() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 60);
            long b = pool.alloc(1, 60);
            long neverHanded = b + 64 * 3;
            IllegalArgumentException inside = assertThrows(IllegalArgumentException.class, () -> pool.free(a + 8));
            assertTrue(inside.getMessage().contains("inside block " + Checks.hex(a) + " (60 bytes)"),
                    inside.getMessage());
            IllegalArgumentException never = assertThrows(IllegalArgumentException.class, () -> pool.free(neverHanded));
            assertTrue(never.getMessage().contains("not a live block"), never.getMessage());
            assertFalse(pool.owns(neverHanded));
            pool.free(a);
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> pool.free(a));
            assertTrue(twice.getMessage().contains("already freed"), twice.getMessage());
            long grown = pool.realloc(b, 5000);
            assertEquals(5000, pool.sizeOf(grown));
            assertFalse(pool.owns(b));
            assertEquals(1, pool.liveBlocks());
            assertConsistent(pool);
        }
    }

    @Test
    void shouldFreeLeasedBlocksTheCacheForgotThroughC() {
        try (Pool pool = Pool.open()) {
            long[] blocks = new long[300]; // more than the known table's 64 slots: most frees go to C
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = pool.alloc(1, 32);
            }
            for (long b : blocks) {
                pool.free(b);
                assertConsistent(pool);
            }
            assertEquals(0, pool.liveBlocks());
            assertEquals(300, pool.stats().totalFrees());
            for (long b : blocks) {
                assertThrows(IllegalArgumentException.class, () -> pool.free(b), "a double free");
            }
            assertEquals(Map.of(), pool.addresses());
        }
    }

    @Test
    void shouldLeaseForFourSizesAndLetCServeTheRest() {
        try (Pool pool = Pool.open()) {
            for (int size : new int[] {8, 24, 64, 100}) {
                pool.alloc(1, size);
            }
            assertEquals(4, cacheOf(pool).leaseHanded());
            long fifth = pool.alloc(1, 200);
            assertEquals(1, cStats(pool)[NativePool.STAT_TOTAL_ALLOCS], "no lease slot left: C allocated it");
            assertEquals(200, pool.sizeOf(fifth));
            assertEquals(5, pool.liveBlocks());
            assertConsistent(pool);
        }
    }

    @Test
    void shouldGiveASlotToANewSizeAfterManyRequestsAndLeaseOneSlabPerClass() {
        try (Pool pool = Pool.open()) {
            for (int size : new int[] {8, 24, 64, 100}) {
                pool.alloc(1, size);
            }
            for (int i = 0; i < 63; i++) {
                pool.alloc(1, 200);
            }
            assertEquals(63, cStats(pool)[NativePool.STAT_TOTAL_ALLOCS], "C served each one");
            long leased = pool.alloc(1, 200); // the 64th: a slot is given to it, its old lease committed
            long next = pool.alloc(1, 200);
            assertEquals(leased + 208, next, "the 200-byte class's blocks, one after another");
            assertConsistent(pool);
        }
        try (Pool pool = Pool.open()) {
            long slabs = 0;
            for (int size = 17; size <= 32; size++) { // sixteen sizes of one class: one leased slab, not one each
                pool.alloc(1, size);
                slabs = NativePool.cym_j_pool_slab_count(pool.handle);
            }
            assertEquals(2, slabs, "the first size's lease, and C's slab for the other fifteen");
            assertConsistent(pool);
        }
    }

    /** A long-lived pool whose rounds each leave a few survivors: leases must not take a fresh slab every round. */
    @Test
    void shouldReuseFreedBlocksBeforeLeasingFreshOnes() {
        try (Pool pool = Pool.open()) {
            long[] blocks = new long[200];
            for (int round = 0; round < 1000; round++) {
                for (int i = 0; i < blocks.length; i++) {
                    blocks[i] = pool.alloc(1, 100);
                }
                for (int i = 1; i < blocks.length; i++) {
                    pool.free(blocks[i]);
                }
            }
            assertEquals(1000, pool.liveBlocks());
            // 1000 survivors of 112 bytes fill two slabs; C alone would use a few more for the rounds' churn
            assertTrue(NativePool.cym_j_pool_slab_count(pool.handle) <= 8,
                    NativePool.cym_j_pool_slab_count(pool.handle) + " slabs for 1000 live blocks of 100 bytes");
            assertConsistent(pool);
        }
    }

    @Test
    void shouldGiveCTheOnlyViewOnceNativeCodeHasTheHandle() {
        try (Pool pool = Pool.open()) {
            long[] mine = new long[10];
            for (int i = 0; i < mine.length; i++) {
                mine[i] = pool.alloc(1, 64);
            }
            long handle = pool.nativeHandle();
            assertNull(cacheOf(pool));
            for (long a : mine) {
                assertEquals(1, NativePool.cym_j_pool_owns(handle, a), "committed before native code had the handle");
            }
            Set<Long> all = new HashSet<>();
            for (long a : mine) {
                all.add(a);
            }
            for (int i = 0; i < 2000; i++) { // C serves the rest of the ended lease's slab: never a block of ours
                long a = pool.alloc(1, 64);
                assertTrue(all.add(a));
                assertZero(pool, a, 64);
            }
            assertEquals(1, NativePool.cym_j_pool_check(handle));
        }
    }

    @Test
    void shouldCountLeasedBlocksInTheProcessTotalsAfterClose() {
        long before = Pools.stats().totalAllocs();
        try (Pool pool = Pool.open()) {
            for (int i = 0; i < 100; i++) {
                pool.alloc(1, 40);
            }
        }
        assertTrue(Pools.stats().totalAllocs() - before >= 100, "the close committed the lease's blocks");
    }

    /** Another thread's stats while leases are renewed and committed: totals never fall, live never negative. */
    @Test
    void shouldNeverShowACommitHalfDoneToAnotherThreadsStats() throws Exception {
        AtomicReference<String> bad = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (Pool pool = Pool.open()) {
            pool.free(pool.alloc(1, 8));
            PoolResource resource = pool.resource;
            Thread reader = new Thread(() -> {
                long allocs = 0;
                while (!stop.get()) {
                    long[] s = resource.stats();
                    if (s == null) {
                        return;
                    }
                    if (s[NativePool.STAT_LIVE_BLOCKS] < 0 || s[NativePool.STAT_TOTAL_ALLOCS] < allocs) {
                        bad.compareAndSet(null, Arrays.toString(s) + " after allocs=" + allocs);
                    }
                    allocs = s[NativePool.STAT_TOTAL_ALLOCS];
                }
            });
            reader.start();
            for (int round = 0; round < 20 && bad.get() == null; round++) {
                long[] blocks = new long[3000];
                for (int i = 0; i < blocks.length; i++) {
                    blocks[i] = pool.alloc(1, 16 + 16 * (round % 4));
                }
                for (long b : blocks) {
                    pool.free(b);
                }
            }
            stop.set(true);
            reader.join();
        }
        assertNull(bad.get());
    }

    /** Random work over many sizes and a large live set (leases renewed, blocks forgotten), against a model. */
    @Test
    void shouldMatchAModelThroughRandomWork() {
        int[] sizes = {8, 17, 24, 32, 64, 64, 64, 100, 100, 1000, 4096, 5000}; // 17, 24, 32: one slab class
        try (Pool pool = Pool.open()) {
            PoolModel model = new PoolModel(pool, 20261207_2L, sizes);
            for (int step = 0; step < 30_000; step++) {
                model.step(model.nextOp(), 10); // half allocations: the live set grows, leases are used up
                if (step % 50 == 0) {
                    assertConsistent(pool);
                }
                model.assertStats(step);
            }
            model.assertAddresses();
            assertConsistent(pool);
        }
    }
}
