package org.cymem4j.view;

import org.cymem4j.internal.MemoryAccess;

/** A range of native memory a view may touch, with its Java accessor: {@code [address, address + bytes)}. */
final class Region {
    final long address;
    final long bytes;
    final MemoryAccess access;

    Region(long address, long bytes) {
        this.address = address;
        this.bytes = bytes;
        this.access = new MemoryAccess(address, bytes);
    }

    boolean contains(long addr, long length) {
        return addr >= address && length >= 0 && addr - address <= bytes - length;
    }
}
