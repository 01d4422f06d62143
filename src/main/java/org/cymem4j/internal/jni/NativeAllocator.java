package org.cymem4j.internal.jni;

import org.bytedeco.javacpp.FunctionPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * Binding of {@code jbridge_allocator.h}: the allocator functions with handles and addresses as {@code long}. Every
 * result is the one bridge encoding: a value {@code >= 0}, or {@code -status} ("cannot tell" is
 * {@code -CYM_EUNSUPPORTED}). Failure reasons come back in a byte buffer ({@link #WHY_MAX} bytes, NUL-terminated).
 * The constants here are copies of C's, checked by name in NativeConstantsTest. No logic here.
 */
@NoException
@Properties(inherit = NativeLib.class)
public final class NativeAllocator {
    static {
        Loader.load();
    }

    private NativeAllocator() {
    }

    /** Size of the buffer for failure reasons ({@code CYM_ALLOCATOR_WHY_MAX}). */
    public static final int WHY_MAX = 512;
    /** Size of the buffer for an allocator's name, NUL included ({@code CYM_ALLOCATOR_NAME_MAX}). */
    public static final int NAME_MAX = 64;
    /** Values per fault from {@link #cym_j_pool_debug_faults}: kind, address, size, seq, offset. */
    public static final int FAULT_FIELDS = 5;
    /** Fault kinds ({@code CYM_DEBUG_*}). */
    public static final int OVERRUN = 1, UNDERRUN = 2, DOUBLE_FREE = 3, FOREIGN_FREE = 4, WRITE_AFTER_FREE = 5;
    /** Bits of {@link #cym_j_allocator_flags} ({@code CYM_J_ALLOCATOR_*}). */
    public static final int FLAG_DEBUG = 1, FLAG_THREAD_BOUND = 2;
    /** The allocator may call back into Java (no {@code CYM_ALLOCATOR_NO_UPCALLS}): a Java hook, a wrapped callback. */
    public static final int FLAG_UPCALLS = 4;
    /** Values {@link #cym_j_allocator_failing_counts} fills: calls, failures, live bytes. */
    public static final int FAILING_COUNTS = 3;
    /** Guard bytes on each side of a debug allocator's block ({@code CYM_DEBUG_GUARD}). */
    public static final int DEBUG_GUARD = 16;

    public static native @Cast("int64_t") long cym_j_allocator_system();

    public static native @Cast("int64_t") long cym_j_allocator_named(String name, @Cast("char*") byte[] why,
            @Cast("int64_t") long whyLen);

    public static native @Cast("int64_t") long cym_j_allocator_named_from(String name, String path, String prefix,
            @Cast("char*") byte[] why, @Cast("int64_t") long whyLen);

    public static native @Cast("int64_t") long cym_j_allocator_library(String path, String mallocSym,
            String freeSym, String callocSym, String reallocSym, String usableSym, String name,
            @Cast("char*") byte[] why, @Cast("int64_t") long whyLen);

    public static native @Cast("int64_t") long cym_j_allocator_wrap(@Cast("int64_t") long mallocFn,
            @Cast("int64_t") long freeFn, @Cast("int64_t") long callocFn, @Cast("int64_t") long reallocFn,
            String name);

    public static native @Cast("int64_t") long cym_j_allocator_debug(@Cast("int64_t") long inner);

    public static native @Cast("int64_t") long cym_j_allocator_failing(@Cast("int64_t") long inner,
            @Cast("int64_t") long failNth, @Cast("int64_t") long failEvery, @Cast("int64_t") long budget);

    public static native void cym_j_allocator_release(@Cast("int64_t") long allocator);

    public static native void cym_j_allocator_set_default(@Cast("int64_t") long allocator);

    public static native void cym_j_huge_pages_set_min(@Cast("int64_t") long minBytes);

    public static native @Cast("int64_t") long cym_j_huge_pages_min();

    public static native void cym_j_allocator_name(@Cast("int64_t") long allocator, @Cast("char*") byte[] out,
            @Cast("int64_t") long len);

    public static native int cym_j_allocator_flags(@Cast("int64_t") long allocator);

    public static native @Cast("int64_t") long cym_j_allocator_usable_size(@Cast("int64_t") long allocator,
            @Cast("int64_t") long address);

    public static native int cym_j_allocator_backend_owns(@Cast("int64_t") long allocator,
            @Cast("int64_t") long address);

    public static native @Cast("int64_t") long cym_j_allocator_backend_allocated(@Cast("int64_t") long allocator);

    /** Fills {@code out} with calls, failures and live bytes; 0, or {@code -CYM_EINVAL} if not a failing allocator. */
    public static native int cym_j_allocator_failing_counts(@Cast("int64_t") long allocator,
            @Cast("int64_t*") long[] out);

    public static native @Cast("int64_t") long cym_j_pool_usable_size(@Cast("int64_t") long pool,
            @Cast("int64_t") long address);

    public static native @Cast("int64_t") long cym_j_pool_debug_check(@Cast("int64_t") long pool);

    public static native @Cast("int64_t") long cym_j_pool_debug_faults(@Cast("int64_t") long pool,
            @Cast("int64_t*") long[] out, @Cast("int64_t") long max);

    public static native @Cast("int64_t") long cym_j_allocator_java(MallocCallback mallocCb, FreeCallback freeCb,
            ReleaseCallback releaseCb, int id, String name);

    /** {@code cym_j_malloc_cb}: the one malloc callback of the process; dispatches by hook id. */
    public static class MallocCallback extends FunctionPointer {
        static {
            Loader.load();
        }

        private final Dispatch dispatch;

        public MallocCallback(Dispatch dispatch) {
            this.dispatch = dispatch;
            allocate();
        }

        private native void allocate();

        public @Cast("int64_t") long call(int id, @Cast("int64_t") long size) {
            return dispatch.malloc(id, size);
        }
    }

    /** {@code cym_j_free_cb}: the one free callback of the process. */
    public static class FreeCallback extends FunctionPointer {
        static {
            Loader.load();
        }

        private final Dispatch dispatch;

        public FreeCallback(Dispatch dispatch) {
            this.dispatch = dispatch;
            allocate();
        }

        private native void allocate();

        public void call(int id, @Cast("int64_t") long address) {
            dispatch.free(id, address);
        }
    }

    /** {@code cym_j_release_cb}: the one release callback of the process. */
    public static class ReleaseCallback extends FunctionPointer {
        static {
            Loader.load();
        }

        private final Dispatch dispatch;

        public ReleaseCallback(Dispatch dispatch) {
            this.dispatch = dispatch;
            allocate();
        }

        private native void allocate();

        public void call(int id) {
            dispatch.release(id);
        }
    }

    /** Where the callbacks send calls; must never throw (C cannot unwind a Java exception). */
    public interface Dispatch {
        long malloc(int id, long size);

        void free(int id, long address);

        void release(int id);
    }
}
