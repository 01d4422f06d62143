package org.cymem4j.view;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The owner of a view of a direct {@link ByteBuffer}, JDK 22+ version: every access goes through
 * {@code MemorySegment.ofBuffer(buffer)}, so a buffer that belongs to an arena (a checked {@code asByteBuffer()}
 * export, any {@code MemorySegment.asByteBuffer()}) is still checked through the view, a concurrent close included.
 * A plain direct buffer has no arena: it lives while the view keeps it reachable, as on JDK 17.
 */
final class BufferOwners {
    private BufferOwners() {
    }

    /** An owner reading {@code [address, address + bytes)}, the buffer from its position to its limit. */
    static Owner of(ByteBuffer buffer, long address, long bytes) {
        MemorySegment segment = MemorySegment.ofBuffer(buffer);
        return Owner.ofSegment(segment, address, bytes,
                () -> segment.scope().isAlive() && segment.isAccessibleBy(Thread.currentThread()), buffer);
    }
}
