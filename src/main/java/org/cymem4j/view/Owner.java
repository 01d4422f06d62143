package org.cymem4j.view;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.Handles;
import org.cymem4j.internal.MemoryAccess;
import org.cymem4j.internal.Scope;
import org.cymem4j.internal.Span;

/**
 * What keeps a view's memory alive and says whether it still is: one {@link Span} of the lifetime core. For a pool
 * block (or a pool-owned JavaCPP pointer) it is the block's own span, so the view fails exactly when the block is
 * freed or moved or the pool closes, and a shared pool's {@code close()} waits for the view's access in flight; for
 * a typed array it is a window that goes stale when the array changes its length or buffer; for memory the library
 * does not own (a direct {@code ByteBuffer}, a foreign JavaCPP pointer, a wrapped address, a {@code MemorySegment})
 * it is a span of an unmanaged scope, closed by the owning {@code NativeArray} or by the memory's own liveness test.
 * Every kind goes through the same {@link Span#enter()}, so the element accessors have one liveness path.
 *
 * <p>Views hold their owner strongly, and the owner holds {@link #base()}.
 */
final class Owner {
    private final Span span;
    private final Object base;          // what MemoryView.base() returns
    private final Pool pool;            // the pool of a block or typed array (copy() allocates there), or null
    /** Every region an indirect view may reach (sorted by address), or null for direct-only owners. */
    private Region[] regions;

    private Owner(Span span, Object base, Pool pool) {
        this.span = span;
        this.base = base;
        this.pool = pool;
    }

    static Owner ofBlock(Block block, Object base) {
        return new Owner(Handles.spanOf(block), base, block.pool());
    }

    /**
     * Memory whose liveness another package checks through {@code span}: a pool-owned JavaCPP pointer's block span,
     * or an unmanaged span over foreign memory ({@code org.cymem4j.javacpp} builds it through {@code Handles}).
     */
    static Owner ofSpan(Span span, Object base, Pool pool) {
        return new Owner(span, base, pool);
    }

    /**
     * Memory of an imported DLPack tensor ({@link DLPackTensor}): its own shared scope, closed by the tensor's
     * {@code close()}, which then calls the producer's deleter; {@code readOnly} views refuse every write.
     */
    static Owner ofTensor(Span span, Object base) {
        return new Owner(span, base, null);
    }

    /** Memory someone else frees, live while {@code alive} (or null: always) says so, checked on every access. */
    static Owner foreign(long address, long bytes, Object base, BooleanSupplier alive) {
        return new Owner(new Span(Scope.unmanaged(nameOf(base), alive), address, bytes, base), base, null);
    }

    /** A user's {@code MemorySegment} (JDK 22+), read through the segment itself so its scope guards every access. */
    static Owner ofSegment(Object segment, long address, long bytes, BooleanSupplier alive) {
        return ofSegment(segment, address, bytes, alive, segment);
    }

    /** As {@link #ofSegment(Object, long, long, BooleanSupplier)}, with another base (a buffer the segment is of). */
    static Owner ofSegment(Object segment, long address, long bytes, BooleanSupplier alive, Object base) {
        return new Owner(new Span(Scope.ofSegment(nameOf(base), alive, segment), address, bytes, base), base, null);
    }

    private static String nameOf(Object base) {
        return base.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(base));
    }

    /** Enters an access: throws {@link IllegalStateException} when the memory is gone or used from the wrong thread. */
    void enter() {
        span.enter();
    }

    /** Leaves an access entered by {@link #enter()}. */
    void exit() {
        span.exit();
    }

    /** Enters a native call (a C kernel) on the memory: a shared pool's close() waits for it. */
    void enterNative() {
        span.enterNative();
    }

    /** Leaves a native call entered by {@link #enterNative()}. */
    void exitNative() {
        span.exitNative();
    }

    /** The Java accessor of a range of this owner's memory (bound to a shared pool's arena on JDK 22+). */
    MemoryAccess accessFor(long address, long bytes) {
        if (address == span.address() && bytes == span.bytes()) {
            return span.access(); // the whole memory: the span's own accessor, not a second set of buffers
        }
        return span.scope().accessFor(address, bytes);
    }

    /** Refuses read-only memory (a file mapped {@code READ_ONLY}) before a write: {@link UnsupportedOperationException}. */
    void checkWritable() {
        span.checkWritable();
    }

    /** Checks liveness once, for operations that do not touch memory from Java (JNI kernels enter around the call). */
    void check() {
        span.check();
    }

    Object base() {
        return base;
    }

    boolean isReadOnly() {
        return span.isReadOnly();
    }

    Span span() {
        return span;
    }

    /** The pool of a block's or typed array's view, or null for memory the library does not own. */
    Pool pool() {
        return pool;
    }

    void setRegions(Region[] sorted) {
        this.regions = sorted;
    }

    /**
     * The region holding {@code [address, address + length)}, for following a suboffset pointer; call between
     * {@link #enter()} and {@link #exit()}.
     *
     * @throws IllegalStateException if no region holds it, or the region's memory was freed or moved
     */
    Region regionFor(long address, long length) {
        Region[] rs = regions;
        if (rs != null) {
            int lo = 0;
            int hi = rs.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (rs[mid].address <= address) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            if (hi >= 0 && rs[hi].contains(address, length)) {
                rs[hi].checkLive();
                return rs[hi];
            }
        }
        throw new IllegalStateException("indirect pointer " + Checks.hex(address) + " (" + length
                + " bytes) is outside the memory of " + describe() + "; refusing to follow it");
    }

    String describe() {
        return span.toString();
    }

    static Region[] sortRegions(Region[] rs) {
        Region[] copy = rs.clone();
        Arrays.sort(copy, (a, b) -> Long.compare(a.address, b.address));
        return copy;
    }
}
