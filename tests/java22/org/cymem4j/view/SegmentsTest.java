package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReference;

import org.cymem4j.Pool;
import org.junit.jupiter.api.Test;

/** Compiled and run only on JDK 22+ (the jdk22 Maven profile). */
class SegmentsTest {

    @Test
    void shouldViewASegmentUntilItsArenaCloses() throws Exception {
        MemoryView v;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(6 * Double.BYTES);
            v = Segments.view(s, DType.DOUBLE, 2, 3);
            assertSame(s, v.base());
            v.putDouble(1, 2, 4.5);
            assertEquals(4.5, s.getAtIndex(ValueLayout.JAVA_DOUBLE, 5));
            s.setAtIndex(ValueLayout.JAVA_DOUBLE, 1, -1.0);
            assertEquals(-1.0, v.getDouble(0, 1));
            MemoryView view = v;
            AtomicReference<Throwable> other = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    view.getDouble(0, 0);
                } catch (Throwable e) {
                    other.set(e);
                }
            });
            t.start();
            t.join();
            assertEquals(IllegalStateException.class, other.get().getClass()); // confined to this thread
            assertThrows(IllegalArgumentException.class, () -> Segments.view(s, DType.DOUBLE, 7));
        }
        MemoryView closed = v;
        assertThrows(IllegalStateException.class, () -> closed.getDouble(0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Segments.view(MemorySegment.ofArray(new double[2]), DType.DOUBLE, 2));
    }

    @Test
    void shouldMapAViewToASegmentThatClosesWithThePool() {
        MemorySegment seg;
        try (Pool pool = Pool.open()) {
            MemoryView m = NativeArray.copyOf(pool, new int[] {1, 2, 3, 4, 5, 6}, 2, 3).view();
            seg = Segments.asSegment(m, pool.attach(Arena.ofShared()));
            assertEquals(24, seg.byteSize());
            assertEquals(6, seg.getAtIndex(ValueLayout.JAVA_INT, 5));
            MemorySegment reversed = Segments.asSegment(m.slice("::-1, 1"), pool.attach(Arena.ofShared()));
            assertEquals(16, reversed.byteSize());                      // elements 1 and 4: bytes 4..20
            assertEquals(2, reversed.getAtIndex(ValueLayout.JAVA_INT, 0));
        }
        MemorySegment gone = seg;
        assertThrows(IllegalStateException.class, () -> gone.getAtIndex(ValueLayout.JAVA_INT, 0));
    }
}
