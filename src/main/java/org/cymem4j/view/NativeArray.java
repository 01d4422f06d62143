package org.cymem4j.view;

import java.util.function.LongConsumer;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.internal.Bulk;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.Handles;
import org.cymem4j.internal.MemoryAccess;

/**
 * An N-dimensional array of native memory: Cython's {@code cython.view.array}. It allocates one block from a
 * {@link Pool} (zeroed), in C or Fortran order, and {@link #view()} gives its {@link MemoryView}. The memory is freed
 * by {@link #close()} or, at the latest, when the pool closes; every view of the array throws
 * {@link IllegalStateException} after that.
 *
 * <pre>{@code
 * try (Pool pool = Pool.open()) {
 *     NativeArray a = NativeArray.allocate(pool, DType.INT, 3, 3, 3);   // array(shape=(3, 3, 3), itemsize=4, format="i")
 *     MemoryView v = a.view();
 *     v.putInt(0, 1, 2, 5);
 *     NativeArray f = NativeArray.allocate(pool, DType.DOUBLE, Order.FORTRAN, 2, 3);   // mode="fortran"
 *     NativeArray d = NativeArray.copyOf(pool, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
 *     a.close();                 // frees a now (optional)
 *     v.getInt(0, 1, 2);         // throws IllegalStateException
 * }                              // f and d freed here
 * }</pre>
 *
 * <p>{@link #wrap} adopts memory the library did not allocate, with a callback that frees it when the array is
 * closed: Cython's {@code array(..., allocate_buffer=False)} with {@code callback_free_data}.
 */
public final class NativeArray implements AutoCloseable {
    private final Pool pool;          // null for wrapped memory
    private final long address;
    private final long bytes;
    private final DType dtype;
    private final Order order;
    private final long[] shape;
    private final Owner owner;
    private final Region region;
    private final long[] suboffsets;  // null unless indirect
    private final long[] strides;
    private LongConsumer callbackFreeData;
    /**
     * The blocks this array owns (its data or pointer table, then an indirect array's rows), or null for wrapped
     * memory. close() frees exactly these and only while they are live: a block the user already freed through the
     * pool, whose address another block may now have, is never freed again (ownership by identity, not address).
     */
    private Block[] owned;

    private NativeArray(Pool pool, long address, long bytes, DType dtype, Order order, long[] shape, Block block,
            long[] strides, long[] suboffsets, LongConsumer callback) {
        this.pool = pool;
        this.address = address;
        this.bytes = bytes;
        this.dtype = dtype;
        this.order = order;
        this.shape = shape;
        this.strides = strides;
        this.suboffsets = suboffsets;
        this.owner = block != null ? Owner.ofBlock(block, this) : Owner.foreign(address, bytes, this, null);
        this.owned = block != null ? new Block[] {block} : null;
        this.region = new Region(address, bytes, owner);
        this.callbackFreeData = callback;
    }

    /** The owner every view of this array checks liveness through (Npy reads and writes through it). */
    Owner owner() {
        return owner;
    }

    /** The array's memory, whatever its element type. */
    Region region() {
        return region;
    }

    /**
     * Allocates a zeroed C-order array in {@code pool}. The element type may be a struct, a byte string or a
     * sub-array ({@link DType#struct()}): the block is then aligned to at least the type's {@link DType#alignment()},
     * and its fields are views ({@code view().field("name")}).
     *
     * @param pool the pool that allocates, and at the latest frees, the array's memory
     * @param dtype the element type
     * @param shape the length of each axis in elements (0 to 32 axes; 0-length axes are allowed)
     * @return a new open array owning one zeroed block of {@code product(shape) * dtype.itemsize()} bytes
     * @throws IllegalArgumentException if there are more than 32 axes, a dimension is negative or the byte size
     *     overflows
     * @throws org.cymem4j.NativeOutOfMemoryError if the pool cannot allocate the memory
     * @throws IllegalStateException if the pool is closed or confined to another thread
     */
    public static NativeArray allocate(Pool pool, DType dtype, long... shape) {
        return allocate(pool, dtype, Order.C, shape);
    }

    /**
     * Allocates a zeroed array in {@code pool}, in the given order ({@code mode="c"} or {@code mode="fortran"}).
     *
     * @param pool the pool that allocates, and at the latest frees, the array's memory
     * @param dtype the element type
     * @param order the memory layout: {@link Order#C} (last axis contiguous) or {@link Order#FORTRAN} (first axis
     *     contiguous)
     * @param shape the length of each axis in elements (0 to 32 axes; 0-length axes are allowed)
     * @return a new open array owning one zeroed block of {@code product(shape) * dtype.itemsize()} bytes
     * @throws IllegalArgumentException if there are more than 32 axes, a dimension is negative or the byte size
     *     overflows
     * @throws org.cymem4j.NativeOutOfMemoryError if the pool cannot allocate the memory
     * @throws IllegalStateException if the pool is closed or confined to another thread
     */
    public static NativeArray allocate(Pool pool, DType dtype, Order order, long... shape) {
        return allocateAligned(pool, dtype, order, 1, shape);
    }

    /**
     * Allocates a zeroed array in {@code pool} whose first element lies at a multiple of {@code alignment} bytes
     * (SIMD kernels, {@code O_DIRECT} I/O, cache lines; NumPy has no such option, FFM's
     * {@code arena.allocate(size, alignment)} does), through {@link Pool#allocAligned}.
     *
     * <pre>{@code
     * NativeArray a = NativeArray.allocateAligned(pool, DType.FLOAT, Order.C, 64, 8, 16);   // a.address() % 64 == 0
     * }</pre>
     *
     * @param pool the pool that allocates, and at the latest frees, the array's memory
     * @param dtype the element type
     * @param order the memory layout, {@link Order#C} or {@link Order#FORTRAN}
     * @param alignment in bytes: a power of two from 1 to 2^30 (1 GiB); for a struct, byte-string or sub-array type,
     *     at least the type's {@link DType#alignment()} is used
     * @param shape the length of each axis in elements (0 to 32 axes; 0-length axes are allowed)
     * @return a new open array owning one zeroed, aligned block of {@code product(shape) * dtype.itemsize()} bytes
     * @throws IllegalArgumentException if there are more than 32 axes, a dimension is negative, the byte size
     *     overflows, or the alignment is not a power of two from 1 to 2^30 (the message names it)
     * @throws org.cymem4j.NativeOutOfMemoryError if the pool cannot allocate the memory
     * @throws IllegalStateException if the pool is closed or confined to another thread
     */
    public static NativeArray allocateAligned(Pool pool, DType dtype, Order order, long alignment, long... shape) {
        long[] sh = MemoryView.checkShape(shape);
        long count = 1;
        for (long n : sh) {
            count *= n;
        }
        long bytes = Checks.byteSize(count, dtype.itemsize());
        long[] strides = strides(order, sh, dtype);
        if (ViewRecords.isRecord(dtype) && Long.bitCount(alignment) == 1 && alignment < dtype.alignment()) {
            alignment = dtype.alignment(); // records at their C alignment (a bad value is Pool's to reject)
        }
        long address = alignment == 1 ? pool.alloc(count, dtype.itemsize())
                : pool.allocAligned(count, dtype.itemsize(), alignment);
        Block block = pool.block(address);
        return new NativeArray(pool, address, bytes, dtype, order, sh, block, strides, null, null);
    }

    /**
     * An array over memory allocated elsewhere (by C code, another allocator), in C or Fortran order. When the array
     * is closed, {@code callbackFreeData} (if not null) is called once with the address, to free it: Cython's
     * {@code callback_free_data}. Nothing can check the address: it must point to at least
     * {@code product(shape) * itemsize} valid bytes until the array is closed.
     *
     * <pre>{@code
     * long p = myNativeAlloc(6 * 8);
     * try (NativeArray a = NativeArray.wrap(p, DType.DOUBLE, Order.C, new long[] {2, 3}, MyLib::myNativeFree)) {
     *     a.view().fill(1.0);
     * }                       // MyLib.myNativeFree(p) called here
     * }</pre>
     *
     * @param address the start of the memory; must stay valid until the array is closed
     * @param dtype the element type
     * @param order the memory layout: {@link Order#C} or {@link Order#FORTRAN}
     * @param shape the length of each axis in elements (0 to 32 axes)
     * @param callbackFreeData called once with {@code address} when the array is closed, or {@code null} to leave
     *     the memory to its owner
     * @return a new open array over the memory, not owned by any pool
     * @throws IllegalArgumentException if the address is 0, there are more than 32 axes, a dimension is negative or
     *     the size overflows
     */
    public static NativeArray wrap(long address, DType dtype, Order order, long[] shape, LongConsumer callbackFreeData) {
        if (address == 0) {
            throw new IllegalArgumentException("cannot wrap the null address");
        }
        long[] sh = MemoryView.checkShape(shape);
        long count = 1;
        for (long n : sh) {
            count *= n;
        }
        long bytes = Checks.byteSize(count, dtype.itemsize());
        return new NativeArray(null, address, bytes, dtype, order, sh, null, strides(order, sh, dtype), null,
                callbackFreeData);
    }

    /**
     * The most rows (length of axis 0) of an {@link #allocateIndirect indirect array}: each row is a block, and the
     * array keeps one Java object per row.
     */
    static final long MAX_INDIRECT_ROWS = Integer.MAX_VALUE - 9;

    /**
     * A PIL-style indirect array: axis 0 is an array of pointers (suboffset 0), each to a C-contiguous block holding
     * one sub-array of shape {@code shape[1:]}; all blocks come from {@code pool}. Its view has layout
     * {@code [::view.indirect_contiguous, :, ..., ::1]}. Sizes are checked before anything is allocated; if an
     * allocation fails part way, the blocks already allocated are freed, leaving the pool as it was.
     *
     * @param pool the pool that allocates, and at the latest frees, the pointer table and every row
     * @param dtype the element type
     * @param shape the length of each axis in elements: axis 0 is the number of rows, the rest each row's shape
     * @return a new open indirect array owning the table and its rows
     * @throws IllegalArgumentException if there are fewer than 2 axes, more than 2147483638 rows (axis 0), or as
     *     {@link #allocate}
     * @throws org.cymem4j.NativeOutOfMemoryError if the pool cannot allocate the table or a row (nothing stays
     *     allocated then)
     * @throws IllegalStateException if the pool is closed or confined to another thread
     */
    public static NativeArray allocateIndirect(Pool pool, DType dtype, long... shape) {
        long[] sh = MemoryView.checkShape(shape);
        if (sh.length < 2) {
            throw new IllegalArgumentException("an indirect array needs at least 2 axes, not " + sh.length);
        }
        if (sh[0] > MAX_INDIRECT_ROWS) {
            throw new IllegalArgumentException("an indirect array has at most " + MAX_INDIRECT_ROWS
                    + " rows (axis 0), not " + sh[0]);
        }
        long[] rowShape = java.util.Arrays.copyOfRange(sh, 1, sh.length);
        long[] rowStrides = strides(Order.C, rowShape, dtype); // also refuses a row whose size overflows
        long rowCount = 1;
        for (long n : rowShape) {
            rowCount *= n;
        }
        long rowBytes = Checks.byteSize(rowCount, dtype.itemsize());
        long tableBytes = Checks.byteSize(sh[0], Long.BYTES);
        long[] strides = new long[sh.length];
        strides[0] = Long.BYTES;
        System.arraycopy(rowStrides, 0, strides, 1, rowStrides.length);
        long[] sub = new long[sh.length];
        java.util.Arrays.fill(sub, -1);
        sub[0] = 0;
        Region[] regions = new Region[(int) sh[0] + 1]; // before any native memory: an OutOfMemoryError leaks nothing
        Block[] owned = new Block[(int) sh[0] + 1];
        long table = pool.alloc(sh[0], Long.BYTES);
        int made = 0;
        long pending = 0; // a row allocated but not yet recorded in regions
        try {
            Block block = pool.block(table);
            NativeArray a = new NativeArray(pool, table, tableBytes, dtype, Order.C, sh, block, strides, sub, null);
            regions[0] = a.region;
            owned[0] = block;
            MemoryAccess pointers = a.region.access;
            for (; made < sh[0]; made++) {
                pending = pool.alloc(rowCount, dtype.itemsize());
                Block rowBlock = pool.block(pending);
                owned[made + 1] = rowBlock;
                regions[made + 1] = new Region(pending, rowBytes, a.owner, Handles.spanOf(rowBlock));
                pending = 0;
                pointers.putLong((long) made * Long.BYTES, regions[made + 1].address);
            }
            a.owned = owned;
            a.owner.setRegions(Owner.sortRegions(regions));
            return a;
        } catch (RuntimeException | Error e) {
            // leave the pool as it was: every row allocated so far, then the table
            freeQuietly(pool, pending, e);
            for (int r = 0; r < made; r++) {
                freeQuietly(pool, regions[r + 1].address, e);
            }
            freeQuietly(pool, table, e);
            throw e;
        }
    }

    /** Frees a block on a failure path; a failure to free is added to {@code cause}, not thrown over it. */
    private static void freeQuietly(Pool pool, long address, Throwable cause) {
        if (address == 0) {
            return;
        }
        try {
            pool.free(address);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * {@code order.strides(shape, itemsize)}, or an {@link IllegalArgumentException} naming the shape when the bytes
     * its non-zero axes span overflow: behind a 0-length axis the element count is 0, but the strides still have to
     * exist (NumPy's "array is too big").
     */
    private static long[] strides(Order order, long[] sh, DType dtype) {
        long span = dtype.itemsize();
        for (long n : sh) {
            if (n != 0) {
                if (Math.multiplyHigh(span, n) != 0 || span * n < 0) {
                    throw new IllegalArgumentException("shape " + java.util.Arrays.toString(sh) + " of " + dtype.itemsize()
                            + "-byte elements spans more than " + Long.MAX_VALUE + " bytes");
                }
                span *= n;
            }
        }
        return order.strides(sh, dtype.itemsize());
    }

    /**
     * The memoryview of the whole array; its {@link MemoryView#base()} is this array.
     *
     * @return a new view of every element, with the array's type, shape and strides
     * @throws IllegalStateException if the array is closed or its pool is
     */
    public MemoryView view() {
        owner.check();
        return new MemoryView(owner, region, 0, dtype, shape.clone(), strides.clone(),
                suboffsets == null ? null : suboffsets.clone());
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
     * The length of each axis.
     *
     * @return a copy of the shape, in elements per axis
     */
    public long[] shape() {
        return shape.clone();
    }

    /**
     * The memory layout the array was made with.
     *
     * @return {@link Order#C} or {@link Order#FORTRAN} ({@link Order#C} for an indirect array)
     */
    public Order order() {
        return order;
    }

    /**
     * The pool the memory came from.
     *
     * @return the pool, or {@code null} for {@link #wrap wrapped} memory
     */
    public Pool pool() {
        return pool;
    }

    /**
     * The address of the memory (for an indirect array, of its pointer table), for C code.
     *
     * @return the native address of the first byte
     * @throws IllegalStateException if the array is closed or its pool is
     */
    public long address() {
        owner.check();
        return address;
    }

    /**
     * The size of the data (for an indirect array, of its pointer table).
     *
     * @return the size in bytes; still answered after the array is closed
     */
    public long byteSize() {
        return bytes;
    }

    /**
     * Whether the memory is still usable.
     *
     * @return true until {@link #close()}, until the pool the memory came from closed, or until its block was freed
     */
    public boolean isOpen() {
        return owner.span().isValid() && owner.span().scope().isOpen();
    }

    /**
     * Frees the memory now: back to the pool, or through the free callback of a {@link #wrap wrapped} array (called
     * exactly once). Idempotent; after it (or after the pool closes) every view of the array throws
     * {@link IllegalStateException}.
     *
     * @throws IllegalStateException if the pool is confined to another thread
     */
    @Override
    public void close() {
        if (pool != null) {
            if (pool.isOpen()) {
                // Rows first, then the data or table block; each only while still this array's (see owned).
                for (int k = owned.length - 1; k >= 0; k--) {
                    if (Handles.spanOf(owned[k]).isValid()) {
                        pool.free(owned[k].address());
                    }
                }
            }
            return;
        }
        if (!owner.span().scope().beginClose()) {
            return;
        }
        owner.span().suspendExports(); // exported segments (JDK 22+) end before the callback releases the memory
        LongConsumer callback = callbackFreeData;
        callbackFreeData = null;
        if (callback != null) {
            callback.accept(address);
        }
    }

    /** {@code <NativeArray d[2, 3] C at 0x7f...>}. */
    @Override
    public String toString() {
        return "<NativeArray " + dtype.typecode() + java.util.Arrays.toString(shape) + " " + order + " at "
                + Checks.hex(address) + (isOpen() ? "" : ", closed") + ">";
    }

    /**
     * A C-order array of {@code 'b'} in {@code pool} holding a copy of
     * {@code data} (row-major), with the given shape (default: one axis of {@code data.length}).
     *
     * @param pool the pool that allocates, and at the latest frees, the array's memory
     * @param data the elements to copy, in C (row-major) order
     * @param shape the length of each axis in elements, or none for one axis of {@code data.length}
     * @return a new open array holding a copy of {@code data}
     * @throws IllegalArgumentException if the shape's element count is not {@code data.length}
     */
    public static NativeArray copyOf(Pool pool, byte[] data, long... shape) {
        return filled(pool, DType.BYTE, data.length, shape, (b, i, n) -> b.put(data, i, n));
    }

    /**
     * A C-order array of {@code 'h'} in {@code pool} holding a copy of
     * {@code data} (row-major), with the given shape (default: one axis of {@code data.length}).
     *
     * @param pool the pool that allocates, and at the latest frees, the array's memory
     * @param data the elements to copy, in C (row-major) order
     * @param shape the length of each axis in elements, or none for one axis of {@code data.length}
     * @return a new open array holding a copy of {@code data}
     * @throws IllegalArgumentException if the shape's element count is not {@code data.length}
     */
    public static NativeArray copyOf(Pool pool, short[] data, long... shape) {
        return filled(pool, DType.SHORT, data.length, shape, (b, i, n) -> b.asShortBuffer().put(data, i, n));
    }

    /**
     * A C-order array of {@code 'i'} in {@code pool} holding a copy of
     * {@code data} (row-major), with the given shape (default: one axis of {@code data.length}).
     *
     * @param pool the pool that allocates, and at the latest frees, the array's memory
     * @param data the elements to copy, in C (row-major) order
     * @param shape the length of each axis in elements, or none for one axis of {@code data.length}
     * @return a new open array holding a copy of {@code data}
     * @throws IllegalArgumentException if the shape's element count is not {@code data.length}
     */
    public static NativeArray copyOf(Pool pool, int[] data, long... shape) {
        return filled(pool, DType.INT, data.length, shape, (b, i, n) -> b.asIntBuffer().put(data, i, n));
    }

    /**
     * A C-order array of {@code 'q'} in {@code pool} holding a copy of
     * {@code data} (row-major), with the given shape (default: one axis of {@code data.length}).
     *
     * @param pool the pool that allocates, and at the latest frees, the array's memory
     * @param data the elements to copy, in C (row-major) order
     * @param shape the length of each axis in elements, or none for one axis of {@code data.length}
     * @return a new open array holding a copy of {@code data}
     * @throws IllegalArgumentException if the shape's element count is not {@code data.length}
     */
    public static NativeArray copyOf(Pool pool, long[] data, long... shape) {
        return filled(pool, DType.LONG, data.length, shape, (b, i, n) -> b.asLongBuffer().put(data, i, n));
    }

    /**
     * A C-order array of {@code 'f'} in {@code pool} holding a copy of
     * {@code data} (row-major), with the given shape (default: one axis of {@code data.length}).
     *
     * @param pool the pool that allocates, and at the latest frees, the array's memory
     * @param data the elements to copy, in C (row-major) order
     * @param shape the length of each axis in elements, or none for one axis of {@code data.length}
     * @return a new open array holding a copy of {@code data}
     * @throws IllegalArgumentException if the shape's element count is not {@code data.length}
     */
    public static NativeArray copyOf(Pool pool, float[] data, long... shape) {
        return filled(pool, DType.FLOAT, data.length, shape, (b, i, n) -> b.asFloatBuffer().put(data, i, n));
    }

    /**
     * A C-order array of {@code 'd'} in {@code pool} holding a copy of
     * {@code data} (row-major), with the given shape (default: one axis of {@code data.length}).
     *
     * @param pool the pool that allocates, and at the latest frees, the array's memory
     * @param data the elements to copy, in C (row-major) order
     * @param shape the length of each axis in elements, or none for one axis of {@code data.length}
     * @return a new open array holding a copy of {@code data}
     * @throws IllegalArgumentException if the shape's element count is not {@code data.length}
     */
    public static NativeArray copyOf(Pool pool, double[] data, long... shape) {
        return filled(pool, DType.DOUBLE, data.length, shape, (b, i, n) -> b.asDoubleBuffer().put(data, i, n));
    }

    /** A new array of {@code dtype} and {@code shape} whose {@code length} elements {@code piece} copies in. */
    private static NativeArray filled(Pool pool, DType dtype, int length, long[] shape, Bulk.Piece piece) {
        long[] sh = shapeFor(shape, length);
        NativeArray a = allocate(pool, dtype, sh);
        checkCount(a, length);
        Bulk.copy(a.region.access, 0, 0, length, dtype.itemsize(), piece);
        return a;
    }

    /**
     * The shape {@code copyOf} allocates: {@code shape}, or one axis of {@code length} when empty; checked against
     * {@code length} before anything is allocated.
     */
    private static long[] shapeFor(long[] shape, int length) {
        long[] sh = MemoryView.checkShape(shape.length == 0 ? new long[] {length} : shape);
        long count = 1;
        for (long n : sh) {
            count *= n;
        }
        if (count != length) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(sh) + " holds " + count
                    + " elements but the array has " + length);
        }
        return sh;
    }

    private static void checkCount(NativeArray a, int length) {
        long count = 1;
        for (long n : a.shape) {
            count *= n;
        }
        if (count != length) {
            a.close();
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(a.shape) + " holds " + count
                    + " elements but the array has " + length);
        }
    }
}
