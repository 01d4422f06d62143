package org.cymem4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bytedeco.javacpp.IntPointer;
import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.cymem4j.javacpp.PointerViews;
import org.cymem4j.testing.ChildJvm;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cymem4j.javacpp.PoolPointers;

/**
 * Minimal repros of the issue-15 bugs the model-based test ({@link ModelHarness}) found or was written against. Each
 * failed on the code before the lifetime core (they were run tagged, as known failures, until it landed); now they
 * guard against regressions, and the harness runs the same op kinds on every run.
 */
class LifetimeRegressionTest {
    @TempDir
    Path dir;

    private static Throwable onOtherThread(Runnable r) throws InterruptedException {
        try {
            CompletableFuture.runAsync(r, c -> new Thread(c, "other").start()).get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /**
     * Harness seed 20261206, library call 74988 (once gated as WRONG_THREAD_VIEWS_OVER_POOL_POINTERS): a view over a
     * confined pool's JavaCPP pointer reads from another thread, where the pointer itself throws
     * IllegalStateException.
     */
    @Test
    void viewOverConfinedPoolPointerIgnoresTheOwnerThread() throws Exception {
        try (Pool pool = Pool.open()) {
            IntPointer p = PoolPointers.allocInts(pool, 4);
            p.put(1, 42);
            MemoryView v = PointerViews.of(p, DType.INT, 4);
            assertEquals(42, v.getInt(1));
            assertTrue(onOtherThread(() -> p.get(1)) instanceof IllegalStateException, "the pointer checks the thread");
            Throwable t = onOtherThread(() -> v.getInt(1));
            assertTrue(t instanceof IllegalStateException, "the view over it read from another thread: " + t);
        }
    }

    /**
     * Harness seed 20261206, library call 5877 (once gated as WRONG_THREAD_TYPED_ARRAY_APPEND): append from a thread
     * the pool is not confined to throws IllegalStateException after having grown the array (length and generation
     * bumped).
     */
    @Test
    void typedArrayAppendFromTheWrongThreadStillGrowsTheArray() throws Exception {
        try (Pool pool = Pool.open()) {
            TypedArray a = TypedArray.allocate(pool, DType.INT, 3);
            a.resizeSmart(2); // spare capacity: the next append grows in place
            MemoryView v = a.view();
            Throwable t = onOtherThread(() -> a.append(7));
            assertTrue(t instanceof IllegalStateException, "append from another thread: " + t);
            assertEquals(2, a.length(), "a rejected append changed the length");
            assertEquals(0, v.getInt(1), "a rejected append made the array's views stale");
        }
    }

    /**
     * Issue 15; harness seed 20261206, library call 11733 (once gated as CLOSE_ARRAY_AFTER_FREE_UNDER_IT) (that
     * run trips the NativeArray case first): TypedArray.close() frees the block now at its old address.
     */
    @Test
    void typedArrayCloseFreesABlockReusingItsOldAddress() {
        try (Pool pool = Pool.open(Reusing.ALLOCATOR)) {
            TypedArray a = TypedArray.allocate(pool, DType.INT, 4);
            long old = a.address();
            long reused = freeAndReuse(pool, old, 16);
            a.close();
            assertTrue(pool.owns(reused), "TypedArray.close() freed someone else's block");
        }
    }

    /** Issue 15 (once gated as CLOSE_ARRAY_AFTER_FREE_UNDER_IT): NativeArray.close() freed the block at its old address. */
    @Test
    void nativeArrayCloseFreesABlockReusingItsOldAddress() {
        try (Pool pool = Pool.open(Reusing.ALLOCATOR)) {
            NativeArray a = NativeArray.allocate(pool, DType.INT, 4);
            long old = a.address();
            long reused = freeAndReuse(pool, old, 16);
            a.close();
            assertTrue(pool.owns(reused), "NativeArray.close() freed someone else's block");
        }
    }

    /**
     * Found by the harness (once gated as CLOSE_ARRAY_AFTER_FREE_UNDER_IT) (seed 20261206 at an earlier revision of
     * the op mix; today that seed trips the case above first): after its block
     * was freed through pool.free, NativeArray.close() throws IllegalArgumentException ("not a live block") where
     * TypedArray.close() returns.
     */
    @Test
    void nativeArrayCloseAfterItsBlockWasFreedThrows() {
        try (Pool pool = Pool.open()) {
            NativeArray a = NativeArray.allocate(pool, DType.INT, 4);
            pool.free(a.address());
            a.close();
            assertFalse(a.isOpen());
        }
    }

    /**
     * Issue 15; harness seed 20261206, library call 1879 (once gated as EMPTY_VIEW_AT_BAD_OFFSET):
     * MemoryView.of(block, offset, ...) skips its range check when an axis has length 0.
     */
    @Test
    void emptyViewAtAnOutOfRangeOffsetIsAccepted() {
        try (Pool pool = Pool.open()) {
            Block b = pool.block(pool.alloc(16, 1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MemoryView.of(b, -5, DType.INT, new long[] {0}, new long[] {4}));
            assertTrue(e.getMessage().contains("-5"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> MemoryView.of(b, 1L << 40, DType.INT, new long[] {0}, new long[] {4}));
        }
    }

    /**
     * Issue 15; harness seed 20261206, library call 588 (once gated as FREE_ROW_UNDER_INDIRECT_ARRAY): a view of
     * an indirect NativeArray checks only the pointer table, so after pool.free of a row block it reads the freed
     * row (the harness read -331923168 where IllegalStateException was due).
     */
    @Test
    void indirectArrayViewReadsARowFreedThroughThePool() {
        try (Pool pool = Pool.open()) {
            NativeArray a = NativeArray.allocateIndirect(pool, DType.INT, 3, 4);
            MemoryView v = a.view();
            v.putInt(1, 2, 42);
            long row1 = pool.block(a.address()).getLong(8);
            pool.free(row1);
            assertThrows(IllegalStateException.class, () -> v.getInt(1, 2), "read a row freed through the pool");
            assertThrows(IllegalStateException.class, () -> v.putInt(1, 2, 7), "wrote a row freed through the pool");
            assertEquals(0, v.getInt(0, 0), "the other rows still work");
        }
    }

    /**
     * Issue 15 (once gated as RACE_BLOCK_VS_FREE): pool.block(p) racing free(p) on a shared pool leaves a stale accessor
     * in the pool's map, and a later block at p (here 248 bytes, which glibc serves from the freed 256-byte chunk)
     * inherits it with the old size. Races up to 20 s. Not reproduced on the 2-core build machine (neither here
     * nor by the harness with the gate on): this test passes today, so its passing says little until the race is
     * hit; it fails as soon as one stale accessor shows.
     */
    @Test
    void blockRacingFreeLeavesAStaleAccessorForTheNextBlockAtThatAddress() throws Exception {
        try (Pool pool = Pool.openShared()) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                long p = pool.alloc(256, 1);
                AtomicBoolean go = new AtomicBoolean();
                Thread freer = new Thread(() -> {
                    while (!go.get()) {
                        Thread.onSpinWait();
                    }
                    pool.free(p);
                });
                freer.start();
                go.set(true);
                for (int i = 0; i < 100; i++) {
                    try {
                        pool.block(p);
                    } catch (IllegalArgumentException e) {
                        break;
                    }
                }
                freer.join();
                long q = pool.alloc(248, 1);
                assertEquals(248, pool.block(q).byteSize(), "a new block inherited a stale accessor of " + p);
                pool.free(q);
            }
        }
    }

    /**
     * Issue 15; harness seed 20261206, library call 17569 (once gated as RACE_VIEWS_OVER_POOL_POINTERS) (a write
     * after close, timing dependent): a MemoryView over a shared pool's own JavaCPP pointer, read
     * and filled while another thread closes the pool, crashes the JVM. Run in a child JVM so the crash is a
     * failed assertion, not a lost test run.
     */
    @Test
    void viewOverPoolPointerRacingCloseCrashesTheJvm() throws Exception {
        ChildJvm.Result r = ChildJvm.run(PointerViewCloseRaceMain.class, List.of(), Map.of(), null, dir);
        assertEquals(0, r.exit(), "child JVM failed (exit " + r.exit() + "; 2: wrong data, 3: access after close, else a "
                + "crash):\n" + r.out() + "\n" + tail(r.err()));
        assertTrue(r.out().endsWith("RACE OK"), r.out());
    }

    /**
     * An allocator that hands a freed block of the same size back on the next request (LIFO, per size), so that the
     * address-reuse tests do not depend on glibc's free lists, which once returned another chunk in CI. Blocks go
     * back to JavaCPP's free only when the test JVM exits (a few 16-byte blocks).
     */
    private static final class Reusing implements org.cymem4j.Allocator.Hooks {
        static final org.cymem4j.Allocator ALLOCATOR = org.cymem4j.Allocator.fromJava("reusing", new Reusing());
        private final java.util.Map<Long, Long> sizes = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.Map<Long, java.util.ArrayDeque<Long>> freed = new java.util.HashMap<>();

        @Override
        public synchronized long malloc(long size) {
            java.util.ArrayDeque<Long> same = freed.get(size);
            long p = same != null && !same.isEmpty() ? same.pop() : org.bytedeco.javacpp.Pointer.malloc(size).address();
            sizes.put(p, size);
            return p;
        }

        @Override
        public synchronized void free(long address) {
            freed.computeIfAbsent(sizes.get(address), k -> new java.util.ArrayDeque<>()).push(address);
        }
    }

    /**
     * Frees the block at {@code address} (of {@code bytes}) so that the allocator hands it back, then allocates
     * blocks of that size (keeping them) until one lands there; returns it. glibc's calloc skips the thread cache,
     * so that cache is filled first and the freed block goes to a bin calloc takes from.
     */
    private static long freeAndReuse(Pool pool, long address, long bytes) {
        long[] filler = new long[16];
        for (int i = 0; i < filler.length; i++) {
            filler[i] = pool.alloc(bytes, 1);
        }
        for (long f : filler) {
            pool.free(f);
        }
        pool.free(address);
        for (int i = 0; i < 10_000; i++) {
            long p = pool.alloc(bytes, 1);
            if (p == address) {
                return p;
            }
        }
        throw new AssertionError("precondition: the allocator never handed " + Long.toHexString(address) + " back");
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(0, 4000) : s;
    }
}
