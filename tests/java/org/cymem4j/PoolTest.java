package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.cymem4j.internal.Checks;
import org.cymem4j.javacpp.PoolPointers;

class PoolTest {

    private static Throwable thrownOnAnotherThread(Runnable action) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                action.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "other-thread");
        t.start();
        t.join();
        return thrown.get();
    }

    @Test
    void shouldHandOutZeroedBlocksAndCountThem() {
        try (Pool pool = Pool.open()) {
            long ints = pool.alloc(10, Integer.BYTES);
            long floats = pool.alloc(12, Float.BYTES);
            assertNotEquals(0, ints);
            assertTrue(pool.owns(ints) && pool.owns(floats));
            assertEquals(40, pool.sizeOf(ints));
            assertEquals(48, pool.sizeOf(floats));
            assertEquals(88, pool.liveBytes());
            assertEquals(2, pool.liveBlocks());
            Block b = pool.block(ints);
            for (int i = 0; i < 10; i++) {
                assertEquals(0, b.getInt(i * 4L));
            }
            assertEquals(Map.of(ints, 40L, floats, 48L), pool.addresses());
        }
    }

    @Test
    void shouldGiveUniqueNonZeroAddressesForZeroByteRequests() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(0, 8);
            long b = pool.alloc(8, 0);
            assertNotEquals(0, a);
            assertNotEquals(a, b);
            assertEquals(0, pool.sizeOf(a));
            assertEquals(0, pool.liveBytes());
            assertEquals(2, pool.liveBlocks());
        }
    }

    @Test
    void shouldFreeEveryBlockOnClose() {
        long before = Pools.liveBlocks();
        Pool pool = Pool.open();
        for (int i = 0; i < 1000; i++) {
            pool.alloc(1, 64);
        }
        assertEquals(before + 1000, Pools.liveBlocks());
        pool.close();
        assertEquals(before, Pools.liveBlocks());
        assertFalse(pool.isOpen());
        pool.close(); // idempotent
    }

    @Test
    void shouldRejectNegativeCountsAndSizesNamingTheValue() {
        try (Pool pool = Pool.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.alloc(-3, 8));
            assertEquals("count must be >= 0 but was -3", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> pool.alloc(3, -8));
            assertEquals("elemSize must be >= 0 but was -8", e.getMessage());
            long p = pool.alloc(1, 8);
            e = assertThrows(IllegalArgumentException.class, () -> pool.realloc(p, -1));
            assertEquals("newBytes must be >= 0 but was -1", e.getMessage());
            assertEquals(8, pool.sizeOf(p));
            assertEquals(1, pool.liveBlocks());
        }
    }

    @Test
    void shouldRejectOverflowInsteadOfWrapping() {
        try (Pool pool = Pool.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pool.alloc(1L << 33, 1L << 31));
            assertTrue(e.getMessage().contains("count=8589934592 elemSize=2147483648"), e.getMessage());
            assertEquals(0, pool.liveBlocks());
        }
    }

    @Test
    void shouldRefuseToFreeForeignInteriorOrFreedAddressesAndFreeNothing() {
        try (Pool pool = Pool.open(); Pool other = Pool.open()) {
            long p = pool.alloc(1, 64);
            long q = other.alloc(1, 64);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.free(q));
            assertTrue(e.getMessage().contains("not a live block of Pool#"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> pool.free(p + 8));
            assertTrue(e.getMessage().contains("is inside block 0x" + Long.toHexString(p) + " (64 bytes)"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> pool.free(0));
            assertTrue(pool.owns(p) && other.owns(q));
            pool.free(p);
            e = assertThrows(IllegalArgumentException.class, () -> pool.free(p)); // double free
            assertTrue(e.getMessage().contains("already freed"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> pool.realloc(p, 128));
            assertThrows(IllegalArgumentException.class, () -> pool.sizeOf(p));
            assertEquals(0, pool.liveBlocks());
            assertEquals(1, other.liveBlocks());
        }
    }

    @Test
    void shouldKeepContentsAndZeroGrowthOnRealloc() {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(4, Integer.BYTES);
            pool.block(p).putInt(12, 42);
            long q = pool.realloc(p, 1 << 20);
            Block b = pool.block(q);
            assertEquals(42, b.getInt(12));
            assertEquals(0, b.getInt(16));
            assertEquals(0, b.getLong((1 << 20) - 8));
            assertEquals(1 << 20, pool.sizeOf(q));
            long r = pool.realloc(q, 16);
            assertEquals(42, pool.block(r).getInt(12));
            assertEquals(16, pool.liveBytes());
        }
    }

    @Test
    void shouldReportAllocationFailureWithTheRequestAndLeaveThePoolUnchanged() {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(1, 16);
            pool.block(p).putLong(8, 7);
            NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(1L << 60, 1));
            assertEquals(1L << 60, e.requestedBytes());
            assertTrue(e.getMessage().contains("could not provide 1152921504606846976 bytes"), e.getMessage());
            e = assertThrows(NativeOutOfMemoryError.class, () -> pool.realloc(p, 1L << 60));
            assertTrue(e.getMessage().contains("the old block is unchanged and still owned"), e.getMessage());
            assertTrue(pool.owns(p));
            assertEquals(16, pool.sizeOf(p));
            assertEquals(7, pool.block(p).getLong(8));
            assertEquals(1, pool.liveBlocks());
        }
    }

    @Test
    void shouldThrowOnEveryCallAfterClose() {
        Pool pool = Pool.open();
        long p = pool.alloc(1, 8);
        Block b = pool.block(p);
        pool.close();
        List<Runnable> calls = List.of(() -> pool.alloc(1, 8), () -> pool.free(p), () -> pool.realloc(p, 16),
                () -> pool.owns(p), () -> pool.sizeOf(p), pool::liveBytes, pool::liveBlocks, pool::addresses,
                () -> pool.block(p), () -> b.getLong(0), () -> b.putLong(0, 1), b::address, pool::nativeHandle,
                () -> pool.attach(() -> { }), () -> PoolPointers.allocInts(pool, 1));
        for (Runnable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
            assertTrue(e.getMessage().endsWith(" is closed") || e.getMessage().endsWith(" was freed"), e.getMessage());
        }
        assertTrue(pool.toString().endsWith("(closed)"));
    }

    @Test
    void shouldConfineAPoolToItsThread() throws InterruptedException {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(1, 8);
            Throwable e = thrownOnAnotherThread(() -> pool.alloc(1, 8));
            assertTrue(e instanceof IllegalStateException, String.valueOf(e));
            assertTrue(e.getMessage().contains("but was used from thread 'other-thread'"), e.getMessage());
            assertTrue(thrownOnAnotherThread(() -> pool.block(p)) instanceof IllegalStateException);
            assertTrue(thrownOnAnotherThread(pool::close) instanceof IllegalStateException);
            assertTrue(pool.isOpen());
            assertEquals(1, pool.liveBlocks());
        }
    }

    @Test
    void shouldHandAConfinedPoolToAnotherThread() throws InterruptedException {
        Pool pool = Pool.open();
        long p = pool.alloc(1, 8);
        pool.block(p).putLong(0, 99);
        AtomicReference<Long> seen = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try (pool) {
                seen.set(pool.block(p).getLong(0));
            }
        });
        pool.handoff(worker);
        assertThrows(IllegalStateException.class, () -> pool.alloc(1, 8)); // no longer ours
        worker.start();
        worker.join();
        assertEquals(99L, seen.get());
        assertFalse(pool.isOpen());
        try (Pool shared = Pool.openShared()) {
            assertThrows(IllegalStateException.class, () -> shared.handoff(worker));
        }
    }

    @Test
    void shouldLetManyThreadsUseASharedPoolAndSurviveARacingClose() throws InterruptedException {
        for (int round = 0; round < 20; round++) {
            Pool pool = Pool.openShared();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> unexpected = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread th = new Thread(() -> {
                    try {
                        for (int i = 0; i < 100_000; i++) {
                            long p = pool.alloc(1, 32);
                            pool.block(p).putLong(24, i);
                            pool.free(p);
                        }
                    } catch (IllegalStateException expected) {
                        // the pool closed under us: the only acceptable failure
                    } catch (Throwable e) {
                        synchronized (unexpected) {
                            unexpected.add(e);
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            Thread.sleep(round % 3);
            pool.close();
            for (Thread th : threads) {
                th.join();
            }
            assertEquals(List.of(), unexpected);
            assertFalse(pool.isOpen());
        }
    }

    @Test
    void shouldCloseAttachedResourcesInReverseOrder() {
        List<String> closed = new ArrayList<>();
        Pool pool = Pool.open();
        AutoCloseable first = pool.attach(() -> closed.add("first"));
        pool.attach(() -> closed.add("second"));
        assertEquals(List.of(), closed);
        pool.close();
        assertEquals(List.of("second", "first"), closed);
        assertTrue(first != null);
    }

    @Test
    void shouldReportAFailingAttachedResourceAfterFreeingThePool() {
        Pool pool = Pool.open();
        pool.alloc(1, 8);
        pool.attach(() -> {
            throw new java.io.IOException("boom");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::close);
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
        assertFalse(pool.isOpen());
    }

    @Test
    void shouldReturnTheSameBlockAccessorAndInvalidateItOnFreeAndRealloc() {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(2, 8);
            Block b = pool.block(p);
            assertSame(b, pool.block(p));
            long q = pool.realloc(p, 32);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.getLong(0));
            assertEquals("block " + Checks.hex(p) + " (16 bytes) of " + pool.resource.name()
                    + " was resized by realloc: use the address it returned", e.getMessage());
            Block c = pool.block(q);
            assertEquals(32, c.byteSize());
            long r = pool.realloc(q, 24); // shrinks in place (the same slab class): the old accessor still ends
            e = assertThrows(IllegalStateException.class, () -> c.getLong(0));
            assertTrue(e.getMessage().endsWith("was resized by realloc: use the address it returned"), e.getMessage());
            Block d = pool.block(r);
            assertEquals(24, d.byteSize());
            pool.free(r);
            e = assertThrows(IllegalStateException.class, () -> d.putLong(0, 1));
            assertEquals("block " + Checks.hex(r) + " (24 bytes) of " + pool.resource.name() + " was freed",
                    e.getMessage());
        }
    }

    @Test
    void shouldSnapshotAddressesWithoutLettingTheSnapshotChangeThePool() {
        try (Pool pool = Pool.open()) {
            Set<Long> expected = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                expected.add(pool.alloc(1, i));
            }
            Map<Long, Long> snapshot = pool.addresses();
            assertEquals(expected, snapshot.keySet());
            assertThrows(UnsupportedOperationException.class, () -> snapshot.clear());
            pool.free(expected.iterator().next());
            assertEquals(100, snapshot.size());
            assertEquals(99, pool.addresses().size());
        }
    }

    @Test
    void shouldDescribeItselfWithItsCounts() {
        try (Pool pool = Pool.open()) {
            pool.alloc(2, 32);
            assertTrue(pool.toString().matches("Pool#\\d+ \\(confined, system allocator, 1 blocks, 64 bytes\\)"),
                    pool.toString());
        }
    }
}
