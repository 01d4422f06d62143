package org.cymem4j.internal;

import java.nio.ByteBuffer;

/**
 * Bulk copies between native memory and Java arrays, in pieces that each fit one int-indexed {@link ByteBuffer}:
 * one loop for both versions of {@link MemoryAccess} (JDK 17 and 22+), which differ only in the buffers
 * {@link MemoryAccess#slice} gives.
 */
public final class Bulk {
    /** Largest piece of a bulk copy, in bytes: keeps every slice inside one int-indexed buffer. */
    private static final int MAX_PIECE_BYTES = 1 << 28;

    private Bulk() {
    }

    /** Copies one piece: {@code count} elements between {@code buffer} and a Java array at {@code index}. */
    @FunctionalInterface
    public interface Piece {
        void copy(ByteBuffer buffer, int index, int count);
    }

    /**
     * Runs a bulk copy of {@code count} elements of {@code width} bytes starting at byte {@code offset} of
     * {@code memory} and index {@code index} of the array {@code piece} copies to or from.
     */
    public static void copy(MemoryAccess memory, long offset, int index, int count, int width, Piece piece) {
        while (count > 0) {
            int n = Math.min(count, MAX_PIECE_BYTES / width);
            piece.copy(memory.slice(offset, n * width), index, n);
            offset += (long) n * width;
            index += n;
            count -= n;
        }
    }
}
