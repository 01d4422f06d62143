package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.LogRecord;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.cymem4j.internal.RawPointer;
import org.cymem4j.testing.LogCapture;
import org.junit.jupiter.api.Test;

/**
 * Allocators chosen through the API: memory really comes from the named library (its own counters grow), blocks go
 * back to their own pool's allocator, and the debug and failing allocators catch and inject failures. Surefire runs
 * with GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384 so that jemalloc can load.
 */
class AllocatorTest {
    private static final int MIB = 1 << 20;

    /** Writes one byte at an address, bypassing the Java bounds checks (as buggy C code would). */
    private static void poke(long address, int value) {
        new BytePointer(new RawPointer(address, 1)).put(0L, (byte) value);
    }

    @Test
    void shouldTakeJemallocPoolMemoryFromJemalloc() {
        Allocator je = Allocator.named("jemalloc");
        try (Pool pool = Pool.open(je)) {
            long before = je.backendAllocatedBytes();
            long p = pool.alloc(4, MIB);
            assertTrue(je.backendAllocatedBytes() - before >= 4 * MIB);
            assertTrue(Allocator.usableSize(pool, p) >= 4 * MIB);
            assertEquals("jemalloc", pool.allocatorName());
        }
    }

    @Test
    void shouldTakeTcmallocPoolMemoryFromTcmalloc() {
        Allocator tc = Allocator.named("tcmalloc");
        try (Pool pool = Pool.openShared(tc)) {
            long before = tc.backendAllocatedBytes();
            long p = pool.alloc(3, MIB);
            assertTrue(tc.backendAllocatedBytes() - before >= 3 * MIB);
            assertTrue(Allocator.usableSize(pool, p) >= 3 * MIB);
        }
    }

    @Test
    void shouldTakeMimallocPoolMemoryFromMimalloc() {
        Allocator mi = Allocator.named("mimalloc");
        try (Pool pool = Pool.open(mi)) {
            long before = mi.backendAllocatedBytes();
            for (int i = 0; i < 64; i++) {
                pool.alloc(1, MIB);
            }
            assertTrue(mi.backendAllocatedBytes() - before >= 64L * MIB, "mimalloc committed nothing new");
        }
    }

    @Test
    void shouldFreeEachBlockThroughItsOwnPoolsAllocator() {
        Allocator je = Allocator.named("jemalloc");
        Allocator tc = Allocator.named("tcmalloc");
        Pool sysPool = Pool.open(Allocator.system());
        try (Pool jePool = Pool.open(je); Pool tcPool = Pool.open(tc)) {
            long je0 = je.backendAllocatedBytes();
            long tc0 = tc.backendAllocatedBytes();
            long a = jePool.alloc(4, MIB);
            long b = tcPool.alloc(4, MIB);
            sysPool.alloc(4, MIB);
            long je1 = je.backendAllocatedBytes();
            long tc1 = tc.backendAllocatedBytes();
            assertTrue(je1 - je0 >= 4 * MIB && tc1 - tc0 >= 4 * MIB);
            sysPool.close();
            assertEquals(je1, je.backendAllocatedBytes());
            assertEquals(tc1, tc.backendAllocatedBytes());
            assertThrows(IllegalArgumentException.class, () -> tcPool.free(a));
            jePool.free(a);
            assertTrue(je1 - je.backendAllocatedBytes() >= 4 * MIB);
            assertEquals(tc1, tc.backendAllocatedBytes());
            tcPool.free(b);
            assertTrue(tc1 - tc.backendAllocatedBytes() >= 4 * MIB);
        } finally {
            sysPool.close();
        }
    }

    @Test
    void shouldRejectAnUnknownNameListingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Allocator.named("jemaloc"));
        assertEquals("allocator 'jemaloc': unknown allocator 'jemaloc'; valid names: system, jemalloc, mimalloc, "
                + "mimalloc-heap, tcmalloc", e.getMessage());
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class, () -> DefaultAllocator.fromValue("path:lib.so"));
        assertEquals("allocator value 'path:lib.so': the path must be absolute", v.getMessage());
    }

    @Test
    void shouldRejectALibraryThatDoesNotDefineTheSymbols() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Allocator.library(Path.of("libm.so.6"), "malloc", "free"));
        assertTrue(e.getMessage().startsWith("allocator library libm.so.6 is not available: libm.so.6 does not define "
                + "malloc (the symbol found comes from "), e.getMessage());
    }

    @Test
    void shouldUseALibraryByPathWithItsOwnSymbolNames() {
        Allocator tc = Allocator.library(Path.of("libtcmalloc_minimal.so.4"), "tc_malloc", "tc_free", null, null,
                "tc_malloc_size");
        assertEquals("libtcmalloc_minimal.so.4", tc.name());
        try (Pool pool = Pool.open(tc)) {
            long p = pool.alloc(1, 1000);
            pool.block(p).putInt(996, 7);
            long q = pool.realloc(p, 5000);
            assertEquals(7, pool.block(q).getInt(996));
            assertTrue(Allocator.usableSize(pool, q) >= 5000);
        }
    }

    @Test
    void shouldWrapNativeMallocAndFreePointers() {
        long malloc = Loader.addressof("malloc").address();
        long free = Loader.addressof("free").address();
        Allocator wrapped = Allocator.functions(malloc, free);
        assertEquals("wrapped", wrapped.name());
        try (Pool pool = Pool.open(wrapped)) {
            long p = pool.alloc(10, 4);
            assertEquals(0, pool.block(p).getInt(36));
            pool.realloc(p, 100);
            assertEquals(1, pool.liveBlocks());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Allocator.functions(malloc, 0));
        assertEquals("mallocFn and freeFn must not be 0: mallocFn=" + org.cymem4j.internal.Checks.hex(malloc) + " freeFn=0x0",
                e.getMessage());
    }

    @Test
    void shouldReportAOneByteOverrunOnFreeWithSizeAndSite() {
        try (Pool pool = Pool.open(Allocator.debug(Allocator.system()))) {
            assertEquals("debug(system)", pool.allocatorName());
            long p = pool.alloc(1, 24);
            poke(p + 24, 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.free(p));
            assertTrue(e.getMessage().contains(" free(" + org.cymem4j.internal.Checks.hex(p) + "): write past the end "
                    + "of block " + org.cymem4j.internal.Checks.hex(p) + " (24 bytes, allocation #2): the byte at "
                    + "offset 24 was changed; allocated at\n\tat org.cymem4j.AllocatorTest."
                    + "shouldReportAOneByteOverrunOnFreeWithSizeAndSite"), e.getMessage());
            assertFalse(pool.owns(p));
            assertEquals(0, pool.liveBlocks());
        }
    }

    @Test
    void shouldReportAnOverrunAtCloseAndStillFreeEverything() {
        Pool pool = Pool.open(Allocator.debug(Allocator.named("mimalloc")));
        long p = pool.alloc(1, 40);
        poke(p - 1, 9);
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::close);
        assertTrue(e.getMessage().contains("close(): write before the start of block "
                + org.cymem4j.internal.Checks.hex(p) + " (40 bytes, allocation #2): the byte 1 before it was changed"),
                e.getMessage());
        assertFalse(pool.isOpen());
    }

    @Test
    void shouldCatchADoubleFreeThroughADebugPool() {
        try (Pool pool = Pool.open(Allocator.debug(Allocator.system()))) {
            long p = pool.alloc(1, 8);
            pool.free(p);
            assertThrows(IllegalArgumentException.class, () -> pool.free(p));
            assertEquals(0, pool.liveBlocks());
        }
    }

    @Test
    void shouldLogTheBlocksStillLiveAtCloseWithTheirSites() {
        try (LogCapture log = LogCapture.start()) {
            long p;
            try (Pool pool = Pool.open(Allocator.debug(Allocator.system()))) {
                p = pool.alloc(3, 8);
                pool.free(pool.alloc(1, 1));
            }
            String report = log.messages().stream().filter(m -> m.contains("still live")).findFirst().orElseThrow();
            assertTrue(report.contains(" closed with 1 block(s) still live (freed by close()):\n  "
                    + org.cymem4j.internal.Checks.hex(p) + " (24 bytes) allocated at\n\tat org.cymem4j.AllocatorTest."
                    + "shouldLogTheBlocksStillLiveAtCloseWithTheirSites"), report);
        }
    }

    @Test
    void shouldFailTheTablesFirstGrowthAndRecover() {
        Allocator flaky = Allocator.failing(Allocator.system(), Allocator.FailurePlan.nthCall(1));
        try (Pool pool = Pool.open(flaky)) {
            NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(1, 8));
            assertTrue(e.getMessage().startsWith("the failing(system) allocator could not provide 8 bytes"),
                    e.getMessage());
            assertEquals(0, pool.liveBlocks());
            long p = pool.alloc(1, 8);
            assertTrue(pool.owns(p));
            assertEquals(3, flaky.failureCounts()[0]);
            assertEquals(1, flaky.failureCounts()[1]);
        }
        assertEquals(0, flaky.failureCounts()[2]);
    }

    @Test
    void shouldFailTableGrowthOfAFullTableKeepingEveryBlock() {
        // call 1 makes the 16-slot table, calls 2..9 eight blocks; call 10 is the growth to 32 slots
        Allocator flaky = Allocator.failing(Allocator.system(), Allocator.FailurePlan.nthCall(10));
        try (Pool pool = Pool.open(flaky)) {
            long[] blocks = new long[8];
            for (int i = 0; i < 8; i++) {
                blocks[i] = pool.alloc(1, 8);
                pool.block(blocks[i]).putLong(0, i);
            }
            assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(1, 8));
            assertEquals(8, pool.liveBlocks());
            for (int i = 0; i < 8; i++) {
                assertEquals(i, pool.block(blocks[i]).getLong(0));
            }
            pool.alloc(1, 8);
            assertEquals(9, pool.liveBlocks());
        }
    }

    @Test
    void shouldFailReallocKeepingTheOldBlock() {
        Allocator flaky = Allocator.failing(Allocator.system(), Allocator.FailurePlan.everyNthCall(3));
        try (Pool pool = Pool.open(flaky)) {
            long p = pool.alloc(1, 16); // calls 1 (table) and 2
            pool.block(p).putLong(8, 42);
            assertThrows(NativeOutOfMemoryError.class, () -> pool.realloc(p, 64)); // call 3
            assertEquals(16, pool.sizeOf(p));
            assertEquals(42, pool.block(p).getLong(8));
            long q = pool.realloc(p, 64); // call 4
            assertEquals(42, pool.block(q).getLong(8));
        }
    }

    @Test
    void shouldFailAboveTheByteBudget() {
        Allocator budget = Allocator.failing(Allocator.system(), Allocator.FailurePlan.aboveBytes(1000));
        try (Pool pool = Pool.open(budget); Pool other = Pool.open(budget)) {
            pool.alloc(1, 400); // + 256 bytes of table
            NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> other.alloc(1, 100));
            assertEquals(100, e.requestedBytes()); // other's table (256) + 100 would pass 1000
            assertEquals(1, pool.liveBlocks());
            assertEquals(0, other.liveBlocks());
        }
        assertThrows(IllegalArgumentException.class, () -> Allocator.FailurePlan.nthCall(-1));
    }

    @Test
    void shouldKeepMimallocHeapPoolsOnTheirThread() throws Exception {
        Allocator heap = Allocator.named("mimalloc-heap");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pool.openShared(heap));
        assertEquals("the mimalloc-heap allocator gives each pool a heap that belongs to one thread: use "
                + "Pool.open(allocator), not openShared", e.getMessage());
        try (Pool pool = Pool.open(heap)) {
            for (int i = 0; i < 10_000; i++) {
                pool.alloc(1, 32);
            }
            long p = pool.alloc(1, 100);
            assertTrue(Allocator.usableSize(pool, p) >= 100);
            IllegalStateException h = assertThrows(IllegalStateException.class, () -> pool.handoff(new Thread()));
            assertTrue(h.getMessage().endsWith(" uses the mimalloc-heap allocator, whose heap belongs to the thread "
                    + "that opened the pool: it cannot be handed off"), h.getMessage());
            assertEquals(10_001, pool.liveBlocks());
        }
    }

    /** Java hooks over JavaCPP's malloc/free that count calls and live bytes. */
    private static final class CountingHooks implements Allocator.Hooks {
        final AtomicLong mallocs = new AtomicLong();
        final AtomicLong frees = new AtomicLong();
        final java.util.Map<Long, Pointer> live = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public long malloc(long size) {
            mallocs.incrementAndGet();
            Pointer p = Pointer.malloc(size);
            live.put(p.address(), p);
            return p.address();
        }

        @Override
        public void free(long address) {
            frees.incrementAndGet();
            Pointer.free(live.remove(address));
        }
    }

    @Test
    void shouldAllocateAndFreeThroughJavaHooks() {
        CountingHooks hooks = new CountingHooks();
        Allocator counted = Allocator.fromJava("counted", hooks);
        assertEquals("counted", counted.name());
        try (Pool pool = Pool.openShared(counted)) {
            long p = pool.alloc(4, 8);
            assertTrue(hooks.live.containsKey(p));
            assertEquals(0, pool.block(p).getLong(24)); // calloc synthesised: zeroed
            pool.block(p).putLong(24, 5);
            long q = pool.realloc(p, 64); // realloc synthesised: malloc + copy + free
            assertEquals(5, pool.block(q).getLong(24));
            assertEquals(3, hooks.mallocs.get()); // table, block, new block
            assertEquals(1, hooks.frees.get());
        }
        assertEquals(hooks.mallocs.get(), hooks.frees.get());
        assertTrue(hooks.live.isEmpty());
    }

    @Test
    void shouldTreatAThrowingJavaHookAsOutOfMemory() {
        Allocator broken = Allocator.fromJava("broken", new Allocator.Hooks() {
            @Override
            public long malloc(long size) {
                throw new IllegalStateException("no");
            }

            @Override
            public void free(long address) {
            }
        });
        try (LogCapture log = LogCapture.start()) { // the expected WARNING stays out of the console
            try (Pool pool = Pool.open(broken)) {
                NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(1, 8));
                assertTrue(e.getMessage().startsWith("the broken allocator could not provide 8 bytes"), e.getMessage());
                assertEquals(0, pool.liveBlocks());
            }
            // the table's growth
            assertEquals(List.of("Java allocator hook malloc(256) threw; no memory"), log.messages());
        }
    }

    @Test
    void shouldServeManyJavaHookAllocatorsThroughOneCallbackEach() {
        List<CountingHooks> all = new ArrayList<>();
        List<Pool> pools = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) { // far more than JavaCPP's 10 live callback instances
                CountingHooks hooks = new CountingHooks();
                all.add(hooks);
                Pool pool = Pool.open(Allocator.fromJava("hooks" + i, hooks));
                pools.add(pool);
                pool.alloc(1, 16);
            }
        } finally {
            pools.forEach(Pool::close);
        }
        for (CountingHooks hooks : all) {
            assertEquals(2, hooks.mallocs.get());
            assertEquals(2, hooks.frees.get());
        }
    }

    @Test
    void shouldGiveChildPoolsTheirParentsAllocator() {
        Allocator tc = Allocator.named("tcmalloc");
        try (Pool parent = Pool.builder().allocator(tc).limit(64L * MIB).open()) {
            Pool child = parent.child(8 * MIB);
            assertEquals("tcmalloc", child.allocatorName());
            long before = tc.backendAllocatedBytes();
            child.alloc(4, MIB);
            assertTrue(tc.backendAllocatedBytes() - before >= 4 * MIB);
        }
    }
}
