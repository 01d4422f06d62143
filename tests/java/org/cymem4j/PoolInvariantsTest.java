package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.cymem4j.internal.jni.NativePool;
import org.cymem4j.view.DLPack;
import org.cymem4j.view.DLPackTensor;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.junit.jupiter.api.Test;

/**
 * Random work on a pool (slab and table blocks, frees, reallocs across classes, double and interior frees) checked
 * against a model kept here (addresses, sizes, contents, counters, the exact peak) and against C's own invariants
 * ({@code cym_j_pool_check}: the table's, the slabs' and the peak's) after every step, through the public API.
 */
class PoolInvariantsTest {
    /** The model: live block -> (size, fill byte). */
    private final Map<Long, long[]> live = new HashMap<>();
    private long liveBytes, peak, allocs, frees;

    private static void assertValid(Pool pool) {
        assertEquals(1, NativePool.cym_j_pool_check(pool.handle), "C's invariants of the pool");
    }

    private void assertMatches(Pool pool) {
        PoolStats s = pool.stats();
        assertEquals(live.size(), s.liveBlocks(), "live blocks");
        assertEquals(liveBytes, s.liveBytes(), "live bytes");
        assertEquals(peak, s.peakBytes(), "peak bytes");
        assertEquals(allocs, s.totalAllocs(), "total allocs");
        assertEquals(frees, s.totalFrees(), "total frees");
        assertValid(pool);
    }

    private long allocated(Pool pool, long address, long size, int fill) {
        assertTrue(address > 0);
        assertFalse(live.containsKey(address), "a live block's address handed out again");
        Block b = pool.block(address);
        for (long k = 0; k < size; k++) {
            assertEquals(0, b.getByte(k), "byte " + k + " of a new block of " + size);
        }
        if (size > 0) {
            b.fill(0, size, (byte) fill);
        }
        live.put(address, new long[] {size, fill});
        liveBytes += size;
        peak = Math.max(peak, liveBytes);
        allocs++;
        return address;
    }

    private void freed(long address) {
        liveBytes -= live.remove(address)[0];
        frees++;
    }

    @Test
    void shouldKeepEveryBlockKnownToCThroughRandomWork() {
        Random random = new Random(20261207);
        try (Pool pool = Pool.open()) {
            List<Long> order = new ArrayList<>();
            for (int step = 0; step < 6000; step++) {
                int op = random.nextInt(10);
                if (op < 5 || order.isEmpty()) {
                    long size = random.nextInt(8) == 0 ? 4097 + random.nextInt(3000) : random.nextInt(4097);
                    order.add(allocated(pool, pool.alloc(1, size), size, 1 + random.nextInt(255)));
                } else if (op < 8) {
                    long a = order.remove(random.nextInt(order.size()));
                    long[] m = live.get(a);
                    assertEquals(m[0], pool.sizeOf(a));
                    Block b = pool.block(a);
                    for (long k = 0; k < m[0]; k += 1 + m[0] / 7) {
                        assertEquals((byte) m[1], b.getByte(k), "byte " + k + " of a live block");
                    }
                    pool.free(a);
                    freed(a);
                    assertFalse(pool.owns(a));
                    assertThrows(IllegalArgumentException.class, () -> pool.free(a), "a double free");
                } else {
                    int k = random.nextInt(order.size());
                    long a = order.get(k);
                    long[] m = live.get(a);
                    long size = random.nextInt(5000);
                    long moved = pool.realloc(a, size);
                    Block b = pool.block(moved);
                    for (long j = 0; j < Math.min(size, m[0]); j += 1 + m[0] / 5) {
                        assertEquals((byte) m[1], b.getByte(j), "kept byte " + j + " after realloc");
                    }
                    for (long j = m[0]; j < size; j++) {
                        assertEquals(0, b.getByte(j), "grown byte " + j);
                    }
                    live.remove(a);
                    liveBytes += size - m[0];
                    peak = Math.max(peak, liveBytes);
                    live.put(moved, new long[] {size, m[1]});
                    if (size > 0) {
                        b.fill(0, size, (byte) m[1]);
                    }
                    order.set(k, moved);
                }
                if (step % 97 == 0) {
                    assertMatches(pool);
                    Map<Long, Long> expected = new HashMap<>();
                    live.forEach((a, m) -> expected.put(a, m[0]));
                    assertEquals(expected, pool.addresses());
                }
            }
            assertMatches(pool);
        }
    }

    @Test
    void shouldServeAMillionBlocksOverManySlabsAndFreeThemInAnyOrder() {
        try (Pool pool = Pool.open()) {
            long[] blocks = new long[200_000];
            Set<Long> distinct = new HashSet<>();
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = pool.alloc(1, 64);
                assertTrue(distinct.add(blocks[i]));
            }
            assertEquals(blocks.length, pool.liveBlocks());
            assertEquals(64L * blocks.length, pool.stats().peakBytes());
            assertValid(pool);
            for (int i = 0; i < blocks.length; i += 2) {
                pool.free(blocks[i]);
            }
            for (int i = blocks.length - 1; i > 0; i -= 2) {
                pool.free(blocks[i]);
            }
            assertEquals(0, pool.liveBlocks());
            assertEquals(blocks.length, pool.stats().totalFrees());
            assertValid(pool);
        }
    }

    @Test
    void shouldZeroAReusedBlockAsCallocWould() {
        try (Pool pool = Pool.open()) {
            pool.nativeHandle(); // C's view the only one from here (no block cache): C's own reuse (BlockCacheTest: Java's)
            long a = pool.alloc(1, 64);
            pool.block(a).fill(0, 64, (byte) 0x5A);
            pool.free(a);
            assertFalse(pool.owns(a));
            long b = pool.alloc(1, 60); // the same 64-byte slot, first on C's free list
            assertEquals(a, b);
            Block block = pool.block(b);
            for (long k = 0; k < 60; k++) {
                assertEquals(0, block.getByte(k), "byte " + k);
            }
            assertEquals(60, pool.sizeOf(b));
        }
    }

    @Test
    void shouldNameTheBlockAnInteriorFreeFallsIn() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 64);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.free(a + 8));
            assertTrue(e.getMessage().contains("inside block 0x" + Long.toHexString(a)), e.getMessage());
            assertTrue(pool.owns(a));
            assertThrows(IllegalArgumentException.class, () -> pool.free(a + 64 * 3)); // never handed out
            pool.free(a);
            assertEquals(0, pool.liveBlocks());
        }
    }

    @Test
    void shouldLeaveAPinnedBlockWhereItIs() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(8, Double.BYTES);
            long tensor = DLPack.toVersioned(MemoryView.of(pool.block(a), DType.DOUBLE, 8));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.free(a));
            assertTrue(e.getMessage().contains("exported as 1 DLPack tensor"), e.getMessage());
            assertTrue(pool.owns(a));
            try (DLPackTensor back = DLPack.fromVersioned(tensor)) { // its close runs our deleter: the pin goes
                assertEquals(a, back.view().address());
            }
            pool.free(a);
            assertFalse(pool.owns(a));
            assertValid(pool);
        }
    }

    @Test
    void shouldLetCRefuseOverTheLimit() {
        try (Pool pool = Pool.builder().limit(1000).open()) {
            long a = pool.alloc(10, 64);
            NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(1, 512));
            assertTrue(e.getMessage().contains("limit of 1000 bytes"), e.getMessage());
            pool.free(a);
            assertNotEquals(0, pool.alloc(1, 512));
            assertValid(pool);
        }
    }

    @Test
    void shouldShowSlabAndLargestClassBlocksInTheSnapshot() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(3, 7);
            long b = pool.alloc(1, 4096);
            assertEquals(Map.of(a, 21L, b, 4096L), pool.addresses());
            assertEquals(4096 + 21, pool.liveBytes());
        }
    }
}
