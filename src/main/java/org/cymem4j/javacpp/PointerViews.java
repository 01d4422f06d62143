package org.cymem4j.javacpp;

import java.nio.Buffer;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.ByteIndexer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.Indexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.javacpp.indexer.LongIndexer;
import org.bytedeco.javacpp.indexer.ShortIndexer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacpp.indexer.UIntIndexer;
import org.bytedeco.javacpp.indexer.ULongIndexer;
import org.bytedeco.javacpp.indexer.UShortIndexer;
import org.cymem4j.internal.BufferAccess;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.Handles;
import org.cymem4j.internal.RawPointer;
import org.cymem4j.internal.Scope;
import org.cymem4j.internal.Span;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;

/**
 * {@link MemoryView}s and JavaCPP, both ways: a view of a JavaCPP {@link Pointer}'s or {@link Indexer}'s memory, and
 * a pointer or an indexer over a view's memory, for code written against JavaCPP. The views are checked as every
 * view is: one over a pool-owned pointer (a pool's typed JavaCPP pointers) fails exactly when its block is freed
 * or moved or its pool closes; one over any other pointer fails once the pointer is deallocated (its address is 0).
 *
 * <pre>{@code
 * DoublePointer p = new DoublePointer(6);            // JavaCPP's own memory
 * MemoryView m = PointerViews.of(p, DType.DOUBLE, 2, 3);
 * m.putDouble(1, 2, 4.5);                            // p.get(5) == 4.5
 * DoubleIndexer idx = (DoubleIndexer) PointerViews.indexer(m);
 * idx.get(1, 2);                                     // 4.5, read through the view's checks
 * Pointer raw = PointerViews.pointer(m);             // a void* for C code; nothing checks it
 * p.deallocate();                                    // m.getDouble(0, 0) and idx.get(0, 0) now throw
 * }</pre>
 */
public final class PointerViews {
    private PointerViews() {
    }

    /**
     * A C-contiguous view of a JavaCPP {@link Pointer}'s memory, from its position to its limit (or capacity when
     * no limit is set), counted in the pointer's elements. Its {@link MemoryView#base()} is the pointer; the view
     * keeps it reachable, and throws {@link IllegalStateException} once the pointer is deallocated (its address is
     * 0). The pointer must stay allocated while the view is used: JavaCPP does not tell the view when it frees memory
     * other than through the pointer. Was {@code MemoryView.of(Pointer, DType, long...)}.
     *
     * @param pointer the pointer whose memory the view shows, from its position
     * @param dtype the element type
     * @param shape the length of each axis, in elements (0 to 32 axes)
     * @return a new C-contiguous view of the pointer's memory
     * @throws IllegalArgumentException if the pointer is null, has no known size, or is too small for the shape,
     *     or a pool-owned pointer's range reaches past its block
     * @throws IllegalStateException if a pool-owned pointer's block was freed or its pool closed
     */
    public static MemoryView of(Pointer pointer, DType dtype, long... shape) {
        if (pointer == null || pointer.isNull()) {
            throw new IllegalArgumentException("a view needs a non-null pointer");
        }
        long end = pointer.limit() > 0 ? pointer.limit() : pointer.capacity();
        if (end <= 0) {
            throw new IllegalArgumentException("the pointer has no known size (limit and capacity are 0); set its capacity");
        }
        checkPosition(pointer, end);
        long size = Math.max(1, pointer.sizeof());
        long address = pointer.address() + pointer.position() * size;
        long bytes = (end - pointer.position()) * size;
        Span span = spanOf(pointer, address, bytes, pointer);
        return (MemoryView) Handles.views().spanView(span, pointer, null, address, bytes, dtype, shape, null);
    }

    /**
     * A view of the native memory behind a JavaCPP {@link Indexer} (a raw indexer over a {@link Pointer}, or one over
     * a direct NIO buffer), with its sizes as the shape and its strides (in elements) as byte strides; the element
     * type comes from the indexer's class ({@code UByteIndexer} gives {@code 'B'}, {@code DoubleIndexer} {@code 'd'},
     * ...). Its {@link MemoryView#base()} is the indexer; like {@link #of(Pointer, DType, long...)}, it throws
     * {@link IllegalStateException} once the pointer is deallocated. Was {@code MemoryView.of(Indexer)}.
     *
     * @param indexer a raw JavaCPP indexer over a pointer or a direct buffer
     * @return a new view of the indexer's memory
     * @throws IllegalArgumentException if the indexer is backed by a Java array (no native memory) or a read-only
     *     buffer, or its type is not one of the view types
     */
    public static MemoryView of(Indexer indexer) {
        DType dtype = dtypeOf(indexer);
        long[] shape = indexer.sizes();
        long[] strides = new long[shape.length];
        long origin = indexer.index(new long[shape.length]);
        for (int k = 0; k < strides.length; k++) {
            long[] unit = new long[shape.length];
            unit[k] = 1;
            // the element stride along axis k, through the public index(): Indexer.strides() is deprecated
            strides[k] = Math.multiplyExact(indexer.index(unit) - origin, dtype.itemsize());
        }
        Pointer p = indexer.pointer();
        if (p != null) {
            if (p.isNull()) {
                throw new IllegalArgumentException("the indexer's pointer is null");
            }
            long end = p.limit() > 0 ? p.limit() : p.capacity();
            checkPosition(p, end);
            long size = Math.max(1, p.sizeof());
            long address = p.address() + p.position() * size;
            long bytes = (end - p.position()) * size;
            Span span = spanOf(p, address, bytes, indexer);
            return (MemoryView) Handles.views().spanView(span, indexer, null, address, bytes, dtype, shape, strides);
        }
        Buffer b = indexer.buffer();
        if (b != null && b.isDirect()) {
            if (b.isReadOnly()) {
                throw new IllegalArgumentException("a view writes its memory; the indexer's buffer is read-only");
            }
            long address = BufferAccess.addressOf(b) + (long) b.position() * dtype.itemsize();
            long bytes = (long) b.remaining() * dtype.itemsize();
            Span span = new Span(Scope.unmanaged(nameOf(indexer), null), address, bytes, indexer);
            return (MemoryView) Handles.views().spanView(span, indexer, null, address, bytes, dtype, shape, strides);
        }
        throw new IllegalArgumentException("the indexer is backed by a Java array, not native memory; make a NativeArray"
                + " with NativeArray.copyOf instead");
    }

    /**
     * A non-owning JavaCPP pointer at the view's element {@code (0, ..., 0)}, for C functions taking a
     * {@code void*}: a {@link BytePointer} whose capacity and limit are the view's bytes from there to the end of its
     * last element ({@link MemoryView#byteSize()} for a contiguous view, 0 for an empty one; for an indirect view, its
     * pointer slots), so {@code asByteBuffer()} reaches exactly the view's memory and nothing past it. Elements that
     * negative strides place before element {@code (0, ..., 0)} lie below the pointer. It is valid while the view's
     * owner is alive; nothing checks that for it. Was {@code MemoryView.toPointer()}.
     *
     * @param view the view whose memory the pointer reaches
     * @return a new {@link BytePointer} at element {@code (0, ..., 0)}, not owning the memory
     * @throws IllegalStateException if the view's owner is closed or freed
     */
    public static Pointer pointer(MemoryView view) {
        long address = view.address(); // checks the owner
        // a BytePointer, whose capacity counts bytes: a subclass of Pointer counts in elements of its own sizeof()
        return new BytePointer(new RawPointer(address, exportedBytes(view)));
    }

    /**
     * A JavaCPP {@link Indexer} over the view ({@code DoubleIndexer} for {@code d}, {@code IntIndexer} for
     * {@code i I u}, ...: the signed indexer of the element's width, unsigned types as their bit pattern), for code
     * written against JavaCPP's indexers. Unlike JavaCPP's raw indexers it reads and writes through the view's checked
     * accessors, so it throws {@link IllegalStateException} once the memory is freed; {@code reindex} is not
     * supported (slice the view instead). As with JavaCPP's own indexers, indices (and a {@code ByteIndexer}'s byte
     * offsets) do not count from the end: a negative or too large one throws {@link IndexOutOfBoundsException} naming
     * it and the length, before anything is read or written. Was {@code MemoryView.toIndexer()}.
     *
     * <pre>{@code
     * DoubleIndexer idx = (DoubleIndexer) PointerViews.indexer(view);
     * idx.put(1, 2, 4.5);            // view.getDouble(1, 2) == 4.5
     * }</pre>
     *
     * @param view the view the indexer reads and writes
     * @return a new indexer over the view, of the signed indexer class of the element's width
     * @throws IllegalStateException if the view's owner is closed or freed
     */
    public static Indexer indexer(MemoryView view) {
        view.address(); // checks the owner now, as every later access will
        DType t = view.dtype();
        switch (t.itemsize()) {
            case 1: return new ViewByteIndexer(view);
            case 2: return new ViewShortIndexer(view);
            case 4: return t.isFloating() ? new ViewFloatIndexer(view) : new ViewIntIndexer(view);
            default: return t.isFloating() ? new ViewDoubleIndexer(view) : new ViewLongIndexer(view);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /**
     * The span that keeps a pointer's memory checked: a pool-owned pointer's block span (so the view fails exactly
     * when the block does, races with a shared pool's close included), else an unmanaged span live while the pointer
     * is not deallocated.
     */
    private static Span spanOf(Pointer pointer, long address, long bytes, Object base) {
        Span own = Handles.spanOf(pointer);
        if (own != null) {
            own.check(); // a pool pointer whose block is gone has address 0: say why, not that 0 is outside it
            if (address < own.address() || bytes > own.bytes() - (address - own.address())) {
                throw new IllegalArgumentException("the pointer's range " + Checks.hex(address) + " (" + bytes
                        + " bytes) is not inside its " + own + "; a view cannot reach past the block");
            }
            return own;
        }
        return new Span(Scope.unmanaged(nameOf(base), () -> !pointer.isNull()), address, bytes, base);
    }

    private static String nameOf(Object base) {
        return base.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(base));
    }

    /** Throws unless the pointer's position lies in {@code [0, end]} (its limit, or its capacity without one). */
    private static void checkPosition(Pointer pointer, long end) {
        if (pointer.position() < 0 || pointer.position() > end) {
            throw new IllegalArgumentException("the pointer's position " + pointer.position() + " is outside its "
                    + (pointer.limit() > 0 ? "limit " : "capacity ") + end);
        }
    }

    /** The bytes from element (0, ..., 0) to the end of the last byte the view reaches (in its pointer table if indirect). */
    private static long exportedBytes(MemoryView view) {
        long[] shape = view.shape();
        long[] strides = view.strides();
        long[] suboffsets = view.suboffsets();
        for (long n : shape) {
            if (n == 0) {
                return 0;
            }
        }
        long hi = 0;
        for (int k = 0; k < shape.length; k++) {
            hi += Math.max(0, (shape[k] - 1) * strides[k]);
            if (suboffsets[k] >= 0) {
                return hi + Long.BYTES; // past the first indirect axis, the view leaves this memory
            }
        }
        return hi + view.itemsize();
    }

    private static DType dtypeOf(Indexer x) {
        if (x instanceof DoubleIndexer) {
            return DType.DOUBLE;
        } else if (x instanceof FloatIndexer) {
            return DType.FLOAT;
        } else if (x instanceof LongIndexer) {
            return DType.LONG;
        } else if (x instanceof ULongIndexer) {
            return DType.ULONG;
        } else if (x instanceof IntIndexer) {
            return DType.INT;
        } else if (x instanceof UIntIndexer) {
            return DType.UINT;
        } else if (x instanceof ShortIndexer) {
            return DType.SHORT;
        } else if (x instanceof UShortIndexer) {
            return DType.USHORT;
        } else if (x instanceof ByteIndexer) {
            return DType.BYTE;
        } else if (x instanceof UByteIndexer) {
            return DType.UBYTE;
        }
        throw new IllegalArgumentException("no view type for a " + x.getClass().getSimpleName());
    }
}
