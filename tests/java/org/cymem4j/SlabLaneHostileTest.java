package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.cymem4j.array.TypedArray;
import org.cymem4j.internal.NativeStatus;
import org.cymem4j.internal.PoolResource;
import org.cymem4j.internal.RawPointer;
import org.cymem4j.internal.jni.NativePool;
import org.cymem4j.view.DLPack;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Java lanes (internal.SlabLane) against everything else that may touch the same slabs: frees and allocations a JNI
 * caller makes on the pool's handle from the owner thread, reallocs, a limit set and taken away natively, bad frees
 * (interior, double, stale, another pool's, slab headers), for every named allocator here, with no {@link Block}
 * accessor ever made (so that {@link Pool#free} takes the lane's own path). Checked against a model (addresses,
 * sizes, contents, counters, the peak) and C's invariants ({@code cym_j_pool_check}).
 */
class SlabLaneHostileTest {
    private final Map<Long, long[]> live = new HashMap<>(); // address -> {size, fill}
    private final List<Long> order = new ArrayList<>();
    private final List<Long> dead = new ArrayList<>();
    private long liveBytes, peak, allocs, frees;

    private static ByteBuffer bytes(long address, long size) {
        return new RawPointer(address, Math.max(size, 1)).asByteBuffer();
    }

    private void allocated(long address, long size, int fill) {
        assertTrue(address > 0, "address " + address);
        assertFalse(live.containsKey(address), "a live block's address handed out again: " + Long.toHexString(address));
        ByteBuffer b = bytes(address, size);
        for (int k = 0; k < size; k++) {
            assertEquals(0, b.get(k), "byte " + k + " of a new block of " + size);
        }
        for (int k = 0; k < size; k++) {
            b.put(k, (byte) fill);
        }
        live.put(address, new long[] {size, fill});
        order.add(address);
        dead.remove(address);
        liveBytes += size;
        peak = Math.max(peak, liveBytes);
        allocs++;
    }

    private long[] takeRandom(Random random) {
        long a = order.remove(random.nextInt(order.size()));
        long[] m = live.remove(a);
        ByteBuffer b = bytes(a, m[0]);
        for (int k = 0; k < m[0]; k += 1 + (int) m[0] / 7) {
            assertEquals((byte) m[1], b.get(k), "byte " + k + " of live block " + Long.toHexString(a));
        }
        return new long[] {a, m[0], m[1]};
    }

    private void assertMatches(Pool pool) {
        long[] s = new long[NativePool.STAT_COUNT];
        NativePool.cym_j_pool_stats(pool.handle, s);
        assertEquals(live.size(), s[NativePool.STAT_LIVE_BLOCKS], "live blocks");
        assertEquals(liveBytes, s[NativePool.STAT_LIVE_BYTES], "live bytes");
        assertEquals(peak, s[NativePool.STAT_PEAK_BYTES], "peak bytes");
        assertEquals(allocs, s[NativePool.STAT_TOTAL_ALLOCS], "total allocs");
        assertEquals(frees, s[NativePool.STAT_TOTAL_FREES], "total frees");
        assertEquals(1, NativePool.cym_j_pool_check(pool.handle), "C's invariants of the pool");
    }

    private static long size(Random random) {
        int k = random.nextInt(20);
        return k == 0 ? 4097 + random.nextInt(3000) : k < 4 ? random.nextInt(17) : 16L * (1 + random.nextInt(8))
                + (k < 10 ? 0 : random.nextInt(4097 - 16 * 9));
    }

    @ParameterizedTest
    @ValueSource(strings = {"system", "jemalloc", "mimalloc", "tcmalloc", "mimalloc-heap"})
    void shouldAgreeWithCUnderNativeCallsAndBadFreesWithoutAccessors(String allocator) {
        Random random = new Random(allocator.hashCode());
        try (Pool pool = Pool.open(Allocator.named(allocator)); Pool other = Pool.open(Allocator.named(allocator))) {
            long foreign = other.alloc(1, 64);
            for (int step = 0; step < 12_000; step++) {
                int op = random.nextInt(20);
                if (op < 7 || order.isEmpty()) {
                    long size = size(random);
                    allocated(pool.alloc(1, size), size, 1 + random.nextInt(255));
                } else if (op < 9) { // a JNI caller's allocation (cym_pool_alloc on nativeHandle())
                    long size = size(random);
                    allocated(NativePool.cym_j_pool_alloc(pool.nativeHandle(), 1, size), size, 1 + random.nextInt(255));
                } else if (op < 13) {
                    long[] t = takeRandom(random);
                    pool.free(t[0]);
                    liveBytes -= t[1];
                    frees++;
                    dead.add(t[0]);
                } else if (op < 14) { // a JNI caller's free
                    long[] t = takeRandom(random);
                    assertEquals(NativeStatus.OK, NativePool.cym_j_pool_free(pool.nativeHandle(), t[0]));
                    liveBytes -= t[1];
                    frees++;
                    dead.add(t[0]);
                } else if (op < 16) {
                    long[] t = takeRandom(random);
                    long size = size(random);
                    long moved = random.nextBoolean() ? pool.realloc(t[0], size)
                            : NativePool.cym_j_pool_realloc(pool.nativeHandle(), t[0], size);
                    assertTrue(moved > 0, "realloc: " + moved);
                    ByteBuffer b = bytes(moved, size);
                    for (int j = 0; j < Math.min(size, t[1]); j++) {
                        assertEquals((byte) t[2], b.get(j), "kept byte " + j + " after realloc");
                    }
                    for (int j = (int) t[1]; j < size; j++) {
                        assertEquals(0, b.get(j), "grown byte " + j);
                    }
                    for (int j = 0; j < size; j++) {
                        b.put(j, (byte) t[2]);
                    }
                    liveBytes += size - t[1];
                    peak = Math.max(peak, liveBytes);
                    live.put(moved, new long[] {size, t[2]});
                    order.add(moved);
                    if (moved != t[0]) {
                        dead.add(t[0]);
                    }
                } else if (op < 17) { // a limit set natively and taken away again: C decides meanwhile
                    NativePool.cym_j_pool_set_limit(pool.nativeHandle(), 1L << 40);
                    long size = size(random);
                    allocated(pool.alloc(1, size), size, 1 + random.nextInt(255));
                    if (!order.isEmpty()) {
                        long[] t = takeRandom(random);
                        pool.free(t[0]);
                        liveBytes -= t[1];
                        frees++;
                        dead.add(t[0]);
                    }
                    NativePool.cym_j_pool_set_limit(pool.nativeHandle(), -1);
                } else { // frees that must be refused, changing nothing
                    long bad;
                    int kind = random.nextInt(5);
                    if (kind == 0 && !dead.isEmpty()) {
                        bad = dead.get(random.nextInt(dead.size()));
                    } else if (kind == 1 && !order.isEmpty()) {
                        long a = order.get(random.nextInt(order.size()));
                        bad = a + 1 + random.nextInt(16);
                    } else if (kind == 2 && !order.isEmpty()) {
                        long a = order.get(random.nextInt(order.size()));
                        bad = (a & -(1L << 16)) + random.nextInt(512); // the slab's header (or a table block's page)
                    } else if (kind == 3) {
                        bad = foreign;
                    } else {
                        bad = random.nextLong() | 1;
                    }
                    if (live.containsKey(bad)) {
                        continue;
                    }
                    long b = bad;
                    assertThrows(IllegalArgumentException.class, () -> pool.free(b), Long.toHexString(b));
                    assertTrue(other.owns(foreign));
                }
                if (step % 211 == 0) {
                    assertMatches(pool);
                }
            }
            assertMatches(pool);
            Map<Long, Long> expected = new HashMap<>();
            live.forEach((a, m) -> expected.put(a, m[0]));
            assertEquals(expected, pool.addresses());
            assertTrue(pool.lane.slabsHeld() > 10, "the lane served most size classes: " + pool.lane.slabsHeld());
        }
    }

    @Test
    void shouldServeFromTheLaneAgainOnceANativeLimitIsTakenAway() {
        try (Pool pool = Pool.open()) {
            pastTheFirstBlocks(pool, 4096);
            long handle = pool.nativeHandle();
            NativePool.cym_j_pool_set_limit(handle, 1 << 20); // a JNI caller's limit: C checks every allocation
            pool.free(pool.alloc(1, 64));
            assertEquals(1, pool.lane.slabsHeld(), "no lease of the 64-byte class under a limit");
            NativePool.cym_j_pool_set_limit(handle, -1);
            long a = pool.alloc(1, 64);
            assertEquals(2, pool.lane.slabsHeld(), "no limit any more: the lane leases again");
            pool.free(a);
            assertEquals(1, NativePool.cym_j_pool_check(handle));
        }
    }

    @Test
    void shouldKeepServingAfterAHandoffToAnotherThreadAndBack() throws Exception {
        try (Pool pool = Pool.open()) {
            long[] first = new long[3000]; // over two slabs of 64-byte blocks
            for (int i = 0; i < first.length; i++) {
                first[i] = pool.alloc(1, 64);
                NativePool.cym_j_memset(first[i], 7, 64);
            }
            Thread main = Thread.currentThread();
            long[] second = new long[first.length];
            Throwable[] failure = new Throwable[1];
            Thread worker = new Thread(() -> {
                try {
                    for (int i = 0; i < first.length; i += 2) {
                        pool.free(first[i]);
                    }
                    for (int i = 0; i < second.length; i++) {
                        second[i] = pool.alloc(1, 64);
                        assertEquals(0, bytes(second[i], 64).getLong(56), "a reused block is zeroed");
                    }
                } catch (Throwable t) {
                    failure[0] = t;
                } finally {
                    pool.handoff(main);
                }
            });
            pool.handoff(worker);
            assertThrows(IllegalStateException.class, () -> pool.alloc(1, 64));
            worker.start();
            worker.join();
            if (failure[0] != null) {
                throw new AssertionError(failure[0]);
            }
            for (int i = 1; i < first.length; i += 2) {
                pool.free(first[i]);
            }
            for (long a : second) {
                pool.free(a);
            }
            assertEquals(0, pool.liveBlocks());
            assertEquals(first.length + second.length, pool.stats().totalFrees());
            assertEquals(1, NativePool.cym_j_pool_check(pool.handle));
        }
    }

    @Test
    void shouldCountSmallBlocksInTheProcessTotalOfATrackedPool() {
        Pools.setProcessByteTracking(true);
        try (Pool pool = Pool.open()) {
            long before = PoolResource.processBytes()[0];
            long[] blocks = new long[2000];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = pool.alloc(1, 48);
            }
            assertEquals(48L * blocks.length, PoolResource.processBytes()[0] - before, "process live bytes");
            for (int i = 0; i < blocks.length; i += 2) {
                pool.free(blocks[i]);
            }
            assertEquals(48L * blocks.length / 2, PoolResource.processBytes()[0] - before, "after freeing half");
            assertEquals(0, pool.lane.slabsHeld(), "a tracked pool's blocks all go through C");
        } finally {
            Pools.setProcessByteTracking(false);
        }
    }

    @Test
    void shouldKeepAParentsLaneAndItsChildsLimitApart() {
        try (Pool parent = Pool.open()) {
            pastTheFirstBlocks(parent, 64);
            long a = parent.alloc(1, 64);
            try (Pool child = parent.child(1000)) {
                long b = child.alloc(10, 64);
                assertThrows(NativeOutOfMemoryError.class, () -> child.alloc(1, 512));
                assertThrows(IllegalArgumentException.class, () -> parent.free(b), "a child's block");
                assertThrows(IllegalArgumentException.class, () -> child.free(a), "the parent's block");
                child.free(b);
                assertEquals(0, child.lane.slabsHeld());
                assertEquals(1, NativePool.cym_j_pool_check(child.handle));
            }
            long c = parent.alloc(1, 64);
            parent.free(a);
            parent.free(c);
            assertEquals(1, parent.lane.slabsHeld());
            assertEquals(0, parent.liveBlocks());
            assertEquals(1, NativePool.cym_j_pool_check(parent.handle));
        }
    }

    @Test
    void shouldKeepTypedArraysGrowingThroughLaneSlabsIntact() {
        try (Pool pool = Pool.open()) {
            List<TypedArray> arrays = new ArrayList<>();
            List<Long> small = new ArrayList<>();
            for (int k = 0; k < 40; k++) {
                arrays.add(TypedArray.allocate(pool, DType.LONG, 0));
            }
            for (int v = 0; v < 700; v++) { // each grows from a lane block through every class into the table
                for (int k = 0; k < arrays.size(); k++) {
                    arrays.get(k).append((long) k * 1000 + v);
                }
                small.add(pool.alloc(1, 8 * (1 + v % 40)));
                if (v % 3 == 0) {
                    pool.free(small.remove(small.size() / 2));
                }
            }
            for (int k = 0; k < arrays.size(); k++) {
                TypedArray a = arrays.get(k);
                assertEquals(700, a.length());
                for (int v = 0; v < 700; v++) {
                    assertEquals((long) k * 1000 + v, a.getLong(v), "array " + k + " element " + v);
                }
            }
            assertEquals(1, NativePool.cym_j_pool_check(pool.handle));
            for (TypedArray a : arrays) {
                a.close();
            }
            for (long a : small) {
                pool.free(a);
            }
            assertEquals(0, pool.liveBlocks());
            assertEquals(1, NativePool.cym_j_pool_check(pool.handle));
        }
    }

    @Test
    void shouldLetTheCleanerReleaseAPoolWhoseLaneHoldsSlabs() throws Exception {
        long before = Pools.closedByCleaner();
        openAndForget();
        for (int i = 0; i < 200 && Pools.closedByCleaner() == before; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(Pools.closedByCleaner() > before, "the forgotten pool was released");
        try (Pool pool = Pool.open()) { // the slabs it gave back serve the next pool (the thread's cache)
            long[] blocks = new long[5000];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = pool.alloc(1, 64);
                assertEquals(0, bytes(blocks[i], 64).getLong(0));
            }
            assertEquals(1, NativePool.cym_j_pool_check(pool.handle));
        }
    }

    private static void openAndForget() {
        Pool pool = Pool.open();
        for (int i = 0; i < 5000; i++) {
            NativePool.cym_j_memset(pool.alloc(1, 64), 0x77, 64);
        }
    }

    @Test
    void shouldReportTheClassAsUsableAndZeroAReusedBlockWrittenToItsEnd() {
        try (Pool pool = Pool.open()) {
            long[][] sizes = {{0, 16}, {10, 16}, {100, 112}, {257, 320}, {300, 320}, {1025, 1280}, {4000, 4096}};
            for (long[] c : sizes) {
                long a = pool.alloc(1, c[0]);
                assertEquals(c[1], Allocator.usableSize(pool, a), "usable size of a block of " + c[0]);
                NativePool.cym_j_memset(a, 0xEE, c[1]); // all of it is usable
                pool.free(a);
                assertThrows(IllegalArgumentException.class, () -> Allocator.usableSize(pool, a));
                long b = pool.alloc(1, c[1]); // the same slot again, asked for in full
                assertEquals(a, b, "the freed slot is reused first");
                ByteBuffer bb = bytes(b, c[1]);
                for (int k = 0; k < c[1]; k++) {
                    assertEquals(0, bb.get(k), "byte " + k + " of a reused block of " + c[1]);
                }
                pool.free(b);
            }
            assertEquals(1, NativePool.cym_j_pool_check(pool.handle));
        }
    }

    /**
     * A pool's first small blocks come from C (SlabLane.NATIVE_FIRST): past them, the lane leases on first use. The
     * lane then holds a slab of {@code size}'s class.
     */
    private static void pastTheFirstBlocks(Pool pool, long size) {
        for (int i = 0; i < 32; i++) {
            pool.free(pool.alloc(1, size));
        }
    }

    /** The classes' block sizes (16-byte steps to 256, then four per doubling to 4096: README, "Slab allocation"). */
    private static long[] classSizes() {
        long[] sizes = new long[NativePool.SLAB_CLASSES];
        int n = 0;
        for (long s = 16; s <= 256; s += 16) {
            sizes[n++] = s;
        }
        for (long doubling = 256; doubling < 4096; doubling *= 2) {
            for (int quarter = 1; quarter <= 4; quarter++) {
                sizes[n++] = doubling + doubling / 4 * quarter;
            }
        }
        assertEquals(sizes.length, n);
        return sizes;
    }

    @Test
    void shouldGiveEmptiedSlabsBackAsCDoesOnceEveryBlockIsFreed() {
        Allocator backend = Allocator.named("jemalloc"); // its counter is exact: bytes allocated, no overhead
        long emptied;
        try (Pool pool = Pool.open(backend)) {
            pastTheFirstBlocks(pool, 4096);
            List<Long> blocks = new ArrayList<>();
            for (long size : classSizes()) {
                for (int k = 0; k < 4; k++) {
                    blocks.add(pool.alloc(1, size));
                }
            }
            assertEquals(NativePool.SLAB_CLASSES, pool.lane.slabsHeld());
            for (long a : blocks) {
                pool.free(a);
            }
            assertTrue(pool.lane.slabsHeld() <= 2, "empty slabs the lane keeps: " + pool.lane.slabsHeld());
            assertEquals(1, NativePool.cym_j_pool_check(pool.handle));
            emptied = backend.backendAllocatedBytes();
        }
        // What the empty pool still held is what its close gave back (measured so, other pools' memory stays out):
        // C keeps two empty slabs (CYM_SLAB_KEEP_EMPTY) and the lane at most two of its own, 4 x 64 KiB, where the
        // lane used to keep one per class it had served (32 x 64 KiB) until the pool closed.
        long held = emptied - backend.backendAllocatedBytes();
        assertTrue(held <= 4L * NativePool.SLAB_BYTES, "bytes the empty pool still held: " + held);
        try (Pool pool = Pool.open(backend)) { // and the lane serves every class again
            pastTheFirstBlocks(pool, 4096);
            for (long size : classSizes()) {
                pool.free(pool.alloc(1, size));
            }
            assertEquals(0, pool.liveBlocks());
            assertEquals(NativePool.SLAB_CLASSES + 32, pool.stats().totalFrees()); // and pastTheFirstBlocks' 32
            assertEquals(1, NativePool.cym_j_pool_check(pool.handle));
        }
    }

    @Test
    void shouldFreeALaneSlabWhoseExportedBlockOutlivesThePoolsClose() throws Exception {
        long[] tensor = new long[1];
        long liveBefore = org.cymem4j.internal.jni.NativeDLPack.cym_j_dlpack_live_exports();
        Pool pool = Pool.open();
        long kept = pool.alloc(8, Double.BYTES);
        for (int i = 0; i < 3000; i++) { // more lane slabs of the class, some blocks freed in Java
            long a = pool.alloc(1, 64);
            if (i % 2 == 0) {
                pool.free(a);
            }
        }
        MemoryView view = MemoryView.of(pool.block(kept), DType.DOUBLE, 8);
        pool.block(kept).putDouble(24, 2.5);
        tensor[0] = DLPack.toVersioned(view);
        pool.close(); // the export pins the block: C defers the destroy to the deleter
        Throwable[] failure = new Throwable[1];
        Thread consumer = new Thread(() -> {
            try {
                assertEquals(2.5, bytes(kept, 64).order(java.nio.ByteOrder.nativeOrder()).getDouble(24));
                assertTrue(DLPack.delete(tensor[0], true)); // the deleter on another thread: the pool goes now
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        consumer.start();
        consumer.join();
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        assertEquals(liveBefore, org.cymem4j.internal.jni.NativeDLPack.cym_j_dlpack_live_exports());
        assertThrows(IllegalStateException.class, () -> pool.free(kept));
    }
}
