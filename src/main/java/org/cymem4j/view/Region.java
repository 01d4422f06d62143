package org.cymem4j.view;

import org.cymem4j.internal.MemoryAccess;
import org.cymem4j.internal.Span;

/**
 * A range of native memory a view may touch, with its Java accessor: {@code [address, address + bytes)}. A region
 * that is a separate block (an indirect array's row) keeps that block's span, so following a pointer into a row
 * that was freed or reallocated behind the array's back throws instead of reading freed memory.
 */
final class Region {
    final long address;
    final long bytes;
    final MemoryAccess access;
    /** The block this region is, when it is one of its own (an indirect row), else null (covered by the owner). */
    private final Span span;

    /** A range of {@code owner}'s memory; its accessor goes through the owner's scope. */
    Region(long address, long bytes, Owner owner) {
        this(address, bytes, owner, null);
    }

    /** A range that is a block of its own ({@code span}), reached through {@code owner}'s views. */
    Region(long address, long bytes, Owner owner, Span span) {
        this.address = address;
        this.bytes = bytes;
        this.access = owner.accessFor(address, bytes);
        this.span = span;
    }

    boolean contains(long addr, long length) {
        return addr >= address && length >= 0 && addr - address <= bytes - length;
    }

    /** Throws if this region is a block that was freed or moved (its pool's scope is the owner's, checked already). */
    void checkLive() {
        if (span != null && !span.isValid()) {
            span.check(); // throws with the block's own message
        }
    }
}
