package org.cymem4j.internal;

import org.bytedeco.javacpp.Pointer;

/** A non-owning JavaCPP pointer at an address: the way to hand pool memory to JavaCPP's buffer and pointer APIs. */
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
}
