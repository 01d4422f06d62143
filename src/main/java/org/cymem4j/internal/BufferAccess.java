package org.cymem4j.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads and writes a range of native memory from Java without a JNI call per element, through direct
 * {@link ByteBuffer}s in native byte order. A {@code ByteBuffer} reaches at most 2 GiB - 1 bytes, so a larger
 * range is covered by 1 GiB chunks that overlap by 8 bytes: any access of up to 8 bytes at offset {@code o}
 * fits inside chunk {@code o >>> 30}. Callers check bounds and liveness first; this class checks nothing. It is how
 * {@link MemoryAccess} reads memory on JDK 17 (and on JDK 22+ without native access).
 */
public final class BufferAccess {
    private static final int CHUNK_SHIFT = 30;
    private static final long CHUNK_MASK = (1L << CHUNK_SHIFT) - 1;
    private static final long CHUNK_OVERLAP = 8;

    private final long address;
    private final long bytes;
    /** The whole range when it fits in one buffer, else null. */
    private final ByteBuffer single;
    /** The overlapping chunks when the range is larger than one buffer, else null. */
    private final ByteBuffer[] chunks;

    public BufferAccess(long address, long bytes) {
        this.address = address;
        this.bytes = bytes;
        if (bytes <= Integer.MAX_VALUE) {
            this.single = wrap(address, bytes);
            this.chunks = null;
        } else {
            int n = (int) ((bytes + CHUNK_MASK) >>> CHUNK_SHIFT);
            this.single = null;
            this.chunks = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                long start = (long) i << CHUNK_SHIFT;
                chunks[i] = wrap(address + start, Math.min(CHUNK_MASK + 1 + CHUNK_OVERLAP, bytes - start));
            }
        }
    }

    private static ByteBuffer wrap(long address, long bytes) {
        if (bytes == 0) {
            return ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());
        }
        return new RawPointer(address, bytes).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    public long address() {
        return address;
    }

    public long bytes() {
        return bytes;
    }

    private ByteBuffer chunk(long offset) {
        return chunks[(int) (offset >>> CHUNK_SHIFT)];
    }

    private static int local(long offset) {
        return (int) (offset & CHUNK_MASK);
    }

    // ---- single values at a byte offset ----------------------------------------------------------------

    public byte getByte(long offset) {
        ByteBuffer b = single;
        return b != null ? b.get((int) offset) : chunk(offset).get(local(offset));
    }

    public void putByte(long offset, byte value) {
        ByteBuffer b = single;
        if (b != null) {
            b.put((int) offset, value);
        } else {
            chunk(offset).put(local(offset), value);
        }
    }

    public short getShort(long offset) {
        ByteBuffer b = single;
        return b != null ? b.getShort((int) offset) : chunk(offset).getShort(local(offset));
    }

    public void putShort(long offset, short value) {
        ByteBuffer b = single;
        if (b != null) {
            b.putShort((int) offset, value);
        } else {
            chunk(offset).putShort(local(offset), value);
        }
    }

    public char getChar(long offset) {
        ByteBuffer b = single;
        return b != null ? b.getChar((int) offset) : chunk(offset).getChar(local(offset));
    }

    public void putChar(long offset, char value) {
        ByteBuffer b = single;
        if (b != null) {
            b.putChar((int) offset, value);
        } else {
            chunk(offset).putChar(local(offset), value);
        }
    }

    public int getInt(long offset) {
        ByteBuffer b = single;
        return b != null ? b.getInt((int) offset) : chunk(offset).getInt(local(offset));
    }

    public void putInt(long offset, int value) {
        ByteBuffer b = single;
        if (b != null) {
            b.putInt((int) offset, value);
        } else {
            chunk(offset).putInt(local(offset), value);
        }
    }

    public long getLong(long offset) {
        ByteBuffer b = single;
        return b != null ? b.getLong((int) offset) : chunk(offset).getLong(local(offset));
    }

    public void putLong(long offset, long value) {
        ByteBuffer b = single;
        if (b != null) {
            b.putLong((int) offset, value);
        } else {
            chunk(offset).putLong(local(offset), value);
        }
    }

    public float getFloat(long offset) {
        ByteBuffer b = single;
        return b != null ? b.getFloat((int) offset) : chunk(offset).getFloat(local(offset));
    }

    public void putFloat(long offset, float value) {
        ByteBuffer b = single;
        if (b != null) {
            b.putFloat((int) offset, value);
        } else {
            chunk(offset).putFloat(local(offset), value);
        }
    }

    public double getDouble(long offset) {
        ByteBuffer b = single;
        return b != null ? b.getDouble((int) offset) : chunk(offset).getDouble(local(offset));
    }

    public void putDouble(long offset, double value) {
        ByteBuffer b = single;
        if (b != null) {
            b.putDouble((int) offset, value);
        } else {
            chunk(offset).putDouble(local(offset), value);
        }
    }

    // ---- bulk ------------------------------------------------------------------------------------------

    /**
     * A buffer over {@code [offset, offset + length)} with position 0, for bulk copies; {@code length} must fit in
     * an int. Built on demand (it allocates), so bulk paths only.
     */
    public ByteBuffer slice(long offset, int length) {
        if (single != null) {
            return single.slice((int) offset, length).order(ByteOrder.nativeOrder());
        }
        ByteBuffer c = chunk(offset);
        int at = local(offset);
        if (at + (long) length <= c.capacity()) {
            return c.slice(at, length).order(ByteOrder.nativeOrder());
        }
        return wrap(address + offset, length);
    }
}
