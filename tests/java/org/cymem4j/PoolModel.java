package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A model of one pool's blocks for random-work tests (BlockCacheTest, BlockLeaseTest): each operation is done on the
 * pool and on the model, and checks what the model says the pool must answer (zeroed new memory, kept contents,
 * refused double frees, exact sizes); {@link #assertStats} compares the pool's counters with the model's.
 */
final class PoolModel {
    private final Pool pool;
    private final Random random;
    private final int[] sizes;
    private final Map<Long, long[]> live = new HashMap<>(); // address -> {size, fill byte}
    private final List<Long> order = new ArrayList<>();
    private final List<Long> freed = new ArrayList<>();
    private long liveBytes;
    private long peak;
    private long allocs;
    private long frees;

    PoolModel(Pool pool, long seed, int[] sizes) {
        this.pool = pool;
        this.random = new Random(seed);
        this.sizes = sizes;
    }

    /** A random operation number, 0 to 19, for {@link #step}. */
    int nextOp() {
        return random.nextInt(20);
    }

    /** The live blocks the model has. */
    int liveCount() {
        return order.size();
    }

    /**
     * Operation {@code op}: below {@code allocBelow} (or with nothing live) an allocation, then up to 16 a free, 17 a
     * double free, 18 a query ({@code owns}, {@code sizeOf}), 19 a realloc.
     */
    void step(int op, int allocBelow) {
        if (op < allocBelow || order.isEmpty()) {
            alloc();
        } else if (op < 17) {
            free();
        } else if (op < 18 && !freed.isEmpty()) {
            long a = freed.get(random.nextInt(freed.size()));
            assertThrows(IllegalArgumentException.class, () -> pool.free(a), "a double free");
        } else if (op < 19) {
            long a = order.get(random.nextInt(order.size()));
            assertTrue(pool.owns(a));
            assertEquals(live.get(a)[0], pool.sizeOf(a));
        } else {
            realloc();
        }
    }

    /** Allocates a block of a random size: new, zeroed (bytes sampled, the last one too), then filled. */
    long alloc() {
        long size = sizes[random.nextInt(sizes.length)];
        long a = pool.alloc(1, size);
        assertFalse(live.containsKey(a), "a live block handed out again");
        Block b = pool.block(a);
        for (long k = 0; k < size; k += 1 + size / 16) {
            assertEquals(0, b.getByte(k), "byte " + k + " of a new block of " + size);
        }
        assertEquals(0, b.getByte(size - 1), "the last byte of a new block of " + size);
        int fill = 1 + random.nextInt(255);
        b.fill(0, size, (byte) fill);
        live.put(a, new long[] {size, fill});
        order.add(a);
        freed.remove(a);
        liveBytes += size;
        peak = Math.max(peak, liveBytes);
        allocs++;
        return a;
    }

    private void free() {
        long a = order.remove(random.nextInt(order.size()));
        long[] m = live.remove(a);
        assertEquals((byte) m[1], pool.block(a).getByte(m[0] - 1), "the last byte of a live block");
        pool.free(a);
        liveBytes -= m[0];
        frees++;
        freed.add(a);
    }

    private void realloc() {
        int k = random.nextInt(order.size());
        long a = order.get(k);
        long[] m = live.remove(a);
        long size = sizes[random.nextInt(sizes.length)];
        long moved = pool.realloc(a, size);
        if (moved != a) {
            freed.add(a);
        }
        freed.remove(moved);
        Block b = pool.block(moved);
        assertEquals((byte) m[1], b.getByte(Math.min(size, m[0]) - 1), "a kept byte after realloc");
        b.fill(0, size, (byte) m[1]);
        live.put(moved, new long[] {size, m[1]});
        order.set(k, moved);
        liveBytes += size - m[0];
        peak = Math.max(peak, liveBytes);
    }

    /** The pool's counters are the model's. */
    void assertStats(int step) {
        PoolStats s = pool.stats();
        assertEquals(live.size(), s.liveBlocks(), "live blocks at step " + step);
        assertEquals(liveBytes, s.liveBytes(), "live bytes at step " + step);
        assertEquals(peak, s.peakBytes(), "peak at step " + step);
        assertEquals(allocs, s.totalAllocs(), "allocs at step " + step);
        assertEquals(frees, s.totalFrees(), "frees at step " + step);
    }

    /** The pool's snapshot of its blocks is the model's. */
    void assertAddresses() {
        Map<Long, Long> expected = new HashMap<>();
        live.forEach((a, m) -> expected.put(a, m[0]));
        assertEquals(expected, pool.addresses());
    }

    /** The allocations made so far. */
    long allocs() {
        return allocs;
    }
}
