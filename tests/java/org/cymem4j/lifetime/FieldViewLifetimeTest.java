package org.cymem4j.lifetime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.cymem4j.Pool;
import org.cymem4j.testing.ChildJvm;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Field views, record views, reshapes and reinterpretations go through the lifetime core like every view: they stop
 * with the memory they show, refuse another thread on a confined pool, and a shared pool closed under them never lets
 * them touch freed memory.
 */
class FieldViewLifetimeTest {
    private static final DType ROW = DType.struct().add("length", DType.ULONG).add("indices", DType.POINTER)
            .add("values", DType.POINTER).build();

    @Test
    void shouldStopFieldAndRecordViewsWhenTheArrayCloses() {
        try (Pool pool = Pool.open()) {
            NativeArray a = NativeArray.allocate(pool, ROW, 4);
            MemoryView rows = a.view();
            MemoryView lengths = rows.field("length");
            MemoryView record = rows.slice("2");
            MemoryView reshaped = rows.reshape(2, 2).field("values");
            MemoryView bytes = rows.view(DType.UBYTE);
            MemoryView other = NativeArray.allocate(pool, ROW, 4).view();
            lengths.putLong(2, 5);
            a.close();
            assertThrows(IllegalStateException.class, () -> lengths.getLong(2));
            assertThrows(IllegalStateException.class, () -> lengths.putLong(2, 1));
            assertThrows(IllegalStateException.class, () -> record.field("length").getLong());
            assertThrows(IllegalStateException.class, () -> reshaped.getLong(0, 0));
            assertThrows(IllegalStateException.class, () -> bytes.getByte(0));
            assertThrows(IllegalStateException.class, () -> rows.getRecord(0));
            assertThrows(IllegalStateException.class, () -> rows.putRecord(new long[] {0}, new byte[24]));
            assertThrows(IllegalStateException.class, () -> other.copyFrom(rows));
            assertThrows(IllegalStateException.class, () -> rows.contentEquals(other));
            assertThrows(IllegalStateException.class, () -> rows.field("length"));
            assertArrayEquals(new byte[24], other.getRecord(0)); // the refused copy wrote nothing
        }
    }

    @Test
    void shouldStopFieldViewsOfAFreedBlockAndAClosedPool() {
        Pool pool = Pool.open();
        long p = pool.alloc(3, ROW.itemsize());
        MemoryView rows = MemoryView.of(pool.block(p), ROW, 3);
        MemoryView values = rows.field("values");
        values.putLong(1, 99);
        assertEquals(99, values.getLong(1));
        pool.free(p);
        assertThrows(IllegalStateException.class, () -> values.getLong(1));
        long q = pool.alloc(3, ROW.itemsize());
        MemoryView again = MemoryView.of(pool.block(q), ROW, 3).field("indices");
        pool.close();
        assertThrows(IllegalStateException.class, () -> again.getLong(0));
    }

    @Test
    void shouldRefuseAnotherThreadOnAConfinedPool() throws Exception {
        try (Pool pool = Pool.open()) {
            MemoryView lengths = NativeArray.allocate(pool, ROW, 2).view().field("length");
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    lengths.getLong(0);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.start();
            t.join();
            assertEquals(IllegalStateException.class, thrown.get() == null ? null : thrown.get().getClass());
        }
    }

    @Test
    void shouldNeverTouchFreedMemoryThroughFieldViewsWhenASharedPoolCloses(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(FieldViewRaceMain.class, List.of(),
                Map.of("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=131072:glibc.rtld.optional_static_tls=16384"),
                null, dir);
        assertEquals(0, r.exit(), "child JVM died (exit " + r.exit() + "): " + r.err());
        assertEquals("rounds=200 closedUnderReader=200", r.out());
    }
}
