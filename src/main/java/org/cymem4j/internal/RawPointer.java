package org.cymem4j.internal;

import org.bytedeco.javacpp.Pointer;

/**
 * A non-owning JavaCPP pointer at an address, counted in bytes: the way to hand pool memory to JavaCPP's buffer and
 * pointer APIs. {@link #sizeof()} is 1, so {@code capacity}, {@code limit} and {@code asByteBuffer()} cover exactly
 * the bytes given (JavaCPP would otherwise size an unregistered subclass as a pointer, 8 bytes per element).
 */
public final class RawPointer extends Pointer {
    /**
     * @param address the first byte
     * @param bytes how many bytes the pointer may reach (its capacity and limit)
     */
    public RawPointer(long address, long bytes) {
        this.address = address;
        this.capacity = bytes;
        this.limit = bytes;
    }

    @Override
    public int sizeof() {
        return 1;
    }
}
