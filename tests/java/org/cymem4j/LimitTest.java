package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.cymem4j.internal.jni.NativePool;
import org.junit.jupiter.api.Test;

class LimitTest {

    @Test
    void shouldReportALimitThatNativeCodeSetThroughTheHandle() {
        try (Pool pool = Pool.open()) {
            pool.alloc(1, 40);
            // what a native consumer can do with cym_pool_set_limit(handle, 64)
            NativePool.cym_j_pool_set_limit(pool.nativeHandle(), 64);
            NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(1, 32));
            assertTrue(e.getMessage().endsWith("limit exceeded: requested 32 bytes (count=1 elemSize=32) with 40 bytes "
                    + "live and a limit of 64 bytes"), e.getMessage());
            assertEquals(1, pool.liveBlocks());
        }
    }

    @Test
    void shouldAllocateUpToTheLimitExactly() {
        try (Pool pool = Pool.builder().limit(100).open()) {
            pool.alloc(60, 1);
            pool.alloc(40, 1);
            assertEquals(100, pool.liveBytes());
            assertEquals(0, pool.stats().remainingBytes());
        }
    }

    @Test
    void shouldRefuseAnAllocationOverTheLimitNamingLimitLiveBytesAndRequest() {
        try (Pool pool = Pool.builder().limit(100).open()) {
            long p = pool.alloc(90, 1);
            NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(3, 4));
            assertEquals(pool.resource.name() + " limit exceeded: requested 12 bytes (count=3 elemSize=4) with 90 bytes"
                    + " live and a limit of 100 bytes", e.getMessage());
            assertEquals(12, e.requestedBytes());
            PoolStats s = pool.stats();
            assertEquals(new PoolStats(90, 1, 90, 1, 0, 1, 100, 0), s);
            assertEquals(Long.valueOf(90), pool.addresses().get(p));
        }
    }

    @Test
    void shouldRefuseAReallocGrowthOverTheLimitAndKeepTheOldBlock() {
        try (Pool pool = Pool.builder().limit(64).open()) {
            long p = pool.alloc(8, 4);
            pool.block(p).putInt(0, 7);
            NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> pool.realloc(p, 65));
            assertTrue(e.getMessage().endsWith("with 32 bytes live and a limit of 64 bytes"), e.getMessage());
            assertEquals(32, pool.sizeOf(p));
            assertEquals(7, pool.block(p).getInt(0));
            assertEquals(64, pool.sizeOf(pool.realloc(p, 64)));
        }
    }

    @Test
    void shouldRejectANegativeLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pool.builder().limit(-1));
        assertEquals("limit must be >= 0 but was -1", e.getMessage());
    }

    @Test
    void shouldReportNoLimitAsMinusOne() {
        try (Pool pool = Pool.open()) {
            assertEquals(-1, pool.stats().limitBytes());
            assertEquals(Long.MAX_VALUE, pool.stats().remainingBytes());
        }
    }

    @Test
    void shouldOpenASharedLimitedPoolThatOtherThreadsUse() throws InterruptedException {
        try (Pool pool = Pool.builder().shared().limit(16).open()) {
            assertTrue(pool.isShared());
            List<Throwable> failures = new ArrayList<>();
            Thread t = new Thread(() -> {
                try {
                    pool.alloc(16, 1);
                    pool.alloc(1, 1);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            t.join();
            assertEquals(1, failures.size());
            assertTrue(failures.get(0) instanceof NativeOutOfMemoryError, failures.get(0).toString());
            assertEquals(16, pool.liveBytes());
        }
    }

    // ---- child pools ---------------------------------------------------------------------------------------

    @Test
    void shouldCountAChildsReservationAgainstTheParentsLimit() {
        try (Pool parent = Pool.builder().limit(1000).open()) {
            Pool child = parent.child(300);
            assertSame(parent, child.parent());
            assertEquals(300, parent.stats().reservedBytes());
            assertEquals(700, parent.stats().remainingBytes());
            parent.alloc(700, 1);
            NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> parent.alloc(1, 1));
            assertEquals(parent.resource.name() + " limit exceeded: requested 1 bytes (count=1 elemSize=1) with 700"
                    + " bytes live, 300 bytes reserved by child pools and a limit of 1000 bytes", e.getMessage());
            assertEquals(0, child.liveBytes());
        }
    }

    @Test
    void shouldEnforceTheChildsOwnLimit() {
        try (Pool parent = Pool.builder().limit(1000).open(); Pool child = parent.child(100)) {
            child.alloc(100, 1);
            NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> child.alloc(1, 1));
            assertEquals(child.resource.name() + " limit exceeded: requested 1 bytes (count=1 elemSize=1) with 100"
                    + " bytes live and a limit of 100 bytes", e.getMessage());
            assertEquals(0, parent.liveBytes());
        }
    }

    @Test
    void shouldRefuseAChildThatDoesNotFitAndLeaveTheParentUnchanged() {
        try (Pool parent = Pool.builder().limit(1000).open()) {
            parent.alloc(600, 1);
            try (Pool first = parent.child(300)) {
                int openBefore = Pools.openCount();
                NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> parent.child(101));
                assertEquals(parent.resource.name() + " limit exceeded: cannot reserve 101 bytes for a child pool with"
                        + " 600 bytes live, 300 bytes reserved by child pools and a limit of 1000 bytes", e.getMessage());
                assertEquals(101, e.requestedBytes());
                assertEquals(openBefore, Pools.openCount());
                assertEquals(300, parent.stats().reservedBytes());
                parent.alloc(100, 1);
                assertTrue(first.isOpen());
            }
        }
    }

    @Test
    void shouldReturnTheReservationWhenTheChildCloses() {
        try (Pool parent = Pool.builder().limit(1000).open()) {
            Pool child = parent.child(400);
            child.alloc(10, 1);
            child.close();
            assertEquals(0, parent.stats().reservedBytes());
            parent.alloc(1000, 1);
        }
    }

    @Test
    void shouldCloseOpenChildrenWhenTheParentCloses() {
        Pool parent = Pool.builder().limit(1000).open();
        Pool child = parent.child(100);
        Pool grandchild = child.child(50);
        long p = grandchild.alloc(5, 1);
        Block block = grandchild.block(p);
        parent.close();
        assertFalse(child.isOpen());
        assertFalse(grandchild.isOpen());
        assertThrows(IllegalStateException.class, () -> block.getByte(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> grandchild.alloc(1, 1));
        assertEquals(grandchild.resource.name() + " is closed", e.getMessage());
    }

    @Test
    void shouldReserveGrandchildrenFromTheChildNotTheRoot() {
        try (Pool parent = Pool.builder().limit(1000).open(); Pool child = parent.child(100)) {
            assertThrows(NativeOutOfMemoryError.class, () -> child.child(101));
            try (Pool grandchild = child.child(60)) {
                assertEquals(60, child.stats().reservedBytes());
                assertEquals(100, parent.stats().reservedBytes());
                assertEquals(40, child.stats().remainingBytes());
                grandchild.alloc(60, 1);
            }
            assertEquals(0, child.stats().reservedBytes());
        }
    }

    @Test
    void shouldGrantAnyReservationFromAnUnlimitedParent() {
        try (Pool parent = Pool.open(); Pool child = parent.child(Long.MAX_VALUE / 2)) {
            assertEquals(Long.MAX_VALUE / 2, parent.stats().reservedBytes());
            assertEquals(-1, parent.stats().limitBytes());
            child.alloc(8, 8);
            parent.alloc(8, 8);
        }
    }

    @Test
    void shouldRefuseToCloseAConfinedParentWhoseChildBelongsToAnotherThread() throws InterruptedException {
        Pool parent = Pool.open();
        Pool child = parent.child(64);
        CountDownLatch go = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            child.close();
        });
        child.handoff(worker);
        worker.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, parent::close);
        assertTrue(e.getMessage().startsWith(child.resource.name() + " is confined to thread"), e.getMessage());
        assertTrue(parent.isOpen());
        assertTrue(child.isOpen());
        go.countDown();
        worker.join();
        assertFalse(child.isOpen());
        parent.close();
        assertFalse(parent.isOpen());
    }

    @Test
    void shouldKeepLiveBytesPlusReservationsWithinTheLimitWhileAllocationsRace() throws InterruptedException {
        try (Pool parent = Pool.builder().shared().limit(1000).open()) {
            List<Throwable> failures = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            // The allocator races until this thread has had enough reservations granted (not for a fixed number of
            // rounds: faster allocation once left this thread no window, and nothing was tested).
            Thread allocator = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        List<Long> blocks = new ArrayList<>();
                        try {
                            for (;;) {
                                blocks.add(parent.alloc(100, 1));
                            }
                        } catch (NativeOutOfMemoryError expected) {
                            // full: give it all back and race again
                        }
                        for (long b : blocks) {
                            parent.free(b);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            allocator.start();
            int granted = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (granted < 200 && allocator.isAlive() && System.nanoTime() < deadline) {
                Pool child;
                try {
                    child = parent.child(500);
                } catch (NativeOutOfMemoryError refused) {
                    continue;
                }
                granted++;
                PoolStats s = parent.stats(); // this thread is the only one that reserves, so reserved is exact
                assertTrue(s.liveBytes() + s.reservedBytes() <= 1000, s.toString());
                child.close();
            }
            stop.set(true);
            allocator.join();
            assertEquals(List.of(), failures);
            assertTrue(granted > 0, "no reservation was granted while the allocator raced");
            assertEquals(0, parent.stats().reservedBytes());
        }
    }

    @Test
    void shouldRejectANegativeChildLimit() {
        try (Pool parent = Pool.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parent.child(-5));
            assertEquals("limitBytes must be >= 0 but was -5", e.getMessage());
        }
    }

    // ---- listeners -------------------------------------------------------------------------------------------

    @Test
    void shouldRetryOnceAfterTheListenerFreesABlockOfTheSamePool() {
        List<Long> cache = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        List<PoolStats> seen = new ArrayList<>();
        try (Pool pool = Pool.builder().limit(100).listener((p, requested, stats) -> {
            calls.incrementAndGet();
            seen.add(stats);
            assertEquals(50, requested);
            p.free(cache.remove(0));
            return true;
        }).open()) {
            cache.add(pool.alloc(50, 1));
            long kept = pool.alloc(50, 1);
            long fresh = pool.alloc(50, 1);
            assertEquals(1, calls.get());
            assertEquals(new PoolStats(100, 2, 100, 2, 0, 1, 100, 0), seen.get(0));
            assertTrue(pool.owns(kept));
            assertTrue(pool.owns(fresh));
            assertEquals(new PoolStats(100, 2, 100, 3, 1, 1, 100, 0), pool.stats());
        }
    }

    @Test
    void shouldThrowWhenTheRetryFailsAgain() {
        AtomicInteger calls = new AtomicInteger();
        try (Pool pool = Pool.builder().limit(10).listener((p, requested, stats) -> {
            calls.incrementAndGet();
            return true;
        }).open()) {
            NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(11, 1));
            assertTrue(e.getMessage().contains("limit exceeded: requested 11 bytes"), e.getMessage());
            assertEquals(1, calls.get());
            assertEquals(2, pool.stats().failedAllocs());
            assertEquals(0, pool.liveBlocks());
        }
    }

    @Test
    void shouldNotRetryWhenTheListenerDeclines() {
        AtomicInteger calls = new AtomicInteger();
        try (Pool pool = Pool.builder().limit(10).listener((p, requested, stats) -> {
            calls.incrementAndGet();
            return false;
        }).open()) {
            assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(11, 1));
            assertEquals(1, calls.get());
            assertEquals(1, pool.stats().failedAllocs());
        }
    }

    @Test
    void shouldAskTheListenerBeforeRefusingAChildReservation() {
        List<Pool> children = new ArrayList<>();
        try (Pool parent = Pool.builder().limit(100).listener((p, requested, stats) -> {
            assertEquals(60, requested);
            assertEquals(60, stats.reservedBytes());
            children.remove(0).close();
            return true;
        }).open()) {
            children.add(parent.child(60));
            Pool second = parent.child(60);
            assertTrue(second.isOpen());
            assertEquals(60, parent.stats().reservedBytes());
            assertTrue(children.isEmpty());
        }
    }

    @Test
    void shouldRunTheReadmeExample() {
        java.util.Deque<Long> cache = new java.util.ArrayDeque<>();
        AtomicInteger calls = new AtomicInteger();
        try (Pool request = Pool.builder().limit(8 << 20).listener((pool, requested, stats) -> {
            calls.incrementAndGet();
            if (cache.isEmpty()) {
                return false;
            }
            pool.free(cache.removeFirst());
            return true;
        }).open()) {
            try (Pool parse = request.child(2 << 20)) {
                parse.alloc(1 << 20, 1);
                assertThrows(NativeOutOfMemoryError.class, () -> request.alloc(7 << 20, 1));
            }
            assertEquals(1, calls.get());
            cache.add(request.alloc(7 << 20, 1));
            long last = request.alloc(2 << 20, 1);
            assertEquals(2, calls.get());
            assertTrue(cache.isEmpty());
            assertEquals(new PoolStats(2 << 20, 1, 7 << 20, 2, 1, 2, 8 << 20, 0), request.stats());
            assertEquals(2 << 20, request.sizeOf(last));
        }
    }

    @Test
    void shouldNotCallTheListenerForAllocatorFailures() {
        AtomicInteger calls = new AtomicInteger();
        try (Pool pool = Pool.builder().listener((p, requested, stats) -> calls.incrementAndGet() > 0).open()) {
            assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(1L << 60, 1));
            assertEquals(0, calls.get());
            assertNull(pool.parent());
        }
    }
}
