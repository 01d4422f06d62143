package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogRecord;

import org.bytedeco.javacpp.IntPointer;
import org.cymem4j.internal.BlockCache;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.jni.NativePool;
import org.cymem4j.javacpp.PointerViews;
import org.cymem4j.javacpp.PoolPointers;
import org.cymem4j.testing.LogCapture;
import org.cymem4j.view.DLPack;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile review of leases (internal.BlockCache's bump path): every kind of handle and lifetime event over blocks
 * a lease handed out and C does not know yet. Expected values come from a model kept here (class sizes, counters,
 * live sets) or from C asked directly after a settle, never from the cache itself.
 */
class BlockLeaseHostileTest {
    private final LeakDetection levelBefore = Pools.leakDetection();

    @AfterEach
    void restoreLevel() {
        Pools.setLeakDetection(levelBefore);
    }

    private static BlockCache cacheOf(Pool pool) {
        return pool.resource.cache;
    }

    /** The slab class of a request of 1 to 4096 bytes, as ARCHITECTURE's "Small blocks: slabs" describes it. */
    private static long modelClass(long bytes) {
        long c = 16;
        while (c < bytes) {
            c += c < 256 ? 16 : Long.highestOneBit(c) / 4; // 16-byte steps, then four classes per doubling
        }
        return c;
    }

    private static String notLive(Pool pool, String op, long a) {
        return op + "(" + Checks.hex(a) + "): not a live block of " + pool.resource.name()
                + " (foreign, or already freed); nothing was freed";
    }

    private static String inside(Pool pool, String op, long a, long start, long size) {
        return op + "(" + Checks.hex(a) + "): the address is inside block " + Checks.hex(start) + " (" + size
                + " bytes) of " + pool.resource.name() + ", not its start; nothing was freed";
    }

    @Test
    void shouldRevokeBlockViewArrayAndPointerHandlesOverLeasedBlocksOnFree() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 64), b = pool.alloc(1, 64);
            assertEquals(a + 64, b, "a lease's second block");
            assertEquals(2, cacheOf(pool).leaseHanded(), "precondition: not committed");
            Block blk = pool.block(b);
            assertEquals(64, blk.byteSize());
            MemoryView v = MemoryView.of(blk, DType.INT, 16);
            v.putInt(15, 77);
            assertEquals(77, blk.getInt(60));
            pool.free(b);
            assertThrows(IllegalStateException.class, () -> blk.getByte(0), "a freed leased block's Block");
            assertThrows(IllegalStateException.class, () -> v.getInt(15), "a view of it");
            long again = pool.alloc(1, 64);
            assertEquals(b, again, "the kept block is reused");
            assertEquals(0, pool.block(again).getInt(60), "and zeroed");
            assertThrows(IllegalStateException.class, () -> blk.getByte(0), "an invalid span never becomes valid");

            NativeArray arr = NativeArray.allocate(pool, DType.INT, 10); // 40 bytes: a new lease
            long arrAddress = arr.address();
            MemoryView av = arr.view();
            av.putInt(9, 5);
            assertEquals(5, pool.block(arrAddress).getInt(36));
            arr.close();
            assertThrows(IllegalStateException.class, () -> av.getInt(9));
            assertFalse(pool.owns(arrAddress), "the array's block was freed");
            assertThrows(IllegalArgumentException.class, () -> pool.free(arrAddress));
            IntPointer p = PoolPointers.allocInts(pool, 4); // 16 bytes: a lease of its own
            p.put(3, 9);
            assertEquals(9, pool.block(p.address()).getInt(12));
            long pAddress = p.address();
            pool.free(pAddress);
            assertThrows(RuntimeException.class, () -> p.get(3), "a pool pointer over a freed leased block");
            assertFalse(pool.owns(pAddress));
            assertEquals(2, pool.liveBlocks());
            assertEquals(128, pool.liveBytes());
        }
    }

    @Test
    void shouldRevokeHandlesOverLeasedBlocksWhenThePoolCloses() {
        Pool pool = Pool.open();
        long a = pool.alloc(1, 32);
        Block blk = pool.block(a);
        NativeArray arr = NativeArray.allocate(pool, DType.LONG, 4);
        IntPointer p = PoolPointers.allocInts(pool, 8);
        MemoryView pv = PointerViews.of(p, DType.INT, 8);
        assertTrue(cacheOf(pool).leaseHanded() >= 2, "precondition: leased");
        pool.close();
        assertThrows(IllegalStateException.class, () -> blk.getByte(0));
        assertThrows(IllegalStateException.class, () -> arr.view().getLong(0));
        assertThrows(IllegalStateException.class, () -> pv.getInt(0));
        assertThrows(RuntimeException.class, () -> p.get(0));
    }

    @Test
    void shouldGiveAnAddressALeasedBlockAndCountItOnClose() {
        NativeMemoryStats before = Pools.stats();
        Address x = new Address(8, 8);
        assertEquals(1, cacheOf(x.pool).leaseHanded(), "its block came from a lease: its private pool is cached");
        assertEquals(0, x.getLong(56));
        x.putLong(56, -1L);
        assertEquals(64, Allocator.usableSize(x.pool, x.address()));
        assertEquals(before.liveBlocks() + 1, Pools.stats().liveBlocks(), "an open pool's leased block counts as live");
        x.close();
        assertThrows(IllegalStateException.class, () -> x.getLong(56));
        NativeMemoryStats after = Pools.stats();
        assertEquals(before.totalAllocs() + 1, after.totalAllocs(), "the close committed the leased block: one alloc");
        assertEquals(before.totalFrees(), after.totalFrees(), "a destroy's frees are not counted");
        assertEquals(before.liveBlocks(), after.liveBlocks());
    }

    @Test
    void shouldAnswerUsableSizeOfLeasedBlocksAsTheClassSize() {
        long[] sizes = {1, 15, 16, 17, 60, 100, 255, 256, 257, 320, 321, 1000, 2049, 3073, 4095, 4096};
        for (long size : sizes) {
            try (Pool pool = Pool.open()) {
                long a = pool.alloc(1, size), b = pool.alloc(1, size);
                assertEquals(2, cacheOf(pool).leaseHanded(), "precondition: leased, size " + size);
                assertEquals(modelClass(size), b - a, "the lease's stride, size " + size);
                assertEquals(modelClass(size), Allocator.usableSize(pool, b), "usable size of " + size);
                assertEquals(size, pool.sizeOf(b));
                pool.free(a); // kept: freed for the user, live in C
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Allocator.usableSize(pool, a));
                assertEquals("usableSize(" + Checks.hex(a) + "): not a live block of " + pool.resource.name(),
                        e.getMessage());
            }
        }
    }

    @Test
    void shouldReallocLeasedBlocksInPlaceWithinTheClassAndMoveAcross() {
        PoolCounts m = new PoolCounts();
        try (Pool pool = Pool.open()) {
            long a = m.alloc(pool, 1, 60), b = m.alloc(pool, 1, 60), c = m.alloc(pool, 1, 60);
            pool.block(b).fill(0, 60, (byte) 0x5A);
            assertEquals(b, pool.realloc(b, 64), "60 -> 64: the same class, in place");
            m.realloc(b, b, 64);
            m.assertStats(pool, "after the in-place growth");
            assertEquals(0, pool.block(b).getByte(60), "growth zeroed");
            pool.block(b).fill(0, 64, (byte) 0x77);
            assertEquals(b, pool.realloc(b, 49), "64 -> 49: still the 64-byte class");
            m.realloc(b, b, 49);
            assertEquals(b, pool.realloc(b, 64), "and back");
            m.realloc(b, b, 64);
            assertEquals(0x77, pool.block(b).getByte(48) & 0xFF);
            for (int k = 49; k < 64; k++) {
                assertEquals(0, pool.block(b).getByte(k), "byte " + k + " regrown after a shrink must be zero");
            }
            m.assertStats(pool, "after shrink and regrowth");
            long moved = pool.realloc(b, 200);
            assertTrue(moved != b, "60 -> 200: another class");
            m.realloc(b, moved, 200);
            assertEquals(0x77, pool.block(moved).getByte(48) & 0xFF, "the old bytes moved");
            assertEquals(0, pool.block(moved).getByte(199));
            assertFalse(pool.owns(b));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.free(b));
            assertEquals(notLive(pool, "free", b), e.getMessage());
            long small = pool.realloc(c, 8); // a leased block shrunk into another class: moves
            assertTrue(small != c);
            m.realloc(c, small, 8);
            long next = m.alloc(pool, 1, 60);
            assertEquals(c + 64, next, "the lease goes on after its run was committed");
            assertEquals(0, pool.block(next).getByte(59));
            assertEquals(m.live, pool.addresses());
            m.assertStats(pool, "after the moves and addresses()");
        }
    }

    @Test
    void shouldReportAForgottenPoolsLeasedBlocksExactlyWhenTheCleanerFreesIt() throws InterruptedException {
        Pools.setLeakDetection(LeakDetection.DISABLED);
        try (LogCapture log = LogCapture.start()) {
            NativeMemoryStats before = Pools.stats();
            long cleanedBefore = Pools.closedByCleaner();
            forgetAPoolWithLeases(null);
            CleanerTest.awaitCleaner(cleanedBefore);
            assertEquals(cleanedBefore + 1, Pools.closedByCleaner());
            List<String> leaks = log.records().stream().map(LogRecord::getMessage)
                    .filter(s -> s.startsWith("cymem4j leak")).toList();
            assertEquals(1, leaks.size(), leaks.toString());
            assertTrue(leaks.get(0).matches("(?s)cymem4j leak: Pool#\\d+ \\(confined, system allocator, 10 blocks, "
                    + "712 bytes\\); peak 940 bytes, 13 allocs, 3 frees, 0 failed; it became unreachable without "
                    + "close\\(\\) and the Cleaner freed it\\. creation site not recorded.*"), leaks.get(0));
            NativeMemoryStats after = Pools.stats();
            assertEquals(before.totalAllocs() + 13, after.totalAllocs(), "the Cleaner committed the leases");
            assertEquals(before.totalFrees() + 3, after.totalFrees(), "the user's 3 (a destroy's are not counted)");
            assertEquals(before.liveBlocks(), after.liveBlocks());
            assertEquals(before.liveBytes(), after.liveBytes());
        }
    }

    /** 13 allocations from two leases, 3 frees (two kept, one to C): 10 live, 712 bytes, peak 940. */
    private static void forgetAPoolWithLeases(AtomicReference<String> name) {
        Pool pool = name == null ? Pool.open() : sampledPool();
        if (name != null) {
            name.set(pool.resource.name());
        }
        long[] b = new long[13];
        for (int i = 0; i < b.length; i++) {
            b[i] = pool.alloc(1, i < 10 ? 64 : 100);
        }
        assertEquals(13, cacheOf(pool).leaseHanded(), "precondition: nothing committed");
        pool.free(b[3]);
        pool.free(b[7]);
        pool.free(b[10]);
    }

    /** A pool the sampled level records (its site, so its C pool and cache exist at once); others closed. */
    private static Pool sampledPool() {
        for (int i = 0; i < 10 * LeakDetection.SAMPLING_INTERVAL; i++) {
            Pool p = Pool.open();
            if (p.resource.site() != null) {
                return p;
            }
            p.close();
        }
        throw new AssertionError("no pool sampled");
    }

    @Test
    void shouldLeaseInASampledPoolAndReportItsLeakWithItsSite() throws InterruptedException {
        Pools.setLeakDetection(LeakDetection.SAMPLED);
        try (Pool pool = sampledPool()) {
            assertNotNull(cacheOf(pool), "a sampled pool makes its C pool, and with it its cache, at once");
            PoolCounts m = new PoolCounts();
            for (int i = 0; i < 5; i++) {
                long a = m.alloc(pool, 1, 24);
                assertEquals(0, pool.block(a).getByte(23));
            }
            assertEquals(5, cacheOf(pool).leaseHanded());
            m.assertStats(pool, "in a sampled pool");
            assertEquals(m.live, pool.addresses());
        }
        try (LogCapture log = LogCapture.start()) {
            long cleanedBefore = Pools.closedByCleaner();
            AtomicReference<String> name = new AtomicReference<>();
            forgetAPoolWithLeases(name);
            CleanerTest.awaitCleaner(cleanedBefore);
            List<String> leaks = log.records().stream().map(LogRecord::getMessage)
                    .filter(s -> s.startsWith("cymem4j leak: " + name.get() + " ")).toList();
            assertEquals(1, leaks.size(), log.records().toString());
            assertTrue(leaks.get(0).matches("(?s)cymem4j leak: Pool#\\d+ \\(confined, system allocator, 10 blocks, "
                    + "712 bytes\\); peak 940 bytes, 13 allocs, 3 frees, 0 failed; it became unreachable without "
                    + "close\\(\\) and the Cleaner freed it\\. created at:\n.*forgetAPoolWithLeases.*"), leaks.get(0));
        }
    }

    @Test
    void shouldHandAPoolWithOpenLeasesToAnotherThread() throws Exception {
        Pool pool = Pool.open();
        PoolCounts m = new PoolCounts();
        long[] b = new long[5];
        for (int i = 0; i < 5; i++) {
            b[i] = m.alloc(pool, 1, 64);
        }
        long c = m.alloc(pool, 1, 100);
        pool.free(b[2]);
        m.free(b[2]);
        assertEquals(6, cacheOf(pool).leaseHanded(), "precondition: open leases, nothing committed");
        NativeMemoryStats before = Pools.stats();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try (pool) {
                assertEquals(b[2], pool.alloc(1, 64), "the kept block, on the new owner");
                assertEquals(b[4] + 64, pool.alloc(1, 64), "the lease goes on for the new owner");
                assertEquals(c + 112, pool.alloc(1, 100));
                m.alloc(b[2], 64);
                m.alloc(b[4] + 64, 64);
                m.alloc(c + 112, 100);
                pool.free(b[0]);
                m.free(b[0]);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.free(b[0]));
                assertEquals(notLive(pool, "free", b[0]), e.getMessage());
                assertEquals(m.live, pool.addresses());
                m.assertStats(pool, "on the new owner");
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        pool.handoff(worker);
        assertThrows(IllegalStateException.class, () -> pool.alloc(1, 64), "the old owner may not use it");
        worker.start();
        worker.join();
        assertNull(failure.get());
        assertFalse(pool.isOpen());
        NativeMemoryStats after = Pools.stats();
        assertEquals(before.totalAllocs() + 3, after.totalAllocs(), "the worker's allocations, all committed");
        assertEquals(before.totalFrees() + 1, after.totalFrees(), "its one free (a close's are not counted)");
    }

    @Test
    void shouldCommitAndEndTheCacheOnADLPackExportOfALeasedBlock() {
        PoolCounts m = new PoolCounts();
        try (Pool pool = Pool.open()) {
            long a = m.alloc(pool, 16, 8), b = m.alloc(pool, 16, 8), k = m.alloc(pool, 1, 32);
            pool.free(k); // kept
            m.free(k);
            assertEquals(3, cacheOf(pool).leaseHanded());
            MemoryView v = MemoryView.of(pool.block(b), DType.DOUBLE, 16);
            v.putDouble(15, 2.5);
            long tensor = DLPack.toVersioned(v);
            assertNull(cacheOf(pool), "an export ends the cache");
            m.assertC(pool.resource.handle(), "after the export");
            assertEquals(0, NativePool.cym_j_pool_owns(pool.resource.handle(), k), "the kept block went back to C");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.free(b));
            assertTrue(e.getMessage().contains("exported as 1 DLPack tensor"), e.getMessage());
            assertTrue(DLPack.delete(tensor, true));
            pool.free(b);
            m.free(b);
            Set<Long> handed = new HashSet<>(List.of(a));
            for (int i = 0; i < 600; i++) { // C serves the rest of the ended leases' slab
                long x = pool.alloc(16, 8);
                assertTrue(handed.add(x), "a live block handed out again: " + Checks.hex(x));
                assertEquals(0, pool.block(x).getDouble(120));
                m.alloc(x, 128);
            }
            m.assertStats(pool, "after C served the rest");
            m.assertC(pool.resource.handle(), "after C served the rest");
        }
    }

    @Test
    void shouldCommitEverythingBeforeNativeCodeGetsTheHandle() {
        PoolCounts m = new PoolCounts();
        try (Pool pool = Pool.open()) {
            int[] sizes = {64, 100, 17, 32, 4096};
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long a = m.alloc(pool, 1, sizes[i % sizes.length]);
                blocks.add(a);
            }
            for (int i : new int[] {0, 6}) { // kept
                pool.free(blocks.get(i));
                m.free(blocks.get(i));
            }
            long h = pool.nativeHandle();
            assertNull(cacheOf(pool));
            m.assertC(h, "after nativeHandle()");
            assertEquals(0, NativePool.cym_j_pool_owns(h, blocks.get(0)) + NativePool.cym_j_pool_owns(h, blocks.get(6)),
                    "the kept blocks were freed in C");
            assertEquals(blocks.get(2), NativePool.cym_j_pool_find_containing(h, blocks.get(2) + 16));
            long[] addresses = new long[64], sizesOut = new long[64];
            long n = NativePool.cym_j_pool_snapshot(h, addresses, sizesOut, 64);
            Map<Long, Long> snap = new HashMap<>();
            for (int i = 0; i < n; i++) {
                snap.put(addresses[i], sizesOut[i]);
            }
            assertEquals(m.live, snap, "C's snapshot");
            long x = m.alloc(pool, 1, 64);
            assertEquals(1, NativePool.cym_j_pool_owns(h, x), "with no cache, C hands out the next block itself");
            m.assertC(h, "after a C allocation");
            m.assertStats(pool, "after a C allocation");
        }
    }

    @Test
    void shouldAnswerAddressesExactlyMidLease() {
        PoolCounts m = new PoolCounts();
        try (Pool pool = Pool.open()) {
            long prev = 0;
            for (int i = 0; i < 300; i++) {
                long a = pool.alloc(1, 48);
                assertTrue(prev == 0 || a == prev + 48, "addresses() ended or skipped the lease, step " + i);
                m.alloc(prev = a, 48);
                if (i % 3 == 2) { // the previous block freed (kept) and taken again
                    pool.free(a - 48);
                    m.free(a - 48);
                    assertEquals(a - 48, pool.alloc(1, 48));
                    m.alloc(a - 48, 48);
                }
                if (i % 7 == 0) {
                    assertEquals(m.live, pool.addresses(), "addresses() at step " + i);
                    m.assertStats(pool, "after addresses() at step " + i);
                }
            }
        }
    }

    /** Aligned blocks from C between a lease's blocks, and a leased slab emptied in C each round: no overlap. */
    @Test
    void shouldKeepAlignedBlocksAndEmptiedLeasedSlabsApartFromALeasesBlocks() {
        PoolCounts m = new PoolCounts();
        try (Pool pool = Pool.open()) {
            for (int round = 0; round < 60; round++) {
                long al = pool.allocAligned(1, 64, 64);
                assertEquals(0, al % 64);
                m.alloc(al, 64);
                pool.block(al).fill(0, 64, (byte) 0xAA);
                long[] mine = new long[30];
                for (int i = 0; i < mine.length; i++) {
                    mine[i] = m.alloc(pool, 1, 64);
                    assertEquals(0, pool.block(mine[i]).getByte(63), "round " + round + " block " + i);
                    pool.block(mine[i]).fill(0, 64, (byte) (i + 1));
                }
                assertEquals((byte) 0xAA, pool.block(al).getByte(0), "an aligned block overwritten, round " + round);
                assertEquals((byte) 0xAA, pool.block(al).getByte(63));
                for (int i = 0; i < mine.length; i++) {
                    assertEquals(i + 1, pool.block(mine[i]).getByte(0), "round " + round + " block " + i);
                    pool.free(mine[i]);
                    m.free(mine[i]);
                }
                pool.free(al);
                m.free(al);
                assertEquals(Map.of(), pool.addresses(), "round " + round); // the settle empties the leased slab
                m.assertStats(pool, "after round " + round);
                assertEquals(1, NativePool.cym_j_pool_check(pool.resource.handle()));
            }
            m.assertC(pool.nativeHandle(), "at the end");
        }
    }

    /**
     * Many sizes in rotation (seven classes, several sizes sharing a class, both sides of class boundaries), random
     * frees and reallocs, with the counters exact after every step and the live set and C's view every 97th.
     */
    @Test
    void shouldKeepStatsExactOverManySizesInRotation() {
        long[] sizes = {1, 16, 17, 24, 31, 32, 33, 100, 112, 113, 256, 257, 320, 321, 1024, 1025, 4095, 4096};
        Random random = new Random(0x1EA5EL);
        PoolCounts m = new PoolCounts();
        List<Long> order = new ArrayList<>();
        try (Pool pool = Pool.open()) {
            for (int step = 0; step < 6000; step++) {
                int op = random.nextInt(10);
                if (op < 6 || order.isEmpty()) {
                    long size = sizes[(step + random.nextInt(3)) % sizes.length];
                    long a = pool.alloc(1, size);
                    assertEquals(0, pool.block(a).getByte(size - 1), "a new block's last byte");
                    pool.block(a).fill(0, size, (byte) 0xC3);
                    m.alloc(a, size);
                    order.add(a);
                } else if (op < 9) {
                    long a = order.remove(random.nextInt(order.size()));
                    pool.free(a);
                    m.free(a);
                } else {
                    int k = random.nextInt(order.size());
                    long a = order.get(k);
                    long size = sizes[random.nextInt(sizes.length)];
                    long old = m.live.get(a);
                    long r = pool.realloc(a, size);
                    if (modelClass(size) == modelClass(old)) {
                        assertEquals(a, r, old + " -> " + size + ": in place");
                    }
                    if (size > old) {
                        assertEquals(0, pool.block(r).getByte(size - 1), "growth zeroed");
                    }
                    pool.block(r).fill(0, size, (byte) 0xC3);
                    m.realloc(a, r, size);
                    order.set(k, r);
                }
                m.assertStats(pool, "at step " + step);
                if (step % 97 == 0) {
                    assertEquals(m.live, pool.addresses(), "addresses() at step " + step);
                    assertEquals(1, NativePool.cym_j_pool_check(pool.resource.handle()));
                    assertNull(cacheOf(pool).check());
                }
            }
            m.assertC(pool.nativeHandle(), "at the end");
        }
    }

    @Test
    void shouldRefuseDoubleInteriorAndForeignFreesOfLeasedAddressesWithTheLibrarysText() {
        try (Pool pool = Pool.open(); Pool other = Pool.open()) {
            long a = pool.alloc(1, 60);
            long b = pool.alloc(1, 60);
            long c = pool.alloc(1, 60);
            long foreign = other.alloc(1, 60);
            assertEquals(3, cacheOf(pool).leaseHanded());
            IllegalArgumentException e;
            e = assertThrows(IllegalArgumentException.class, () -> pool.free(b + 8));
            assertEquals(inside(pool, "free", b + 8, b, 60), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> pool.free(b + 63));
            assertEquals(notLive(pool, "free", b + 63), e.getMessage(), "the padding past 60 bytes is in no block");
            e = assertThrows(IllegalArgumentException.class, () -> pool.realloc(c + 4, 100));
            assertEquals(inside(pool, "realloc", c + 4, c, 60), e.getMessage());
            long never = c + 64; // the lease's next block, not handed out
            e = assertThrows(IllegalArgumentException.class, () -> pool.free(never));
            assertEquals(notLive(pool, "free", never), e.getMessage());
            assertFalse(pool.owns(never));
            e = assertThrows(IllegalArgumentException.class, () -> pool.free(foreign));
            assertEquals(notLive(pool, "free", foreign), e.getMessage());
            assertTrue(other.owns(foreign), "a foreign free left the other pool's leased block alone");
            pool.free(a); // kept
            e = assertThrows(IllegalArgumentException.class, () -> pool.free(a));
            assertEquals(notLive(pool, "free", a), e.getMessage());
            pool.free(b); // kept again (the settle emptied kept)
            e = assertThrows(IllegalArgumentException.class, () -> pool.free(b + 8));
            assertEquals(notLive(pool, "free", b + 8), e.getMessage(), "inside a freed block is inside no block");
            e = assertThrows(IllegalArgumentException.class, () -> pool.realloc(b, 10));
            assertEquals(notLive(pool, "realloc", b), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> pool.sizeOf(b));
            assertEquals("sizeOf(" + Checks.hex(b) + "): not a live block of " + pool.resource.name(), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> pool.block(b));
            long d = pool.alloc(1, 60);
            assertEquals(c + 64, d, "the lease, after all the refusals, goes on where it was");
            pool.free(d); // kept, never committed: inside it is inside no live block
            e = assertThrows(IllegalArgumentException.class, () -> pool.free(d + 8));
            assertEquals(notLive(pool, "free", d + 8), e.getMessage());
            assertEquals(4, pool.stats().totalAllocs());
            assertEquals(3, pool.stats().totalFrees());
            assertEquals(Map.of(c, 60L), pool.addresses());
        }
    }
}
