package org.cymem4j.view;

import java.util.Arrays;
import java.util.Objects;

import org.cymem4j.internal.Checks;
import org.cymem4j.internal.MemoryAccess;
import org.cymem4j.internal.Span;

/**
 * What a {@link MemoryView} is, and where its elements live: (owner, region, byte offset, element type, shape,
 * strides in bytes, optional PEP 3118 suboffsets), the checks a new geometry must pass, and the element location for
 * any rank, indirect pointers included. The typed accessors ({@link ViewElements}, generated) read these fields
 * directly; {@link MemoryView} adds the public face.
 */
abstract sealed class ViewLocation permits ViewShapes {
    /** The Java carrier of an element type: which {@code get*}/{@code put*} pair reads it. */
    static final int C_BYTE = 0, C_SHORT = 1, C_INT = 2, C_LONG = 3, C_FLOAT = 4, C_DOUBLE = 5, C_BOOLEAN = 6,
            C_COMPLEX = 7;
    /**
     * The {@link #carrier} of a type its accessors read through {@link ElementCodec} (byte-swapped, float16): no
     * fixed-rank accessor's first test passes, so the hot path has no branch for them.
     */
    static final int C_CONVERTED = 8;
    /** Byte strings, sub-arrays, structs: no element accessor reads them. */
    static final int C_NONE = 9;
    /** What each carrier's accessors read, as {@link Checks#elementType} names the requested type. */
    private static final String[] CARRIER_TYPES = {
        "int8 ('b', 'B': getByte)", "int16 ('h', 'H': getShort)", "int32 ('i', 'I', 'u': getInt)",
        "int64 ('l', 'L', 'q', 'Q': getLong)", "float32 ('f': getFloat)", "float64 ('d': getDouble)",
        "bool ('?': getBoolean)", "complex ('Zf', 'Zd': getComplex)"};
    /** The most axes a view has: the C kernels' CYM_MAX_NDIM. */
    static final int MAX_NDIM = 32;

    final Owner owner;
    /** The owner's span: entered and exited around every element access (read here, not through the owner). */
    final Span span;
    /** The memory the byte offsets are relative to. */
    final Region region;
    /** Byte offset of element (0, ..., 0) from {@code region.address}. */
    final long offset;
    final DType dtype;
    final int itemsize;
    /** The carrier whose fixed-rank accessors read this type directly, or {@link #C_CONVERTED} / {@link #C_NONE}. */
    final int carrier;
    /** The carrier whose accessors read this type at all: {@code getInt} for {@code >i}, {@code getFloat} for {@code e}. */
    final int accessCarrier;
    /** {@link #carrier} for a writable view, -1 for a read-only one: the put accessors test this one. */
    final int writeCarrier;
    final int ndim;
    final long[] shape;
    final long[] strides;
    /** PEP 3118 suboffsets (negative: no indirection on that axis), or null when every axis is direct. */
    final long[] suboffsets;
    /** Shape and strides of the first three axes, in fields so the fixed-rank accessors read no arrays. */
    final long n0, n1, n2, st0, st1, st2;
    /** The region's accessor, in a field of the view so an element read follows one reference. */
    final MemoryAccess mem;

    ViewLocation(Owner owner, Region region, long offset, DType dtype, long[] shape, long[] strides,
            long[] suboffsets) {
        this.owner = owner;
        this.span = owner.span();
        this.region = region;
        this.offset = offset;
        this.dtype = dtype;
        this.itemsize = dtype.itemsize();
        this.accessCarrier = accessCarrierOf(dtype);
        this.carrier = dtype.bigEndian() || dtype == DType.HALF ? C_CONVERTED : accessCarrier;
        this.writeCarrier = owner.isReadOnly() ? -1 : carrier;
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

    /**
     * True if the view's memory must not be written: a file mapped {@code READ_ONLY} ({@link Npy#map}). Every
     * {@code put*}, {@code fill}, {@code copyFrom} and {@code castFrom} of such a view throws
     * {@link UnsupportedOperationException} before touching the memory; Python's {@code memoryview.readonly}.
     *
     * @return true for read-only memory, false for memory views may write
     */
    public final boolean isReadOnly() {
        return span.isReadOnly();
    }

    static boolean anyIndirect(long[] suboffsets) {
        if (suboffsets != null) {
            for (long s : suboffsets) {
                if (s >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    static int accessCarrierOf(DType t) {
        if (!t.isScalar()) {
            return C_NONE;
        }
        switch (t.kind()) {
            case BOOL: return C_BOOLEAN;
            case COMPLEX: return C_COMPLEX;
            case FLOATING: return t.itemsize() == 8 ? C_DOUBLE : C_FLOAT; // float16 reads as float
            default: break;
        }
        switch (t.itemsize()) {
            case 1: return C_BYTE;
            case 2: return C_SHORT;
            case 4: return C_INT;
            default: return C_LONG;
        }
    }

    // ---- geometry checks -------------------------------------------------------------------------------------

    /** A copy of {@code shape} after checking it: at most 32 axes, no negative length, a size that fits a long. */
    static long[] checkShape(long[] shape) {
        if (shape == null) {
            throw new NullPointerException("shape");
        }
        if (shape.length > MAX_NDIM) {
            throw new IllegalArgumentException("a view has at most " + MAX_NDIM + " dimensions, not " + shape.length);
        }
        long[] sh = shape.clone();
        long size = 1;
        for (int k = 0; k < sh.length; k++) {
            if (sh[k] < 0) {
                throw new IllegalArgumentException("shape[" + k + "] must be >= 0 but was " + sh[k]);
            }
            if (sh[k] != 0 && size != 0 && Math.multiplyHigh(size, sh[k]) != 0 || size * sh[k] < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(sh) + " has more than " + Long.MAX_VALUE
                        + " elements");
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
                long reach = Math.multiplyExact(shape[k] - 1, strides[k]);
                if (reach < 0) {
                    lo = Math.addExact(lo, reach);
                } else {
                    hi = Math.addExact(hi, reach);
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

    /** A view after checking its geometry against its memory: every element it reaches lies inside the region. */
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

    /** NumPy's contiguity rule (axes of length 1 do not count; an empty view is both); C order if {@code c}. */
    final boolean contiguous(boolean c) {
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

    /** The product of the shape: the number of elements (1 for a 0-d view). */
    final long elementCount() {
        long s = 1;
        for (long n : shape) {
            s *= n;
        }
        return s;
    }

    /** The element count as a Java array length, or an exception when no Java array holds that many. */
    final int arrayLength() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the view has " + n + " elements, more than a Java array holds");
        }
        return (int) n;
    }

    // ---- element location ------------------------------------------------------------------------------------

    /**
     * Index {@code i} on an axis of size {@code n}, negative counting from the end. The non-negative case goes through
     * {@code Objects.checkIndex} because the JIT treats that as a range check and hoists it out of a caller's loop (a
     * hand-written compare stays in every iteration); its exception is replaced by {@link Checks#index}'s, which
     * names the axis.
     */
    static long index(long i, long n, int axis) {
        if (i < 0) {
            return fromEnd(i, n, axis);
        }
        try {
            return Objects.checkIndex(i, n);
        } catch (IndexOutOfBoundsException e) {
            return Checks.index(i, n, axis); // throws
        }
    }

    private static long fromEnd(long i, long n, int axis) {
        long j = i + n;
        if (j < 0) {
            Checks.index(i, n, axis); // throws, naming the index as the caller wrote it
        }
        return j;
    }

    /**
     * The element at {@code index} of a type read through {@link ElementCodec} (byte-swapped, float16), as the bits
     * of the {@code requested} carrier's Java type ({@link ElementCodec#readAs}); or the wrong-type error.
     */
    final long getConverted(int requested, long[] index) {
        if (accessCarrier != requested) {
            throw wrongType(requested);
        }
        Span s = span;
        s.enter();
        try {
            Loc at = locate(index);
            return ElementCodec.readAs(at.access, at.offset, dtype);
        } finally {
            s.exit();
        }
    }

    /** Writes {@code bits} of the {@code requested} carrier's Java type through {@link ElementCodec#writeAs}. */
    final void putConverted(int requested, long[] index, long bits) {
        if (writeCarrier < 0) {
            owner.checkWritable();
        }
        if (accessCarrier != requested) {
            throw wrongType(requested);
        }
        Span s = span;
        s.enterWrite();
        try {
            Loc at = locate(index);
            ElementCodec.writeAs(at.access, at.offset, dtype, bits);
        } finally {
            s.exit();
        }
    }

    /** An accessor of another carrier than the view's: {@code element type is float64 ('d'), not int32 (...)}. */
    final IllegalArgumentException wrongType(int requested) {
        return Checks.elementType(dtype.displayName(), CARRIER_TYPES[requested]);
    }

    /**
     * Why a put accessor of carrier {@code requested} cannot write: the view is read-only (its span's
     * {@link UnsupportedOperationException}, thrown here), or the type differs.
     */
    final RuntimeException cannotWrite(int requested) {
        if (writeCarrier < 0) {
            owner.checkWritable();
        }
        return wrongType(requested);
    }

    /**
     * Throws {@link UnsupportedOperationException} if the view is read-only (a {@code READ_ONLY} mapping, an imported
     * read-only DLPack
     * tensor): every bulk write ({@code copyFrom}, {@code castFrom}, {@code fill}) asks first.
     */
    final void checkWritable() {
        if (writeCarrier < 0) {
            owner.checkWritable();
        }
    }

    /** The accessor and byte offset of the element at {@code index} (any rank, direct or indirect). */
    final Loc locate(long[] index) {
        if (index.length != ndim) {
            throw new IllegalArgumentException(index.length + " indices for a " + ndim
                    + "-d view (element access needs one per axis)");
        }
        long off = offset;
        Region reg = region;
        for (int k = 0; k < ndim; k++) {
            off += index(index[k], shape[k], k) * strides[k];
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
}
