package org.cymem4j.internal;

import java.nio.ByteBuffer;

/**
 * Reads and writes a range of native memory from Java without a JNI call per element. Callers check bounds and
 * liveness first ({@link Span}); this class checks nothing. JDK 17 version: direct {@link ByteBuffer}s in native byte
 * order ({@link BufferAccess}). The JDK 22+ version ({@code META-INF/versions/22}) reads through a
 * {@code MemorySegment}, scoped to a shared pool's FFM arena when the scope has one ({@link Sessions}).
 */
public final class MemoryAccess {
    private final long address;
    private final long bytes;
    private final BufferAccess buffers;

    /**
     * @param address the first byte
     * @param bytes the size of the range
     * @param session the shared arena the range's segment belongs to ({@link Sessions#openShared()}), a user's
     *     {@code MemorySegment} that holds the range (a view of it), or null
     * @param owner how messages name the memory's owner when the session closed under an access
     */
    public MemoryAccess(long address, long bytes, Object session, String owner) {
        this.address = address;
        this.bytes = bytes;
        this.buffers = new BufferAccess(address, bytes);
    }

    public long address() {
        return address;
    }

    public long bytes() {
        return bytes;
    }

    public byte getByte(long offset) {
        return buffers.getByte(offset);
    }

    public void putByte(long offset, byte value) {
        buffers.putByte(offset, value);
    }

    public short getShort(long offset) {
        return buffers.getShort(offset);
    }

    public void putShort(long offset, short value) {
        buffers.putShort(offset, value);
    }

    public char getChar(long offset) {
        return buffers.getChar(offset);
    }

    public void putChar(long offset, char value) {
        buffers.putChar(offset, value);
    }

    public int getInt(long offset) {
        return buffers.getInt(offset);
    }

    public void putInt(long offset, int value) {
        buffers.putInt(offset, value);
    }

    public long getLong(long offset) {
        return buffers.getLong(offset);
    }

    public void putLong(long offset, long value) {
        buffers.putLong(offset, value);
    }

    public float getFloat(long offset) {
        return buffers.getFloat(offset);
    }

    public void putFloat(long offset, float value) {
        buffers.putFloat(offset, value);
    }

    public double getDouble(long offset) {
        return buffers.getDouble(offset);
    }

    public void putDouble(long offset, double value) {
        buffers.putDouble(offset, value);
    }

    /**
     * A buffer over {@code [offset, offset + length)} with position 0, for bulk copies; {@code length} must fit in
     * an int. Built on demand (it allocates), so bulk paths only.
     */
    public ByteBuffer slice(long offset, int length) {
        return buffers.slice(offset, length);
    }
}
