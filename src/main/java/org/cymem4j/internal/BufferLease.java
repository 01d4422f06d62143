package org.cymem4j.internal;

import org.cymem4j.NativeMemory;
import org.cymem4j.view.DType;

/**
 * A one-dimensional, contiguous buffer lent by its owner (a {@code TypedArray}) to something that reads it in place:
 * a {@code MemoryView}, or a typed element accessor. The lease is a snapshot of (memory, element type, length) that is
 * valid until the owner changes its length or its buffer (a resize may move the memory) or is closed; after that,
 * {@link #check()} throws, so a holder of a stale lease can never read freed memory.
 *
 * <p>Holders call {@link #check()} before every access and then read or write through {@link #memory()}, whose
 * accessors also check the pool (open, owner thread) and the byte bounds; no JNI call per element.
 */
public interface BufferLease {
    /** The element type. */
    DType dtype();

    /** The number of elements the lease covers; {@code length() * dtype().itemsize()} bytes from offset 0. */
    long length();

    /** The memory holding the elements, from byte 0. Call {@link #check()} first. */
    NativeMemory memory();

    /**
     * Throws unless the lease is still valid.
     *
     * @throws IllegalStateException if the owner was closed (or its pool was), or changed its length or buffer since
     *     the lease was made; the message names the owner and says to take a new lease
     */
    void check();

    /** How messages name the owner, e.g. {@code array('i')}. */
    String ownerName();
}
