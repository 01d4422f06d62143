package org.cymem4j.view;

import java.lang.ref.Reference;
import java.nio.ByteOrder;

import org.cymem4j.NativeOutOfMemoryError;
import org.cymem4j.Pool;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.Handles;
import org.cymem4j.internal.NativeStatus;
import org.cymem4j.internal.PoolResource;
import org.cymem4j.internal.Span;
import org.cymem4j.internal.jni.NativeDLPack;

/**
 * DLPack, the tensor exchange of NumPy ({@code np.from_dlpack}, {@code __dlpack__}), PyTorch
 * ({@code torch.from_dlpack}, {@code torch.utils.dlpack}), JAX, CuPy and TVM: a view of pool memory handed to C as a
 * DLPack managed tensor, and a managed tensor made elsewhere taken over as a {@link DLPackTensor}.
 *
 * <pre>{@code
 * try (Pool pool = Pool.open()) {
 *     MemoryView m = NativeArray.copyOf(pool, new double[] {1, 2, 3, 4, 5, 6}, 2, 3).view();
 *     long tensor = DLPack.toVersioned(m.T());   // a DLManagedTensorVersioned*, shape [3, 2], strides [1, 3]
 *     myLibrary.consume(tensor);                 // C reads it and calls tensor->deleter(tensor) when done
 *     pool.free(m.address());                    // throws IllegalStateException until the deleter has run
 * }                                              // the pool's native memory lives on until the deleter runs
 *
 * try (DLPackTensor t = DLPack.fromVersioned(producedByC)) {
 *     double first = t.view().getDouble(0, 0);
 * }                                              // the producer's deleter runs here, once
 * }</pre>
 *
 * <h2>Export</h2>
 * {@link #toVersioned(MemoryView)} ({@code DLManagedTensorVersioned}, DLPack 1.x) and {@link #toLegacy(MemoryView)}
 * ({@code DLManagedTensor}, 0.x) describe a view of a pool block (a {@link NativeArray}'s, a {@code Block}'s or a
 * typed array's) on the CPU (device type 1, id 0): {@code data} is the block, {@code byte_offset} the distance to
 * element (0, ..., 0), shape and strides (always given, in elements; negative for reversed axes, as DLPack allows),
 * and the element type as code/bits/lanes: {@code kDLInt} for {@code b h i l q}, {@code kDLUInt} for
 * {@code B H I L Q}, {@code kDLFloat} for {@code e f d}, {@code kDLBool} for {@code ?}, {@code kDLComplex} for
 * {@code Zf Zd}; lanes 1. The block is <em>pinned</em> until the consumer calls the tensor's deleter:
 * {@code pool.free} and {@code pool.realloc} of it (and so {@link NativeArray#close()} of its array) throw
 * {@link IllegalStateException} and change nothing, and {@code pool.close()}
 * closes every Java handle as usual but leaves the pool's native memory allocated until the last exported tensor's
 * deleter has run (then the deleter frees it, on the consumer's thread). A tensor never handed to a consumer is
 * released by {@link #delete(long, boolean)}.
 *
 * <h2>Import</h2>
 * {@link #fromVersioned(long)} and {@link #fromLegacy(long)} take over a managed tensor on the CPU: the
 * {@link DLPackTensor}'s view shows its memory in place, and its {@code close()} calls the producer's deleter once.
 * DLPack's {@code bool}, {@code float16} and complex types map to {@link DType#BOOL}, {@link DType#HALF},
 * {@link DType#CFLOAT} and {@link DType#CDOUBLE}, both ways ({@link MemoryView#getBoolean}, {@code getFloat},
 * {@link MemoryView#getComplex} read them).
 *
 * <p>Errors: {@link IllegalArgumentException} for a view or tensor DLPack cannot carry (the message names the
 * element type, stride, device or version); {@link IllegalStateException} if the view's memory is closed or freed.
 */
public final class DLPack {
    /** {@code DLPACK_FLAG_BITMASK_READ_ONLY}: the consumer must not write the tensor's memory. */
    public static final long FLAG_READ_ONLY = 1L;
    /** {@code DLPACK_FLAG_BITMASK_IS_COPIED}: the producer made the memory for this export only. */
    public static final long FLAG_IS_COPIED = 2L;
    /** The DLPack major version of the versioned tensors made here, and the only one {@link #fromVersioned} takes. */
    public static final int MAJOR_VERSION = 1;

    // DLDataTypeCode values (dlpack.h); NativeConstantsTest checks them against C.
    static final int CODE_INT = 0;
    static final int CODE_UINT = 1;
    static final int CODE_FLOAT = 2;
    static final int CODE_COMPLEX = 5;
    static final int CODE_BOOL = 6;
    /** kDLCPU. */
    static final int DEVICE_CPU = 1;

    // positions in the export request (jbridge_dlpack.h CYM_J_DLX_*)
    static final int X_NDIM = 0;
    static final int X_CODE = 1;
    static final int X_BITS = 2;
    static final int X_LANES = 3;
    static final int X_FLAGS = 4;
    static final int X_VERSIONED = 5;
    static final int X_SHAPE = 6;

    private DLPack() {
    }

    /**
     * Exports {@code view} as a writable DLPack 1.x {@code DLManagedTensorVersioned} (flags 0).
     *
     * @param view a direct view of pool memory, of a scalar native-endian element type
     * @return the address of the managed tensor, for a C consumer, which calls its deleter once
     * @throws IllegalArgumentException if the view's element type has no DLPack code (a struct, a byte string, a
     *     {@code wchar_t}, a big-endian type), a stride is not a multiple of the element size, the view is indirect,
     *     or its memory is not a pool's (a {@code ByteBuffer}, a wrapped or imported tensor)
     * @throws IllegalStateException if the view's pool is closed or its block was freed or moved
     */
    public static long toVersioned(MemoryView view) {
        return export(view, true, 0);
    }

    /**
     * Exports {@code view} as a DLPack 1.x {@code DLManagedTensorVersioned} with the given flags
     * ({@link #FLAG_READ_ONLY}, {@link #FLAG_IS_COPIED}).
     *
     * @param view a direct view of pool memory, of a scalar native-endian element type
     * @param flags the tensor's flags: {@link #FLAG_READ_ONLY} and {@link #FLAG_IS_COPIED}, or 0
     * @return the address of the managed tensor, for a C consumer, which calls its deleter once
     * @throws IllegalArgumentException as {@link #toVersioned(MemoryView)}, or for an unknown flag bit
     * @throws IllegalStateException as {@link #toVersioned(MemoryView)}
     */
    public static long toVersioned(MemoryView view, long flags) {
        if ((flags & ~(FLAG_READ_ONLY | FLAG_IS_COPIED)) != 0) {
            throw new IllegalArgumentException("flags must be a combination of FLAG_READ_ONLY (1) and FLAG_IS_COPIED"
                    + " (2) but was " + flags);
        }
        return export(view, true, flags);
    }

    /**
     * Exports {@code view} as a legacy DLPack 0.x {@code DLManagedTensor} (no version, no flags), for consumers
     * that predate DLPack 1.0 (NumPy before 2.1, PyTorch before 2.4).
     *
     * @param view a direct view of pool memory, of a scalar native-endian element type
     * @return the address of the managed tensor, for a C consumer, which calls its deleter once
     * @throws IllegalArgumentException as {@link #toVersioned(MemoryView)}
     * @throws IllegalStateException as {@link #toVersioned(MemoryView)}
     */
    public static long toLegacy(MemoryView view) {
        return export(view, false, 0);
    }

    /**
     * Takes over a DLPack 1.x {@code DLManagedTensorVersioned} made by a producer: see {@link DLPackTensor}.
     *
     * @param address the address of the managed tensor
     * @return the tensor, whose {@code close()} calls the producer's deleter
     * @throws IllegalArgumentException if the address is 0, the major version is not {@link #MAJOR_VERSION}, the
     *     device is not the CPU, the element type has no counterpart here (see the class notes),
     *     a dimension is
     *     negative, or the tensor's extent overflows; the tensor stays the caller's (its deleter was not called)
     */
    public static DLPackTensor fromVersioned(long address) {
        return DLPackTensor.take(address, true);
    }

    /**
     * Takes over a legacy DLPack 0.x {@code DLManagedTensor}: see {@link DLPackTensor}. Legacy tensors have no
     * read-only flag; their views are writable.
     *
     * @param address the address of the managed tensor
     * @return the tensor, whose {@code close()} calls the producer's deleter
     * @throws IllegalArgumentException as {@link #fromVersioned(long)}
     */
    public static DLPackTensor fromLegacy(long address) {
        return DLPackTensor.take(address, false);
    }

    /**
     * Calls the deleter of a managed tensor that was never handed to a consumer (one of ours, or any producer's): the
     * caller must not use {@code address} afterwards, nor call this twice.
     *
     * @param address the address of the managed tensor
     * @param versioned true for a {@code DLManagedTensorVersioned}, false for a legacy {@code DLManagedTensor}
     * @return true if the deleter was called, false if the tensor has none (a NULL deleter)
     * @throws IllegalArgumentException if {@code address} is 0
     */
    public static boolean delete(long address, boolean versioned) {
        if (address == 0) {
            throw new IllegalArgumentException("cannot delete the DLPack tensor at address 0");
        }
        return NativeDLPack.cym_j_dlpack_delete(address, versioned ? 1 : 0) == 1;
    }

    /**
     * The tensors exported by this library whose deleter has not run yet, process-wide: 0 when every consumer is
     * done (a leak check for tests).
     *
     * @return the number of exported tensors still alive
     */
    public static long liveExports() {
        return NativeDLPack.cym_j_dlpack_live_exports();
    }

    // ---- export ----------------------------------------------------------------------------------------------

    private static long export(MemoryView view, boolean versioned, long flags) {
        int code = codeOf(view.dtype);
        if (view.suboffsets != null) {
            throw new IllegalArgumentException("DLPack has no indirect (suboffset) axes; copy() the view first");
        }
        Pool pool = view.owner.pool();
        if (pool == null) {
            throw new IllegalArgumentException("a DLPack export needs pool memory, but this view's memory is a "
                    + view.owner.base().getClass().getSimpleName() + "'s; copy(pool) it first");
        }
        int ndim = view.ndim;
        long[] request = new long[X_SHAPE + 2 * ndim];
        request[X_NDIM] = ndim;
        request[X_CODE] = code;
        request[X_BITS] = 8L * view.itemsize;
        request[X_LANES] = 1;
        request[X_FLAGS] = flags;
        request[X_VERSIONED] = versioned ? 1 : 0;
        for (int k = 0; k < ndim; k++) {
            long stride = view.strides[k];
            if (stride % view.itemsize != 0) {
                throw new IllegalArgumentException("DLPack strides count elements: stride " + stride + " bytes of axis "
                        + k + " is not a multiple of the element size " + view.itemsize + "; copy() the view first");
            }
            request[X_SHAPE + k] = view.shape[k];
            request[X_SHAPE + ndim + k] = stride / view.itemsize;
        }
        Span span = view.owner.span();
        PoolResource resource = Handles.poolResource(pool);
        span.enterNative(); // the pool stays open (a shared pool's close waits) and the block live during the call
        try {
            long first = view.region.address + view.offset;
            long byteOffset = Math.max(0, first - span.address()); // an empty view may sit at its memory's end
            long r = NativeDLPack.cym_j_dlpack_export(resource.handleForNative(), span.address(), byteOffset, request);
            if (r == -NativeStatus.ENOMEM) {
                throw new NativeOutOfMemoryError("no native memory for a DLPack tensor of " + ndim
                        + " dimensions", 88L + 16L * ndim);
            }
            if (r <= 0) {
                throw new IllegalStateException("cannot export block " + Checks.hex(span.address()) + " of "
                        + resource.name() + " as DLPack: " + NativeStatus.text((int) -r));
            }
            return r;
        } finally {
            span.exitNative();
            Reference.reachabilityFence(pool);
        }
    }

    /** The DLDataTypeCode of a scalar native-endian type. */
    static int codeOf(DType t) {
        if (!t.isScalar() || t.itemsize() > 1 && t.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("DLPack has no element type for " + t.format() + " (" + t
                    + "): only native-endian integer, floating, bool and complex scalars");
        }
        switch (t.kind()) {
            case SIGNED: return CODE_INT;
            case UNSIGNED: return CODE_UINT;
            case FLOATING: return CODE_FLOAT;
            case BOOL: return CODE_BOOL;
            case COMPLEX: return CODE_COMPLEX;
            default:
                throw new IllegalArgumentException("DLPack has no element type for " + t.format() + " (" + t.cName()
                        + ")");
        }
    }

    /** The type of DLPack's (code, bits, lanes), or an IllegalArgumentException naming them. */
    static DType typeOf(long code, long bits, long lanes) {
        DType t = null;
        if (lanes == 1) {
            int b = (int) bits;
            if (code == CODE_INT) {
                t = b == 8 ? DType.BYTE : b == 16 ? DType.SHORT : b == 32 ? DType.INT : b == 64 ? DType.LONG : null;
            } else if (code == CODE_UINT) {
                t = b == 8 ? DType.UBYTE : b == 16 ? DType.USHORT : b == 32 ? DType.UINT : b == 64 ? DType.ULONG : null;
            } else if (code == CODE_FLOAT) {
                t = b == 16 ? DType.HALF : b == 32 ? DType.FLOAT : b == 64 ? DType.DOUBLE : null;
            } else if (code == CODE_BOOL) {
                t = b == 8 ? DType.BOOL : null;
            } else if (code == CODE_COMPLEX) {
                t = b == 64 ? DType.CFLOAT : b == 128 ? DType.CDOUBLE : null;
            }
        }
        if (t == null) {
            throw new IllegalArgumentException("DLPack dtype code=" + code + " bits=" + bits + " lanes=" + lanes
                    + " has no element type here (int/uint 8-64, float 16-64, bool 8, complex 64/128; lanes 1)");
        }
        return t;
    }
}
