package org.cymem4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.cymem4j.Allocator;
import org.cymem4j.Block;
import org.cymem4j.NativeOutOfMemoryError;
import org.cymem4j.Pool;
import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pool contract, run once per allocator: system, debug, failing (with no failure due in the test), and the
 * loaded backends jemalloc, mimalloc, mimalloc-heap and tcmalloc. As in AllocatorTest, a backend whose Debian
 * library is missing is not skipped: {@code Allocator.named} throws and the parameter fails with a message naming
 * the file and the package to install. Blocks are zeroed, read back as written, survive realloc (growth zeroed),
 * free once and only once, refuse foreign and interior addresses naming them, count in the stats, and die with the
 * pool; shared pools (where the allocator allows them) take calls from several threads.
 */
class PoolContractTest {
    @org.junit.jupiter.api.io.TempDir
    Path dir;

    /** The debug allocator logs every block still live at close at INFO, with its site: quiet here. */
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("org.cymem4j");
    private static java.util.logging.Level level;

    @org.junit.jupiter.api.BeforeAll
    static void quiet() {
        level = LOG.getLevel();
        LOG.setLevel(java.util.logging.Level.WARNING);
    }

    @org.junit.jupiter.api.AfterAll
    static void restore() {
        LOG.setLevel(level);
    }

    static Stream<Arguments> allocators() {
        return Stream.of(
                Arguments.of("system", (Supplier<Allocator>) Allocator::system, true),
                Arguments.of("debug", (Supplier<Allocator>) () -> Allocator.debug(Allocator.system()), true),
                Arguments.of("failing (nth call 1000000)", (Supplier<Allocator>) () -> Allocator.failing(Allocator.system(),
                        Allocator.FailurePlan.nthCall(1_000_000)), true),
                Arguments.of("jemalloc", (Supplier<Allocator>) () -> Allocator.named("jemalloc"), true),
                Arguments.of("mimalloc", (Supplier<Allocator>) () -> Allocator.named("mimalloc"), true),
                Arguments.of("mimalloc-heap", (Supplier<Allocator>) () -> Allocator.named("mimalloc-heap"), false),
                Arguments.of("tcmalloc", (Supplier<Allocator>) () -> Allocator.named("tcmalloc"), true),
                Arguments.of("debug:jemalloc", (Supplier<Allocator>) () -> Allocator.debug(Allocator.named("jemalloc")), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allocators")
    void shouldHandOutZeroedBlocksThatReadBackReallocAndFreeOnce(String name, Supplier<Allocator> make,
            boolean sharable) {
        Allocator a = make.get();
        try (Pool pool = Pool.open(a)) {
            List<Long> blocks = new ArrayList<>();
            for (int size : new int[] {0, 1, 7, 64, 4096, 100_000}) {
                long p = pool.alloc(size, 1);
                blocks.add(p);
                Block b = pool.block(p);
                assertEquals(size, b.byteSize());
                byte[] zero = new byte[size];
                byte[] got = new byte[size];
                b.copyTo(0, got, 0, size);
                assertArrayEquals(zero, got, name + ": a new block of " + size + " bytes is not zeroed");
                for (int i = 0; i < size; i++) {
                    got[i] = (byte) (i * 31 + 7);
                }
                b.copyFrom(0, got, 0, size);
                byte[] back = new byte[size];
                b.copyTo(0, back, 0, size);
                assertArrayEquals(got, back);
            }
            assertEquals(6, pool.liveBlocks());
            assertEquals(0 + 1 + 7 + 64 + 4096 + 100_000, pool.liveBytes());

            long p = blocks.get(3);
            Block old = pool.block(p);
            long q = pool.realloc(p, 200);
            assertThrows(IllegalStateException.class, () -> old.getByte(0), "the old accessor dies with realloc");
            Block nb = pool.block(q);
            for (int i = 0; i < 64; i++) {
                assertEquals((byte) (i * 31 + 7), nb.getByte(i), "realloc keeps the contents");
            }
            for (int i = 64; i < 200; i++) {
                assertEquals(0, nb.getByte(i), "realloc zeroes the growth");
            }
            long r = pool.realloc(q, 10);
            assertEquals((byte) 7, pool.block(r).getByte(0));
            assertEquals(10, pool.sizeOf(r));

            pool.free(r);
            assertEquals(5, pool.liveBlocks());
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> pool.free(r));
            assertTrue(twice.getMessage().contains(Long.toHexString(r)), twice.getMessage());
            long interior = blocks.get(4) + 8;
            IllegalArgumentException in = assertThrows(IllegalArgumentException.class, () -> pool.free(interior));
            assertTrue(in.getMessage().contains(Long.toHexString(interior)), in.getMessage());
            assertEquals(5, pool.liveBlocks(), "a refused free freed nothing");
            assertEquals(0 + 1 + 7 + 4096 + 100_000, pool.liveBytes());
            try (Pool other = Pool.open(a)) {
                long foreign = other.alloc(8, 1);
                IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> pool.free(foreign));
                assertTrue(f.getMessage().contains(Long.toHexString(foreign)), f.getMessage());
                assertTrue(other.owns(foreign), "a refused foreign free left the other pool's block alone");
            }
            IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> pool.alloc(-3, 4));
            assertTrue(neg.getMessage().contains("-3"), neg.getMessage());
            assertThrows(IllegalArgumentException.class, () -> pool.alloc(Long.MAX_VALUE, 2));
            assertThrows(IllegalArgumentException.class, () -> pool.realloc(blocks.get(0), -1));
            assertEquals(5, pool.liveBlocks(), "refused allocations changed the pool");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allocators")
    void shouldInvalidateEveryHandleWhenThePoolCloses(String name, Supplier<Allocator> make, boolean sharable) {
        Allocator a = make.get();
        Pool pool = Pool.open(a);
        Block b;
        long p;
        try {
            p = pool.alloc(16, 1);
            b = pool.block(p);
            b.putLong(8, 42);
        } finally {
            pool.close();
        }
        pool.close(); // idempotent
        assertFalse(pool.isOpen());
        assertThrows(IllegalStateException.class, () -> b.getLong(8));
        assertThrows(IllegalStateException.class, () -> pool.alloc(1, 1));
        assertThrows(IllegalStateException.class, () -> pool.free(p));
        assertThrows(IllegalStateException.class, () -> pool.block(p));
    }

    /** Threads of a shared pool, in a child JVM per allocator ({@link SharedPoolContractMain} says why). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("allocators")
    void shouldTakeCallsFromSeveralThreadsOnASharedPool(String name, Supplier<Allocator> make, boolean sharable)
            throws Exception {
        Allocator a = make.get(); // a missing backend fails here, naming its package
        if (!sharable) {
            // mimalloc-heap: one heap per opening thread, so shared pools are refused as a bad argument
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pool.openShared(a).close());
            assertTrue(e.getMessage().contains("mimalloc-heap"), e.getMessage());
            return;
        }
        String value = name.startsWith("failing") ? "failing" : name;
        ChildJvm.Result r = ChildJvm.run(SharedPoolContractMain.class,
                List.of("-D" + SharedPoolContractMain.PROPERTY + "=" + value), Map.of(), null, dir);
        assertEquals(0, r.exit(), name + ":\n" + r.out() + "\n" + r.err());
        assertEquals("SHARED OK " + 4 * 667, r.out().lines().reduce((x, y) -> y).orElse(""),
                "every third block stays until close");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allocators")
    void shouldKeepTheLimitAndLeaveThePoolUnchangedOnRefusal(String name, Supplier<Allocator> make, boolean sharable) {
        Allocator a = make.get();
        try (Pool pool = Pool.builder().allocator(a).limit(1000).open()) {
            long p = pool.alloc(600, 1);
            NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(500, 1));
            assertTrue(e.getMessage().contains("500"), e.getMessage());
            assertThrows(NativeOutOfMemoryError.class, () -> pool.realloc(p, 1001));
            assertEquals(1, pool.liveBlocks());
            assertEquals(600, pool.liveBytes());
            assertEquals(600, pool.sizeOf(p), "a refused realloc leaves the block");
            pool.free(p);
            pool.alloc(1000, 1);
        }
    }

    /** The failing allocator: whichever call number fails, exactly that operation throws and the pool is unchanged. */
    @org.junit.jupiter.params.ParameterizedTest(name = "call {0} fails")
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shouldSurviveAnInjectedFailureAtAnyCallNumber(long n) {
        Allocator a = Allocator.failing(Allocator.system(), Allocator.FailurePlan.nthCall(n));
        try (Pool pool = Pool.open(a)) {
            int failures = 0;
            List<Long> live = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long before = pool.liveBlocks();
                long failedBefore = a.failureCounts()[1];
                try {
                    long p = pool.alloc(32 + i, 1);
                    live.add(p);
                    pool.block(p).putInt(0, i);
                } catch (NativeOutOfMemoryError e) {
                    failures++;
                    assertEquals(before, pool.liveBlocks(), "a failed alloc changed the pool");
                    assertEquals(failedBefore + 1, a.failureCounts()[1]);
                }
            }
            assertEquals(1, failures, "exactly one injected failure");
            assertEquals(7, pool.liveBlocks());
            for (long p : live) {
                assertTrue(pool.owns(p));
            }
        }
    }
}
