package org.cymem4j.internal;

import org.cymem4j.view.DType;

/**
 * A one-dimensional, contiguous buffer lent by its owner (a {@code TypedArray}) to something that reads it in place:
 * a {@code MemoryView}, or a typed element accessor. The lease is a snapshot of (memory, element type, length); its
 * memory is a window {@link Span} of the owner's buffer, so it goes stale by itself when the owner changes its length
 * or buffer (a resize may move the memory) or is closed: every access through {@link #span()} then throws.
 *
 * @param dtype the element type
 * @param length the number of elements the lease covers; {@code length * dtype.itemsize()} bytes from offset 0
 * @param span the window over the owner's buffer, checked on every access
 * @param memory a {@code NativeMemory} (an {@code org.cymem4j.Block}) over {@link #span()}, for element accessors
 * @param ownerName how messages name the owner, e.g. {@code array('i')}
 */
public record BufferLease(DType dtype, long length, Span span, Object memory, String ownerName) {
}
