package org.cymem4j.view;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.BufferAccess;
import org.cymem4j.internal.Handles;
import org.cymem4j.internal.Span;

/**
 * A strided N-dimensional view of native memory: Cython's typed memoryview ({@code cython.int[:, :]}) for Java. A
 * view is (owner, data address, {@link DType}, shape, strides in bytes, optional suboffsets); it never copies or owns
 * memory, it keeps its owner (a {@link NativeArray}, a pool {@link Block}, a typed array, a direct
 * {@link ByteBuffer}, a JavaCPP pointer) reachable and checks on every access that the owner is still alive. Views
 * of JavaCPP pointers and indexers, and pointers and indexers over views, come from
 * {@code org.cymem4j.javacpp.PointerViews}; a typed array's view from its {@code view()}.
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
 * {@code getFloat} for {@code f} and {@code e} (float16), {@code getDouble} for {@code d}, {@code getBoolean} for
 * {@code ?}, {@code getComplex} for {@code Zf Zd}; a big-endian type through its native twin's; unsigned types come
 * back as their bit pattern ({@code Byte.toUnsignedInt}, {@code Long.toUnsignedString} recover the value). Using an
 * accessor of another type throws {@link IllegalArgumentException}. The {@code to*Array()} methods convert any
 * element type, in C order.
 *
 * <h2>Structs</h2>
 * A view's element type may be a struct, a byte string or a sub-array ({@link DType#struct()}): its elements are
 * records, with no scalar accessor (the element-type message); {@link #field(String)} gives a field across the view,
 * {@link #getRecord(long...)}/{@link #putRecord(long[], byte[])} a record's bytes, {@link #copyFrom} copies records of
 * an equal type and {@link #contentEquals} compares them field by field. {@link #reshape(long...)} and
 * {@link #view(DType)} change the shape or the element type without a copy, by NumPy's rules.
 *
 * <h2>Contiguity</h2>
 * {@link #isCContiguous()} and {@link #isFContiguous()} follow NumPy's rule: axes of length 1 do not count (their
 * stride may be anything), and a view with an axis of length 0 is both. Cython's {@code is_c_contig()} is stricter:
 * it requires every axis, length-1 axes included, to have exactly the contiguous stride, so a view that NumPy (and
 * this class) calls contiguous may be rejected by Cython when it came from a {@code None} axis or a length-1 slice.
 *
 * <h2>Errors</h2>
 * {@link IllegalArgumentException} for malformed index expressions (the message quotes the offending part), shape
 * mismatches, and an accessor of another element type ({@code element type is float64 ('d'), not int32 (...)});
 * {@link IndexOutOfBoundsException} for indices outside an axis ({@code index=3 length=3 axis=0}, NumPy's
 * {@code IndexError}); {@link IllegalStateException} once the owner is closed or freed, or a confined pool is used
 * from another thread; {@link UnsupportedOperationException} for writes to read-only memory (a {@code READ_ONLY} mapping, a read-only {@link DLPackTensor}).
 */
public final class MemoryView extends ViewElements {
    static {
        // TypedArray.view() and org.cymem4j.javacpp reach the package-private owners through this
        Handles.registerViews(new Handles.Views() {
            @Override
            public Object spanView(Span span, Object base, Object pool, long address, long bytes, Object dtype,
                    long[] shape, long[] strides) {
                DType type = (DType) dtype;
                long[] sh = checkShape(shape);
                Owner owner = Owner.ofSpan(span, base, (Pool) pool);
                return checked(owner, new Region(address, bytes, owner), 0, type, sh,
                        strides != null ? strides : Order.C.strides(sh, type.itemsize()));
            }
        });
    }

    MemoryView(Owner owner, Region region, long offset, DType dtype, long[] shape, long[] strides, long[] suboffsets) {
        super(owner, region, offset, dtype, shape, strides, suboffsets);
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
        long address = BufferAccess.addressOf(buffer) + buffer.position();
        Owner owner = BufferOwners.of(buffer, address, buffer.remaining()); // JDK 22+: read through its segment
        if (owner == null) {
            owner = Owner.foreign(address, buffer.remaining(), buffer, null);
        }
        Region region = new Region(address, buffer.remaining(), owner);
        long[] sh = checkShape(shape);
        return checked(owner, region, 0, dtype, sh, Order.C.strides(sh, dtype.itemsize()));
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
        return elementCount();
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
     * array (and for {@link #copy()}), the pool {@link Block} for {@link #of(Block, DType, long...)}, the typed
     * array for its {@code view()}, the {@link ByteBuffer}, JavaCPP pointer or indexer a view was made over
     * ({@code org.cymem4j.javacpp.PointerViews}). Slices share their parent's base.
     *
     * @return the owner of the memory: a {@link NativeArray}, {@link Block}, typed array, {@link ByteBuffer}, JavaCPP
     *     pointer or indexer
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
        return ViewSlicing.slice(this, expression, Index.parse(expression));
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
        return ViewSlicing.slice(this, text.toString(), items);
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
     * @param src the view to copy from, of this view's shape and element type (records: an equal struct, byte-string
     *     or sub-array type; their bytes are copied, padding included)
     * @throws IllegalArgumentException if the shapes or element types differ (use {@link #castFrom} to convert);
     *     nothing is written then
     * @throws IllegalStateException if either owner is closed or freed
     * @throws UnsupportedOperationException if this view is {@link #isReadOnly() read-only} (nothing is written)
     */
    public void copyFrom(MemoryView src) {
        if (ViewRecords.copy(this, src)) {
            return;
        }
        if (src.dtype.nativeCode() != dtype.nativeCode() || src.itemsize != itemsize
                || (!dtype.isScalar() || !src.dtype.isScalar()) && !dtype.equals(src.dtype)) { // raw: equal layouts
            throw new IllegalArgumentException("cannot copy a view of '" + src.dtype.format() + "' into a view of '"
                    + dtype.format() + "'; use castFrom to convert"); // the format: '>i' is not 'i'
        }
        checkSameShape(src, "copy");
        Kernels.copy(this, src);
    }

    /**
     * Converts {@code src}'s elements to this view's type and stores them (NumPy's {@code dst[...] = src.astype(...)}):
     * integers wrap; floating to integer truncates toward zero and saturates at the type's range, NaN gives 0.
     *
     * @param src the view to convert from, of this view's shape and any scalar element type (records are copied
     *     between equal types only, as {@link #copyFrom})
     * @throws IllegalArgumentException if the shapes differ, or either view holds records of another type (nothing
     *     is written)
     * @throws IllegalStateException if either owner is closed or freed
     * @throws UnsupportedOperationException if this view is {@link #isReadOnly() read-only} (nothing is written)
     */
    public void castFrom(MemoryView src) {
        if (ViewRecords.copy(this, src)) {
            return;
        }
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
     * Sets every element of a floating or complex view to {@code value} ({@code view[...] = value}; a complex element
     * gets imaginary part 0).
     *
     * @param value the value to store ({@code f} rounds it to {@code float}, {@code e} to float16, nearest even)
     * @throws IllegalArgumentException if the view's elements are integers or bool (use {@link #fill(long)}) or
     *     records (fill a {@link #field(String) field view})
     * @throws IllegalStateException if the owner is closed or freed
     * @throws UnsupportedOperationException if this view is {@link #isReadOnly() read-only} (nothing is written)
     */
    public void fill(double value) {
        ViewRecords.refuseFill(this);
        if (!dtype.isFloating() && dtype.kind() != DType.Kind.COMPLEX) {
            throw new IllegalArgumentException("fill(double) on a view of " + dtype.displayName() + "; use fill(long)");
        }
        Kernels.fill(this, Kernels.fillBits(dtype, value));
    }

    /**
     * Sets every element to {@code value} ({@code view[...] = value}); on a floating or complex view the value is
     * converted to floating point.
     *
     * @param value the value to store, checked against the type's range (0 or 1 for bool); for {@code L} and
     *     {@code Q} every {@code long}, the bit pattern of a value in 0..2^64-1
     * @throws IllegalArgumentException if {@code value} does not fit the integer type (for example 300 in {@code 'B'}),
     *     or the elements are records (fill a {@link #field(String) field view})
     * @throws IllegalStateException if the owner is closed or freed
     * @throws UnsupportedOperationException if this view is {@link #isReadOnly() read-only} (nothing is written)
     */
    public void fill(long value) {
        ViewRecords.refuseFill(this);
        Kernels.fill(this, Kernels.fillBits(dtype, value));
    }

    /**
     * True if {@code other} has the same shape and every pair of elements is equal by value, across element types
     * ({@code 1} in {@code 'b'} equals {@code 1.0} in {@code 'd'}; {@code NaN} equals nothing, as in C and NumPy).
     * Records compare as NumPy's {@code ==} on structured arrays: equal types, every field equal by value, padding
     * bytes not compared; views of different record types are unequal.
     *
     * @param other the view to compare with, of any element type
     * @return true if the shapes are equal and every pair of elements is equal by value
     * @throws IllegalStateException if either owner is closed or freed
     */
    public boolean contentEquals(MemoryView other) {
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        return ViewRecords.isRecord(dtype) || ViewRecords.isRecord(other.dtype) ? ViewRecords.equal(this, other)
                : Kernels.equal(this, other);
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
        Layout.check(this, axes);
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
}
