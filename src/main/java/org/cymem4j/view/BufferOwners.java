package org.cymem4j.view;

import java.nio.ByteBuffer;

/**
 * The owner of a view of a direct {@link ByteBuffer}, JDK 17 version: none of its own (the caller makes an unmanaged
 * one that reads the buffer's address and keeps the buffer reachable). The JDK 22+ version
 * ({@code src/main/java22}) reads through {@code MemorySegment.ofBuffer}, so a buffer of an arena stays checked.
 */
final class BufferOwners {
    private BufferOwners() {
    }

    /** Null: JDK 17 has no segment to read a buffer through. */
    static Owner of(ByteBuffer buffer, long address, long bytes) {
        return null;
    }
}
