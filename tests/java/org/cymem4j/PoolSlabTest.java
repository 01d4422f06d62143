package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * Small blocks of pools on the system allocator and the named backends come from slabs (no allocator call per block):
 * through the public API every block still behaves as its own, and the allocators whose meaning is one call per block
 * (Java hooks, failing, debug) and {@link PoolBuilder#perBlockAllocation()} keep that meaning.
 */
class PoolSlabTest {

    /** A Java-hook allocator over JavaCPP's malloc/free that counts the blocks it made and still holds. */
    private static final class CountingHooks implements Allocator.Hooks {
        final AtomicLong mallocs = new AtomicLong();
        final Map<Long, org.bytedeco.javacpp.Pointer> live = new HashMap<>();

        @Override
        public synchronized long malloc(long size) {
            mallocs.incrementAndGet();
            org.bytedeco.javacpp.Pointer p = org.bytedeco.javacpp.Pointer.malloc(size);
            live.put(p.address(), p);
            return p.address();
        }

        @Override
        public synchronized void free(long address) {
            org.bytedeco.javacpp.Pointer.free(live.remove(address));
        }
    }

    @Test
    void shouldCountReusedSlabBlocksExactly() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 100);
            long b = pool.alloc(3, 7);
            pool.free(a);
            long c = pool.alloc(1, 99); // reuses a's slot of the 112-byte class
            assertEquals(2, pool.liveBlocks());
            assertEquals(21 + 99, pool.liveBytes());
            assertEquals(99, pool.sizeOf(c));
            assertEquals(21, pool.sizeOf(b));
            assertEquals(Map.of(b, 21L, c, 99L), pool.addresses());
            Block block = pool.block(c);
            for (long i = 0; i < 99; i++) {
                assertEquals(0, block.getByte(i), "byte " + i + " of a reused block");
            }
            pool.free(b);
            pool.free(c);
            assertEquals(0, pool.liveBlocks());
            assertEquals(0, pool.liveBytes());
        }
    }

    @Test
    void shouldRefuseDoubleInteriorAndForeignFreesOfSlabBlocks() {
        try (Pool pool = Pool.open(); Pool other = Pool.open()) {
            long p = pool.alloc(1, 64);
            long q = other.alloc(1, 64);
            assertThrows(IllegalArgumentException.class, () -> pool.free(q));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.free(p + 16));
            assertTrue(e.getMessage().contains("is inside block 0x" + Long.toHexString(p) + " (64 bytes)"),
                    e.getMessage());
            pool.free(p);
            assertThrows(IllegalArgumentException.class, () -> pool.free(p));
            assertThrows(IllegalArgumentException.class, () -> pool.sizeOf(p));
            assertFalse(pool.owns(p));
            assertTrue(other.owns(q));
            assertEquals(0, pool.liveBlocks());
        }
    }

    @Test
    void shouldMoveAcrossClassesAndIntoTheTableOnRealloc() {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(1, 40);
            Block b = pool.block(p);
            for (int i = 0; i < 40; i++) {
                b.putByte(i, (byte) (i + 1));
            }
            long q = pool.realloc(p, 9000); // past the largest class
            assertFalse(pool.owns(p));
            assertEquals(9000, pool.sizeOf(q));
            Block grown = pool.block(q);
            for (int i = 0; i < 9000; i++) {
                assertEquals(i < 40 ? i + 1 : 0, grown.getByte(i), "byte " + i);
            }
            long r = pool.realloc(q, 30);
            assertEquals(30, pool.sizeOf(r));
            assertEquals(1, pool.liveBlocks());
            assertEquals(30, pool.liveBytes());
        }
    }

    @Test
    void shouldReportTheClassSizeAsUsableForSlabBlocksAndTheBackendsPerBlock() {
        try (Pool slabs = Pool.open(); Pool perBlock = Pool.builder().perBlockAllocation().open()) {
            long s = slabs.alloc(1, 8);
            long p = perBlock.alloc(1, 8);
            assertEquals(16, Allocator.usableSize(slabs, s)); // the smallest class
            // A malloc of its own, not a slab's 16: a glibc chunk (a multiple of 16 bytes, 8 of them its header), at
            // least the smallest (24 usable bytes on 64-bit); a calloc may hand out a larger free chunk whole when
            // splitting it would leave less than the smallest, so 24 exactly depends on the heap's history.
            long usable = Allocator.usableSize(perBlock, p);
            assertTrue(usable >= 24 && (usable + 8) % 16 == 0, "usable size " + usable);
        }
    }

    @Test
    void shouldCallAJavaHookAllocatorOncePerBlock() {
        CountingHooks hooks = new CountingHooks();
        Allocator traced = Allocator.fromJava("counted", hooks);
        try (Pool pool = Pool.open(traced)) {
            pool.alloc(1, 64); // the table (16 slots), then the block
            assertEquals(2, hooks.mallocs.get());
            for (int i = 0; i < 7; i++) {
                pool.alloc(1, 64);
            }
            assertEquals(2 + 7, hooks.mallocs.get()); // the 16-slot table holds 8 blocks: one call per block
        }
        assertEquals(0, hooks.live.size());
    }

    @Test
    void shouldFailTheNthBlockOfAFailingAllocator() {
        Allocator failing = Allocator.failing(Allocator.system(), Allocator.FailurePlan.nthCall(4));
        try (Pool pool = Pool.open(failing)) {
            pool.alloc(1, 16); // calls 1 (the table) and 2
            pool.alloc(1, 16); // call 3
            assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(1, 16)); // call 4
            pool.alloc(1, 16);
            assertEquals(3, pool.liveBlocks());
            assertEquals(5, failing.failureCounts()[0]);
        }
    }

    @Test
    void shouldGiveEveryBlockOfADebugPoolItsOwnGuards() {
        try (Pool pool = Pool.open(Allocator.debug(Allocator.system()))) {
            long p = pool.alloc(1, 32);
            // the debug allocator's record of the block: usable is exactly the size asked for, not a class size
            assertEquals(32, Allocator.usableSize(pool, p));
        }
    }

    @Test
    void shouldKeepSlabBlocksWithinTheLimit() {
        try (Pool pool = Pool.builder().limit(1000).open()) {
            long p = pool.alloc(1, 600);
            assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(1, 401));
            long q = pool.alloc(1, 400);
            assertEquals(1000, pool.liveBytes());
            assertThrows(NativeOutOfMemoryError.class, () -> pool.realloc(q, 401));
            pool.free(p);
            assertNotEquals(q, pool.alloc(1, 600));
        }
    }

    @Test
    void shouldServeSlabBlocksOfASharedPoolToManyThreads() throws InterruptedException {
        try (Pool pool = Pool.openShared()) {
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                threads[t] = new Thread(() -> {
                    long[] mine = new long[32];
                    for (int i = 0; i < 20_000; i++) {
                        int k = i % mine.length;
                        if (mine[k] != 0) {
                            pool.free(mine[k]);
                        }
                        mine[k] = pool.alloc(1, i % 300);
                    }
                    for (long m : mine) {
                        pool.free(m);
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(0, pool.liveBlocks());
            assertEquals(0, pool.liveBytes());
        }
    }
}
