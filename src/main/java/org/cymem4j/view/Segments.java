package org.cymem4j.view;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.cymem4j.Address;
import org.cymem4j.Block;
import org.cymem4j.NativeMemory;

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
     * @throws IllegalArgumentException if the segment is a heap segment, read-only, or too small for the shape
     * @throws UnsupportedOperationException on JDK 17 to 21
     */
    public static MemoryView view(MemorySegment segment, DType dtype, long... shape) {
        throw needsJdk22();
    }

    /**
     * The memory of a {@link Block} or {@link Address} as a segment, checked by the JVM: its size is
     * {@link NativeMemory#byteSize()}, and its scope ends when the block is freed or reallocated or its pool closes
     * (an {@code Address}: when it is closed). Every access after that throws {@link IllegalStateException}, and one
     * racing it on another thread finishes or fails before the memory is freed (the segments of one block share an
     * FFM shared arena, made on the first export and closed in the same step that revokes the block's accessor). The
     * segment may be used from any thread while the memory lives. Needs native access, as
     * {@code MemorySegment.reinterpret}.
     *
     * <pre>{@code
     * try (Pool pool = Pool.open()) {
     *     long p = pool.alloc(4, Long.BYTES);
     *     MemorySegment s = Segments.asSegment(pool.block(p));   // 32 bytes
     *     s.setAtIndex(ValueLayout.JAVA_LONG, 3, 42L);            // pool.block(p).getLong(24) == 42
     *     pool.realloc(p, 64);
     *     s.get(ValueLayout.JAVA_LONG, 0);                        // throws IllegalStateException (already closed)
     * }
     * }</pre>
     *
     * @param memory a pool's block or an {@code Address}
     * @return a segment over exactly its bytes
     * @throws IllegalStateException if the memory was freed or its pool closed, or a confined pool is used from
     *     another thread
     * @throws UnsupportedOperationException on JDK 17 to 21
     */
    public static MemorySegment asSegment(NativeMemory memory) {
        throw needsJdk22();
    }

    /**
     * The bytes of a contiguous view (C or Fortran order) as a segment, checked by the JVM, as
     * {@link #asSegment(NativeMemory)}: its scope ends when the view's memory is freed, moved or closed (for a typed
     * array's {@code view()}: also when the array changes its length or buffer). A view of a {@code MemorySegment}
     * or of a direct {@code ByteBuffer} gives a slice of that segment (of {@code MemorySegment.ofBuffer}), checked by
     * its own scope. A {@code NativeArray.wrap} ends its segments in {@code close()}, before its callback runs.
     *
     * <pre>{@code
     * TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3);
     * MemorySegment s = Segments.asSegment(a.view());   // 12 bytes
     * a.append(4);                                     // may move the buffer
     * s.get(ValueLayout.JAVA_INT, 0);                  // throws IllegalStateException (already closed)
     * }</pre>
     *
     * @param view a contiguous view
     * @return a segment over exactly the view's bytes, in memory order
     * @throws IllegalArgumentException if the view is not contiguous, or is a view of a JavaCPP pointer that its
     *     owner deallocates without telling this library (nothing could end the segment in time)
     * @throws IllegalStateException if the view's memory was freed, moved or closed
     * @throws UnsupportedOperationException on JDK 17 to 21
     */
    public static MemorySegment asSegment(MemoryView view) {
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
