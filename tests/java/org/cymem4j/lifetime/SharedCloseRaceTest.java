package org.cymem4j.lifetime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cymem4j.javacpp.PoolPointers;

/** Shared pools against concurrent close() and free(): every handle goes through the lifetime core. */
class SharedCloseRaceTest {

    @Test
    void shouldNeverReadFreedMemoryThroughAViewOfTheSharedPoolsOwnPointer(@TempDir Path dir) throws Exception {
        // Freed blocks of 128 KiB and more are unmapped in the child, so a read after free crashes it.
        ChildJvm.Result r = ChildJvm.run(PointerViewRaceMain.class, List.of(),
                Map.of("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=131072:glibc.rtld.optional_static_tls=16384"),
                null, dir);
        assertEquals(0, r.exit(), "child JVM died (exit " + r.exit() + "): " + r.err());
        assertEquals("rounds=200 closedUnderReader=200", r.out());
    }

    @Test
    void shouldNeverHandOutAnAccessorWithAFreedBlocksSize() throws Exception {
        // block(p) on one thread races free(p) + a smaller alloc at the same address on another: the accessor that
        // block() hands out must always describe the block living at the address, never the freed one.
        try (Pool pool = Pool.openShared()) {
            CyclicBarrier go = new CyclicBarrier(2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long[] shared = new long[1];
            int rounds = 5_000;
            Thread getter = new Thread(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        go.await();
                        try {
                            pool.block(shared[0]);
                        } catch (IllegalArgumentException freedAlready) {
                            // fine: the free won
                        }
                        go.await();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            getter.start();
            for (int i = 0; i < rounds; i++) {
                shared[0] = pool.alloc(1, 4096);
                go.await();
                pool.free(shared[0]);
                long q = pool.alloc(1, 16);
                go.await();
                Block b = pool.block(q);
                assertEquals(16, b.byteSize(), "round " + i + ": the accessor of " + b + " has a freed block's size");
                pool.free(q);
            }
            getter.join();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
        }
    }

    @Test
    void shouldStopEveryHandleKindWhenASharedPoolCloses() {
        Pool pool = Pool.openShared();
        long p = pool.alloc(8, Long.BYTES);
        Block block = pool.block(p);
        var ints = PoolPointers.allocInts(pool, 4);
        var view = org.cymem4j.view.MemoryView.of(block, org.cymem4j.view.DType.LONG, 8);
        pool.close();
        String name = pool.toString().replace(" (closed)", "");
        assertTrue(assertThrows(IllegalStateException.class, () -> block.getLong(0)).getMessage().contains(name));
        assertThrows(IllegalStateException.class, () -> view.getLong(0));
        assertThrows(IllegalStateException.class, () -> ints.get(0));
        assertThrows(IllegalStateException.class, ints::asByteBuffer);
    }
}
