package org.cymem4j.view;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.cymem4j.Address;
import org.cymem4j.Block;
import org.cymem4j.NativeMemory;
import org.cymem4j.internal.Exports;
import org.cymem4j.internal.Handles;

/**
 * Views and {@link MemorySegment}s ({@code java.lang.foreign}), on JDK 22 and later: this class is compiled for
 * release 22 into the jar's {@code META-INF/versions/22}. The jar's base carries a version with the same public API
 * whose methods throw {@link UnsupportedOperationException} on JDK 17 to 21 ({@code src/main/java}; its Javadoc is
 * the published one: keep the two in step).
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
 */
public final class Segments {
    private Segments() {
    }

    /**
     * A C-contiguous view of a native segment. Its {@link MemoryView#base()} is the segment; every access checks that
     * the segment's scope is alive and accessible from the calling thread, and throws {@link IllegalStateException}
     * otherwise.
     *
     * @throws IllegalArgumentException if the segment is a heap segment, read-only, or too small for the shape
     */
    public static MemoryView view(MemorySegment segment, DType dtype, long... shape) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("a view needs a native segment, not a heap segment");
        }
        if (segment.isReadOnly()) {
            throw new IllegalArgumentException("a view writes its memory; the segment is read-only");
        }
        Owner owner = Owner.ofSegment(segment, segment.address(), segment.byteSize(),
                () -> segment.scope().isAlive() && segment.isAccessibleBy(Thread.currentThread()));
        owner.check();
        long[] sh = MemoryView.checkShape(shape);
        Region region = new Region(segment.address(), segment.byteSize(), owner);
        return MemoryView.checked(owner, region, 0, dtype, sh, Order.C.strides(sh, dtype.itemsize()));
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
        return (MemorySegment) Exports.segment(Handles.spanOf(memory), 0, memory.byteSize(), false, memory);
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
        return (MemorySegment) Exports.segment(view.span, view.exportOffset(), view.exportBytes(), false,
                view.owner.base());
    }

    /**
     * A segment over the bytes a direct view spans (from its lowest to its highest element), scoped to
     * {@code arena}: it becomes inaccessible when the arena closes. The arena must close no later than the view's
     * memory is freed (attach it to the pool: {@code pool.attach(Arena.ofShared())}); the segment cannot see the pool.
     *
     * @throws IllegalArgumentException if the view is indirect
     * @throws IllegalStateException if the view's owner is closed or freed
     */
    @SuppressWarnings("restricted")
    public static MemorySegment asSegment(MemoryView view, Arena arena) {
        if (view.isIndirect()) {
            throw new IllegalArgumentException("an indirect view has no single byte range to map to a segment");
        }
        long lo = 0;
        long hi = 0;
        boolean empty = false;
        for (int k = 0; k < view.ndim; k++) {
            if (view.shape[k] == 0) {
                empty = true;
            }
            long span = (view.shape[k] - 1) * view.strides[k];
            if (span < 0) {
                lo += span;
            } else {
                hi += span;
            }
        }
        long start = view.address() + (empty ? 0 : lo);
        long bytes = empty ? 0 : hi - lo + view.itemsize;
        MemorySegment segment = MemorySegment.ofAddress(start).reinterpret(bytes, arena, null);
        return view.isReadOnly() ? segment.asReadOnly() : segment; // a write to a read-only mapping would fault
    }
}
