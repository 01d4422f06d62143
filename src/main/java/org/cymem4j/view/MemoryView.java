package org.cymem4j.view;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.cymem4j.internal.BufferLease;
import org.cymem4j.internal.Bulk;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.Handles;
import org.cymem4j.internal.MemoryAccess;
import org.cymem4j.internal.RawPointer;

/**
 * A strided N-dimensional view of native memory: Cython's typed memoryview ({@code cython.int[:, :]}) for Java. A
 * view is (owner, data address, {@link DType}, shape, strides in bytes, optional suboffsets); it never copies or owns
 * memory, it keeps its owner (a {@link NativeArray}, a pool {@link Block}, a {@link TypedArray}, a direct
 * {@link ByteBuffer}, a JavaCPP {@link Pointer}) reachable and checks on every access that the owner is still alive.
 *
 * <pre>{@code
 * try (Pool pool = Pool.open()) {
 *     MemoryView m = NativeArray.copyOf(pool, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3).view();
 *     m.shape();                       // [3, 3]
 *     m.strides();                     // [12, 4]
 *     m.getInt(1, 2);                  // 6
 *     m.getInt(-1, -2);                // 8, negative indices count from the end
 *     MemoryView col = m.slice(":, 1"); // [2, 5, 8], a view: no copy
 *     col.putInt(0, 42);               // writes through to m
 *     m.slice("::-1, None").shape();   // [3, 1, 3]
 * }                                    // memory freed here; m.getInt(0, 0) now throws IllegalStateException
 * }</pre>
 *
 * <h2>Indexing</h2>
 * {@link #slice(String)} takes NumPy's basic index syntax exactly as Python writes it between brackets, and
 * {@link #slice(Index...)} the same items built in code. Integers count from the end when negative and remove an
 * axis; {@code start:stop:step} slices clamp out-of-range bounds as Python does and may step backwards; one
 * {@code ...} stands for the axes not named; {@code None} inserts an axis of length 1 (stride 0). Element accessors
 * ({@code getDouble(i, j)}, {@code putInt(i, value)}, and a {@code long...} form for any rank) take one index per
 * axis, also negative from the end, and check each against the axis length.
 *
 * <h2>Typed access</h2>
 * Each element type is read and written through the Java type of its width: {@code getByte}/{@code putByte} for
 * {@code b B}, {@code getShort} for {@code h H}, {@code getInt} for {@code i I u}, {@code getLong} for {@code l L q Q},
 * {@code getFloat} for {@code f} and {@code getDouble} for {@code d}; unsigned types come back as their bit pattern
 * ({@code Byte.toUnsignedInt} etc. recover the value). Using an accessor of another width throws
 * {@link IllegalArgumentException}. The {@code to*Array()} methods convert any element type, in C order.
 *
 * <h2>Contiguity</h2>
 * {@link #isCContiguous()} and {@link #isFContiguous()} follow NumPy's rule: axes of length 1 do not count (their
 * stride may be anything), and a view with an axis of length 0 is both. Cython's {@code is_c_contig()} is stricter:
 * it requires every axis, length-1 axes included, to have exactly the contiguous stride, so a view that NumPy (and
 * this class) calls contiguous may be rejected by Cython when it came from a {@code None} axis or a length-1 slice.
 *
 * <h2>Errors</h2>
 * {@link IllegalArgumentException} for malformed index expressions (the message quotes the offending part), shape
 * or element-type mismatches; {@link IndexOutOfBoundsException} for indices outside an axis (as NumPy's
 * {@code IndexError}: {@code index 3 is out of bounds for axis 0 with size 3}); {@link IllegalStateException} once
 * the owner is closed or freed, or a confined pool is used from another thread.
 */
public final class MemoryView {
    static final int C_BYTE = 0, C_SHORT = 1, C_INT = 2, C_LONG = 3, C_FLOAT = 4, C_DOUBLE = 5;
    private static final String[] CARRIER_NAMES = {"byte", "short", "int", "long", "float", "double"};

    final Owner owner;
    /** The memory the byte offsets are relative to. */
    final Region region;
    /** Byte offset of element (0, ..., 0) from {@code region.address}. */
    final long offset;
    final DType dtype;
    final int itemsize;
    final int carrier;
    final int ndim;
    final long[] shape;
    final long[] strides;
    /** PEP 3118 suboffsets (negative: no indirection on that axis), or null when every axis is direct. */
    final long[] suboffsets;
    /** Shape and strides of the first three axes, in fields so the fixed-rank accessors read no arrays. */
    private final long n0, n1, n2, st0, st1, st2;
    private final MemoryAccess mem;

    MemoryView(Owner owner, Region region, long offset, DType dtype, long[] shape, long[] strides, long[] suboffsets) {
        this.owner = owner;
        this.region = region;
        this.offset = offset;
        this.dtype = dtype;
        this.itemsize = dtype.itemsize();
        this.carrier = carrierOf(dtype);
        this.ndim = shape.length;
        this.shape = shape;
        this.strides = strides;
        this.suboffsets = anyIndirect(suboffsets) ? suboffsets : null;
        this.n0 = ndim > 0 ? shape[0] : 0;
        this.n1 = ndim > 1 ? shape[1] : 0;
        this.n2 = ndim > 2 ? shape[2] : 0;
        this.st0 = ndim > 0 ? strides[0] : 0;
        this.st1 = ndim > 1 ? strides[1] : 0;
        this.st2 = ndim > 2 ? strides[2] : 0;
        this.mem = region.access;
    }

    private static boolean anyIndirect(long[] suboffsets) {
        if (suboffsets != null) {
            for (long s : suboffsets) {
                if (s >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    static int carrierOf(DType t) {
        switch (t.itemsize()) {
            case 1: return C_BYTE;
            case 2: return C_SHORT;
            case 4: return t.isFloating() ? C_FLOAT : C_INT;
            default: return t.isFloating() ? C_DOUBLE : C_LONG;
        }
    }

    // ---- factories -------------------------------------------------------------------------------------------

    /**
     * A C-contiguous view of the start of a pool block. Its {@link #base()} is the block; it stops working when the
     * block is freed or reallocated or its pool closes.
     *
     * <pre>{@code
     * long p = pool.alloc(6, Double.BYTES);
     * MemoryView m = MemoryView.of(pool.block(p), DType.DOUBLE, 2, 3);
     * }</pre>
     *
     * @param block the pool block whose memory the view shows, from its first byte
     * @param dtype the element type
     * @param shape the length of each axis, in elements (0 to 32 axes)
     * @return a new C-contiguous view of the start of the block
     * @throws IllegalArgumentException if a dimension is negative or the view needs more bytes than the block has
     * @throws IllegalStateException if the block was freed or its pool closed
     */
    public static MemoryView of(Block block, DType dtype, long... shape) {
        long[] sh = checkShape(shape);
        return of(block, 0, dtype, sh, Order.C.strides(sh, dtype.itemsize()));
    }

    /**
     * A strided view of a pool block: element {@code (i0, ..., in)} is at byte
     * {@code byteOffset + i0 * strides[0] + ... + in * strides[n]} of the block. Strides are in bytes and may be zero
     * or negative; every element the view can reach must lie inside the block.
     *
     * @param block the pool block whose memory the view shows
     * @param byteOffset the position of element {@code (0, ..., 0)}, in bytes from the start of the block
     * @param dtype the element type
     * @param shape the length of each axis, in elements (0 to 32 axes)
     * @param strides the distance between consecutive elements along each axis, in bytes; may be zero or negative
     * @return a new view of the block
     * @throws IllegalArgumentException if shape and strides differ in length, a dimension is negative, or an element
     *     would lie outside the block (the message gives the byte range and the block size)
     * @throws IllegalStateException if the block was freed or its pool closed
     */
    public static MemoryView of(Block block, long byteOffset, DType dtype, long[] shape, long[] strides) {
        Owner owner = Owner.ofBlock(block, block);
        Region region = new Region(block.address(), block.byteSize(), owner);
        return checked(owner, region, byteOffset, dtype, shape, strides);
    }

    /**
     * A C-contiguous view of a direct {@link ByteBuffer}, from its position to its limit. Its {@link #base()} is the
     * buffer, which the view keeps reachable (so the memory stays valid as long as the view is used).
     *
     * <pre>{@code
     * ByteBuffer data = ByteBuffer.allocateDirect(13).put("Hello, World!".getBytes(US_ASCII));
     * MemoryView view = MemoryView.of(data.clear(), DType.UBYTE, 13);
     * view.putByte(0, (byte) 'h');   // data now reads "hello, World!"
     * }</pre>
     *
     * @param buffer a direct, writable buffer; the view starts at its position
     * @param dtype the element type
     * @param shape the length of each axis, in elements (0 to 32 axes)
     * @return a new C-contiguous view of the buffer's remaining bytes
     * @throws IllegalArgumentException if the buffer is heap-backed or read-only, or too small for the shape
     */
    public static MemoryView of(ByteBuffer buffer, DType dtype, long... shape) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("a view needs a direct ByteBuffer (ByteBuffer.allocateDirect), not a heap buffer");
        }
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("a view writes its memory; the ByteBuffer is read-only");
        }
        long address = new Pointer((Buffer) buffer).address() + buffer.position();
        Owner owner = Owner.foreign(address, buffer.remaining(), buffer, null);
        Region region = new Region(address, buffer.remaining(), owner);
        long[] sh = checkShape(shape);
        return checked(owner, region, 0, dtype, sh, Order.C.strides(sh, dtype.itemsize()));
    }

    /**
     * A C-contiguous view of a JavaCPP {@link Pointer}'s memory, from its position to its limit (or capacity when
     * no limit is set), counted in the pointer's elements. Its {@link #base()} is the pointer; the view keeps it
     * reachable, and throws {@link IllegalStateException} once the pointer is deallocated (its address is 0). The
     * pointer must stay allocated while the view is used: JavaCPP does not tell the view when it frees memory
     * other than through the pointer.
     *
     * @param pointer the pointer whose memory the view shows, from its position
     * @param dtype the element type
     * @param shape the length of each axis, in elements (0 to 32 axes)
     * @return a new C-contiguous view of the pointer's memory
     * @throws IllegalArgumentException if the pointer is null, has no known size, or is too small for the shape
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
        Owner owner = Owner.ofPointer(pointer, address, bytes, pointer);
        Region region = new Region(address, bytes, owner);
        long[] sh = checkShape(shape);
        return checked(owner, region, 0, dtype, sh, Order.C.strides(sh, dtype.itemsize()));
    }

    /** Throws unless the pointer's position lies in {@code [0, end]} (its limit, or its capacity without one). */
    private static void checkPosition(Pointer pointer, long end) {
        if (pointer.position() < 0 || pointer.position() > end) {
            throw new IllegalArgumentException("the pointer's position " + pointer.position() + " is outside its "
                    + (pointer.limit() > 0 ? "limit " : "capacity ") + end);
        }
    }

    /**
     * A one-dimensional view of a {@code cpython.array}-style {@link TypedArray}, in place (Cython's
     * {@code cython.int[:] ca = a}; Python arrays give one-dimensional views only). Its {@link #base()} is the array.
     * The view lasts while the array keeps its length and buffer: after {@code append}, {@code resize},
     * {@code extend} or anything else that may move the memory, or after {@code close()}, every access throws
     * {@link IllegalStateException}; take a new view then.
     *
     * <pre>{@code
     * TypedArray a = TypedArray.of('i', 1, 2, 3);
     * MemoryView ca = MemoryView.of(a);
     * ca.putInt(0, 42);          // a.get(0) == 42
     * a.append(4);
     * ca.getInt(0);              // throws IllegalStateException: the buffer may have moved
     * }</pre>
     *
     * @param array the array whose buffer the view shows
     * @return a new one-dimensional view of the array's {@code length()} elements, with the array's type
     * @throws IllegalStateException if the array is closed
     */
    public static MemoryView of(TypedArray array) {
        BufferLease lease = Handles.typedArrayLease(array);
        DType dtype = lease.dtype();
        long bytes = lease.length() * dtype.itemsize();
        Owner owner = Owner.ofLease(lease, array);
        Region region = new Region(lease.span().address(), bytes, owner);
        return checked(owner, region, 0, dtype, new long[] {lease.length()},
                new long[] {dtype.itemsize()});
    }

    static MemoryView checked(Owner owner, Region region, long byteOffset, DType dtype, long[] shape, long[] strides) {
        long[] sh = checkShape(shape);
        if (strides == null || strides.length != sh.length) {
            throw new IllegalArgumentException("shape has " + sh.length + " dimensions but strides has "
                    + (strides == null ? "none" : strides.length));
        }
        long[] st = strides.clone();
        // an empty view reaches no element, but its offset still has to lie in its memory (the end included)
        if ((byteOffset < 0 || byteOffset > region.bytes) && Arrays.stream(sh).anyMatch(n -> n == 0)) {
            throw new IllegalArgumentException("the empty view starts at byte " + byteOffset + " but its memory has "
                    + region.bytes + " bytes (shape " + Arrays.toString(sh) + ", strides " + Arrays.toString(st)
                    + ", offset " + byteOffset + ")");
        }
        checkExtent(region, byteOffset, dtype.itemsize(), sh, st);
        return new MemoryView(owner, region, byteOffset, dtype, sh, st, null);
    }

    static long[] checkShape(long[] shape) {
        if (shape == null) {
            throw new NullPointerException("shape");
        }
        if (shape.length > 32) {
            throw new IllegalArgumentException("a view has at most 32 dimensions, not " + shape.length);
        }
        long[] sh = shape.clone();
        long size = 1;
        for (int k = 0; k < sh.length; k++) {
            if (sh[k] < 0) {
                throw new IllegalArgumentException("shape[" + k + "] must be >= 0 but was " + sh[k]);
            }
            if (sh[k] != 0 && size != 0 && Math.multiplyHigh(size, sh[k]) != 0 || size * sh[k] < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(sh) + " has more than " + Long.MAX_VALUE + " elements");
            }
            size *= sh[k];
        }
        return sh;
    }

    /** Throws unless every element reachable through shape/strides from byteOffset lies inside the region. */
    static void checkExtent(Region region, long byteOffset, int itemsize, long[] shape, long[] strides) {
        long lo = 0;
        long hi = 0;
        try {
            for (int k = 0; k < shape.length; k++) {
                if (shape[k] == 0) {
                    return; // no element to reach
                }
                long span = Math.multiplyExact(shape[k] - 1, strides[k]);
                if (span < 0) {
                    lo = Math.addExact(lo, span);
                } else {
                    hi = Math.addExact(hi, span);
                }
            }
            long first = Math.addExact(byteOffset, lo);
            long end = Math.addExact(Math.addExact(byteOffset, hi), itemsize);
            if (first >= 0 && end <= region.bytes) {
                return;
            }
            throw new IllegalArgumentException("the view reaches bytes [" + first + ", " + end + ") but its memory has "
                    + region.bytes + " bytes (shape " + Arrays.toString(shape) + ", strides " + Arrays.toString(strides)
                    + ", offset " + byteOffset + ")");
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the view's byte range overflows (shape " + Arrays.toString(shape)
                    + ", strides " + Arrays.toString(strides) + ")", e);
        }
    }

    // ---- attributes ------------------------------------------------------------------------------------------

    /**
     * The length of each axis (a copy). Cython: {@code view.shape}.
     *
     * @return a copy of the shape, the number of elements along each axis
     */
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Bytes between consecutive elements along each axis (a copy); may be 0 or negative. Cython: {@code view.strides}.
     *
     * @return a copy of the strides, in bytes per axis
     */
    public long[] strides() {
        return strides.clone();
    }

    /**
     * The PEP 3118 suboffsets, one per axis: {@code -1} where the axis is direct, {@code >= 0} where stepping along it
     * reads a pointer and adds this offset (indirect, PIL-style). Direct views give all {@code -1}, as Cython does.
     *
     * @return a new array of {@link #ndim()} suboffsets, in bytes; {@code -1} for each direct axis
     */
    public long[] suboffsets() {
        if (suboffsets == null) {
            long[] s = new long[ndim];
            Arrays.fill(s, -1);
            return s;
        }
        return suboffsets.clone();
    }

    /**
     * True if some axis is indirect (has a suboffset {@code >= 0}).
     *
     * @return true if some axis is indirect, false for an ordinary strided view
     */
    public boolean isIndirect() {
        return suboffsets != null;
    }

    /**
     * The number of axes.
     *
     * @return the number of axes, 0 to 32
     */
    public int ndim() {
        return ndim;
    }

    /**
     * The number of elements (the product of the shape; 1 for a 0-d view).
     *
     * @return the number of elements
     */
    public long size() {
        long s = 1;
        for (long n : shape) {
            s *= n;
        }
        return s;
    }

    /**
     * Bytes per element.
     *
     * @return the size of one element in bytes
     */
    public int itemsize() {
        return itemsize;
    }

    /**
     * {@code size() * itemsize()}: the bytes the elements occupy (not the span of memory they are spread over).
     *
     * @return the size of the elements in bytes
     */
    public long byteSize() {
        return size() * itemsize;
    }

    /**
     * The element type.
     *
     * @return the type of every element
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * The buffer-protocol format string, as {@code memoryview.format}: {@code "d"}.
     *
     * @return the PEP 3118 format string: the element type's typecode, such as {@code "d"}
     */
    public String format() {
        return dtype.format();
    }

    /**
     * The object whose memory this view shows, as Cython's {@code view.base}: the {@link NativeArray} for views of an
     * array (and for {@link #copy()}), the pool {@link Block} for {@link #of(Block, DType, long...)}, the
     * {@link TypedArray} for {@link #of(TypedArray)}, the
     * {@link ByteBuffer} or JavaCPP {@link Pointer} a view was made over. Slices share their parent's base.
     *
     * @return the owner of the memory: a {@link NativeArray}, {@link Block}, {@link TypedArray}, {@link ByteBuffer},
     *     {@link Pointer} or JavaCPP indexer
     */
    public Object base() {
        return owner.base();
    }

    /**
     * The address of element {@code (0, ..., 0)}, for C code; valid while the owner is alive. For an indirect view
     * it is the address of the first pointer.
     *
     * @return the native address of element {@code (0, ..., 0)}
     * @throws IllegalStateException if the owner is closed or freed
     */
    public long address() {
        owner.check();
        return region.address + offset;
    }

    /**
     * A non-owning JavaCPP {@link Pointer} at element {@code (0, ..., 0)}, for C functions taking a {@code void*}: a
     * {@link BytePointer} whose capacity and limit are the view's bytes from there to the end of its last element
     * ({@link #byteSize()} for a contiguous view, 0 for an empty one; for an indirect view, its pointer slots), so
     * {@code asByteBuffer()} reaches exactly the view's memory and nothing past it. Elements that negative strides
     * place before element {@code (0, ..., 0)} lie below the pointer. It is valid while the owner is alive; nothing
     * checks that for it.
     *
     * @return a new {@link BytePointer} at element {@code (0, ..., 0)}, not owning the memory
     * @throws IllegalStateException if the owner is closed or freed
     */
    public Pointer toPointer() {
        owner.check();
        // a BytePointer, whose capacity counts bytes: a subclass of Pointer counts in elements of its own sizeof()
        return new BytePointer(new RawPointer(region.address + offset, exportedBytes()));
    }

    /** The bytes from element (0, ..., 0) to the end of the last byte the view reaches (in its pointer table if indirect). */
    private long exportedBytes() {
        long hi = 0;
        for (int k = 0; k < ndim; k++) {
            if (shape[k] == 0) {
                return 0;
            }
        }
        for (int k = 0; k < ndim; k++) {
            hi += Math.max(0, (shape[k] - 1) * strides[k]);
            if (suboffsets != null && suboffsets[k] >= 0) {
                return hi + Long.BYTES; // past the first indirect axis, the view leaves this memory
            }
        }
        return hi + itemsize;
    }

    /**
     * A JavaCPP {@link org.bytedeco.javacpp.indexer.Indexer} over this view ({@code DoubleIndexer} for {@code d},
     * {@code IntIndexer} for {@code i I u}, ...: the signed indexer of the element's width, unsigned types as their bit
     * pattern), for code written against JavaCPP's indexers. Unlike JavaCPP's raw indexers it reads and writes
     * through this view's checked accessors, so it throws {@link IllegalStateException} once the memory is freed;
     * {@code reindex} is not supported (slice the view instead). As with JavaCPP's own indexers, indices (and a
     * {@code ByteIndexer}'s byte offsets) do not count from the end: a negative or too large one throws
     * {@link IndexOutOfBoundsException} naming it and the length, before anything is read or written.
     *
     * <pre>{@code
     * DoubleIndexer idx = (DoubleIndexer) view.toIndexer();
     * idx.put(1, 2, 4.5);            // view.getDouble(1, 2) == 4.5
     * }</pre>
     *
     * @return a new indexer over this view, of the signed indexer class of the element's width
     * @throws IllegalStateException if the owner is closed or freed
     */
    public org.bytedeco.javacpp.indexer.Indexer toIndexer() {
        owner.check();
        return ViewIndexers.of(this);
    }

    /**
     * A view of the native memory behind a JavaCPP {@link org.bytedeco.javacpp.indexer.Indexer} (a raw indexer over a
     * {@link Pointer}, or one over a direct NIO buffer), with its sizes as the shape and its strides (in elements) as
     * byte strides; the element type comes from the indexer's class ({@code UByteIndexer} gives {@code 'B'},
     * {@code DoubleIndexer} {@code 'd'}, ...). Its {@link #base()} is the indexer; like {@link #of(Pointer, DType,
     * long...)}, it throws {@link IllegalStateException} once the pointer is deallocated.
     *
     * @param indexer a raw JavaCPP indexer over a pointer or a direct buffer
     * @return a new view of the indexer's memory
     * @throws IllegalArgumentException if the indexer is backed by a Java array (no native memory), or its type is
     *     not one of the view types
     */
    public static MemoryView of(org.bytedeco.javacpp.indexer.Indexer indexer) {
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
            Owner owner = Owner.ofPointer(p, address, bytes, indexer);
            return checked(owner, new Region(address, bytes, owner), 0, dtype, shape, strides);
        }
        Buffer b = indexer.buffer();
        if (b != null && b.isDirect()) {
            if (b.isReadOnly()) {
                throw new IllegalArgumentException("a view writes its memory; the indexer's buffer is read-only");
            }
            long address = new Pointer(b).address() + (long) b.position() * dtype.itemsize();
            long bytes = (long) b.remaining() * dtype.itemsize();
            Owner owner = Owner.foreign(address, bytes, indexer, null);
            return checked(owner, new Region(address, bytes, owner), 0, dtype, shape, strides);
        }
        throw new IllegalArgumentException("the indexer is backed by a Java array, not native memory; make a NativeArray"
                + " with NativeArray.fromArray instead");
    }

    private static DType dtypeOf(org.bytedeco.javacpp.indexer.Indexer x) {
        if (x instanceof org.bytedeco.javacpp.indexer.DoubleIndexer) {
            return DType.DOUBLE;
        } else if (x instanceof org.bytedeco.javacpp.indexer.FloatIndexer) {
            return DType.FLOAT;
        } else if (x instanceof org.bytedeco.javacpp.indexer.LongIndexer) {
            return DType.LONG;
        } else if (x instanceof org.bytedeco.javacpp.indexer.ULongIndexer) {
            return DType.ULONG;
        } else if (x instanceof org.bytedeco.javacpp.indexer.IntIndexer) {
            return DType.INT;
        } else if (x instanceof org.bytedeco.javacpp.indexer.UIntIndexer) {
            return DType.UINT;
        } else if (x instanceof org.bytedeco.javacpp.indexer.ShortIndexer) {
            return DType.SHORT;
        } else if (x instanceof org.bytedeco.javacpp.indexer.UShortIndexer) {
            return DType.USHORT;
        } else if (x instanceof org.bytedeco.javacpp.indexer.ByteIndexer) {
            return DType.BYTE;
        } else if (x instanceof org.bytedeco.javacpp.indexer.UByteIndexer) {
            return DType.UBYTE;
        }
        throw new IllegalArgumentException("no view type for a " + x.getClass().getSimpleName());
    }

    /**
     * The transpose (axes reversed), as Cython's {@code view.T}. No copy.
     *
     * @return a view of the same memory with the shape and strides reversed
     * @throws IllegalArgumentException if the view is indirect
     */
    public MemoryView T() {
        int[] axes = new int[ndim];
        for (int k = 0; k < ndim; k++) {
            axes[k] = ndim - 1 - k;
        }
        return transpose(axes);
    }

    /**
     * The axes permuted: axis {@code k} of the result is axis {@code axes[k]} of this view (NumPy's
     * {@code transpose(axes)}); no argument reverses them. No copy.
     *
     * @param axes a permutation of {@code 0..ndim-1} (negative counts from the end), or nothing to reverse the axes
     * @return a view of the same memory with the axes in the given order
     * @throws IllegalArgumentException if {@code axes} is not a permutation of {@code 0..ndim-1}, or the view is
     *     indirect (Cython cannot transpose indirect views either)
     */
    public MemoryView transpose(int... axes) {
        if (axes.length == 0 && ndim > 0) {
            return T();
        }
        if (axes.length != ndim) {
            throw new IllegalArgumentException("axes " + Arrays.toString(axes) + " don't match a " + ndim + "-d view");
        }
        if (suboffsets != null) {
            throw new IllegalArgumentException("cannot transpose a view with indirect dimensions");
        }
        boolean[] seen = new boolean[ndim];
        long[] sh = new long[ndim];
        long[] st = new long[ndim];
        for (int k = 0; k < ndim; k++) {
            int a = axes[k];
            if (a < 0) {
                a += ndim;
            }
            if (a < 0 || a >= ndim || seen[a]) {
                throw new IllegalArgumentException("axes " + Arrays.toString(axes) + " are not a permutation of 0.."
                        + (ndim - 1) + " (axis " + axes[k] + ")");
            }
            seen[a] = true;
            sh[k] = shape[a];
            st[k] = strides[a];
        }
        return new MemoryView(owner, region, offset, dtype, sh, st, null);
    }

    /**
     * True if the elements are laid out in C order with no gaps (NumPy's rule; see the class notes).
     *
     * @return true for a C-contiguous view (always false for an indirect one)
     */
    public boolean isCContiguous() {
        return contiguous(true);
    }

    /**
     * True if the elements are laid out in Fortran order with no gaps (NumPy's rule; see the class notes).
     *
     * @return true for a Fortran-contiguous view (always false for an indirect one)
     */
    public boolean isFContiguous() {
        return contiguous(false);
    }

    private boolean contiguous(boolean c) {
        if (suboffsets != null) {
            return false;
        }
        for (long n : shape) {
            if (n == 0) {
                return true;
            }
        }
        long expected = itemsize;
        for (int k = 0; k < ndim; k++) {
            int axis = c ? ndim - 1 - k : k;
            if (shape[axis] != 1) {
                if (strides[axis] != expected) {
                    return false;
                }
                expected *= shape[axis];
            }
        }
        return true;
    }

    /** {@code <MemoryView of 'NativeArray' object>}, as Cython prints a memoryview. */
    @Override
    public String toString() {
        return "<MemoryView of '" + owner.base().getClass().getSimpleName() + "' object>";
    }

    // ---- slicing ---------------------------------------------------------------------------------------------

    /**
     * The view {@code this[expression]}, with NumPy's basic indexing exactly as Python writes the part between the
     * brackets: {@code "1:102:2, :"}, {@code "..., 1"}, {@code "None, ::-1, 3"}, {@code "-1, -2"}. No copy; the result
     * shares this view's memory and owner. With as many integers as axes the result is a 0-d view of one element.
     *
     * @param expression the index, as Python writes it between the brackets
     * @return a view of the selected elements, sharing this view's memory
     * @throws IllegalArgumentException if the expression is malformed, has two {@code ...}, or a zero step (the
     *     message quotes the offending part), or the result would have more than 32 axes
     * @throws IndexOutOfBoundsException if an integer is outside its axis, or there are more indices than axes
     */
    public MemoryView slice(String expression) {
        return slice(expression, Index.parse(expression));
    }

    /**
     * The programmatic form of {@link #slice(String)}: {@code slice(Index.at(1), Index.ELLIPSIS)} is {@code "1, ..."}.
     *
     * @param items the index items, one per comma-separated part of the Python expression
     * @return a view of the selected elements, sharing this view's memory
     * @throws IllegalArgumentException as for {@link #slice(String)}
     * @throws IndexOutOfBoundsException as for {@link #slice(String)}
     */
    public MemoryView slice(Index... items) {
        StringBuilder text = new StringBuilder();
        for (Index i : items) {
            text.append(text.length() == 0 ? "" : ", ").append(i);
        }
        return slice(text.toString(), items);
    }

    private MemoryView slice(String expression, Index[] items) {
        int named = 0;
        int ellipses = 0;
        int integers = 0;
        int newAxes = 0;
        for (Index it : items) {
            if (it.kind() == Index.Kind.ELLIPSIS) {
                ellipses++;
            } else if (it.kind() == Index.Kind.NEW_AXIS) {
                newAxes++;
            } else {
                named++;
                integers += it.kind() == Index.Kind.INT ? 1 : 0;
            }
        }
        if (ellipses > 1) {
            throw new IllegalArgumentException("bad index [" + expression + "]: an index can only have a single ellipsis ('...')");
        }
        if (named > ndim) {
            throw new IndexOutOfBoundsException("too many indices [" + expression + "]: the view is " + ndim
                    + "-dimensional, but " + named + " were indexed");
        }
        long resultDims = (long) ndim - integers + newAxes;
        if (resultDims > 32) { // checkShape's limit, and the C kernels' (CYM_MAX_NDIM)
            throw new IllegalArgumentException("bad index [" + expression + "]: the view would have " + resultDims
                    + " dimensions, but a view has at most 32");
        }
        List<Long> sh = new ArrayList<>();
        List<Long> st = new ArrayList<>();
        List<Long> so = new ArrayList<>();
        Region reg = region;
        long off = offset;
        int axis = 0;
        boolean sawEllipsis = false;
        // Past an indirect axis, moving along a later axis moves inside the pointed-to memory, not the pointer
        // table: the shift goes into that axis's suboffset (Cython's rule), not into the data offset.
        int lastIndirect = -1;
        for (int p = 0; p <= items.length; p++) {
            Index it = p < items.length ? items[p] : null;
            if (it == null) {
                if (sawEllipsis) {
                    break;
                }
                // no ellipsis: the axes not named are kept whole at the end
                while (axis < ndim) {
                    sh.add(shape[axis]);
                    st.add(strides[axis]);
                    so.add(sub(axis));
                    axis++;
                }
                break;
            }
            switch (it.kind()) {
                case ELLIPSIS: {
                    sawEllipsis = true;
                    int keep = ndim - named;
                    for (int k = 0; k < keep; k++, axis++) {
                        sh.add(shape[axis]);
                        st.add(strides[axis]);
                        so.add(sub(axis));
                    }
                    break;
                }
                case NEW_AXIS:
                    sh.add(1L);
                    st.add(0L);
                    so.add(-1L);
                    break;
                case INT: {
                    long n = shape[axis];
                    long i = it.value() < 0 ? it.value() + n : it.value();
                    if (i < 0 || i >= n) {
                        throw new IndexOutOfBoundsException("index " + it.value() + " is out of bounds for axis " + axis
                                + " with size " + n + " (in [" + expression + "], item '" + it + "')");
                    }
                    long s = sub(axis);
                    if (lastIndirect >= 0) {
                        so.set(lastIndirect, so.get(lastIndirect) + i * strides[axis]);
                    } else {
                        off += i * strides[axis];
                    }
                    if (s >= 0) {
                        if (!sh.isEmpty()) {
                            throw new IllegalArgumentException("bad index [" + expression + "]: all dimensions preceding"
                                    + " dimension " + axis + " must be indexed and not sliced (it is indirect)");
                        }
                        long target = readPointer(reg, off) + s;
                        reg = owner.regionFor(target, 0);
                        off = target - reg.address;
                    }
                    axis++;
                    break;
                }
                default: {
                    long n = shape[axis];
                    long[] r = sliceIndices(it, n);
                    long start = r[0];
                    long step = r[1];
                    long len = r[2];
                    if (len > 0) {
                        if (lastIndirect >= 0) {
                            so.set(lastIndirect, so.get(lastIndirect) + start * strides[axis]);
                        } else {
                            off += start * strides[axis];
                        }
                    } else {
                        step = 1; // NumPy's rule for empty slices: the axis keeps its stride
                    }
                    sh.add(len);
                    st.add(strides[axis] * step);
                    so.add(sub(axis));
                    if (sub(axis) >= 0) {
                        lastIndirect = so.size() - 1;
                    }
                    axis++;
                }
            }
        }
        long[] outShape = unbox(sh);
        long[] outStrides = unbox(st);
        long[] outSub = unbox(so);
        if (!anyIndirect(outSub)) {
            checkExtent(reg, off, itemsize, outShape, outStrides);
            outSub = null;
        }
        return new MemoryView(owner, reg, off, dtype, outShape, outStrides, outSub);
    }

    private long sub(int axis) {
        return suboffsets == null ? -1 : suboffsets[axis];
    }

    private long readPointer(Region reg, long off) {
        owner.enter();
        try {
            if (!reg.contains(reg.address + off, 8)) {
                throw new IllegalStateException("indirect pointer slot at offset " + off + " is outside its memory");
            }
            return reg.access.getLong(off);
        } finally {
            owner.exit();
        }
    }

    private static long[] unbox(List<Long> values) {
        long[] out = new long[values.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = values.get(k);
        }
        return out;
    }

    /** Python's {@code slice.indices(n)} plus the length: {start, step, length}. */
    static long[] sliceIndices(Index it, long n) {
        long step = it.step() == null ? 1 : it.step();
        long start;
        long stop;
        if (it.start() == null) {
            start = step < 0 ? n - 1 : 0;
        } else {
            start = clamp(it.start(), n, step);
        }
        if (it.stop() == null) {
            stop = step < 0 ? -1 : n;
        } else {
            stop = clamp(it.stop(), n, step);
        }
        long len;
        if (step < 0) {
            len = stop < start ? (start - stop - 1) / -step + 1 : 0;
        } else {
            len = start < stop ? (stop - start - 1) / step + 1 : 0;
        }
        return new long[] {start, step, len};
    }

    private static long clamp(long i, long n, long step) {
        if (i < 0) {
            i += n;
            if (i < 0) {
                i = step < 0 ? -1 : 0;
            }
        } else if (i >= n) {
            i = step < 0 ? n - 1 : n;
        }
        return i;
    }

    // ---- element location ------------------------------------------------------------------------------------

    /**
     * Index {@code i} on an axis of size {@code n}, negative counting from the end. The non-negative case goes through
     * {@code Objects.checkIndex} because the JIT treats that as a range check and hoists it out of a caller's loop (a
     * hand-written compare stays in every iteration); its exception is replaced to name the axis.
     */
    private static long norm(long i, long n, int axis) {
        if (i < 0) {
            return normNegative(i, n, axis);
        }
        try {
            return Objects.checkIndex(i, n);
        } catch (IndexOutOfBoundsException e) {
            throw outOfBounds(i, n, axis);
        }
    }

    private static long normNegative(long i, long n, int axis) {
        long j = i + n;
        if (j < 0) {
            throw outOfBounds(i, n, axis);
        }
        return j;
    }

    private static IndexOutOfBoundsException outOfBounds(long i, long n, int axis) {
        return new IndexOutOfBoundsException("index " + i + " is out of bounds for axis " + axis + " with size " + n);
    }

    private IllegalArgumentException mismatch(int wanted, int indices) {
        if (wanted != carrier) {
            return new IllegalArgumentException("a " + CARRIER_NAMES[wanted] + " accessor on a view of '" + dtype.typecode()
                    + "' (" + dtype.cName() + ", " + itemsize + " bytes): use get" + capital(CARRIER_NAMES[carrier])
                    + "/put" + capital(CARRIER_NAMES[carrier]) + ", or to*Array() to convert");
        }
        return new IllegalArgumentException(indices + " indices for a " + ndim + "-d view (element access needs one per axis)");
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The accessor and byte offset of the element at {@code index} (any rank, direct or indirect). */
    private Loc locate(long[] index) {
        if (index.length != ndim) {
            throw mismatch(carrier, index.length);
        }
        long off = offset;
        Region reg = region;
        for (int k = 0; k < ndim; k++) {
            off += norm(index[k], shape[k], k) * strides[k];
            if (suboffsets != null && suboffsets[k] >= 0) {
                if (!reg.contains(reg.address + off, Long.BYTES)) {
                    throw new IllegalStateException("indirect pointer slot at offset " + off + " is outside its memory");
                }
                long target = reg.access.getLong(off) + suboffsets[k];
                reg = owner.regionFor(target, k == ndim - 1 ? itemsize : 0);
                off = target - reg.address;
            }
        }
        if (suboffsets != null && !reg.contains(reg.address + off, itemsize)) {
            throw new IllegalStateException("indirect element at offset " + off + " is outside its memory");
        }
        return new Loc(reg.access, off);
    }

    /** Where one element lives. */
    static final class Loc {
        final MemoryAccess access;
        final long offset;

        Loc(MemoryAccess access, long offset) {
            this.access = access;
            this.offset = offset;
        }
    }

    // ---- typed element access (generated pattern: one guard, bounds checks, one read) ----------------------

    /**
     * Reads element (i) of a 1-d view of b, B; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @return the element (for B, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 1-d or its element type is not b or B
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public byte getByte(long i) {
        if (carrier != C_BYTE | ndim != 1 | suboffsets != null) {
            return getByte(new long[] {i});
        }
        owner.enter();
        try {
            return mem.getByte(offset + norm(i, n0, 0) * st0);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i) of a 1-d view of b, B; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param value the value to store (for B, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 1-d or its element type is not b or B
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putByte(long i, byte value) {
        if (carrier != C_BYTE | ndim != 1 | suboffsets != null) {
            putByte(new long[] {i}, value);
            return;
        }
        owner.enter();
        try {
            mem.putByte(offset + norm(i, n0, 0) * st0, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i, j) of a 2-d view of b, B; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @return the element (for B, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 2-d or its element type is not b or B
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public byte getByte(long i, long j) {
        if (carrier != C_BYTE | ndim != 2 | suboffsets != null) {
            return getByte(new long[] {i, j});
        }
        owner.enter();
        try {
            return mem.getByte(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i, j) of a 2-d view of b, B; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param value the value to store (for B, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 2-d or its element type is not b or B
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putByte(long i, long j, byte value) {
        if (carrier != C_BYTE | ndim != 2 | suboffsets != null) {
            putByte(new long[] {i, j}, value);
            return;
        }
        owner.enter();
        try {
            mem.putByte(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i, j, k) of a 3-d view of b, B; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param k the index along axis 2, in elements; negative counts from the end
     * @return the element (for B, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 3-d or its element type is not b or B
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public byte getByte(long i, long j, long k) {
        if (carrier != C_BYTE | ndim != 3 | suboffsets != null) {
            return getByte(new long[] {i, j, k});
        }
        owner.enter();
        try {
            return mem.getByte(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1 + norm(k, n2, 2) * st2);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i, j, k) of a 3-d view of b, B; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param k the index along axis 2, in elements; negative counts from the end
     * @param value the value to store (for B, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 3-d or its element type is not b or B
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putByte(long i, long j, long k, byte value) {
        if (carrier != C_BYTE | ndim != 3 | suboffsets != null) {
            putByte(new long[] {i, j, k}, value);
            return;
        }
        owner.enter();
        try {
            mem.putByte(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1 + norm(k, n2, 2) * st2, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads the element at {@code index} (one index per axis, none for a 0-d view) of a view of b, B.
     *
     * <pre>{@code
     * byte x = view.getByte(1, 2, 0, 4);       // a 4-d view
     * }</pre>
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @return the element (for B, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the number of indices is not {@link #ndim()} or the element type is not
     *     b or B
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public byte getByte(long... index) {
        if (carrier != C_BYTE) {
            throw mismatch(C_BYTE, index.length);
        }
        owner.enter();
        try {
            Loc at = locate(index);
            return at.access.getByte(at.offset);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes the element at {@code index} (one index per axis) of a view of b, B.
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @param value the value to store (for B, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the number of indices is not {@link #ndim()} or the element type is not
     *     b or B
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putByte(long[] index, byte value) {
        if (carrier != C_BYTE) {
            throw mismatch(C_BYTE, index.length);
        }
        owner.enter();
        try {
            Loc at = locate(index);
            at.access.putByte(at.offset, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i) of a 1-d view of h, H; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @return the element (for H, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 1-d or its element type is not h or H
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public short getShort(long i) {
        if (carrier != C_SHORT | ndim != 1 | suboffsets != null) {
            return getShort(new long[] {i});
        }
        owner.enter();
        try {
            return mem.getShort(offset + norm(i, n0, 0) * st0);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i) of a 1-d view of h, H; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param value the value to store (for H, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 1-d or its element type is not h or H
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putShort(long i, short value) {
        if (carrier != C_SHORT | ndim != 1 | suboffsets != null) {
            putShort(new long[] {i}, value);
            return;
        }
        owner.enter();
        try {
            mem.putShort(offset + norm(i, n0, 0) * st0, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i, j) of a 2-d view of h, H; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @return the element (for H, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 2-d or its element type is not h or H
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public short getShort(long i, long j) {
        if (carrier != C_SHORT | ndim != 2 | suboffsets != null) {
            return getShort(new long[] {i, j});
        }
        owner.enter();
        try {
            return mem.getShort(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i, j) of a 2-d view of h, H; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param value the value to store (for H, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 2-d or its element type is not h or H
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putShort(long i, long j, short value) {
        if (carrier != C_SHORT | ndim != 2 | suboffsets != null) {
            putShort(new long[] {i, j}, value);
            return;
        }
        owner.enter();
        try {
            mem.putShort(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i, j, k) of a 3-d view of h, H; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param k the index along axis 2, in elements; negative counts from the end
     * @return the element (for H, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 3-d or its element type is not h or H
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public short getShort(long i, long j, long k) {
        if (carrier != C_SHORT | ndim != 3 | suboffsets != null) {
            return getShort(new long[] {i, j, k});
        }
        owner.enter();
        try {
            return mem.getShort(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1 + norm(k, n2, 2) * st2);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i, j, k) of a 3-d view of h, H; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param k the index along axis 2, in elements; negative counts from the end
     * @param value the value to store (for H, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 3-d or its element type is not h or H
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putShort(long i, long j, long k, short value) {
        if (carrier != C_SHORT | ndim != 3 | suboffsets != null) {
            putShort(new long[] {i, j, k}, value);
            return;
        }
        owner.enter();
        try {
            mem.putShort(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1 + norm(k, n2, 2) * st2, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads the element at {@code index} (one index per axis, none for a 0-d view) of a view of h, H.
     *
     * <pre>{@code
     * short x = view.getShort(1, 2, 0, 4);     // a 4-d view
     * }</pre>
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @return the element (for H, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the number of indices is not {@link #ndim()} or the element type is not
     *     h or H
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public short getShort(long... index) {
        if (carrier != C_SHORT) {
            throw mismatch(C_SHORT, index.length);
        }
        owner.enter();
        try {
            Loc at = locate(index);
            return at.access.getShort(at.offset);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes the element at {@code index} (one index per axis) of a view of h, H.
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @param value the value to store (for H, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the number of indices is not {@link #ndim()} or the element type is not
     *     h or H
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putShort(long[] index, short value) {
        if (carrier != C_SHORT) {
            throw mismatch(C_SHORT, index.length);
        }
        owner.enter();
        try {
            Loc at = locate(index);
            at.access.putShort(at.offset, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i) of a 1-d view of i, I, u; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @return the element (for I, the bit pattern of the unsigned value; for u, the code point)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 1-d or its element type is not i, I or u
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public int getInt(long i) {
        if (carrier != C_INT | ndim != 1 | suboffsets != null) {
            return getInt(new long[] {i});
        }
        owner.enter();
        try {
            return mem.getInt(offset + norm(i, n0, 0) * st0);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i) of a 1-d view of i, I, u; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param value the value to store (for I, the bit pattern of the unsigned value; for u, the code point)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 1-d or its element type is not i, I or u
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putInt(long i, int value) {
        if (carrier != C_INT | ndim != 1 | suboffsets != null) {
            putInt(new long[] {i}, value);
            return;
        }
        owner.enter();
        try {
            mem.putInt(offset + norm(i, n0, 0) * st0, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i, j) of a 2-d view of i, I, u; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @return the element (for I, the bit pattern of the unsigned value; for u, the code point)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 2-d or its element type is not i, I or u
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public int getInt(long i, long j) {
        if (carrier != C_INT | ndim != 2 | suboffsets != null) {
            return getInt(new long[] {i, j});
        }
        owner.enter();
        try {
            return mem.getInt(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i, j) of a 2-d view of i, I, u; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param value the value to store (for I, the bit pattern of the unsigned value; for u, the code point)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 2-d or its element type is not i, I or u
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putInt(long i, long j, int value) {
        if (carrier != C_INT | ndim != 2 | suboffsets != null) {
            putInt(new long[] {i, j}, value);
            return;
        }
        owner.enter();
        try {
            mem.putInt(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i, j, k) of a 3-d view of i, I, u; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param k the index along axis 2, in elements; negative counts from the end
     * @return the element (for I, the bit pattern of the unsigned value; for u, the code point)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 3-d or its element type is not i, I or u
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public int getInt(long i, long j, long k) {
        if (carrier != C_INT | ndim != 3 | suboffsets != null) {
            return getInt(new long[] {i, j, k});
        }
        owner.enter();
        try {
            return mem.getInt(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1 + norm(k, n2, 2) * st2);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i, j, k) of a 3-d view of i, I, u; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param k the index along axis 2, in elements; negative counts from the end
     * @param value the value to store (for I, the bit pattern of the unsigned value; for u, the code point)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 3-d or its element type is not i, I or u
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putInt(long i, long j, long k, int value) {
        if (carrier != C_INT | ndim != 3 | suboffsets != null) {
            putInt(new long[] {i, j, k}, value);
            return;
        }
        owner.enter();
        try {
            mem.putInt(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1 + norm(k, n2, 2) * st2, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads the element at {@code index} (one index per axis, none for a 0-d view) of a view of i, I, u.
     *
     * <pre>{@code
     * int x = view.getInt(1, 2, 0, 4);         // a 4-d view
     * }</pre>
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @return the element (for I, the bit pattern of the unsigned value; for u, the code point)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the number of indices is not {@link #ndim()} or the element type is not
     *     i, I or u
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public int getInt(long... index) {
        if (carrier != C_INT) {
            throw mismatch(C_INT, index.length);
        }
        owner.enter();
        try {
            Loc at = locate(index);
            return at.access.getInt(at.offset);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes the element at {@code index} (one index per axis) of a view of i, I, u.
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @param value the value to store (for I, the bit pattern of the unsigned value; for u, the code point)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the number of indices is not {@link #ndim()} or the element type is not
     *     i, I or u
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putInt(long[] index, int value) {
        if (carrier != C_INT) {
            throw mismatch(C_INT, index.length);
        }
        owner.enter();
        try {
            Loc at = locate(index);
            at.access.putInt(at.offset, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i) of a 1-d view of l, L, q, Q; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @return the element (for L and Q, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 1-d or its element type is not l, L, q or Q
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public long getLong(long i) {
        if (carrier != C_LONG | ndim != 1 | suboffsets != null) {
            return getLong(new long[] {i});
        }
        owner.enter();
        try {
            return mem.getLong(offset + norm(i, n0, 0) * st0);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i) of a 1-d view of l, L, q, Q; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param value the value to store (for L and Q, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 1-d or its element type is not l, L, q or Q
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putLong(long i, long value) {
        if (carrier != C_LONG | ndim != 1 | suboffsets != null) {
            putLong(new long[] {i}, value);
            return;
        }
        owner.enter();
        try {
            mem.putLong(offset + norm(i, n0, 0) * st0, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i, j) of a 2-d view of l, L, q, Q; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @return the element (for L and Q, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 2-d or its element type is not l, L, q or Q
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public long getLong(long i, long j) {
        if (carrier != C_LONG | ndim != 2 | suboffsets != null) {
            return getLong(new long[] {i, j});
        }
        owner.enter();
        try {
            return mem.getLong(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i, j) of a 2-d view of l, L, q, Q; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param value the value to store (for L and Q, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 2-d or its element type is not l, L, q or Q
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putLong(long i, long j, long value) {
        if (carrier != C_LONG | ndim != 2 | suboffsets != null) {
            putLong(new long[] {i, j}, value);
            return;
        }
        owner.enter();
        try {
            mem.putLong(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i, j, k) of a 3-d view of l, L, q, Q; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param k the index along axis 2, in elements; negative counts from the end
     * @return the element (for L and Q, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 3-d or its element type is not l, L, q or Q
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public long getLong(long i, long j, long k) {
        if (carrier != C_LONG | ndim != 3 | suboffsets != null) {
            return getLong(new long[] {i, j, k});
        }
        owner.enter();
        try {
            return mem.getLong(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1 + norm(k, n2, 2) * st2);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i, j, k) of a 3-d view of l, L, q, Q; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param k the index along axis 2, in elements; negative counts from the end
     * @param value the value to store (for L and Q, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 3-d or its element type is not l, L, q or Q
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putLong(long i, long j, long k, long value) {
        if (carrier != C_LONG | ndim != 3 | suboffsets != null) {
            putLong(new long[] {i, j, k}, value);
            return;
        }
        owner.enter();
        try {
            mem.putLong(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1 + norm(k, n2, 2) * st2, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads the element at {@code index} (one index per axis, none for a 0-d view) of a view of l, L, q, Q.
     *
     * <pre>{@code
     * long x = view.getLong(1, 2, 0, 4);       // a 4-d view
     * }</pre>
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @return the element (for L and Q, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the number of indices is not {@link #ndim()} or the element type is not
     *     l, L, q or Q
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public long getLong(long... index) {
        if (carrier != C_LONG) {
            throw mismatch(C_LONG, index.length);
        }
        owner.enter();
        try {
            Loc at = locate(index);
            return at.access.getLong(at.offset);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes the element at {@code index} (one index per axis) of a view of l, L, q, Q.
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @param value the value to store (for L and Q, the bit pattern of the unsigned value)
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the number of indices is not {@link #ndim()} or the element type is not
     *     l, L, q or Q
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putLong(long[] index, long value) {
        if (carrier != C_LONG) {
            throw mismatch(C_LONG, index.length);
        }
        owner.enter();
        try {
            Loc at = locate(index);
            at.access.putLong(at.offset, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i) of a 1-d view of f; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @return the element
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 1-d or its element type is not f
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public float getFloat(long i) {
        if (carrier != C_FLOAT | ndim != 1 | suboffsets != null) {
            return getFloat(new long[] {i});
        }
        owner.enter();
        try {
            return mem.getFloat(offset + norm(i, n0, 0) * st0);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i) of a 1-d view of f; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param value the value to store
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 1-d or its element type is not f
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putFloat(long i, float value) {
        if (carrier != C_FLOAT | ndim != 1 | suboffsets != null) {
            putFloat(new long[] {i}, value);
            return;
        }
        owner.enter();
        try {
            mem.putFloat(offset + norm(i, n0, 0) * st0, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i, j) of a 2-d view of f; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @return the element
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 2-d or its element type is not f
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public float getFloat(long i, long j) {
        if (carrier != C_FLOAT | ndim != 2 | suboffsets != null) {
            return getFloat(new long[] {i, j});
        }
        owner.enter();
        try {
            return mem.getFloat(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i, j) of a 2-d view of f; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param value the value to store
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 2-d or its element type is not f
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putFloat(long i, long j, float value) {
        if (carrier != C_FLOAT | ndim != 2 | suboffsets != null) {
            putFloat(new long[] {i, j}, value);
            return;
        }
        owner.enter();
        try {
            mem.putFloat(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i, j, k) of a 3-d view of f; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param k the index along axis 2, in elements; negative counts from the end
     * @return the element
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 3-d or its element type is not f
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public float getFloat(long i, long j, long k) {
        if (carrier != C_FLOAT | ndim != 3 | suboffsets != null) {
            return getFloat(new long[] {i, j, k});
        }
        owner.enter();
        try {
            return mem.getFloat(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1 + norm(k, n2, 2) * st2);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i, j, k) of a 3-d view of f; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param k the index along axis 2, in elements; negative counts from the end
     * @param value the value to store
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 3-d or its element type is not f
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putFloat(long i, long j, long k, float value) {
        if (carrier != C_FLOAT | ndim != 3 | suboffsets != null) {
            putFloat(new long[] {i, j, k}, value);
            return;
        }
        owner.enter();
        try {
            mem.putFloat(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1 + norm(k, n2, 2) * st2, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads the element at {@code index} (one index per axis, none for a 0-d view) of a view of f.
     *
     * <pre>{@code
     * float x = view.getFloat(1, 2, 0, 4);     // a 4-d view
     * }</pre>
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @return the element
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the number of indices is not {@link #ndim()} or the element type is not
     *     f
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public float getFloat(long... index) {
        if (carrier != C_FLOAT) {
            throw mismatch(C_FLOAT, index.length);
        }
        owner.enter();
        try {
            Loc at = locate(index);
            return at.access.getFloat(at.offset);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes the element at {@code index} (one index per axis) of a view of f.
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @param value the value to store
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the number of indices is not {@link #ndim()} or the element type is not
     *     f
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putFloat(long[] index, float value) {
        if (carrier != C_FLOAT) {
            throw mismatch(C_FLOAT, index.length);
        }
        owner.enter();
        try {
            Loc at = locate(index);
            at.access.putFloat(at.offset, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i) of a 1-d view of d; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @return the element
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 1-d or its element type is not d
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public double getDouble(long i) {
        if (carrier != C_DOUBLE | ndim != 1 | suboffsets != null) {
            return getDouble(new long[] {i});
        }
        owner.enter();
        try {
            return mem.getDouble(offset + norm(i, n0, 0) * st0);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i) of a 1-d view of d; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param value the value to store
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 1-d or its element type is not d
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putDouble(long i, double value) {
        if (carrier != C_DOUBLE | ndim != 1 | suboffsets != null) {
            putDouble(new long[] {i}, value);
            return;
        }
        owner.enter();
        try {
            mem.putDouble(offset + norm(i, n0, 0) * st0, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i, j) of a 2-d view of d; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @return the element
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 2-d or its element type is not d
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public double getDouble(long i, long j) {
        if (carrier != C_DOUBLE | ndim != 2 | suboffsets != null) {
            return getDouble(new long[] {i, j});
        }
        owner.enter();
        try {
            return mem.getDouble(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i, j) of a 2-d view of d; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param value the value to store
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 2-d or its element type is not d
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putDouble(long i, long j, double value) {
        if (carrier != C_DOUBLE | ndim != 2 | suboffsets != null) {
            putDouble(new long[] {i, j}, value);
            return;
        }
        owner.enter();
        try {
            mem.putDouble(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads element (i, j, k) of a 3-d view of d; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param k the index along axis 2, in elements; negative counts from the end
     * @return the element
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the view is not 3-d or its element type is not d
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public double getDouble(long i, long j, long k) {
        if (carrier != C_DOUBLE | ndim != 3 | suboffsets != null) {
            return getDouble(new long[] {i, j, k});
        }
        owner.enter();
        try {
            return mem.getDouble(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1 + norm(k, n2, 2) * st2);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes element (i, j, k) of a 3-d view of d; negative indices count from the end.
     *
     * @param i the index along axis 0, in elements; negative counts from the end
     * @param j the index along axis 1, in elements; negative counts from the end
     * @param k the index along axis 2, in elements; negative counts from the end
     * @param value the value to store
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the view is not 3-d or its element type is not d
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putDouble(long i, long j, long k, double value) {
        if (carrier != C_DOUBLE | ndim != 3 | suboffsets != null) {
            putDouble(new long[] {i, j, k}, value);
            return;
        }
        owner.enter();
        try {
            mem.putDouble(offset + norm(i, n0, 0) * st0 + norm(j, n1, 1) * st1 + norm(k, n2, 2) * st2, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * Reads the element at {@code index} (one index per axis, none for a 0-d view) of a view of d.
     *
     * <pre>{@code
     * double x = view.getDouble(1, 2, 0, 4);   // a 4-d view
     * }</pre>
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @return the element
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the number of indices is not {@link #ndim()} or the element type is not
     *     d
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public double getDouble(long... index) {
        if (carrier != C_DOUBLE) {
            throw mismatch(C_DOUBLE, index.length);
        }
        owner.enter();
        try {
            Loc at = locate(index);
            return at.access.getDouble(at.offset);
        } finally {
            owner.exit();
        }
    }

    /**
     * Writes the element at {@code index} (one index per axis) of a view of d.
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @param value the value to store
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the number of indices is not {@link #ndim()} or the element type is not
     *     d
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public void putDouble(long[] index, double value) {
        if (carrier != C_DOUBLE) {
            throw mismatch(C_DOUBLE, index.length);
        }
        owner.enter();
        try {
            Loc at = locate(index);
            at.access.putDouble(at.offset, value);
        } finally {
            owner.exit();
        }
    }

    /**
     * The elements in C order (last index fastest) as a new byte[], converted from the view's type with C cast
     * semantics where it differs (integers wrap; floating to integer truncates toward zero and saturates, NaN gives 0).
     *
     * @return a new array of {@link #size()} elements, in C order
     * @throws IllegalArgumentException if the view has more than {@code Integer.MAX_VALUE - 8} elements
     * @throws IllegalStateException if the owner is closed or freed
     */
    public byte[] toByteArray() {
        byte[] out = new byte[arrayLength()];
        if (Kernels.bulkable(this)) {
            Kernels.readContiguous(this, DType.BYTE,
                    (access, at) -> Bulk.copy(access, at, 0, out.length, 1, (b, i, n) -> b.get(out, i, n)));
            return out;
        }
        long[] bits = Kernels.gather(this, DType.BYTE);
        for (int k = 0; k < out.length; k++) {
            out[k] = (byte) bits[k];
        }
        return out;
    }

    /**
     * The elements in C order (last index fastest) as a new short[], converted from the view's type with C cast
     * semantics where it differs (integers wrap; floating to integer truncates toward zero and saturates, NaN gives 0).
     *
     * @return a new array of {@link #size()} elements, in C order
     * @throws IllegalArgumentException if the view has more than {@code Integer.MAX_VALUE - 8} elements
     * @throws IllegalStateException if the owner is closed or freed
     */
    public short[] toShortArray() {
        short[] out = new short[arrayLength()];
        if (Kernels.bulkable(this)) {
            Kernels.readContiguous(this, DType.SHORT,
                    (access, at) -> Bulk.copy(access, at, 0, out.length, Short.BYTES, (b, i, n) -> b.asShortBuffer().get(out, i, n)));
            return out;
        }
        long[] bits = Kernels.gather(this, DType.SHORT);
        for (int k = 0; k < out.length; k++) {
            out[k] = (short) bits[k];
        }
        return out;
    }

    /**
     * The elements in C order (last index fastest) as a new int[], converted from the view's type with C cast
     * semantics where it differs (integers wrap; floating to integer truncates toward zero and saturates, NaN gives 0).
     *
     * @return a new array of {@link #size()} elements, in C order
     * @throws IllegalArgumentException if the view has more than {@code Integer.MAX_VALUE - 8} elements
     * @throws IllegalStateException if the owner is closed or freed
     */
    public int[] toIntArray() {
        int[] out = new int[arrayLength()];
        if (Kernels.bulkable(this)) {
            Kernels.readContiguous(this, DType.INT,
                    (access, at) -> Bulk.copy(access, at, 0, out.length, Integer.BYTES, (b, i, n) -> b.asIntBuffer().get(out, i, n)));
            return out;
        }
        long[] bits = Kernels.gather(this, DType.INT);
        for (int k = 0; k < out.length; k++) {
            out[k] = (int) bits[k];
        }
        return out;
    }

    /**
     * The elements in C order (last index fastest) as a new long[], converted from the view's type with C cast
     * semantics where it differs (integers wrap; floating to integer truncates toward zero and saturates, NaN gives 0).
     *
     * @return a new array of {@link #size()} elements, in C order
     * @throws IllegalArgumentException if the view has more than {@code Integer.MAX_VALUE - 8} elements
     * @throws IllegalStateException if the owner is closed or freed
     */
    public long[] toLongArray() {
        long[] out = new long[arrayLength()];
        if (Kernels.bulkable(this)) {
            Kernels.readContiguous(this, DType.LONG,
                    (access, at) -> Bulk.copy(access, at, 0, out.length, Long.BYTES, (b, i, n) -> b.asLongBuffer().get(out, i, n)));
            return out;
        }
        long[] bits = Kernels.gather(this, DType.LONG);
        for (int k = 0; k < out.length; k++) {
            out[k] = bits[k];
        }
        return out;
    }

    /**
     * The elements in C order (last index fastest) as a new float[], converted from the view's type with C cast
     * semantics where it differs (integers wrap; floating to integer truncates toward zero and saturates, NaN gives 0).
     *
     * @return a new array of {@link #size()} elements, in C order
     * @throws IllegalArgumentException if the view has more than {@code Integer.MAX_VALUE - 8} elements
     * @throws IllegalStateException if the owner is closed or freed
     */
    public float[] toFloatArray() {
        float[] out = new float[arrayLength()];
        if (Kernels.bulkable(this)) {
            Kernels.readContiguous(this, DType.FLOAT,
                    (access, at) -> Bulk.copy(access, at, 0, out.length, Float.BYTES, (b, i, n) -> b.asFloatBuffer().get(out, i, n)));
            return out;
        }
        long[] bits = Kernels.gather(this, DType.FLOAT);
        for (int k = 0; k < out.length; k++) {
            out[k] = Float.intBitsToFloat((int) bits[k]);
        }
        return out;
    }

    /**
     * The elements in C order (last index fastest) as a new double[], converted from the view's type with C cast
     * semantics where it differs (integers wrap; floating to integer truncates toward zero and saturates, NaN gives 0).
     *
     * @return a new array of {@link #size()} elements, in C order
     * @throws IllegalArgumentException if the view has more than {@code Integer.MAX_VALUE - 8} elements
     * @throws IllegalStateException if the owner is closed or freed
     */
    public double[] toDoubleArray() {
        double[] out = new double[arrayLength()];
        if (Kernels.bulkable(this)) {
            Kernels.readContiguous(this, DType.DOUBLE,
                    (access, at) -> Bulk.copy(access, at, 0, out.length, Double.BYTES, (b, i, n) -> b.asDoubleBuffer().get(out, i, n)));
            return out;
        }
        long[] bits = Kernels.gather(this, DType.DOUBLE);
        for (int k = 0; k < out.length; k++) {
            out[k] = Double.longBitsToDouble(bits[k]);
        }
        return out;
    }

    private int arrayLength() {
        long n = size();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the view has " + n + " elements, more than a Java array holds");
        }
        return (int) n;
    }

    // ---- whole-view operations -------------------------------------------------------------------------------

    /**
     * A C-contiguous copy in a new {@link NativeArray} of the owner's pool (Cython's {@code view.copy()}); its
     * {@link #base()} is that array. Close the array, or let the pool free it.
     *
     * @return a view of the whole new array, with this view's type and shape
     * @throws IllegalStateException if the view has no pool (a view over a {@code ByteBuffer} or {@code Pointer}:
     *     use {@link #copy(Pool)}), or the owner is closed
     */
    public MemoryView copy() {
        return copy(ownerPool());
    }

    /**
     * As {@link #copy()}, with the new array allocated in {@code pool}.
     *
     * @param pool the pool that allocates the new array
     * @return a view of the whole new array, with this view's type and shape
     * @throws IllegalStateException if the owner is closed or freed, or {@code pool} is closed or confined to another
     *     thread
     * @throws org.cymem4j.NativeOutOfMemoryError if {@code pool} cannot allocate the copy
     */
    public MemoryView copy(Pool pool) {
        return copyInto(pool, Order.C);
    }

    /**
     * A Fortran-contiguous copy (Cython's {@code view.copy_fortran()}), in a new array of the owner's pool.
     *
     * @return a view of the whole new array, with this view's type and shape
     * @throws IllegalStateException if the view has no pool (use {@link #copyFortran(Pool)}), or the owner is closed
     */
    public MemoryView copyFortran() {
        return copyFortran(ownerPool());
    }

    /**
     * As {@link #copyFortran()}, with the new array allocated in {@code pool}.
     *
     * @param pool the pool that allocates the new array
     * @return a view of the whole new array, with this view's type and shape
     * @throws IllegalStateException if the owner is closed or freed, or {@code pool} is closed or confined to another
     *     thread
     * @throws org.cymem4j.NativeOutOfMemoryError if {@code pool} cannot allocate the copy
     */
    public MemoryView copyFortran(Pool pool) {
        return copyInto(pool, Order.FORTRAN);
    }

    private MemoryView copyInto(Pool pool, Order order) {
        owner.check();
        NativeArray a = NativeArray.allocate(pool, dtype, order, shape);
        MemoryView v = a.view();
        v.copyFrom(this);
        return v;
    }

    private Pool ownerPool() {
        Pool p = owner.pool();
        if (p == null) {
            throw new IllegalStateException("a view of " + owner.base().getClass().getSimpleName()
                    + " memory has no pool to copy into; use copy(Pool) / copyFortran(Pool)");
        }
        return p;
    }

    /**
     * Copies {@code src}'s elements into this view, element by element (Cython's {@code dst[...] = src}). Overlapping
     * source and destination (a view and its own reverse, say) give the result of copying through a temporary.
     *
     * <pre>{@code
     * to.copyFrom(from);                  // to[...] = from
     * to.slice(":, 0").copyFrom(column);  // to[:, 0] = column
     * }</pre>
     *
     * @param src the view to copy from, of this view's shape and element type
     * @throws IllegalArgumentException if the shapes or element types differ (use {@link #castFrom} to convert);
     *     nothing is written then
     * @throws IllegalStateException if either owner is closed or freed
     */
    public void copyFrom(MemoryView src) {
        if (src.dtype.nativeCode() != dtype.nativeCode() || src.itemsize != itemsize) {
            throw new IllegalArgumentException("cannot copy a view of '" + src.dtype.typecode() + "' into a view of '"
                    + dtype.typecode() + "'; use castFrom to convert");
        }
        checkSameShape(src, "copy");
        Kernels.copy(this, src);
    }

    /**
     * Converts {@code src}'s elements to this view's type and stores them (NumPy's {@code dst[...] = src.astype(...)}):
     * integers wrap; floating to integer truncates toward zero and saturates at the type's range, NaN gives 0.
     *
     * @param src the view to convert from, of this view's shape and any element type
     * @throws IllegalArgumentException if the shapes differ (nothing is written)
     * @throws IllegalStateException if either owner is closed or freed
     */
    public void castFrom(MemoryView src) {
        checkSameShape(src, "cast");
        Kernels.cast(this, src);
    }

    private void checkSameShape(MemoryView src, String what) {
        if (!Arrays.equals(shape, src.shape)) {
            throw new IllegalArgumentException("cannot " + what + " a view of shape " + Arrays.toString(src.shape)
                    + " into a view of shape " + Arrays.toString(shape) + " (shapes must be equal)");
        }
    }

    /**
     * Sets every element of a {@code f} or {@code d} view to {@code value} ({@code view[...] = value}).
     *
     * @param value the value to store ({@code f} rounds it to {@code float})
     * @throws IllegalArgumentException if the view's elements are integers (use {@link #fill(long)})
     * @throws IllegalStateException if the owner is closed or freed
     */
    public void fill(double value) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException("fill(double) on a view of '" + dtype.typecode() + "' (" + dtype.cName()
                    + "); use fill(long)");
        }
        Kernels.fill(this, dtype == DType.FLOAT ? Float.floatToRawIntBits((float) value) & 0xFFFF_FFFFL
                : Double.doubleToRawLongBits(value));
    }

    /**
     * Sets every element to {@code value} ({@code view[...] = value}); on a {@code f}/{@code d} view the value is
     * converted to floating point.
     *
     * @param value the value to store; for unsigned types, the value itself (not a bit pattern), checked against the
     *     type's range
     * @throws IllegalArgumentException if {@code value} does not fit the integer type (for example 300 in {@code 'B'})
     * @throws IllegalStateException if the owner is closed or freed
     */
    public void fill(long value) {
        long bits;
        if (dtype == DType.FLOAT) {
            bits = Float.floatToRawIntBits((float) value) & 0xFFFF_FFFFL;
        } else if (dtype == DType.DOUBLE) {
            bits = Double.doubleToRawLongBits((double) value);
        } else {
            bits = dtype.checkValue(value);
        }
        Kernels.fill(this, bits);
    }

    /**
     * True if {@code other} has the same shape and every pair of elements is equal by value, across element types
     * ({@code 1} in {@code 'b'} equals {@code 1.0} in {@code 'd'}; {@code NaN} equals nothing, as in C and NumPy).
     *
     * @param other the view to compare with, of any element type
     * @return true if the shapes are equal and every pair of elements is equal by value
     * @throws IllegalStateException if either owner is closed or freed
     */
    public boolean contentEquals(MemoryView other) {
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        return Kernels.equal(this, other);
    }

    // ---- layouts ---------------------------------------------------------------------------------------------

    /**
     * Checks that this view has the memory layout a Cython declaration names, one {@link Layout} per axis, and
     * returns it: {@code as(STRIDED, STRIDED, CONTIGUOUS)} is {@code int[:, :, ::1]}, {@code as(CONTIGUOUS,
     * STRIDED)} is {@code int[::1, :]} (Fortran), {@code as(INDIRECT_CONTIGUOUS, CONTIGUOUS)} a PIL-style array of
     * row pointers. The declaration itself must follow Cython's placement rules (see {@link Layout}).
     *
     * @param axes the declared layout of each axis, one per axis
     * @return this view
     * @throws IllegalArgumentException if the declaration breaks a placement rule, or the view does not have that
     *     layout (the message names the axis and what differs)
     */
    public MemoryView as(Layout... axes) {
        Layout.validate(axes, ndim);
        long[] sub = suboffsets();
        for (int k = 0; k < ndim; k++) {
            Layout l = axes[k];
            boolean indirectAxis = sub[k] >= 0;
            if (l.direct() && indirectAxis) {
                throw new IllegalArgumentException("axis " + k + " is indirect (suboffset " + sub[k] + ") but declared " + l.spelling());
            }
            if (l.indirect() && !indirectAxis) {
                throw new IllegalArgumentException("axis " + k + " is direct but declared " + l.spelling());
            }
            if (l.contiguous() && shape[k] > 1) {
                long want = indirectAxis ? 8 : itemsize;
                if (strides[k] != want) {
                    throw new IllegalArgumentException("axis " + k + " has stride " + strides[k] + " but is declared "
                            + l.spelling() + " (stride " + want + ")");
                }
            }
        }
        if (suboffsets == null && ndim > 1) {
            if (axes[ndim - 1] == Layout.CONTIGUOUS && !isCContiguous()) {
                throw new IllegalArgumentException("the view is not C contiguous (strides " + Arrays.toString(strides)
                        + ") but is declared " + Layout.spelling(axes));
            }
            if (axes[0] == Layout.CONTIGUOUS && !isFContiguous()) {
                throw new IllegalArgumentException("the view is not Fortran contiguous (strides " + Arrays.toString(strides)
                        + ") but is declared " + Layout.spelling(axes));
            }
        }
        return this;
    }

    /**
     * {@link #as(Layout...)} with Cython's declaration syntax: {@code as(":, :, ::1")}, {@code as("::view.indirect, ::1")}.
     *
     * @param declaration the part of a Cython memoryview declaration between the brackets
     * @return this view
     * @throws IllegalArgumentException if the declaration is malformed, breaks a placement rule, or the view does not
     *     have that layout
     */
    public MemoryView as(String declaration) {
        return as(Layout.parse(declaration));
    }

    // ---- descriptors for the kernels -------------------------------------------------------------------------

    /** Where one element lives (package-private for the Java kernels). */
    Loc locateForKernel(long[] index) {
        return locate(index);
    }
}
