package org.cymem4j.view;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

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
     * @throws IllegalArgumentException if the segment is a heap segment, or too small for the shape
     */
    public static MemoryView view(MemorySegment segment, DType dtype, long... shape) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("a view needs a native segment, not a heap segment");
        }
        Owner owner = Owner.ofSegment(segment, segment.address(), segment.byteSize(),
                () -> segment.scope().isAlive() && segment.isAccessibleBy(Thread.currentThread()));
        owner.check();
        long[] sh = MemoryView.checkShape(shape);
        Region region = new Region(segment.address(), segment.byteSize(), owner);
        return MemoryView.checked(owner, region, 0, dtype, sh, Order.C.strides(sh, dtype.itemsize()));
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
