package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A model of one pool's blocks for random-work tests (BlockCacheTest, BlockLeaseTest): each operation is done on the
 * pool and on the model (its counters are a {@link PoolCounts}), and checks what the model says the pool must
 * answer (zeroed new memory, kept contents, refused double frees, exact sizes); {@link #assertStats} compares the
 * pool's counters with the model's.
 */
final class PoolModel {
    private final Pool pool;
    private final Random random;
    private final int[] sizes;
    private final PoolCounts counts = new PoolCounts();
    private final Map<Long, Byte> fills = new HashMap<>(); // the byte each live block is filled with
    private final List<Long> order = new ArrayList<>();
    private final List<Long> freed = new ArrayList<>();

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
            assertEquals(counts.live.get(a), pool.sizeOf(a));
        } else {
            realloc();
        }
    }

    /** Allocates a block of a random size: new, zeroed (bytes sampled, the last one too), then filled. */
    long alloc() {
        long size = sizes[random.nextInt(sizes.length)];
        long a = counts.alloc(pool, 1, size);
        Block b = pool.block(a);
        for (long k = 0; k < size; k += 1 + size / 16) {
            assertEquals(0, b.getByte(k), "byte " + k + " of a new block of " + size);
        }
        assertEquals(0, b.getByte(size - 1), "the last byte of a new block of " + size);
        byte fill = (byte) (1 + random.nextInt(255));
        b.fill(0, size, fill);
        fills.put(a, fill);
        order.add(a);
        freed.remove(a);
        return a;
    }

    private void free() {
        long a = order.remove(random.nextInt(order.size()));
        byte fill = fills.remove(a);
        assertEquals(fill, pool.block(a).getByte(counts.live.get(a) - 1), "the last byte of a live block");
        pool.free(a);
        counts.free(a);
        freed.add(a);
    }

    private void realloc() {
        int k = random.nextInt(order.size());
        long a = order.get(k);
        long old = counts.live.get(a);
        byte fill = fills.remove(a);
        long size = sizes[random.nextInt(sizes.length)];
        long moved = pool.realloc(a, size);
        if (moved != a) {
            freed.add(a);
        }
        freed.remove(moved);
        Block b = pool.block(moved);
        assertEquals(fill, b.getByte(Math.min(size, old) - 1), "a kept byte after realloc");
        b.fill(0, size, fill);
        fills.put(moved, fill);
        counts.realloc(a, moved, size);
        order.set(k, moved);
    }

    /** The pool's counters are the model's. */
    void assertStats(int step) {
        counts.assertStats(pool, "at step " + step);
    }

    /** The pool's snapshot of its blocks is the model's. */
    void assertAddresses() {
        assertEquals(counts.live, pool.addresses());
    }

    /** The allocations made so far. */
    long allocs() {
        return counts.allocs;
    }
}
