package org.cymem4j.view;

import java.util.Arrays;

import org.cymem4j.internal.Checks;
import org.cymem4j.internal.Span;

/**
 * Views whose elements are records (structs, byte strings, sub-arrays): the field views behind
 * {@link ViewShapes#field(String)}, whole records as bytes, and the whole-view operations on records. A record has no
 * scalar accessor (its carrier matches none); its bytes are copied and compared through the view of the same
 * memory as {@code uint8} with one more axis of {@code itemsize} bytes, so the strided kernels of the scalar types
 * (C above their threshold, overlap handled there) move them.
 */
final class ViewRecords {
    private ViewRecords() {
    }

    /** True for the element types that views hold as records, with no scalar accessor. */
    static boolean isRecord(DType t) {
        DType.Kind k = t.kind();
        return k == DType.Kind.STRUCT || k == DType.Kind.BYTES || k == DType.Kind.SUBARRAY;
    }

    // ---- fields ----------------------------------------------------------------------------------------------

    /**
     * {@code v[path]}: the field across the view; a sub-array field adds its axes (C strides) at the end. A dotted
     * path is taken one name at a time, as NumPy's {@code v['a']['b']}, so it also goes through sub-arrays of structs.
     */
    static MemoryView field(MemoryView v, String path) {
        int dot = path.indexOf('.');
        if (dot >= 0) {
            MemoryView outer = field(v, path.substring(0, dot));
            try {
                return field(outer, path.substring(dot + 1));
            } catch (IllegalArgumentException e) { // name the whole path once, however deep the failure
                String inner = e.getMessage().replaceFirst("^field\\('[^']*'\\): ", "");
                throw new IllegalArgumentException("field('" + path + "'): " + inner, e);
            }
        }
        if (v.dtype.kind() != DType.Kind.STRUCT) {
            throw new IllegalArgumentException("field('" + path + "') needs a view of a struct type; this view's"
                    + " element type is " + v.dtype.displayName());
        }
        if (v.suboffsets != null) {
            throw new IllegalArgumentException("field('" + path + "'): field views of indirect views are not"
                    + " supported (copy() the view first)");
        }
        DType.Field f = v.dtype.field(path); // names the field and the fields there are
        DType type = f.type();
        long[] sh = v.shape;
        long[] st = v.strides;
        if (type.kind() == DType.Kind.SUBARRAY) {
            long[] dims = type.dims();
            type = type.element();
            long[] subStrides = Order.C.strides(dims, type.itemsize());
            sh = concat(sh, dims);
            st = concat(st, subStrides);
            ViewLocation.checkShape(sh); // at most 32 axes
        }
        v.owner.check(); // as reshape and view(DType): a field of freed memory fails here, not at the first access
        return new MemoryView(v.owner, v.region, v.offset + f.offset(), type, sh.clone(), st.clone(), null);
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---- whole records ---------------------------------------------------------------------------------------

    static byte[] get(MemoryView v, long[] index) {
        byte[] out = new byte[v.itemsize];
        Span s = v.span;
        s.enter();
        try {
            ViewLocation.Loc at = v.locate(index);
            for (int k = 0; k < out.length; k++) {
                out[k] = at.access.getByte(at.offset + k);
            }
        } finally {
            s.exit();
        }
        return out;
    }

    static void put(MemoryView v, long[] index, byte[] record) {
        if (record.length != v.itemsize) {
            throw new IllegalArgumentException("a record of " + v.dtype.displayName() + " has " + v.itemsize
                    + " bytes, not " + record.length);
        }
        v.checkWritable();
        Span s = v.span;
        s.enterWrite();
        try {
            ViewLocation.Loc at = v.locate(index);
            for (int k = 0; k < record.length; k++) {
                at.access.putByte(at.offset + k, record[k]);
            }
        } finally {
            s.exit();
        }
    }

    // ---- whole-view operations -------------------------------------------------------------------------------

    /**
     * {@code dst[...] = src} when either holds records: the types must be equal (records are copied, never converted)
     * and the shapes too. Returns false, doing nothing, when neither holds records (the caller copies scalars).
     */
    static boolean copy(MemoryView dst, MemoryView src) {
        if (!isRecord(dst.dtype) && !isRecord(src.dtype)) {
            return false;
        }
        if (!dst.dtype.equals(src.dtype)) {
            throw new IllegalArgumentException("cannot copy a view of " + src.dtype.displayName() + " into a view of "
                    + dst.dtype.displayName() + " (records are copied between equal types only)");
        }
        if (!Arrays.equals(dst.shape, src.shape)) {
            throw new IllegalArgumentException("cannot copy a view of shape " + Arrays.toString(src.shape)
                    + " into a view of shape " + Arrays.toString(dst.shape) + " (shapes must be equal)");
        }
        Kernels.copy(bytesOf(dst), bytesOf(src));
        return true;
    }

    /**
     * Records compare field by field, by value, as NumPy's {@code ==} on structured arrays: padding bytes do not
     * count, a NaN field is unequal; byte strings compare as bytes. Views of different record types are unequal.
     * A field of a type views do not yet access (bool, float16, complex, big-endian) compares as bytes.
     */
    static boolean equal(MemoryView a, MemoryView b) {
        if (!a.dtype.equals(b.dtype)) {
            return false;
        }
        DType t = a.dtype;
        if (t.kind() == DType.Kind.BYTES) {
            return Kernels.equal(bytesOf(a), bytesOf(b));
        }
        if (t.kind() == DType.Kind.SUBARRAY) {
            return equal(expand(a), expand(b));
        }
        if (t.kind() != DType.Kind.STRUCT) { // a scalar field
            return Kernels.equal(a, b);
        }
        for (DType.Field f : t.fields()) {
            if (!equal(inner(a, f), inner(b, f))) {
                return false;
            }
        }
        return true;
    }

    /** The field {@code f} of every record of {@code v}, any field type (no accessibility check: compare only). */
    private static MemoryView inner(MemoryView v, DType.Field f) {
        int last = lastIndirectAxis(v);
        if (last < 0) {
            return raw(v, v.offset + f.offset(), f.type(), v.shape, v.strides);
        }
        // past the last pointer the axes step directly: the field's offset belongs to that pointer's suboffset
        long[] sub = v.suboffsets.clone();
        sub[last] += f.offset();
        return new MemoryView(v.owner, v.region, v.offset, f.type(), v.shape, v.strides, sub);
    }

    private static int lastIndirectAxis(MemoryView v) {
        for (int k = v.ndim - 1; v.suboffsets != null && k >= 0; k--) {
            if (v.suboffsets[k] >= 0) {
                return k;
            }
        }
        return -1;
    }

    /** A view with one more direct axis ({@code length}, {@code stride}) inside each element, indirect or not. */
    private static MemoryView withInnerAxis(MemoryView v, DType type, long length, long stride) {
        if (v.suboffsets == null) {
            long[] sh = squeezed(v.shape, v.shape);
            checkRoomForOneAxis(v, sh);
            return raw(v, v.offset, type, concat(sh, new long[] {length}),
                    concat(squeezed(v.shape, v.strides), new long[] {stride}));
        }
        checkRoomForOneAxis(v, v.shape); // an indirect axis of length 1 still dereferences: none is dropped
        return new MemoryView(v.owner, v.region, v.offset, type, concat(v.shape, new long[] {length}),
                concat(v.strides, new long[] {stride}), concat(v.suboffsets, new long[] {-1}));
    }

    /**
     * A sub-array view with its elements as one trailing axis (they lie in C order inside each record), the axes of
     * length 1 dropped: a 32-d view of sub-arrays still compares within the kernels' 32 axes.
     */
    private static MemoryView expand(MemoryView v) {
        DType e = v.dtype.element();
        return withInnerAxis(v, e, v.itemsize / e.itemsize(), e.itemsize());
    }

    private static void checkRoomForOneAxis(MemoryView v, long[] squeezedShape) {
        if (squeezedShape.length >= ViewLocation.MAX_NDIM) { // every axis longer than 1: at least 2^32 records
            throw new IllegalArgumentException("a record view of shape " + Arrays.toString(v.shape)
                    + " has too many axes to copy or compare");
        }
    }

    /** The same memory as {@code uint8}, with one more axis of {@code itemsize} bytes (stride 1). */
    static MemoryView bytesOf(MemoryView v) {
        return withInnerAxis(v, DType.UBYTE, v.itemsize, 1);
    }

    /** {@code values} without the axes of length 1 (their strides do not matter), so a record axis can be added. */
    private static long[] squeezed(long[] shape, long[] values) {
        return java.util.stream.IntStream.range(0, shape.length).filter(k -> shape[k] != 1)
                .mapToLong(k -> values[k]).toArray();
    }

    /** A view of {@code type} over {@code v}'s memory, with the owner's liveness. */
    private static MemoryView raw(MemoryView v, long offset, DType type, long[] shape, long[] strides) {
        return new MemoryView(v.owner, v.region, offset, type, shape, strides, null);
    }


    /** {@code fill} has no record value to store: it refuses record views (fill a field view instead). */
    static void refuseFill(MemoryView v) {
        if (isRecord(v.dtype)) {
            throw new IllegalArgumentException("fill on a view of " + v.dtype.displayName()
                    + ": records have no scalar value; fill a field view (view.field(name)) instead");
        }
    }

    /**
     * The {@code to*Array()} conversions and casts read scalars only: the element-type message for records, unless
     * they are read as their own type (a contiguous run of records, as {@code .npy} writes them).
     */
    static void refuseConversion(MemoryView v, DType to) {
        if ((isRecord(v.dtype) || isRecord(to)) && !v.dtype.equals(to)) {
            throw Checks.elementType(v.dtype.displayName(), to.displayName()
                    + " (records convert to no scalar: read a field view, view.field(name))");
        }
    }
}
