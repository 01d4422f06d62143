package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import org.cymem4j.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mapped {@code .npy} file as a {@link MemorySegment}: read-only for a READ_ONLY mapping, writable otherwise. */
class NpyMapSegmentsTest {

    @Test
    void shouldGiveAReadOnlySegmentOfAReadOnlyMapping(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a.npy");
        try (Pool pool = Pool.open()) {
            Npy.write(NativeArray.copyOf(pool, new double[] {1, 2, 3, 4}).view(), file);
        }
        try (MappedArray m = Npy.map(file, FileChannel.MapMode.READ_ONLY); Arena arena = Arena.ofConfined()) {
            MemorySegment s = Segments.asSegment(m.view(), arena);
            assertTrue(s.isReadOnly());
            assertEquals(3.0, s.getAtIndex(ValueLayout.JAVA_DOUBLE, 2));
            assertThrows(IllegalArgumentException.class, () -> s.setAtIndex(ValueLayout.JAVA_DOUBLE, 2, 9.0)); // FFM's own
        }
        try (MappedArray m = Npy.map(file, FileChannel.MapMode.READ_WRITE); Arena arena = Arena.ofConfined()) {
            MemorySegment s = Segments.asSegment(m.view(), arena);
            assertFalse(s.isReadOnly());
            s.setAtIndex(ValueLayout.JAVA_DOUBLE, 2, 9.0);
            assertEquals(9.0, m.view().getDouble(2));
        }
    }
}
