package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.cymem4j.internal.BlockCache;
import org.cymem4j.internal.jni.NativePool;
import org.cymem4j.view.DLPack;
import org.cymem4j.view.DLPackTensor;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.junit.jupiter.api.Test;

/**
 * The block cache (internal.BlockCache): a confined pool's freed small block serves the next request of its size
 * with no native call, and nothing a user can observe changes: zeroed memory, exact counters and peak, double and
 * foreign frees refused, C's view exact whenever C acts or answers, and the cache gone once native code may act
 * on the pool. Each expected value comes from a model kept here or from C asked directly.
 */
class BlockCacheTest {
    private static BlockCache cacheOf(Pool pool) {
        return pool.resource.cache;
    }

    /** C's invariants and the cache's, read without settling the cache (pool.handle is the field, not handle()). */
    private static void assertConsistent(Pool pool) {
        if (pool.handle == 0) {
            return; // no C pool yet (made on first need): nothing to check
        }
        assertEquals(1, NativePool.cym_j_pool_check(pool.handle), "C's invariants of the pool");
        BlockCache c = cacheOf(pool);
        if (c != null) {
            assertNull(c.check());
        }
    }

    /** C's own counters, not adjusted by the cache. */
    private static long[] cStats(Pool pool) {
        long[] out = new long[NativePool.STAT_COUNT];
        if (pool.handle != 0) { // else no C pool yet: no counts
            NativePool.cym_j_pool_stats(pool.handle, out);
        }
        return out;
    }

    @Test
    void shouldServeAFreedBlockAgainWithoutTellingC() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 64);
            assertNotNull(cacheOf(pool), "a confined pool of the system allocator keeps freed blocks");
            pool.free(a);
            assertEquals(1, cacheOf(pool).kept());
            assertEquals(0, cStats(pool)[NativePool.STAT_LIVE_BLOCKS], "C never saw the block: a lease handed it out");
            assertEquals(1, cacheOf(pool).leaseHanded());
            assertEquals(0, pool.liveBlocks(), "the pool reports it freed");
            for (int i = 0; i < 1000; i++) {
                assertEquals(a, pool.alloc(1, 64), "the kept block serves the request");
                pool.free(a);
            }
            PoolStats s = pool.stats();
            assertEquals(1001, s.totalAllocs());
            assertEquals(1001, s.totalFrees());
            assertEquals(0, s.liveBytes());
            assertEquals(64, s.peakBytes());
            assertEquals(0, cStats(pool)[NativePool.STAT_TOTAL_ALLOCS], "the lease's block and 1000 reuses C never saw");
            assertConsistent(pool);
            assertEquals(Map.of(), pool.addresses()); // a snapshot settles: the lease's block committed, the kept one freed
            long[] c = cStats(pool);
            assertEquals(1001, c[NativePool.STAT_TOTAL_ALLOCS]);
            assertEquals(1001, c[NativePool.STAT_TOTAL_FREES]);
            assertEquals(0, c[NativePool.STAT_LIVE_BLOCKS]);
            assertConsistent(pool);
        }
    }

    @Test
    void shouldZeroEveryReusedBlockOfEverySize() {
        int[] sizes = {1, 7, 8, 9, 63, 64, 100, 1000, 4095, 4096};
        try (Pool pool = Pool.open()) {
            for (int round = 0; round < 3; round++) {
                long[] blocks = new long[sizes.length * 3];
                for (int i = 0; i < blocks.length; i++) {
                    int size = sizes[i % sizes.length];
                    blocks[i] = pool.alloc(1, size);
                    Block block = pool.block(blocks[i]);
                    for (long k = 0; k < size; k++) {
                        assertEquals(0, block.getByte(k), "round " + round + ", size " + size + ", byte " + k);
                    }
                    block.fill(0, size, (byte) 0x7F);
                }
                for (long b : blocks) {
                    pool.free(b);
                }
                assertEquals(16, cacheOf(pool).kept(), "16 of them kept, dirty");
                assertConsistent(pool);
            }
        }
    }

    @Test
    void shouldZeroAReusedBlock() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 100);
            pool.block(a).fill(0, 100, (byte) 0x7F);
            pool.free(a);
            long b = pool.alloc(1, 100);
            assertEquals(a, b);
            Block block = pool.block(b);
            for (long k = 0; k < 100; k++) {
                assertEquals(0, block.getByte(k), "byte " + k);
            }
            assertEquals(100, pool.sizeOf(b));
        }
    }

    @Test
    void shouldServeOnlyTheExactSizeCRecorded() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 64);
            pool.free(a);
            long b = pool.alloc(1, 60); // same slab class, another size: C records 60, so C serves it
            assertEquals(60, pool.sizeOf(b));
            assertEquals(60, pool.liveBytes());
            assertFalse(pool.owns(a) && a != b, "the kept block was given back to C before C answered");
            assertConsistent(pool);
        }
    }

    @Test
    void shouldRefuseADoubleFreeOfAKeptBlock() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 64);
            long other = pool.alloc(1, 64);
            pool.free(a);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.free(a));
            assertTrue(e.getMessage().contains("not a live block"), e.getMessage());
            assertFalse(pool.owns(a));
            assertEquals(1, pool.liveBlocks());
            long c = pool.alloc(1, 64);
            assertNotEquals(other, c, "a live block handed out again");
            pool.free(other);
            pool.free(c);
            assertEquals(0, pool.liveBlocks());
            assertEquals(3, pool.stats().totalFrees());
            assertConsistent(pool);
        }
    }

    /** Every kept block, not only the newest: a second free is refused and the pool's counts stay exact. */
    @Test
    void shouldRefuseADoubleFreeOfEveryKeptBlock() {
        try (Pool pool = Pool.open()) {
            long[] blocks = new long[16];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = pool.alloc(1, 16 + 16 * (i % 4)); // four sizes, so kept blocks of one size interleave
            }
            for (long b : blocks) {
                pool.free(b);
            }
            assertEquals(0, pool.liveBlocks());
            assertTrue(cacheOf(pool).kept() > 1, "several kept");
            for (int i = blocks.length - 1; i >= 0; i--) { // the newest kept first: the search must reach past slot 0
                long b = blocks[i];
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.free(b));
                assertTrue(e.getMessage().contains("not a live block"), e.getMessage());
                assertFalse(pool.owns(b));
            }
            assertEquals(16, pool.stats().totalFrees());
            assertConsistent(pool);
        }
    }

    @Test
    void shouldNameNoBlockForAnAddressInsideAKeptBlock() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 64);
            pool.free(a); // kept
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.free(a + 8));
            assertTrue(e.getMessage().contains("not a live block"), e.getMessage());
        }
    }

    @Test
    void shouldInvalidateABlockHandleWhoseBlockIsKept() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 32);
            Block block = pool.block(a);
            pool.free(a);
            assertThrows(IllegalStateException.class, () -> block.getByte(0));
            assertThrows(IllegalArgumentException.class, () -> pool.block(a), "a kept block is not live");
            assertThrows(IllegalArgumentException.class, () -> pool.sizeOf(a));
        }
    }

    @Test
    void shouldKeepThePeakExactWhenCAllocatesWhileBlocksAreKept() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 64);
            assertTrue(pool.owns(a)); // C asked: the lease's blocks committed, so C knows a
            pool.free(a); // kept: C still counts 64 live bytes
            long b = pool.alloc(1, 5000); // a table block: C allocates it
            assertEquals(5064, cStats(pool)[NativePool.STAT_PEAK_BYTES], "C counted the kept block as live");
            assertEquals(5000, pool.stats().peakBytes(), "the pool's peak is the cache's, exact");
            pool.alloc(1, 64);
            assertEquals(5064, pool.stats().peakBytes());
            pool.free(b);
            assertConsistent(pool);
            pool.nativeHandle();
            assertEquals(5064, cStats(pool)[NativePool.STAT_PEAK_BYTES], "C's peak set to the pool's when settled");
        }
    }

    @Test
    void shouldGiveCTheOnlyViewOnceNativeCodeHasTheHandle() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 64);
            pool.free(a);
            long handle = pool.nativeHandle();
            assertNull(cacheOf(pool), "native code may act on the pool now: no cache");
            assertEquals(0, NativePool.cym_j_pool_owns(handle, a), "C freed the kept block");
            assertEquals(0, cStats(pool)[NativePool.STAT_LIVE_BLOCKS]);
            assertEquals(1, cStats(pool)[NativePool.STAT_TOTAL_FREES]);
            long b = pool.alloc(1, 64);
            pool.free(b);
            assertEquals(0, cStats(pool)[NativePool.STAT_LIVE_BLOCKS], "every free now goes to C");
        }
    }

    @Test
    void shouldLeaveAnExportedBlockPinned() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(8, Double.BYTES);
            long tensor = DLPack.toVersioned(MemoryView.of(pool.block(a), DType.DOUBLE, 8));
            assertNull(cacheOf(pool), "an export ends the cache");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.free(a));
            assertTrue(e.getMessage().contains("exported as 1 DLPack tensor"), e.getMessage());
            try (DLPackTensor back = DLPack.fromVersioned(tensor)) {
                assertEquals(a, back.view().address());
            }
            pool.free(a);
            assertFalse(pool.owns(a));
        }
    }

    @Test
    void shouldCountReuseInTheProcessTotalsAfterClose() {
        long before = Pools.stats().totalAllocs();
        long beforeFrees = Pools.stats().totalFrees();
        try (Pool pool = Pool.open()) {
            for (int i = 0; i < 50; i++) {
                pool.free(pool.alloc(1, 48));
            }
            pool.alloc(1, 48); // live at close: freed by the close, not counted as a free
        }
        // Other tests' pools may run at the same time in this JVM: the totals only grow, by at least ours.
        assertTrue(Pools.stats().totalAllocs() - before >= 51);
        assertTrue(Pools.stats().totalFrees() - beforeFrees >= 50);
    }

    @Test
    void shouldSettleAKeptBlockBeforeC() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 64);
            pool.free(a);
            assertEquals(Map.of(), pool.addresses());
            assertEquals(0, cacheOf(pool).kept(), "the snapshot settled the cache");
            assertEquals(0, cStats(pool)[NativePool.STAT_LIVE_BLOCKS]);
            long b = pool.alloc(1, 64);
            long grown = pool.realloc(b, 5000);
            assertEquals(5000, pool.sizeOf(grown));
            pool.free(grown);
            assertEquals(0, pool.liveBlocks());
            assertConsistent(pool);
        }
    }

    @Test
    void shouldKeepNothingForPoolsWhoseCallsAreNotAllJava() {
        try (Pool shared = Pool.openShared(); Pool perBlock = Pool.builder().perBlockAllocation().open();
                Pool limited = Pool.builder().limit(1 << 20).open();
                Pool debug = Pool.open(Allocator.debug(Allocator.system()))) {
            for (Pool p : new Pool[] {shared, perBlock, limited, debug}) {
                p.free(p.alloc(1, 64));
                assertNull(cacheOf(p), p + " keeps no freed block");
                assertEquals(0, cStats(p)[NativePool.STAT_LIVE_BLOCKS]);
            }
        }
    }

    @Test
    void shouldKeepServingAfterAHandoff() throws InterruptedException {
        Pool pool = Pool.open();
        long a = pool.alloc(1, 64);
        pool.free(a);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                assertEquals(a, pool.alloc(1, 64), "the kept block, seen by the new owner");
                assertEquals(1, pool.liveBlocks());
                pool.close();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        pool.handoff(t);
        t.start();
        t.join();
        assertNull(failure.get());
        assertFalse(pool.isOpen());
    }

    /** Random work on few sizes (so that most allocations reuse), checked against a model after every step. */
    @Test
    void shouldMatchAModelThroughRandomReuse() {
        long served = 0;
        int[] sizes = {8, 24, 64, 64, 64, 64, 100, 100, 4096, 4097, 30000};
        try (Pool pool = Pool.open()) {
            PoolModel model = new PoolModel(pool, 20261207L, sizes);
            for (int step = 0; step < 20_000; step++) {
                int op = model.nextOp();
                if (model.liveCount() > 24 && op < 9) {
                    op += 9; // a small live set, as around a pair-like hot loop: most frees find a known block
                }
                if (op < 9 || model.liveCount() == 0) {
                    long cAllocs = cStats(pool)[NativePool.STAT_TOTAL_ALLOCS];
                    model.alloc();
                    if (cStats(pool)[NativePool.STAT_TOTAL_ALLOCS] == cAllocs) {
                        served++; // C neither allocated nor was settled: a kept or leased block served the request
                    }
                } else {
                    model.step(op, 9);
                }
                assertConsistent(pool);
                model.assertStats(step);
            }
            assertTrue(served > model.allocs() / 4, "kept blocks served " + served + " of " + model.allocs()
                    + " allocations");
        }
    }
}
