package org.cymem4j.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Zero-copy exports of a span's memory, JDK 17 version: only the unchecked {@link ByteBuffer} exists here (a direct
 * buffer cannot be invalidated); the checked exports, a {@code MemorySegment} and the buffer of one, need JDK 22
 * ({@code META-INF/versions/22} holds the version that makes them, with an FFM shared arena per exported span that
 * {@link Span} closes before the memory is freed or moved).
 */
public final class Exports {
    private Exports() {
    }

    /**
     * A segment over {@code [offset, offset + bytes)} of {@code span} (a {@code MemorySegment} on JDK 22+).
     *
     * @throws UnsupportedOperationException always, on JDK 17 to 21
     */
    public static Object segment(Span span, long offset, long bytes, boolean readOnly, Object keepAlive) {
        throw new UnsupportedOperationException("MemorySegment exports need JDK 22 or later (java.lang.foreign);"
                + " this is JDK " + Runtime.version());
    }

    /**
     * A checked direct buffer over the range: the buffer of {@link #segment}.
     *
     * @throws UnsupportedOperationException always, on JDK 17 to 21
     */
    public static ByteBuffer buffer(Span span, long offset, long bytes, boolean readOnly, Object keepAlive) {
        throw new UnsupportedOperationException("asByteBuffer() needs JDK 22 or later: a checked buffer is the buffer"
                + " of a java.lang.foreign MemorySegment; this is JDK " + Runtime.version() + ", where only"
                + " asByteBufferUnchecked() exists (nothing checks it after it is made)");
    }

    /**
     * A plain direct buffer over {@code [span.address() + offset, ... + bytes)}, native order, position 0: nothing
     * checks it after it is made. Checks the span once, now.
     *
     * @throws UnsupportedOperationException if {@code bytes > Integer.MAX_VALUE} (as {@code MemorySegment.asByteBuffer})
     */
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

    /** A {@code ByteBuffer} is int-indexed: {@code bytes} must be at most {@code Integer.MAX_VALUE}. */
    static void checkBufferSize(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException("a ByteBuffer holds at most " + Integer.MAX_VALUE
                    + " bytes; this memory has " + bytes + " (use a MemorySegment, or a slice)");
        }
    }

    /** A new export arena whose segments keep {@code keepAlive} reachable (none here: JDK 17 has no arenas). */
    static Object open(Object keepAlive) {
        throw new UnsupportedOperationException("export arenas need JDK 22 or later; this is JDK " + Runtime.version());
    }

    /** Closes an arena from {@link #open}, or nothing for null. */
    static void close(Object arena) {
    }
}
