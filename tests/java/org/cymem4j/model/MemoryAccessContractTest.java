package org.cymem4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Stream;

import org.bytedeco.javacpp.IntPointer;
import org.cymem4j.Address;
import org.cymem4j.Block;
import org.cymem4j.NativeMemory;
import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.cymem4j.javacpp.PoolPointers;

/**
 * The memory-access contract, run once per handle type over 8 ints, on a confined and a shared pool: values read
 * back as written; an index outside the memory throws IndexOutOfBoundsException whose message names the bad value,
 * and writes nothing; after the memory is freed (free, close of the array) or its pool closed every access throws
 * IllegalStateException; on a confined pool another thread gets IllegalStateException and writes nothing.
 */
class MemoryAccessContractTest {
    static final int N = 8;

    /** One handle kind, adapted to int access by element index. */
    abstract static class Subject {
        final Pool pool;

        Subject(Pool pool) {
            this.pool = pool;
        }

        abstract int get(long i);

        abstract void put(long i, int v);

        /** Ends the memory the way this handle's own API does (free its block, close its array). */
        abstract void kill();

        /** How the IndexOutOfBoundsException message names a bad index {@code i}. */
        String named(long i) {
            return Long.toString(i);
        }

        /** The smallest negative index that is out of bounds ({@code -1}, or {@code -N - 1} with Python indexing). */
        long firstBadNegative() {
            return -1;
        }

        /** Reads every element through a separate path: a fresh Block of the pool over the same address. */
        abstract int[] snapshot();
    }

    /** Over a pool block at {@code address} (NativeMemory accessor, offsets in bytes). */
    static class MemorySubject extends Subject {
        final NativeMemory m;
        final Runnable kill;

        MemorySubject(Pool pool, NativeMemory m, Runnable kill) {
            super(pool);
            this.m = m;
            this.kill = kill;
        }

        @Override
        int get(long i) {
            return m.getInt(4 * i);
        }

        @Override
        void put(long i, int v) {
            m.putInt(4 * i, v);
        }

        @Override
        void kill() {
            kill.run();
        }

        @Override
        String named(long i) {
            return "offset=" + 4 * i;
        }

        @Override
        int[] snapshot() {
            int[] out = new int[N];
            m.copyTo(0, out, 0, N);
            return out;
        }
    }

    static Subject block(Pool pool) {
        long p = pool.alloc(N, 4);
        return new MemorySubject(pool, pool.block(p), () -> pool.free(p));
    }

    static Subject address(Pool pool) {
        Address a = new Address(N, 4);
        pool.attach(a); // closed with the pool; its own confinement is its private pool's (the creating thread)
        return new MemorySubject(pool, a, a::close);
    }

    static Subject view(Pool pool, MemoryView v, Runnable kill, Function<Long, Long> base) {
        return new Subject(pool) {
            final Block check = pool.block(base.apply(0L));

            @Override
            int get(long i) {
                return v.getInt(i);
            }

            @Override
            void put(long i, int x) {
                v.putInt(i, x);
            }

            @Override
            void kill() {
                kill.run();
            }

            @Override
            String named(long i) {
                return "index=" + i + " length=" + N + " axis=0"; // Checks.index, as written
            }

            @Override
            long firstBadNegative() {
                return -N - 1;
            }

            @Override
            int[] snapshot() {
                int[] out = new int[N];
                check.copyTo(0, out, 0, N);
                return out;
            }
        };
    }

    static Subject viewOverBlock(Pool pool) {
        long p = pool.alloc(N, 4);
        return view(pool, MemoryView.of(pool.block(p), DType.INT, N), () -> pool.free(p), x -> p);
    }

    static Subject viewOverNativeArray(Pool pool) {
        NativeArray a = NativeArray.allocate(pool, DType.INT, N);
        long p = a.address();
        return view(pool, a.view(), a::close, x -> p);
    }

    static Subject viewOverTypedArray(Pool pool) {
        TypedArray a = TypedArray.allocate(pool, DType.INT, N);
        long p = a.address();
        return view(pool, a.view(), a::close, x -> p);
    }

    static Subject sliceOfAView(Pool pool) {
        NativeArray a = NativeArray.allocate(pool, DType.INT, 2, N);
        long p = a.address();
        MemoryView v = a.view().slice("1").slice("::-1").slice("::-1"); // a view of views: row 1, forwards again
        return new Subject(pool) {
            @Override
            int get(long i) {
                return v.getInt(i);
            }

            @Override
            void put(long i, int x) {
                v.putInt(i, x);
            }

            @Override
            void kill() {
                a.close();
            }

            @Override
            String named(long i) {
                return "index=" + i + " length=" + N + " axis=0"; // Checks.index, as written
            }

            @Override
            long firstBadNegative() {
                return -N - 1;
            }

            @Override
            int[] snapshot() {
                int[] out = new int[N];
                pool.block(p).copyTo(4 * N, out, 0, N);
                return out;
            }
        };
    }

    static Subject typedArray(Pool pool) {
        TypedArray a = TypedArray.allocate(pool, DType.INT, N);
        long p = a.address();
        Block check = pool.block(p);
        return new Subject(pool) {
            @Override
            int get(long i) {
                return (int) a.getLong(i);
            }

            @Override
            void put(long i, int x) {
                a.put(i, x);
            }

            @Override
            void kill() {
                a.close();
            }

            @Override
            String named(long i) {
                return "index=" + i;
            }

            @Override
            long firstBadNegative() {
                return -N - 1;
            }

            @Override
            int[] snapshot() {
                int[] out = new int[N];
                check.copyTo(0, out, 0, N);
                return out;
            }
        };
    }

    static Subject typedArrayCastView(Pool pool) {
        TypedArray a = TypedArray.allocate(pool, DType.UINT, N);
        long p = a.address();
        return view(pool, a.view(DType.INT), a::close, x -> p);
    }

    static Subject poolPointer(Pool pool) {
        IntPointer ip = PoolPointers.allocInts(pool, N);
        long p = ip.address();
        Block check = pool.block(p);
        return new Subject(pool) {
            @Override
            int get(long i) {
                return ip.get(i);
            }

            @Override
            void put(long i, int x) {
                ip.put(i, x);
            }

            @Override
            void kill() {
                pool.free(p);
            }

            @Override
            String named(long i) {
                return "index=" + i;
            }

            @Override
            int[] snapshot() {
                int[] out = new int[N];
                check.copyTo(0, out, 0, N);
                return out;
            }
        };
    }

    /** Handle kind x pool kind. */
    static Stream<Arguments> subjects() {
        List<Object[]> kinds = List.of(
                new Object[] {"Block", (Function<Pool, Subject>) MemoryAccessContractTest::block},
                new Object[] {"Address", (Function<Pool, Subject>) MemoryAccessContractTest::address},
                new Object[] {"MemoryView over a Block", (Function<Pool, Subject>) MemoryAccessContractTest::viewOverBlock},
                new Object[] {"MemoryView over a NativeArray",
                        (Function<Pool, Subject>) MemoryAccessContractTest::viewOverNativeArray},
                new Object[] {"MemoryView over a TypedArray",
                        (Function<Pool, Subject>) MemoryAccessContractTest::viewOverTypedArray},
                new Object[] {"slice of a slice of a NativeArray view",
                        (Function<Pool, Subject>) MemoryAccessContractTest::sliceOfAView},
                new Object[] {"TypedArray", (Function<Pool, Subject>) MemoryAccessContractTest::typedArray},
                new Object[] {"TypedArray.view(DType.INT) of a 'I' array",
                        (Function<Pool, Subject>) MemoryAccessContractTest::typedArrayCastView},
                new Object[] {"pool.allocInts IntPointer", (Function<Pool, Subject>) MemoryAccessContractTest::poolPointer});
        return kinds.stream().flatMap(k -> Stream.of(Arguments.of(k[0] + ", confined pool", k[1], false),
                Arguments.of(k[0] + ", shared pool", k[1], true)));
    }

    private static Pool open(boolean shared) {
        return shared ? Pool.openShared() : Pool.open();
    }

    private static int[] fill(Subject s) {
        int[] expected = new int[N];
        for (int i = 0; i < N; i++) {
            expected[i] = 1000 + i * 7;
            s.put(i, expected[i]);
        }
        return expected;
    }

    private static void assertNamesBadIndex(Subject s, long bad, Executable call) {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, call);
        assertTrue(e.getMessage().contains(s.named(bad)), "message should name " + s.named(bad) + ": " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void shouldReadBackWhatWasWritten(String name, Function<Pool, Subject> make, boolean shared) {
        try (Pool pool = open(shared)) {
            Subject s = make.apply(pool);
            int[] expected = fill(s);
            for (int i = 0; i < N; i++) {
                assertEquals(expected[i], s.get(i), name + " element " + i);
            }
            assertArrayEquals(expected, s.snapshot());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void shouldRejectOutOfBoundsIndicesNamingThemAndWriteNothing(String name, Function<Pool, Subject> make,
            boolean shared) {
        try (Pool pool = open(shared)) {
            Subject s = make.apply(pool);
            int[] expected = fill(s);
            long[] bad = {N, N + 1, s.firstBadNegative(), s.firstBadNegative() - 5, Long.MAX_VALUE / 8,
                Long.MIN_VALUE / 8};
            for (long i : bad) {
                assertNamesBadIndex(s, i, () -> s.get(i));
                assertNamesBadIndex(s, i, () -> s.put(i, -1));
            }
            assertArrayEquals(expected, s.snapshot(), "a rejected write changed the memory");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void shouldThrowIllegalStateExceptionOnceTheMemoryIsFreedOrClosed(String name, Function<Pool, Subject> make,
            boolean shared) {
        try (Pool pool = open(shared)) {
            Subject s = make.apply(pool);
            fill(s);
            s.kill();
            assertThrows(IllegalStateException.class, () -> s.get(0));
            assertThrows(IllegalStateException.class, () -> s.put(0, 1));
            assertThrows(IllegalStateException.class, () -> s.get(N - 1));
            // the pool goes on working
            long p = pool.alloc(4, 1);
            assertEquals(0, pool.block(p).getInt(0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void shouldThrowIllegalStateExceptionOnceThePoolIsClosed(String name, Function<Pool, Subject> make,
            boolean shared) {
        Pool pool = open(shared);
        Subject s;
        try {
            s = make.apply(pool);
            fill(s);
        } finally {
            pool.close();
        }
        assertThrows(IllegalStateException.class, () -> s.get(0));
        assertThrows(IllegalStateException.class, () -> s.put(0, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void shouldConfineAccessToTheOwnerThreadOfAConfinedPool(String name, Function<Pool, Subject> make,
            boolean shared) {
        try (Pool pool = open(shared)) {
            Subject s = make.apply(pool);
            int[] expected = fill(s);
            Throwable read = otherThread(() -> s.get(3));
            Throwable write = otherThread(() -> s.put(3, -1));
            if (shared && !name.startsWith("Address")) {
                assertEquals(null, read, "a shared pool's handle reads from any thread");
                assertEquals(null, write, "a shared pool's handle writes from any thread");
                expected[3] = -1;
            } else {
                assertTrue(read instanceof IllegalStateException, "read from another thread: " + read);
                assertTrue(write instanceof IllegalStateException, "write from another thread: " + write);
            }
            assertArrayEquals(expected, s.snapshot());
        }
    }

    private static Throwable otherThread(Runnable r) {
        try {
            CompletableFuture.runAsync(r, c -> new Thread(c, "contract-other").start()).join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
