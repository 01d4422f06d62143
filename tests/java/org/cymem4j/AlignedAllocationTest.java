package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Pool#allocAligned} through the public API, once per allocator (issue 19): the address is a multiple of the
 * alignment for every power of two from 1 to 1 MiB (and 2 MiB, 1 GiB on the allocators that serve it natively), the
 * block is zeroed and an ordinary block of its pool, realloc keeps the alignment and the contents, close frees them
 * all; bad alignments name the value; an injected failure leaves the pool unchanged.
 */
class AlignedAllocationTest {
    /** A Java-hook allocator with no aligned entry point: the pool over-allocates through its malloc. */
    private static final class JavaHooks implements Allocator.Hooks {
        final Map<Long, Pointer> live = new ConcurrentHashMap<>();

        @Override
        public long malloc(long size) {
            Pointer p = Pointer.malloc(size);
            live.put(p.address(), p);
            return p.address();
        }

        @Override
        public void free(long address) {
            Pointer.free(live.remove(address));
        }
    }

    static Stream<Arguments> allocators() {
        return Stream.of(
                Arguments.of("system", (Supplier<Allocator>) Allocator::system),
                Arguments.of("jemalloc", (Supplier<Allocator>) () -> Allocator.named("jemalloc")),
                Arguments.of("mimalloc", (Supplier<Allocator>) () -> Allocator.named("mimalloc")),
                Arguments.of("mimalloc-heap", (Supplier<Allocator>) () -> Allocator.named("mimalloc-heap")),
                Arguments.of("tcmalloc", (Supplier<Allocator>) () -> Allocator.named("tcmalloc")),
                Arguments.of("debug", (Supplier<Allocator>) () -> Allocator.debug(Allocator.system())),
                Arguments.of("functions(malloc, free)", (Supplier<Allocator>) () -> Allocator.functions(
                        Loader.addressof("malloc").address(), Loader.addressof("free").address())),
                Arguments.of("fromJava", (Supplier<Allocator>) () -> Allocator.fromJava("hooks", new JavaHooks())),
                Arguments.of("failing (never fails)", (Supplier<Allocator>) () -> Allocator.failing(Allocator.system(),
                        Allocator.FailurePlan.nthCall(1_000_000))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allocators")
    void everyAlignmentFromOneByteToOneMebibyte(String name, Supplier<Allocator> allocator) {
        try (Pool pool = Pool.open(allocator.get())) {
            List<Long> blocks = new ArrayList<>();
            for (long alignment = 1; alignment <= 1 << 20; alignment <<= 1) {
                for (long bytes : new long[] {1, 24, 100, 4096 + 8}) {
                    long p = pool.allocAligned(1, bytes, alignment);
                    assertEquals(0, p % alignment, name + ": " + Checks.hex(p) + " for alignment " + alignment);
                    assertEquals(bytes, pool.sizeOf(p));
                    assertTrue(pool.owns(p));
                    Block b = pool.block(p);
                    for (long i = 0; i < bytes; i++) {
                        assertEquals(0, b.getByte(i), name + ": byte " + i + " of an aligned block is not zero");
                    }
                    b.putByte(bytes - 1, (byte) 7);
                    blocks.add(p);
                }
            }
            assertEquals(blocks.size(), pool.liveBlocks());
            long total = 0;
            for (long p : blocks) {
                total += pool.sizeOf(p);
            }
            assertEquals(total, pool.liveBytes(), "the pool counts the requested bytes, not the padding");
            for (int i = 0; i < blocks.size(); i += 2) {
                pool.free(blocks.get(i));
            }
            assertEquals(blocks.size() / 2, pool.liveBlocks());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allocators")
    void reallocKeepsTheAlignmentAndTheContents(String name, Supplier<Allocator> allocator) {
        try (Pool pool = Pool.open(allocator.get())) {
            for (long alignment : new long[] {32, 64, 4096, 1 << 16}) {
                long p = pool.allocAligned(10, 8, alignment);
                for (int i = 0; i < 10; i++) {
                    pool.block(p).putLong(8L * i, 1000 + i);
                }
                long q = pool.realloc(p, 8 * 1000);
                assertEquals(0, q % alignment, name + ": grown block at " + Checks.hex(q));
                Block b = pool.block(q);
                for (int i = 0; i < 10; i++) {
                    assertEquals(1000 + i, b.getLong(8L * i));
                }
                assertEquals(0, b.getLong(8 * 999), "growth is zeroed");
                long r = pool.realloc(q, 16);
                assertEquals(0, r % alignment, name + ": shrunk block at " + Checks.hex(r));
                assertEquals(1001, pool.block(r).getLong(8));
                assertEquals(16, pool.sizeOf(r));
            }
        }
    }

    @Test
    void largerAlignmentsOnTheSystemAllocator() {
        try (Pool pool = Pool.open()) {
            for (long alignment : new long[] {1 << 21, 1 << 30}) {
                long p = pool.allocAligned(1, 64, alignment);
                assertEquals(0, p % alignment);
                pool.free(p);
            }
        }
    }

    @Test
    void badAlignmentsAreRejectedNamingTheValue() {
        try (Pool pool = Pool.open()) {
            for (long bad : new long[] {0, -8, 3, 24, 1L << 31, Long.MIN_VALUE}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> pool.allocAligned(1, 8, bad));
                assertEquals("alignment must be a power of two from 1 to 1073741824 but was " + bad, e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> pool.allocAligned(-1, 8, 64));
            assertThrows(IllegalArgumentException.class, () -> pool.allocAligned(1L << 40, 1L << 20, 64));
            assertEquals(0, pool.liveBlocks(), "no rejected request allocated anything");
        }
    }

    @Test
    void anInjectedFailureLeavesThePoolUnchanged() {
        // call 1 is the pool's address table, call 2 the first aligned block, call 3 fails
        Allocator failing = Allocator.failing(Allocator.system(), Allocator.FailurePlan.nthCall(3));
        try (Pool pool = Pool.open(failing)) {
            long p = pool.allocAligned(4, 8, 256);
            assertThrows(NativeOutOfMemoryError.class, () -> pool.allocAligned(4, 8, 256));
            assertEquals(1, pool.liveBlocks());
            assertEquals(32, pool.liveBytes());
            assertEquals(0, p % 256);
            pool.free(p);
        }
    }

    @Test
    void theLimitCountsTheRequestedBytes() {
        try (Pool pool = Pool.builder().limit(4096).open()) {
            long p = pool.allocAligned(1, 4096, 1 << 16);
            assertEquals(0, p % (1 << 16));
            NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class, () -> pool.allocAligned(1, 1, 64));
            assertTrue(e.getMessage().contains("alignment=64"), e.getMessage());
        }
    }

    /** The test's own copy of how messages print addresses. */
    private static final class Checks {
        static String hex(long address) {
            return "0x" + Long.toHexString(address);
        }
    }
}
