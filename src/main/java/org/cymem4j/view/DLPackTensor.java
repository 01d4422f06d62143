package org.cymem4j.view;

import java.lang.ref.Cleaner;
import java.util.Arrays;

import org.cymem4j.internal.Checks;
import org.cymem4j.internal.NativeStatus;
import org.cymem4j.internal.Scope;
import org.cymem4j.internal.Span;
import org.cymem4j.internal.jni.NativeDLPack;

/**
 * A DLPack managed tensor taken over from its producer ({@link DLPack#fromVersioned(long)},
 * {@link DLPack#fromLegacy(long)}): its memory as a {@link MemoryView}, in place, and the producer's deleter, which
 * {@link #close()} calls exactly once. NumPy's {@code np.from_dlpack(x)}, with the release made explicit.
 *
 * <pre>{@code
 * try (DLPackTensor t = DLPack.fromVersioned(address)) {
 *     MemoryView m = t.view();          // shape, strides and element type from the tensor
 *     MemoryView row = m.slice("1");    // views and slices share the tensor's lifetime
 *     double x = row.getDouble(0);
 * }                                     // the producer's deleter runs here
 * // m.getDouble(0, 0) and row.getDouble(0) now throw IllegalStateException
 * }</pre>
 *
 * <p>The tensor's memory has one shared scope of the lifetime core, so every view and slice of it checks on each
 * access that the tensor is still open, from any thread, and {@code close()} waits for the native kernels in flight
 * on it (a {@code copyFrom} into another view, say) before the deleter runs. A tensor with the read-only flag
 * ({@code DLPACK_FLAG_BITMASK_READ_ONLY}) gives views whose writes throw {@link UnsupportedOperationException}.
 * A tensor that becomes unreachable unclosed has its deleter called by a cleaner.
 *
 * @apiNote {@code close()} is idempotent: the deleter runs once, on the first call.
 */
public final class DLPackTensor implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final long address;
    private final boolean versioned;
    private final boolean readOnly;
    private final long flags;
    private final int[] version;
    private final Scope scope;
    private final MemoryView view;
    private final Cleaner.Cleanable deleter;

    /** Calls the producer's deleter once: on {@link #close()}, or from the cleaner if the tensor was dropped. */
    private static final class Deleter implements Runnable {
        private final long address;
        private final boolean versioned;

        Deleter(long address, boolean versioned) {
            this.address = address;
            this.versioned = versioned;
        }

        @Override
        public void run() {
            NativeDLPack.cym_j_dlpack_delete(address, versioned ? 1 : 0);
        }
    }

    private DLPackTensor(long address, boolean versioned, long[] d, DType dtype, long[] shape, long[] strideElems) {
        this.address = address;
        this.versioned = versioned;
        this.flags = d[FLAGS];
        this.readOnly = versioned && (flags & DLPack.FLAG_READ_ONLY) != 0;
        this.version = new int[] {(int) d[MAJOR], (int) d[MINOR]};
        long itemsize = dtype.itemsize();
        long first;
        long lo;
        long hi;
        long[] strides = new long[shape.length];
        try {
            first = Math.addExact(d[DATA], d[BYTE_OFFSET]);
            lo = first;
            hi = first + itemsize;
            boolean empty = false;
            for (int k = 0; k < shape.length; k++) {
                strides[k] = Math.multiplyExact(strideElems[k], itemsize);
                empty |= shape[k] == 0;
                long reach = Math.multiplyExact(strides[k], Math.max(0, shape[k] - 1));
                if (reach < 0) {
                    lo = Math.addExact(lo, reach);
                } else {
                    hi = Math.addExact(hi, reach);
                }
            }
            if (empty) {
                lo = first;
                hi = first;
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("DLPack tensor " + Checks.hex(address) + " of shape "
                    + Arrays.toString(shape) + " and strides " + Arrays.toString(strideElems) + " (elements) at data "
                    + Checks.hex(d[DATA]) + " + " + d[BYTE_OFFSET] + " overflows the address space");
        }
        if (d[DATA] == 0 && hi != lo) {
            throw new IllegalArgumentException("DLPack tensor " + Checks.hex(address) + " has data NULL but "
                    + Arrays.toString(shape) + " elements");
        }
        String name = "DLPack tensor " + Checks.hex(address);
        this.scope = Scope.shared(name, false);
        // a read-only tensor: its span refuses writes, the one read-only mechanism (as a READ_ONLY mapping's)
        Span span = new Span(scope, lo, hi - lo, this, readOnly ? "is a read-only DLPack tensor" : null);
        Owner owner = Owner.ofTensor(span, this);
        this.view = MemoryView.checked(owner, new Region(lo, hi - lo, owner), first - lo, dtype, shape, strides);
        this.deleter = CLEANER.register(this, new Deleter(address, versioned));
    }

    // positions in the description (jbridge_dlpack.h CYM_J_DL_*)
    static final int MAJOR = 0;
    static final int MINOR = 1;
    static final int FLAGS = 2;
    static final int DATA = 3;
    static final int DEVICE_TYPE = 4;
    static final int DEVICE_ID = 5;
    static final int NDIM = 6;
    static final int CODE = 7;
    static final int BITS = 8;
    static final int LANES = 9;
    static final int BYTE_OFFSET = 10;
    static final int HAS_STRIDES = 11;
    static final int SHAPE = 12;
    static final int MAX_LENGTH = SHAPE + 2 * ViewLocation.MAX_NDIM;

    /** Reads and checks the tensor; nothing is taken over (the deleter is not called) if this throws. */
    static DLPackTensor take(long address, boolean versioned) {
        if (address == 0) {
            throw new IllegalArgumentException("cannot take over a DLPack tensor at address 0");
        }
        long[] d = new long[MAX_LENGTH];
        int ndim = NativeDLPack.cym_j_dlpack_describe(address, versioned ? 1 : 0, d);
        String what = "DLPack tensor " + Checks.hex(address);
        if (versioned && d[MAJOR] != DLPack.MAJOR_VERSION) {
            throw new IllegalArgumentException(what + " has DLPack version " + d[MAJOR] + "." + d[MINOR]
                    + "; only major version " + DLPack.MAJOR_VERSION + " is supported");
        }
        if (ndim < 0) {
            throw new IllegalArgumentException(what + " has ndim " + d[NDIM] + " (at most " + ViewLocation.MAX_NDIM
                    + ") or no shape: " + NativeStatus.text(-ndim));
        }
        if (d[DEVICE_TYPE] != DLPack.DEVICE_CPU) {
            throw new IllegalArgumentException(what + " is on device type " + d[DEVICE_TYPE] + " id " + d[DEVICE_ID]
                    + ", not the CPU (kDLCPU = 1)");
        }
        DType dtype = DLPack.typeOf(d[CODE], d[BITS], d[LANES]);
        long[] shape = Arrays.copyOfRange(d, SHAPE, SHAPE + ndim);
        for (int k = 0; k < ndim; k++) {
            if (shape[k] < 0) {
                throw new IllegalArgumentException(what + " has shape " + Arrays.toString(shape) + ": shape[" + k
                        + "] must be >= 0 but was " + shape[k]);
            }
        }
        long[] strides = d[HAS_STRIDES] != 0 ? Arrays.copyOfRange(d, SHAPE + ndim, SHAPE + 2 * ndim)
                : compactStrides(shape);
        return new DLPackTensor(address, versioned, d, dtype, shape, strides);
    }

    /** C order, in elements: what a NULL strides pointer means. */
    private static long[] compactStrides(long[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            st[k] = s;
            s *= Math.max(1, shape[k]);
        }
        return st;
    }

    /**
     * The tensor's memory: its shape, its strides (in bytes; C order when the tensor has none) and its element type,
     * starting at {@code data + byte_offset}. The same view on every call; its {@link MemoryView#base()} is this
     * tensor.
     *
     * @return the view of the whole tensor
     * @throws IllegalStateException if the tensor is closed
     */
    public MemoryView view() {
        view.owner.check();
        return view;
    }

    /**
     * Whether the producer marked the tensor read-only (a versioned tensor's {@code DLPACK_FLAG_BITMASK_READ_ONLY});
     * then every write through its views throws {@link UnsupportedOperationException}.
     *
     * @return true if the tensor is read-only
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * The tensor's flags ({@link DLPack#FLAG_READ_ONLY}, {@link DLPack#FLAG_IS_COPIED}, ...); 0 for a legacy tensor.
     *
     * @return the flags word as the producer set it
     */
    public long flags() {
        return flags;
    }

    /**
     * The DLPack version the producer wrote, {@code {major, minor}}; {@code {0, 0}} for a legacy tensor, which has
     * none.
     *
     * @return a new array of the major and minor version
     */
    public int[] version() {
        return version.clone();
    }

    /**
     * The managed tensor's address, as given to {@link DLPack#fromVersioned}/{@link DLPack#fromLegacy}.
     *
     * @return the address of the managed tensor struct
     */
    public long address() {
        return address;
    }

    /**
     * True if the tensor is a {@code DLManagedTensorVersioned}, false for a legacy {@code DLManagedTensor}.
     *
     * @return whether the tensor is versioned
     */
    public boolean isVersioned() {
        return versioned;
    }

    /**
     * True until {@link #close()}.
     *
     * @return whether the tensor's memory may still be used
     */
    public boolean isOpen() {
        return scope.isOpen();
    }

    /**
     * Closes every view and slice of the tensor (their accesses throw {@link IllegalStateException} from now on),
     * waits for the native calls in flight on them, then calls the producer's deleter. Later calls do nothing.
     */
    @Override
    public void close() {
        if (scope.beginClose()) {
            deleter.clean();
        }
    }

    @Override
    public String toString() {
        return "DLPackTensor[" + Checks.hex(address) + (versioned ? " v" + version[0] + "." + version[1] : " legacy")
                + ", " + view.dtype + " " + Arrays.toString(view.shape) + (readOnly ? ", read-only" : "")
                + (isOpen() ? "]" : ", closed]");
    }
}
