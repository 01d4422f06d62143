package org.cymem4j.view;

import java.nio.ByteBuffer;

import org.cymem4j.internal.Exports;

/**
 * The zero-copy exports of a {@link MemoryView}: its bytes as a {@link ByteBuffer} (a {@code MemorySegment}:
 * {@link Segments#asSegment(MemoryView)}). Only a contiguous view (C or Fortran order, no indirect axis) has one byte
 * range to export; any other is refused with {@link IllegalArgumentException} (copy it first: {@code view.copy()}).
 *
 * <p>This class is part of {@link MemoryView}'s class chain, cut by concern; use {@code MemoryView} as the type.
 */
public abstract sealed class ViewExports extends ViewShapes permits ViewElements {
    ViewExports(Owner owner, Region region, long offset, DType dtype, long[] shape, long[] strides,
            long[] suboffsets) {
        super(owner, region, offset, dtype, shape, strides, suboffsets);
    }

    /**
     * The view's bytes as a checked direct {@link ByteBuffer} (JDK 22 and later): native byte order, position 0,
     * capacity {@link MemoryView#byteSize()}, no copy. It is the buffer of {@link Segments#asSegment(MemoryView)}'s
     * segment, so it ends when the view's memory does: a pool block freed, reallocated or closed with its pool, a
     * typed array resized or closed, a {@code NativeArray} closed; every access after that throws
     * {@link IllegalStateException}, and one racing it on another thread finishes or fails before the memory is
     * freed. A view of a {@code MemorySegment} or a direct {@code ByteBuffer} gives the buffer of a slice of that
     * segment ({@code MemorySegment.ofBuffer}), checked by its own scope; a {@code NativeArray.wrap} ends its exports
     * in {@code close()}, before its callback releases the memory; a view of a JavaCPP pointer that its owner
     * deallocates unseen is refused ({@link IllegalArgumentException}): only the unchecked buffer exists for it.
     *
     * <pre>{@code
     * try (NativeArray a = NativeArray.allocate(pool, DType.FLOAT, 2, 3)) {
     *     ByteBuffer bb = a.view().asByteBuffer();       // 24 bytes, C order
     *     bb.putFloat(4, 1.5f);                          // a.view().getFloat(0, 1) == 1.5f
     *     a.view().T().asByteBuffer();                   // also fine: Fortran-contiguous
     *     a.view().slice(":, ::2").asByteBuffer();       // throws IllegalArgumentException: not contiguous
     * }
     * }</pre>
     *
     * @return a buffer over exactly the view's bytes, in memory order
     * @throws IllegalArgumentException if the view is not contiguous, or is a view of a foreign JavaCPP pointer
     * @throws IllegalStateException if the view's memory was freed, moved or closed, or a confined pool is used from
     *     another thread
     * @throws UnsupportedOperationException on JDK 17 to 21 (use {@link #asByteBufferUnchecked()}), or if the view
     *     has more than {@code Integer.MAX_VALUE} bytes
     */
    public ByteBuffer asByteBuffer() {
        return Exports.buffer(span, exportOffset(), exportBytes(), false, owner.base());
    }

    /**
     * The view's bytes as a plain direct {@link ByteBuffer}, on every JDK: native byte order, position 0, capacity
     * {@link MemoryView#byteSize()}, no copy, and <b>no check after it is made</b>. An escape hatch, named so as FFM
     * names its restricted methods: the caller must stop using the buffer before the view's memory is freed, moved
     * or closed (for a typed array: before it changes its length or buffer), because an access after that reads or
     * writes freed memory and may crash the JVM. Prefer {@link #asByteBuffer()} on JDK 22 and later.
     *
     * <pre>{@code
     * ByteBuffer bb = array.view().asByteBufferUnchecked();
     * channel.write(bb);                 // done with bb before the array is closed or resized
     * }</pre>
     *
     * @return an unchecked buffer over exactly the view's bytes, in memory order
     * @throws IllegalArgumentException if the view is not contiguous
     * @throws IllegalStateException if the view's memory is already freed, moved or closed (checked once, now)
     * @throws UnsupportedOperationException if the view has more than {@code Integer.MAX_VALUE} bytes
     */
    public ByteBuffer asByteBufferUnchecked() {
        return Exports.unchecked(span, exportOffset(), exportBytes(), false);
    }

    /** Where the view's first byte lies in its owner's span; refuses a view with no single byte range. */
    final long exportOffset() {
        if (!contiguous(true) && !contiguous(false)) {
            throw new IllegalArgumentException("only a contiguous view can be exported as one range of bytes; this"
                    + " one has shape " + java.util.Arrays.toString(shape) + ", strides "
                    + java.util.Arrays.toString(strides) + (suboffsets != null ? " and indirect axes" : "")
                    + " (copy() it first)");
        }
        return region.address + offset - span.address();
    }

    /** The bytes of a contiguous view: its element count times its item size. */
    final long exportBytes() {
        return elementCount() * itemsize;
    }
}
