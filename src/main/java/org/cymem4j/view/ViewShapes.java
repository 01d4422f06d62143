package org.cymem4j.view;

import java.util.Arrays;

/**
 * The shape changes of a {@link MemoryView} that never copy ({@link #T()}, {@link #transpose(int...)},
 * {@link #reshape(long...)}, {@link #view(DType)}), and the access to arrays of C structs: a field across the whole
 * view ({@link #field(String)}, NumPy's {@code arr['values']}) and whole records as bytes
 * ({@link #getRecord(long...)}, {@link #putRecord(long[], byte[])}). Every result shares this view's memory and
 * owner: it stops working when the memory does, as the view itself.
 *
 * <pre>{@code
 * DType row = DType.struct().add("length", DType.ULONG).add("values", DType.POINTER).build(); // 16 bytes
 * try (NativeArray rows = NativeArray.allocate(pool, row, 3)) {
 *     MemoryView lengths = rows.view().field("length");   // shape [3], strides [16]: no copy
 *     lengths.putLong(1, 42);                             // rows[1].length = 42
 *     rows.view().slice("1").field("length").getLong();   // 42, through the 0-d view of record 1
 *     rows.view().getRecord(1);                           // the 16 bytes of record 1
 * }
 * MemoryView m = NativeArray.allocate(pool, DType.INT, 6).view();
 * m.reshape(2, -1).shape();                               // [2, 3]
 * m.view(DType.UBYTE).shape();                            // [24]: the bytes of the last axis
 * }</pre>
 *
 * <p>This class is part of {@link MemoryView}'s class chain, cut by concern; use {@code MemoryView} as the type.
 */
public abstract sealed class ViewShapes extends ViewLocation permits ViewExports {
    ViewShapes(Owner owner, Region region, long offset, DType dtype, long[] shape, long[] strides,
            long[] suboffsets) {
        super(owner, region, offset, dtype, shape, strides, suboffsets);
    }

    /**
     * The transpose (axes reversed), as Cython's {@code view.T}. No copy.
     *
     * @return a view of the same memory with the shape and strides reversed
     * @throws IllegalArgumentException if the view is indirect
     */
    public final MemoryView T() {
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
    public final MemoryView transpose(int... axes) {
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
     * The same elements in C order with another shape, as a view (NumPy's {@code arr.reshape(shape, copy=False)}):
     * one length may be {@code -1}, inferred from the others. A C-contiguous view takes any shape of the same size;
     * any other takes the shapes NumPy can give it without a copy (axes are split or merged only where their
     * strides already step evenly, NumPy's {@code _attempt_nocopy_reshape}); the strides are NumPy's, exactly.
     *
     * <pre>{@code
     * MemoryView m = NativeArray.allocate(pool, DType.DOUBLE, 2, 6).view();
     * m.reshape(3, 4).strides();                 // [32, 8]
     * m.reshape(-1).shape();                     // [12]
     * m.slice(":, ::2").reshape(6);              // fine: strides [48, 16] merge into [16]
     * m.T().reshape(12);                         // throws IllegalArgumentException: needs a copy (copy().reshape(12))
     * }</pre>
     *
     * @param shape the new length of each axis, in elements; at most one {@code -1}
     * @return a view of the same elements in C order with the new shape
     * @throws IllegalArgumentException if the sizes differ ({@code cannot reshape a view of size 6 into shape [4, 2]}),
     *     there are two {@code -1}, a length is negative otherwise, the view is indirect, or the shape needs a copy
     *     (the message gives the shape and strides)
     * @throws IllegalStateException if the owner is closed or freed
     */
    public final MemoryView reshape(long... shape) {
        return ViewReshapes.reshape((MemoryView) this, shape);
    }

    /**
     * The same bytes read as another element type (NumPy's {@code arr.view(dtype)}, Python's
     * {@code memoryview.cast}): with the same item size only the type changes; otherwise the last axis is re-cut in
     * the new item size, which needs that axis contiguous (stride = item size, or length 1, or an empty view), a
     * smaller item size dividing the old one, a larger one dividing the bytes of the last axis, and at least one
     * axis. A sub-array type ({@code DType.arrayOf(DType.FLOAT, 2)}) of the same item size adds its axes at the end.
     * Struct and byte-string types are allowed both ways: {@code rows.view(DType.UBYTE)} shows a record's bytes.
     *
     * <pre>{@code
     * MemoryView d = NativeArray.allocate(pool, DType.DOUBLE, 2, 3).view();
     * d.view(DType.INT).shape();                 // [2, 6]: each double as two ints
     * d.view(DType.arrayOf(DType.FLOAT, 2)).shape(); // [2, 3, 2]
     * d.slice(":, ::2").view(DType.INT);         // throws IllegalArgumentException: last axis not contiguous
     * }</pre>
     *
     * @param dtype the element type to read the bytes as
     * @return a view of the same bytes with that element type
     * @throws IllegalArgumentException naming the broken rule (0-d view with another item size, last axis not
     *     contiguous, item sizes that do not divide, a sub-array type of another size), or if the view is indirect
     *     or the type is one views do not access
     * @throws IllegalStateException if the owner is closed or freed
     */
    public final MemoryView view(DType dtype) {
        return ViewReshapes.view((MemoryView) this, dtype);
    }

    /**
     * The field {@code path} of every record of a struct view, as a view (NumPy's {@code arr['values']}): same
     * shape and strides, the field's offset added, the field's type. A sub-array field ({@code double m[2][3]},
     * format {@code (2,3)d}) adds its axes at the end, as NumPy does. A dotted path ({@code "pos.x"}) is taken one
     * name at a time, as NumPy's {@code arr['pos']['x']}: it reaches into nested structs, and through a sub-array of
     * structs ({@code "corners.y"} of {@code struct Point corners[4]} has the sub-array's axis). The field view shares this view's memory and owner: writes go through to the records.
     *
     * <pre>{@code
     * DType point = DType.struct().add("x", DType.FLOAT).add("y", DType.FLOAT).build();
     * DType body = DType.struct().add("pos", point).add("m", DType.arrayOf(DType.DOUBLE, 2, 3)).build();
     * MemoryView bodies = NativeArray.allocate(pool, body, 10).view();
     * bodies.field("pos.y").putFloat(3, 1.5f);   // bodies[3].pos.y = 1.5
     * bodies.field("m").shape();                 // [10, 2, 3]
     * bodies.field("mass");                      // throws IllegalArgumentException: no field 'mass' (fields: [pos, m])
     * }</pre>
     *
     * @param path a field name, or names joined by dots for nested structs
     * @return a view of that field across the whole view
     * @throws IllegalArgumentException if the element type is not a struct, there is no such field (the message
     *     names it and the fields there are), the view is indirect, or the field's type is one views do not access
     * @throws IllegalStateException if the owner is closed or freed
     */
    public final MemoryView field(String path) {
        return ViewRecords.field((MemoryView) this, path);
    }

    /**
     * A copy of the bytes of the record at {@code index} (one index per axis, negative from the end), padding
     * included: {@link MemoryView#itemsize()} bytes in memory order. Works for every element type.
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @return a new array of {@code itemsize()} bytes
     * @throws IndexOutOfBoundsException if an index is outside its axis
     * @throws IllegalArgumentException if the number of indices is not {@link MemoryView#ndim()}
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     */
    public final byte[] getRecord(long... index) {
        return ViewRecords.get((MemoryView) this, index);
    }

    /**
     * Writes the bytes of the record at {@code index} (one index per axis, negative from the end), padding included.
     *
     * @param index one index per axis, in elements; negative counts from the end
     * @param record exactly {@link MemoryView#itemsize()} bytes, in memory order
     * @throws IndexOutOfBoundsException if an index is outside its axis (nothing is written)
     * @throws IllegalArgumentException if the number of indices is not {@link MemoryView#ndim()}, or
     *     {@code record.length} is not the item size (nothing is written)
     * @throws IllegalStateException if the owner is closed or freed, or a confined pool is used from another thread
     * @throws UnsupportedOperationException if the view is read-only (nothing is written)
     */
    public final void putRecord(long[] index, byte[] record) {
        ViewRecords.put((MemoryView) this, index, record);
    }
}
