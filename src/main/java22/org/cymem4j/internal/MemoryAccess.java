package org.cymem4j.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads and writes a range of native memory from Java without a JNI call per element. Callers check bounds and
 * liveness first ({@link Span}); this class checks nothing itself. JDK 22+ version: when {@link Sessions#ARENA_ACCESS}
 * is on, through a {@link MemorySegment} over the range, scoped to the shared pool's arena when there is one (the JVM
 * then checks the arena on every access, and its {@code close()} waits for, or fails, accesses in flight: that is
 * what makes a shared pool's element reads safe without a use count); otherwise through direct {@link ByteBuffer}s,
 * as on JDK 17.
 */
public final class MemoryAccess {
    // The layouts' var handles (coordinates: segment, byte offset), called directly: MemorySegment.get(layout, offset)
    // adds two frames to every element access, and in a deep enough caller C2 then stopped inlining the read.
    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.varHandle();
    private static final VarHandle CHAR = ValueLayout.JAVA_CHAR_UNALIGNED.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();
    private static final VarHandle FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.varHandle();
    private static final VarHandle DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.varHandle();
    private final long address;
    private final long bytes;
    /** The range as a segment (global scope, or the pool's arena), or null when segments are not allowed. */
    private final MemorySegment segment;
    /** The JDK 17 path, or null. */
    private final BufferAccess buffers;
    private final String owner;

    /**
     * @param address the first byte
     * @param bytes the size of the range
     * @param session the shared arena the range's segment belongs to ({@link Sessions#openShared()}), a user's
     *     {@code MemorySegment} that holds the range (a view of it), or null
     * @param owner how messages name the memory's owner when the session closed under an access
     */
    @SuppressWarnings("restricted") // only when Sessions.ARENA_ACCESS: native access is enabled for this module
    public MemoryAccess(long address, long bytes, Object session, String owner) {
        this.address = address;
        this.bytes = bytes;
        this.owner = owner;
        if (session instanceof MemorySegment) {
            // A view of a user's segment: read through the segment itself, so its own scope guards every access
            // (a concurrent close of its arena fails the access instead of freeing memory under it).
            MemorySegment user = (MemorySegment) session;
            this.segment = user.asSlice(address - user.address(), bytes);
            this.buffers = null;
        } else if (Sessions.ARENA_ACCESS) {
            MemorySegment at = MemorySegment.ofAddress(address);
            this.segment = session == null ? at.reinterpret(bytes) : at.reinterpret(bytes, (Arena) session, null);
            this.buffers = null;
        } else {
            this.segment = null;
            this.buffers = new BufferAccess(address, bytes);
        }
    }

    public long address() {
        return address;
    }

    public long bytes() {
        return bytes;
    }

    /** The pool closed on another thread while this access was in flight: the arena's handshake stopped it. */
    private IllegalStateException closedDuringAccess(IllegalStateException e) {
        return new IllegalStateException(owner + " is closed", e);
    }

    public byte getByte(long offset) {
        if (segment == null) {
            return buffers.getByte(offset);
        }
        try {
            return (byte) BYTE.get(segment, offset);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    public void putByte(long offset, byte value) {
        if (segment == null) {
            buffers.putByte(offset, value);
            return;
        }
        try {
            BYTE.set(segment, offset, value);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    public short getShort(long offset) {
        if (segment == null) {
            return buffers.getShort(offset);
        }
        try {
            return (short) SHORT.get(segment, offset);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    public void putShort(long offset, short value) {
        if (segment == null) {
            buffers.putShort(offset, value);
            return;
        }
        try {
            SHORT.set(segment, offset, value);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    public char getChar(long offset) {
        if (segment == null) {
            return buffers.getChar(offset);
        }
        try {
            return (char) CHAR.get(segment, offset);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    public void putChar(long offset, char value) {
        if (segment == null) {
            buffers.putChar(offset, value);
            return;
        }
        try {
            CHAR.set(segment, offset, value);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    public int getInt(long offset) {
        if (segment == null) {
            return buffers.getInt(offset);
        }
        try {
            return (int) INT.get(segment, offset);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    public void putInt(long offset, int value) {
        if (segment == null) {
            buffers.putInt(offset, value);
            return;
        }
        try {
            INT.set(segment, offset, value);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    public long getLong(long offset) {
        if (segment == null) {
            return buffers.getLong(offset);
        }
        try {
            return (long) LONG.get(segment, offset);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    public void putLong(long offset, long value) {
        if (segment == null) {
            buffers.putLong(offset, value);
            return;
        }
        try {
            LONG.set(segment, offset, value);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    public float getFloat(long offset) {
        if (segment == null) {
            return buffers.getFloat(offset);
        }
        try {
            return (float) FLOAT.get(segment, offset);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    public void putFloat(long offset, float value) {
        if (segment == null) {
            buffers.putFloat(offset, value);
            return;
        }
        try {
            FLOAT.set(segment, offset, value);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    public double getDouble(long offset) {
        if (segment == null) {
            return buffers.getDouble(offset);
        }
        try {
            return (double) DOUBLE.get(segment, offset);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    public void putDouble(long offset, double value) {
        if (segment == null) {
            buffers.putDouble(offset, value);
            return;
        }
        try {
            DOUBLE.set(segment, offset, value);
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }

    /**
     * A buffer over {@code [offset, offset + length)} with position 0, for bulk copies; {@code length} must fit in
     * an int. Built on demand (it allocates), so bulk paths only. A shared pool's buffer keeps the arena's checks.
     */
    public ByteBuffer slice(long offset, int length) {
        if (segment == null) {
            return buffers.slice(offset, length);
        }
        try {
            return segment.asSlice(offset, length).asByteBuffer().order(ByteOrder.nativeOrder());
        } catch (IllegalStateException e) {
            throw closedDuringAccess(e);
        }
    }
}
