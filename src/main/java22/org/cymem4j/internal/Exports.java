package org.cymem4j.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Zero-copy exports of a span's memory, JDK 22+ version. A segment is made over an FFM shared {@link Arena} of the
 * span ({@link Span#exportSession}), which the span closes before its memory is freed or moved, or when (a window)
 * its array changes: the JVM then fails every later access with {@link IllegalStateException}, and the arena's
 * thread handshake lets an access in flight finish or fail before the memory goes. A checked buffer is the buffer of
 * such a segment ({@link MemorySegment#asByteBuffer()}), checked the same way. {@code MemorySegment.reinterpret} is a
 * restricted method: the module needs native access, as for the rest of the library.
 */
public final class Exports {
    private Exports() {
    }

    /**
     * A segment over {@code [offset, offset + bytes)} of {@code span}, ended with the span's memory. Memory that a
     * user's segment or buffer owns ({@code keepAlive} is the view's base) is exported as a slice of that segment, so
     * its own scope keeps checking it (a buffer exported by this class stays checked when it is viewed and exported
     * again).
     */
    @SuppressWarnings("restricted")
    public static Object segment(Span span, long offset, long bytes, boolean readOnly, Object keepAlive) {
        readOnly |= span.isReadOnly(); // a read-only mapping's export must not write: a write would fault
        span.check();
        Checks.bounds(offset, bytes, span.bytes());
        MemorySegment user = keepAlive instanceof MemorySegment seg && seg.isNative() ? seg
                : keepAlive instanceof ByteBuffer bb && bb.isDirect() ? MemorySegment.ofBuffer(bb) : null;
        if (user != null) {
            MemorySegment s = user.asSlice(span.address() + offset - user.address(), bytes);
            return readOnly ? s.asReadOnly() : s;
        }
        if (span.scope().releaseUnseen()) {
            throw new IllegalArgumentException(span + " is released by its owner without telling this library, so a"
                    + " checked export of it could outlive it; use asByteBufferUnchecked()");
        }
        Arena arena = (Arena) span.exportSession(keepAlive);
        MemorySegment s;
        try {
            s = MemorySegment.ofAddress(span.address() + offset).reinterpret(bytes, arena, null);
        } catch (IllegalStateException e) { // the arena closed between the two lines: the memory is going
            throw new IllegalStateException(span + " was freed, moved or closed while it was exported", e);
        }
        return readOnly ? s.asReadOnly() : s;
    }

    /** The buffer of {@link #segment}: native order, position 0, checked by the segment's arena. */
    public static ByteBuffer buffer(Span span, long offset, long bytes, boolean readOnly, Object keepAlive) {
        checkBufferSize(bytes);
        return ((MemorySegment) segment(span, offset, bytes, readOnly, keepAlive)).asByteBuffer()
                .order(ByteOrder.nativeOrder());
    }

    /** A plain direct buffer over the range, checked once now and never again (as on JDK 17). */
    public static ByteBuffer unchecked(Span span, long offset, long bytes, boolean readOnly) {
        readOnly |= span.isReadOnly(); // a read-only mapping's export must not write: a write would fault
        span.check();
        Checks.bounds(offset, bytes, span.bytes());
        checkBufferSize(bytes);
        ByteBuffer b = bytes == 0 ? ByteBuffer.allocateDirect(0)
                : new RawPointer(span.address() + offset, bytes).asByteBuffer();
        b.order(ByteOrder.nativeOrder());
        return readOnly ? b.asReadOnlyBuffer().order(ByteOrder.nativeOrder()) : b;
    }

    static void checkBufferSize(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException("a ByteBuffer holds at most " + Integer.MAX_VALUE
                    + " bytes; this memory has " + bytes + " (use a MemorySegment, or a slice)");
        }
    }

    /**
     * A new shared arena for a span's exports. One empty segment registers a cleanup that keeps {@code keepAlive}
     * (the pool, or a self-owning {@code Address}) reachable while any segment of the arena is: otherwise the
     * Cleaner could free the memory under a segment whose handles were all dropped.
     */
    @SuppressWarnings("restricted")
    static Object open(Object keepAlive) {
        Arena arena = Arena.ofShared();
        MemorySegment.NULL.reinterpret(0, arena, ignored -> Reference.reachabilityFence(keepAlive));
        return arena;
    }

    /** Closes an arena from {@link #open} (a handshake with every thread), or nothing for null. */
    static void close(Object arena) {
        if (arena != null) {
            ((Arena) arena).close();
        }
    }
}
