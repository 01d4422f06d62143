package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import javax.management.ObjectName;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;

import org.cymem4j.management.NativeMemoryMXBean;
import org.cymem4j.testing.ChildJvm;
import org.cymem4j.testing.LeakSitesOff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool makes its C pool on the first call that needs it (issue 20): what a pool that never allocated looks like to
 * every check, and that the first allocation may come late, on another thread, or race a close.
 */
@ExtendWith(LeakSitesOff.class)
class LazyPoolTest {
    @Test
    void shouldCountAnUntouchedPoolAsOpenUntilItIsClosed() {
        int openBefore = Pools.openCount();
        long blocksBefore = Pools.liveBlocks();
        long closedBefore = Pools.closedExplicitly();
        Pool pool = Pool.open();
        Pool shared = Pool.openShared();
        assertEquals(openBefore + 2, Pools.openCount());
        assertEquals(openBefore + 2, Pools.stats().openPools());
        assertEquals(blocksBefore, Pools.liveBlocks());
        pool.close();
        shared.close();
        assertEquals(openBefore, Pools.openCount());
        assertEquals(closedBefore + 2, Pools.closedExplicitly());
    }

    @Test
    void shouldGiveAnUntouchedPoolTheStatsOfAnEmptyCPool() {
        try (Pool untouched = Pool.open(); Pool made = Pool.open()) {
            made.nativeHandle(); // makes the C pool
            PoolStats expected = new PoolStats(0, 0, 0, 0, 0, 0, -1, 0);
            assertEquals(expected, made.stats());
            assertEquals(expected, untouched.stats());
            assertEquals(0, untouched.liveBytes());
            assertEquals(0, untouched.liveBlocks());
            assertEquals(Map.of(), untouched.addresses());
            assertFalse(untouched.owns(4096));
            assertTrue(untouched.toString().matches("Pool#\\d+ \\(confined, system allocator, 0 blocks, 0 bytes\\)"),
                    untouched.toString());
        }
    }

    @Test
    void shouldCloseAnUntouchedPoolOnceAndThenRefuseEveryCall() {
        long closedBefore = Pools.closedExplicitly();
        Pool pool = Pool.open();
        String name = pool.toString().substring(0, pool.toString().indexOf(' '));
        pool.close();
        pool.close(); // idempotent
        assertEquals(closedBefore + 1, Pools.closedExplicitly());
        assertFalse(pool.isOpen());
        assertEquals(name + " (closed)", pool.toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.alloc(1, 8));
        assertEquals(name + " is closed", e.getMessage());
        assertThrows(IllegalStateException.class, pool::nativeHandle);
        assertThrows(IllegalStateException.class, pool::stats);
        assertThrows(IllegalStateException.class, () -> pool.attach(() -> { }));
    }

    @Test
    void shouldRefuseAnUntouchedPoolToOtherThreadsAsBefore() throws Exception {
        try (Pool pool = Pool.open()) {
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread t = new Thread(() -> seen.set(assertThrows(IllegalStateException.class, () -> pool.alloc(1, 8))));
            t.start();
            t.join();
            assertTrue(seen.get().getMessage().contains("is confined to thread"), seen.get().getMessage());
            seen.set(null);
            Thread other = new Thread(() -> seen.set(assertThrows(IllegalStateException.class, pool::close)));
            other.start();
            other.join();
            assertTrue(seen.get().getMessage().contains("is confined to thread"), String.valueOf(seen.get()));
            assertTrue(pool.isOpen(), "a refused close leaves the pool open");
        }
    }

    @Test
    void shouldMakeTheCPoolOnTheThreadThePoolWasHandedTo() throws Exception {
        int openBefore = Pools.openCount();
        Pool pool = Pool.open();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try (pool) {
                long p = pool.alloc(4, 16);
                pool.block(p).putLong(56, 7);
                result.set(pool.liveBlocks() + " " + pool.block(p).getLong(56) + " " + pool.owns(p));
            } catch (Throwable e) {
                result.set(e);
            }
        });
        pool.handoff(worker);
        worker.start();
        worker.join();
        assertEquals("1 7 true", String.valueOf(result.get()));
        assertFalse(pool.isOpen());
        assertEquals(openBefore, Pools.openCount());
    }

    @Test
    void shouldCloseAttachedResourcesOfAPoolThatNeverAllocated() {
        List<String> closed = new ArrayList<>();
        Pool pool = Pool.open();
        pool.attach(() -> closed.add("attached"));
        pool.close();
        assertEquals(List.of("attached"), closed);
    }

    @Test
    void shouldMakeOneCPoolWhenThreadsAllocateFirstTogether() throws Exception {
        for (int round = 0; round < 50; round++) {
            int openBefore = Pools.openCount();
            Pool pool = Pool.openShared();
            int threads = 4;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> all = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        pool.alloc(1, 24);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                all.add(t);
            }
            start.countDown();
            for (Thread t : all) {
                t.join();
            }
            assertEquals(threads, pool.liveBlocks(), "every thread's block in the one C pool");
            assertEquals(openBefore + 1, Pools.openCount());
            pool.close();
            assertEquals(openBefore, Pools.openCount());
        }
    }

    /** Runs {@code body(i)} on {@code threads} threads released together; rethrows the first failure. */
    private static void together(int threads, IntConsumer body) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    body.accept(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            t.start();
            all.add(t);
        }
        start.countDown();
        for (Thread t : all) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    /** A pool makes its accessor table on the first block() (issue 20): threads asking first together share one. */
    @Test
    void shouldHandOutOneAccessorPerBlockWhenThreadsAskFirstTogether() throws Exception {
        for (int round = 0; round < 50; round++) {
            try (Pool pool = Pool.openShared()) {
                long p = pool.alloc(1, 16);
                Block[] seen = new Block[4];
                together(seen.length, i -> seen[i] = pool.block(p));
                for (Block b : seen) {
                    assertSame(seen[0], b, "round " + round);
                }
                pool.free(p); // revokes the accessor in the one table every thread used
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> seen[0].getLong(0));
                assertTrue(e.getMessage().endsWith("was freed"), e.getMessage());
            }
        }
    }

    /** A first block() racing the pool's close: either it fails as closed, or its accessor dies with the pool. */
    @Test
    void shouldNeverLeaveAUsableAccessorWhenTheFirstBlockRacesClose() throws Exception {
        for (int round = 0; round < 300; round++) {
            Pool pool = Pool.openShared();
            long p = pool.alloc(1, 16);
            Block[] got = new Block[1];
            together(2, i -> {
                if (i == 0) {
                    pool.close();
                } else {
                    try {
                        got[0] = pool.block(p);
                    } catch (IllegalStateException closedFirst) {
                        assertTrue(closedFirst.getMessage().endsWith(" is closed"), closedFirst.getMessage());
                    }
                }
            });
            assertFalse(pool.isOpen());
            if (got[0] != null) {
                Block b = got[0];
                assertThrows(IllegalStateException.class, () -> b.getLong(0), "round " + round);
            }
        }
    }

    /** The child list and its budget are made by the first child() (issue 20): one, however many threads race. */
    @Test
    void shouldCloseEveryChildOpenedByThreadsThatOpenTheFirstTogether() throws Exception {
        for (int round = 0; round < 50; round++) {
            Pool pool = Pool.openShared(); // unlimited: its budget, too, is made by the first child
            Pool[] children = new Pool[4];
            together(children.length, i -> children[i] = pool.child(1 << 10));
            assertEquals(4 << 10, pool.stats().reservedBytes(), "round " + round + ": one budget holds every child");
            pool.close();
            for (Pool child : children) {
                assertFalse(child.isOpen(), "round " + round + ": a child the parent's close did not see");
            }
        }
    }

    /**
     * A parent's close against its first child() on another thread (issue 20's lazy child list; found in review: the
     * close once read the list before it began closing, and 6 rounds in 200,000 left the child open). Either child()
     * fails as closed, or the close closes the child. Rounds for two seconds, the two threads offset by a few spins.
     */
    @Test
    void shouldCloseAFirstChildThatRacesTheParentsClose() throws Exception {
        AtomicReference<Pool> parent = new AtomicReference<>();
        AtomicReference<Pool> child = new AtomicReference<>();
        AtomicInteger round = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread opener = new Thread(() -> {
            for (int r = 1; !stop.get(); r++) {
                while (round.get() < r && !stop.get()) {
                    Thread.onSpinWait();
                }
                try {
                    child.set(parent.get().child(1 << 10));
                } catch (IllegalStateException closedFirst) {
                    child.set(null);
                }
                done.set(r);
            }
        });
        opener.start();
        int leftOpen = 0;
        int rounds = 0;
        try {
            for (long end = System.nanoTime() + 2_000_000_000L; System.nanoTime() < end; ) {
                int r = ++rounds;
                Pool p = Pool.openShared();
                parent.set(p);
                round.set(r);
                for (int spin = r % 64; spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                p.close();
                while (done.get() < r) {
                    Thread.onSpinWait();
                }
                Pool c = child.get();
                if (c != null && c.isOpen()) {
                    leftOpen++;
                    c.close();
                }
            }
        } finally {
            stop.set(true);
            opener.join();
        }
        assertEquals(0, leftOpen, leftOpen + " of " + rounds + " rounds left a child open after its parent closed");
    }

    @Test
    void shouldEitherAllocateOrThrowWhenTheFirstAllocationRacesClose() throws Exception {
        for (int round = 0; round < 200; round++) {
            int openBefore = Pools.openCount();
            long blocksBefore = Pools.liveBlocks();
            Pool pool = Pool.openShared();
            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread allocator = new Thread(() -> {
                try {
                    start.await();
                    long p = pool.alloc(1, 32);
                    assertTrue(p != 0);
                } catch (IllegalStateException e) {
                    if (!e.getMessage().endsWith(" is closed")) {
                        failure.set(e);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            allocator.start();
            start.countDown();
            pool.close();
            allocator.join();
            assertEquals(null, failure.get());
            assertFalse(pool.isOpen());
            assertEquals(openBefore, Pools.openCount());
            assertEquals(blocksBefore, Pools.liveBlocks());
        }
    }

    @Test
    void shouldListAnUntouchedPoolInAssertAllClosedByCount() {
        Pool pool = Pool.open();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, Pools::assertAllClosed);
            assertTrue(e.getMessage().startsWith("1 pool(s) still open:\n  1 pool(s) never used (no native memory, "
                    + "no creation site)"), e.getMessage());
        } finally {
            pool.close();
        }
        Pools.assertAllClosed();
    }

    @Test
    void shouldMakeAPoolWhoseSiteIsRecordedAtOnceSoTheCleanerCanReportIt() {
        Pools.setLeakDetection(LeakDetection.FULL);
        try (Pool pool = Pool.open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, Pools::assertAllClosed);
            assertTrue(e.getMessage().startsWith("1 pool(s) still open:\n  " + pool + "; "), e.getMessage());
            assertTrue(e.getMessage().contains("LazyPoolTest"), e.getMessage());
        }
    }

    @Test
    void shouldKeepAForgottenUntouchedPoolCountedAndReleaseTheUsedOne(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(LazyPoolMain.class, List.of(), Map.of(), null, dir);
        assertEquals(0, r.exit(), r.err());
        assertEquals("before gc: open=2 blocks=1\n"
                + "after gc: open=1 blocks=0 cleaned=1 leakLogs=1\n"
                + "1 pool(s) still open:\n"
                + "  1 pool(s) never used (no native memory, no creation site)", r.out().strip(), r.err());
    }

    @Test
    void shouldShowAnUntouchedPoolInTheMXBeanAndInJfrEvents() throws Exception {
        ObjectName name = new ObjectName(NativeMemoryMXBean.OBJECT_NAME);
        Path file = Files.createTempFile("cymem4j", ".jfr");
        long poolId;
        try (Recording recording = new Recording()) {
            recording.enable("org.cymem4j.PoolOpen");
            recording.enable("org.cymem4j.PoolClose");
            recording.start();
            long openBefore = (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "OpenPools");
            try (Pool pool = Pool.openShared()) {
                poolId = Long.parseLong(pool.resource.name().substring("Pool#".length()));
                assertEquals(openBefore + 1,
                        (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "OpenPools"));
            }
            recording.stop();
            recording.dump(file);
        }
        try {
            List<RecordedEvent> events = ObservabilityTest.eventsOf(file, poolId);
            assertEquals(List.of("org.cymem4j.PoolOpen", "org.cymem4j.PoolClose"),
                    ObservabilityTest.names(events));
            assertEquals(true, events.get(0).getBoolean("shared"));
            RecordedEvent close = events.get(1);
            assertEquals(false, close.getBoolean("byCleaner"));
            assertEquals(0L, close.getLong("liveBlocks"));
            assertEquals(0L, close.getLong("totalAllocs"));
        } finally {
            Files.delete(file);
        }
    }
}
