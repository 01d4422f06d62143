package org.cymem4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.cymem4j.LeakDetection;
import org.cymem4j.Pool;
import org.cymem4j.Pools;
import org.cymem4j.testing.LeakSitesOff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pool ids and open counts kept per thread ({@link PoolLedger}), through the public API: ids stay unique across
 * threads, {@code Pools.openCount()} stays exact when pools are opened on one thread and closed on another, and the
 * cells of terminated threads are folded away.
 */
@ExtendWith(LeakSitesOff.class)
class PoolLedgerTest {
    @Test
    void shouldGiveEveryPoolOfEveryThreadItsOwnId() throws InterruptedException {
        int threads = 4;
        int perThread = 3 * PoolLedger.ID_BLOCK + 5; // every thread crosses id blocks
        List<List<String>> names = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<String> mine = new ArrayList<>();
            names.add(mine);
            workers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    try (Pool pool = Pool.open()) {
                        mine.add(pool.toString());
                    }
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        Set<String> distinct = new HashSet<>();
        for (List<String> mine : names) {
            assertEquals(perThread, mine.size());
            long previous = 0;
            for (String name : mine) {
                long id = Long.parseLong(name.substring("Pool#".length(), name.indexOf(' ')));
                assertTrue(id > previous, name + " after Pool#" + previous); // ids grow within a thread
                previous = id;
                distinct.add(name);
            }
        }
        assertEquals(threads * perThread, distinct.size());
    }

    /**
     * Sampled leak detection records the sites of the pools numbered 1 + k * 128: with ids in blocks of 128, that is
     * each thread's first pool and then one in 128 of its pools, however the threads interleave.
     */
    @Test
    void shouldSampleEachThreadsFirstPoolThenOneIn128OfItsPools() throws InterruptedException {
        Pools.setLeakDetection(LeakDetection.SAMPLED); // a new second of samples: far below its cap here
        int threads = 3;
        int perThread = 2 * LeakDetection.SAMPLING_INTERVAL;
        List<Pool> pools = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    pools.add(Pool.openShared()); // shared: the test thread closes them
                }
            }));
        }
        try {
            workers.forEach(Thread::start);
            for (Thread w : workers) {
                w.join();
            }
            String message = assertThrows(IllegalStateException.class, Pools::assertAllClosed).getMessage();
            int sites = message.split("; created at:", -1).length - 1;
            assertEquals(threads * 2, sites, message.substring(0, Math.min(300, message.length())));
        } finally {
            pools.forEach(Pool::close);
        }
    }

    @Test
    void shouldCountPoolsOpenedOnOneThreadAndClosedOnAnother() throws InterruptedException {
        int before = Pools.openCount();
        int pools = 200;
        BlockingQueue<Pool> handed = new ArrayBlockingQueue<>(pools);
        Thread opener = new Thread(() -> {
            for (int i = 0; i < pools; i++) {
                handed.add(Pool.openShared());
            }
        });
        opener.start();
        opener.join();
        assertEquals(before + pools, Pools.openCount());
        for (int i = 0; i < pools / 2; i++) {
            handed.remove().close(); // counted in this thread's cell: its open is in the opener's
        }
        assertEquals(before + pools / 2, Pools.openCount());
        Thread closer = new Thread(() -> handed.forEach(Pool::close));
        closer.start();
        closer.join();
        assertEquals(before, Pools.openCount());
    }

    /** The JDK clears an idle common-pool worker's thread-locals: the thread must get its own cell back. */
    @Test
    void shouldGiveAThreadWhoseThreadLocalsWereClearedItsOwnCellBack() {
        int before = Pools.openCount();
        Pool.open().close();
        int cells = PoolLedger.cells();
        for (int i = 0; i < 100; i++) {
            Pool kept = Pool.open();
            PoolLedger.forgetThreadLocal();
            kept.close(); // counted in the same cell as its open
        }
        assertEquals(cells, PoolLedger.cells());
        assertEquals(before, Pools.openCount());
    }

    @Test
    void shouldFoldTheCellsOfTerminatedThreads() throws InterruptedException {
        int before = Pools.openCount();
        long releasedBefore = Pools.closedExplicitly();
        int threads = 200;
        for (int t = 0; t < threads; t++) {
            Thread once = new Thread(() -> Pool.open().close());
            once.start();
            once.join();
        }
        // Each thread made a cell and ended: a full table folds the ended ones, so it holds about the live threads.
        assertTrue(PoolLedger.cells() < 64, PoolLedger.cells() + " cells after " + threads + " threads ended");
        assertEquals(before, Pools.openCount()); // the folded counts still count
        assertEquals(releasedBefore + threads, Pools.closedExplicitly());
    }
}
