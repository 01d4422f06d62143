package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * A shared pool's small blocks are split over per-thread shards in C (pool_shards.c): through the public API, several
 * threads on one {@link Pool#openShared()} pool allocate, free each other's blocks, hit a limit together and race
 * {@link Pool#close()}, and every block still behaves as its own with exact stats. Expected values are counted here,
 * not read from the pool.
 */
class PoolShardTest {

    private static final int THREADS = 4;
    private static final int PER_THREAD = 2_000;

    /** Block i of thread t: mostly slab classes, every 97th a table block (over 4 KiB). */
    private static long sizeFor(int t, int i) {
        return i % 97 == 0 ? 5_000 + t : (i * 7L + t) % 300;
    }

    /** Runs body(t) on THREADS threads at once and rethrows the first failure. */
    private interface Body {
        void run(int t) throws Exception;
    }

    private static void onThreads(Body body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                try {
                    body.run(id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a worker failed", failure.get());
        }
    }

    @Test
    void shouldKeepStatsExactWhenThreadsFreeEachOthersBlocks() throws Exception {
        long[][] blocks = new long[THREADS][PER_THREAD];
        long allBytes = 0;
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < PER_THREAD; i++) {
                allBytes += sizeFor(t, i);
            }
        }
        try (Pool pool = Pool.openShared()) {
            CyclicBarrier allAllocated = new CyclicBarrier(THREADS);
            onThreads(t -> {
                for (int i = 0; i < PER_THREAD; i++) {
                    long n = sizeFor(t, i);
                    blocks[t][i] = pool.alloc(1, n);
                    Block b = pool.block(blocks[t][i]);
                    for (long j = 0; j < n; j += 37) {
                        assertEquals(0, b.getByte(j), "a fresh block is zeroed");
                    }
                    if (n > 0) {
                        b.putByte(n - 1, (byte) (0x10 + t));
                    }
                }
                allAllocated.await();
                int next = (t + 1) % THREADS;
                for (int i = 1; i < PER_THREAD; i += 2) { // the neighbour's odd blocks: cross-thread frees
                    long n = sizeFor(next, i);
                    long p = blocks[next][i];
                    if (n > 0) {
                        assertEquals(0x10 + next, pool.block(p).getByte(n - 1));
                    }
                    assertEquals(n, pool.sizeOf(p));
                    pool.free(p);
                }
                for (int i = 0; i < PER_THREAD; i += 2) {
                    if (i % 10 == 0) {
                        blocks[t][i] = pool.realloc(blocks[t][i], sizeFor(t, i) + 20);
                        assertEquals(sizeFor(t, i) + 20, pool.sizeOf(blocks[t][i]));
                    }
                    pool.free(blocks[t][i]);
                }
            });
            // Every block freed and nothing allocated since (not checked inside the threads: a concurrent realloc
            // may reuse a just-freed address): no shard, nor the table, has any of them.
            for (long[] row : blocks) {
                for (long p : row) {
                    assertThrows(IllegalArgumentException.class, () -> pool.free(p));
                }
            }
            PoolStats s = pool.stats();
            assertEquals(0, s.liveBlocks());
            assertEquals(0, s.liveBytes());
            assertEquals(THREADS * PER_THREAD, s.totalAllocs());
            assertEquals(THREADS * PER_THREAD, s.totalFrees());
            assertTrue(s.peakBytes() >= allBytes, "every block was live at the barrier: " + s);
            assertTrue(pool.addresses().isEmpty());
        }
    }

    @Test
    void shouldHoldALimitExactlyWhenThreadsReachItTogether() throws Exception {
        try (Pool pool = Pool.builder().shared().limit(64 * 1_000).open()) {
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger granted = new AtomicInteger();
            onThreads(t -> {
                for (int i = 0; i < 500; i++) {
                    try {
                        pool.alloc(1, 64);
                        granted.incrementAndGet();
                    } catch (NativeOutOfMemoryError e) {
                        refused.incrementAndGet();
                    }
                }
            });
            assertEquals(1_000, granted.get(), "2000 asked, exactly 1000 fit");
            assertEquals(1_000, refused.get());
            assertEquals(64 * 1_000, pool.liveBytes());
            assertEquals(1_000, pool.liveBlocks());
        }
    }

    @Test
    void shouldSeeEveryThreadsBlocksInOwnsAddressesAndClose() throws Exception {
        long[][] kept = new long[THREADS][100];
        Pool pool = Pool.openShared();
        onThreads(t -> {
            for (int i = 0; i < 100; i++) {
                kept[t][i] = pool.alloc(1, 64);
            }
        });
        assertEquals(THREADS * 100, pool.addresses().size());
        for (long[] row : kept) {
            for (long p : row) {
                assertTrue(pool.owns(p));
                assertEquals(64, pool.addresses().getOrDefault(p, -1L));
            }
        }
        assertEquals(THREADS * 100 * 64, pool.stats().peakBytes());
        pool.close(); // frees the slabs of every shard
        assertFalse(pool.isOpen());
        assertThrows(IllegalStateException.class, () -> pool.owns(kept[0][0]));
    }

    @Test
    void shouldNeverCrashOrLoseACallWhenCloseRacesThreadsOnEveryShard() throws Exception {
        for (int round = 0; round < 50; round++) {
            Pool pool = Pool.openShared();
            CyclicBarrier go = new CyclicBarrier(THREADS + 1);
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            AtomicInteger stopped = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                threads.add(new Thread(() -> {
                    long[] mine = new long[32];
                    try {
                        go.await();
                        for (int i = 0; ; i++) {
                            int k = i & 31;
                            if (mine[k] != 0) {
                                pool.free(mine[k]);
                            }
                            mine[k] = pool.alloc(1, 16 + (i % 200));
                        }
                    } catch (IllegalStateException closed) {
                        stopped.incrementAndGet(); // the only way out: the pool closed under the loop
                    } catch (Throwable e) {
                        unexpected.compareAndSet(null, e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            go.await();
            Thread.onSpinWait();
            pool.close();
            for (Thread thread : threads) {
                thread.join();
            }
            assertNull(unexpected.get(), () -> "round: " + unexpected.get());
            assertEquals(THREADS, stopped.get());
            assertFalse(pool.isOpen());
        }
    }
}
