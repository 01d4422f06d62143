package org.cymem4j.internal.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * Binding of {@code jbridge_pool.h}: the pool functions with addresses and handles as {@code long}. Every result is
 * the one bridge encoding: a value {@code >= 0}, or {@code -status} ({@code org.cymem4j.internal.NativeStatus}).
 * The constants here are copies of C's, checked by name against {@link NativeConstants} in NativeConstantsTest.
 * No logic here.
 */
@NoException
@Properties(inherit = NativeLib.class)
public final class NativePool {
    static {
        Loader.load();
    }

    private NativePool() {
    }

    /** Index of each counter in the array filled by {@link #cym_j_pool_stats}. */
    public static final int STAT_LIVE_BYTES = 0, STAT_LIVE_BLOCKS = 1, STAT_PEAK_BYTES = 2, STAT_TOTAL_ALLOCS = 3,
            STAT_TOTAL_FREES = 4, STAT_FAILED_ALLOCS = 5, STAT_LIMIT_BYTES = 6, STAT_COUNT = 7;
    /** Values {@link #cym_j_process_retired} and {@link #cym_j_process_bytes} fill. */
    public static final int RETIRED_COUNT = 3, PROCESS_BYTES_COUNT = 2;
    /** {@code CYM_POOL_SHARED}: the flag of {@link #cym_j_pool_create} for a pool whose every call takes a lock. */
    public static final int POOL_SHARED = 1;
    /** {@code CYM_POOL_NO_SLABS}: the flag of {@link #cym_j_pool_create} for one allocator call per block. */
    public static final int POOL_NO_SLABS = 2;
    /** The largest alignment of {@link #cym_j_pool_alloc_aligned} (C's CYM_ALIGNMENT_MAX, 1 GiB). */
    public static final long ALIGNMENT_MAX = 1L << 30;
    /** The largest aligned block (C's CYM_ALIGNED_SIZE_MAX: the size shares its table word with the alignment). */
    public static final long ALIGNED_SIZE_MAX = (1L << 56) - 1;

    public static native @Cast("int64_t") long cym_j_pool_create(@Cast("int64_t") long allocator, int flags);

    public static native void cym_j_pool_destroy(@Cast("int64_t") long pool);

    /** Fills {@code out[0..2]}: total allocs, frees and failed allocs of every pool {@link #cym_j_pool_destroy} freed. */
    public static native void cym_j_process_retired(@Cast("int64_t*") long[] out);

    public static native @Cast("int64_t") long cym_j_pool_alloc(@Cast("int64_t") long pool,
            @Cast("int64_t") long count, @Cast("int64_t") long size);

    /** A zeroed block aligned to {@code alignment} (a power of two up to {@link #ALIGNMENT_MAX}), or {@code -status}. */
    public static native @Cast("int64_t") long cym_j_pool_alloc_aligned(@Cast("int64_t") long pool,
            @Cast("int64_t") long count, @Cast("int64_t") long size, @Cast("int64_t") long alignment);

    /** The alignment a block was allocated with (1 for an ordinary block), or {@code -status} if not owned. */
    public static native @Cast("int64_t") long cym_j_pool_alignment_of(@Cast("int64_t") long pool,
            @Cast("int64_t") long address);

    /** 0, or {@code -status}. */
    public static native @Cast("int64_t") long cym_j_pool_free(@Cast("int64_t") long pool, @Cast("int64_t") long address);

    public static native @Cast("int64_t") long cym_j_pool_realloc(@Cast("int64_t") long pool,
            @Cast("int64_t") long address, @Cast("int64_t") long newSize);

    public static native int cym_j_pool_owns(@Cast("int64_t") long pool, @Cast("int64_t") long address);

    /** The block's size, or {@code -CYM_ENOTOWNED}. */
    public static native @Cast("int64_t") long cym_j_pool_size_of(@Cast("int64_t") long pool,
            @Cast("int64_t") long address);

    /** The start of the block holding the address, or {@code -CYM_ENOTOWNED}. */
    public static native @Cast("int64_t") long cym_j_pool_find_containing(@Cast("int64_t") long pool,
            @Cast("int64_t") long address);

    public static native void cym_j_pool_stats(@Cast("int64_t") long pool, @Cast("int64_t*") long[] out);

    public static native void cym_j_pool_set_limit(@Cast("int64_t") long pool, @Cast("int64_t") long limit);

    public static native @Cast("int64_t") long cym_j_pool_snapshot(@Cast("int64_t") long pool,
            @Cast("int64_t*") long[] addresses, @Cast("int64_t*") long[] sizes, @Cast("int64_t") long capacity);

    public static native void cym_j_process_track(int on);

    public static native void cym_j_process_bytes(@Cast("int64_t*") long[] out);

    /** 1 if Java may keep a block cache for the pool ({@code _cym_pool_cacheable}), else 0. */
    public static native int cym_j_pool_cacheable(@Cast("int64_t") long pool);

    public static native int cym_j_pool_settle(@Cast("int64_t") long pool, @Cast("const int64_t*") long[] blocks, int n,
            @Cast("int64_t") long allocs, @Cast("int64_t") long frees, @Cast("int64_t") long peak,
            @Cast("const int64_t*") long[] leases, int nLeases, int end);

    /** Test hook: the slabs of the pool's first shard. */
    public static native @Cast("int64_t") long cym_j_pool_slab_count(@Cast("int64_t") long pool);

    /** {@code cym_j_pool_lease}: 0 with {@code out} = {first block, count, stride}, or -status. */
    public static native int cym_j_pool_lease(@Cast("int64_t") long pool, @Cast("int64_t") long bytes,
            @Cast("int64_t") long commitStart, @Cast("int64_t") long commitHanded, @Cast("int64_t") long commitBytes,
            @Cast("int64_t*") long[] out);

    /** Test hook: 1 if the pool's C invariants hold. */
    public static native int cym_j_pool_check(@Cast("int64_t") long pool);

    public static native void cym_j_memset(@Cast("int64_t") long address, int value, @Cast("int64_t") long bytes);

    public static native void cym_j_memmove(@Cast("int64_t") long dst, @Cast("int64_t") long src,
            @Cast("int64_t") long bytes);
}
