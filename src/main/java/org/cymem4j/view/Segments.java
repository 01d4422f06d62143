package org.cymem4j.view;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Views and {@link MemorySegment}s ({@code java.lang.foreign}), on JDK 22 and later.
 *
 * <p>The jar is multi-release: on JDK 22 and later the JVM loads this class from {@code META-INF/versions/22}, where
 * it works as described below. On JDK 17 to 21 the same class, with the same public API, is loaded from the base of
 * the jar, and every method throws {@link UnsupportedOperationException} saying that it needs JDK 22 (JDK 17 has no
 * {@code java.lang.foreign}; JDK 21 has it only as a preview API). Code that must run on JDK 17 should not name this
 * class at all: on JDK 17, reflection over its methods fails with {@link NoClassDefFoundError} for
 * {@code java.lang.foreign.MemorySegment}.
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofConfined()) {
 *     MemorySegment s = arena.allocate(6 * Double.BYTES);
 *     MemoryView v = Segments.view(s, DType.DOUBLE, 2, 3);
 *     v.putDouble(1, 2, 4.5);                 // s.getAtIndex(JAVA_DOUBLE, 5) == 4.5
 * }                                           // arena closed: v.getDouble(0, 0) throws IllegalStateException
 *
 * try (Pool pool = Pool.open()) {
 *     MemoryView m = NativeArray.allocate(pool, DType.INT, 4).view();
 *     MemorySegment seg = Segments.asSegment(m, pool.attach(Arena.ofShared()));
 * }                                           // the arena closes with the pool: seg is no longer accessible
 * }</pre>
 *
 * @implNote This base version is compiled from {@code src/main/java} with a JDK 22+ {@code javac} for class-file
 *     version 61 (JDK 17); the working version is {@code src/main/java22/org/cymem4j/view/Segments.java}.
 */
public final class Segments {
    private Segments() {
    }

    /**
     * A C-contiguous view of a native segment. Its {@link MemoryView#base()} is the segment; every access checks that
     * the segment's scope is alive and accessible from the calling thread, and throws {@link IllegalStateException}
     * otherwise.
     *
     * @param segment a native segment
     * @param dtype the element type
     * @param shape the view's shape, C order
     * @return a view of the segment's first {@code dtype.itemsize() * product(shape)} bytes
     * @throws IllegalArgumentException if the segment is a heap segment, or too small for the shape
     * @throws UnsupportedOperationException on JDK 17 to 21
     */
    public static MemoryView view(MemorySegment segment, DType dtype, long... shape) {
        throw needsJdk22();
    }

    /**
     * A segment over the bytes a direct view spans (from its lowest to its highest element), scoped to
     * {@code arena}: it becomes inaccessible when the arena closes. The arena must close no later than the view's
     * memory is freed (attach it to the pool: {@code pool.attach(Arena.ofShared())}); the segment cannot see the pool.
     *
     * @param view a direct view
     * @param arena the segment's scope
     * @return a segment over the view's bytes (read-only when the view {@link MemoryView#isReadOnly() is})
     * @throws IllegalArgumentException if the view is indirect
     * @throws IllegalStateException if the view's owner is closed or freed
     * @throws UnsupportedOperationException on JDK 17 to 21
     */
    public static MemorySegment asSegment(MemoryView view, Arena arena) {
        throw needsJdk22();
    }

    private static UnsupportedOperationException needsJdk22() {
        return new UnsupportedOperationException("org.cymem4j.view.Segments needs JDK 22 or later (java.lang.foreign);"
                + " this is JDK " + Runtime.version());
    }
}
