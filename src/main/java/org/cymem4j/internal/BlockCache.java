package org.cymem4j.internal;

import org.cymem4j.internal.jni.NativePool;

/**
 * A confined pool's freed small blocks, kept to serve the next allocation of the same size with no native call
 * (issue 20: the pool-local reuse, on the Java side of the JNI boundary). C still counts a kept block as live: the
 * cache is what Java knows that C does not yet, and {@link #settle} tells C before C could see the difference.
 *
 * <p>Two small tables, both touched only by the pool's owner thread:
 * <ul>
 * <li><b>known</b>: blocks this pool handed out recently and that are still live, with their sizes (64 slots,
 * direct-mapped by an address hash: a newer block evicts an older one, whose free then goes to C). A free of a known
 * block is checked here (live, this pool's, its size) instead of in C; a free of any other address goes to C as
 * before, which checks it.</li>
 * <li><b>kept</b>: up to 16 blocks freed by the user but still live in C, each of the exact size C recorded, so that
 * reusing one for a request of that size leaves C's record right. An allocation takes the newest of its size and
 * zeroes it (calloc's promise).</li>
 * </ul>
 * C's own live bytes and peak count kept blocks as live, so the cache keeps the pool's: {@code liveBytes} follows
 * every allocation, resize and free of the pool (C's free returns the freed size), and {@code peakBytes} is its
 * maximum. Invariants (asserted after every step of BlockCacheTest's random run through {@link #check}): known and
 * kept are disjoint; each entry is a live block of the pool in C with the size stored beside it; C's live bytes and
 * blocks minus the kept ones equal {@code liveBytes} and {@code liveBlocks} (Java counts both itself, so another
 * thread's stats never subtract kept blocks from C counters read before them); C's totals plus {@code hiddenAllocs}
 * allocations and {@code hiddenAllocs + kept} frees are the pool's ({@link #adjust}: between settles every kept block
 * is one free C did not see, every take one allocation C did not see, so the frees need no counter of their own).
 *
 * <p>When C is settled: before it acts on or answers about a kept address (a double free, {@code owns},
 * {@code sizeOf}, {@code realloc}: {@code PoolResource.settleIfKept}), before a snapshot of every block, at close
 * and in the Cleaner, and when native code may act on the pool's blocks on its own ({@code nativeHandle()}, a DLPack
 * export), which also ends the cache for good. It exists only for pools C calls cacheable
 * ({@code _cym_pool_cacheable}: confined, slab-served, not in the process total) that Java opened without hooks,
 * debug tracking, a limit or a parent.
 */
public final class BlockCache {
    /**
     * {@code -Dcymem4j.blockCache=false} turns the cache off for every pool (each free and allocation then goes to C,
     * as with {@code PoolBuilder.perBlockAllocation()} for one pool): for diagnosis and the benchmarks' before.
     */
    public static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("cymem4j.blockCache", "true"));
    /** The largest block the cache keeps: a slab size class's largest (CYM_SLAB_BLOCK_MAX). */
    public static final long MAX_BYTES = 4096;
    private static final int KEPT_MAX = 16;
    private static final long[] NO_ADDRESSES = {};
    private static final int KNOWN_SLOTS = 64; // a power of two; direct-mapped: a newer block evicts an older one
    /** Keeps the top bits of the address hash: log2(KNOWN_SLOTS) of them. */
    private static final int SLOT_SHIFT = 64 - Integer.numberOfTrailingZeros(KNOWN_SLOTS);

    /** Slot i: the address at 2i (0: empty), its size at 2i + 1; one array, so a slot's two words sit side by side. */
    private final long[] known = new long[2 * KNOWN_SLOTS];
    /** Kept block k: the address at 2k, its size at 2k + 1 (k < {@link #kept}). */
    private final long[] keptBlocks = new long[2 * KEPT_MAX];
    // Read by other threads' stats (Pools.stats): plain fields, as C's counters of a confined pool are read there.
    private int kept;
    private long hiddenAllocs;
    /** The pool's live bytes and their peak: C's count the kept blocks as live (its peak may be above the truth). */
    private long liveBytes;
    private long peakBytes;
    /**
     * The pool's live blocks (C's count the kept ones): Java's own count, so that another thread's stats never
     * subtract kept blocks from C counters read before those blocks were allocated.
     */
    private long liveBlocks;

    /**
     * A kept block of exactly {@code bytes}, zeroed and now known as live; 0 if none (the caller asks C).
     */
    public long take(long bytes) {
        for (int i = 2 * kept - 2; i >= 0; i -= 2) {
            if (keptBlocks[i + 1] == bytes) {
                long address = keptBlocks[i];
                int last = 2 * --kept;
                if (i != last) {
                    keptBlocks[i] = keptBlocks[last];
                    keptBlocks[i + 1] = keptBlocks[last + 1];
                }
                hiddenAllocs++;
                allocated(address, bytes);
                PoolCalls.zero(address, bytes);
                return address;
            }
        }
        return 0;
    }

    /**
     * A block of {@code bytes} just handed out (by C or by {@link #take}): counted live, and known if its size is 1
     * to {@link #MAX_BYTES}. One slot per address hash: a block already there is forgotten (its free then goes to
     * C, which checks it as before).
     */
    public void allocated(long address, long bytes) {
        counted(bytes);
        if (bytes > 0 && bytes <= MAX_BYTES) {
            int i = slot(address);
            known[i] = address;
            known[i + 1] = bytes;
        }
    }

    /**
     * A block of {@code bytes} handed out that the cache must not know: an aligned block (or one resized from a
     * block the cache did not know), which a plain allocation of its size must never get back. Counted live only.
     */
    public void counted(long bytes) {
        liveBlocks++;
        long live = liveBytes += bytes;
        if (live > peakBytes) {
            peakBytes = live;
        }
    }

    /** A block of {@code bytes} C just freed (or the old size of a block C resized: {@link #allocated} follows). */
    public void freed(long bytes) {
        liveBytes -= bytes;
        liveBlocks--;
    }

    /**
     * The free of a known block: kept (true) instead of freed in C. False for any other address (C frees it, or says
     * why not), and for a known block when kept is full (no longer known: C frees it, the kept blocks staying).
     */
    public boolean keep(long address) {
        int i = slot(address);
        if (known[i] != address || address == 0) { // 0 marks an empty slot
            return false;
        }
        known[i] = 0;
        int k = kept;
        if (k == KEPT_MAX) {
            return false;
        }
        long size = known[i + 1];
        keptBlocks[2 * k] = address;
        keptBlocks[2 * k + 1] = size;
        kept = k + 1;
        liveBytes -= size;
        liveBlocks--;
        return true;
    }

    /** The block at {@code address} is about to be resized or exported by C: C's answer decides, not the cache's. */
    public void forget(long address) {
        int i = slot(address);
        if (known[i] == address) {
            known[i] = 0;
        }
    }

    /** The size of a known block (live, this pool's), or -1 if the cache does not know {@code address}. */
    public long sizeIfKnown(long address) {
        int i = slot(address);
        return known[i] == address && address != 0 ? known[i + 1] : -1;
    }

    /** Whether {@code address} is a kept block (freed by the user, live in C until settled). */
    public boolean keeps(long address) {
        for (int i = 0; i < 2 * kept; i += 2) {
            if (keptBlocks[i] == address) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tells C everything the cache knows that C does not: the kept blocks are freed in C and the hidden counts
     * added. Afterwards C's counters are the pool's own. Owner thread (or the Cleaner, once the pool is gone).
     */
    public void settle(long handle) {
        // Settles are rare (a snapshot, a close, a double free): a copy, not a second array kept; none when empty.
        long[] addresses = kept == 0 ? NO_ADDRESSES : new long[kept];
        for (int k = 0; k < kept; k++) {
            addresses[k] = keptBlocks[2 * k];
        }
        int status = NativePool.cym_j_pool_settle(handle, addresses, kept, hiddenAllocs, hiddenAllocs + kept,
                peakBytes);
        kept = 0;
        hiddenAllocs = 0;
        if (status != 0) { // a kept block C no longer had: the invariant above broke
            throw new IllegalStateException("cymem4j: a kept block was not live in its pool: "
                    + NativeStatus.text(-status));
        }
    }

    /** C's counters ({@link NativePool#STAT_COUNT}) made the pool's: the kept blocks freed, the reuse counted. */
    public void adjust(long[] stats) {
        stats[NativePool.STAT_LIVE_BLOCKS] = liveBlocks;
        stats[NativePool.STAT_LIVE_BYTES] = liveBytes;
        stats[NativePool.STAT_PEAK_BYTES] = peakBytes;
        stats[NativePool.STAT_TOTAL_ALLOCS] += hiddenAllocs;
        stats[NativePool.STAT_TOTAL_FREES] += hiddenAllocs + kept;
    }

    /**
     * For tests: null if the invariants that Java can check hold (each known or kept block is live in C with its
     * size; the two disjoint; C's live bytes and blocks those of the pool plus the kept ones), else what broke.
     */
    public String check(long handle) {
        long bytes = 0;
        for (int i = 0; i < 2 * kept; i += 2) {
            long a = keptBlocks[i];
            bytes += keptBlocks[i + 1];
            if (NativePool.cym_j_pool_size_of(handle, a) != keptBlocks[i + 1]) {
                return "kept block " + Checks.hex(a) + " is not live in C with size " + keptBlocks[i + 1];
            }
            if (known[slot(a)] == a) {
                return "kept block " + Checks.hex(a) + " is also known";
            }
        }
        long[] c = new long[NativePool.STAT_COUNT];
        NativePool.cym_j_pool_stats(handle, c);
        if (c[NativePool.STAT_LIVE_BLOCKS] - kept != liveBlocks) {
            return "live blocks " + liveBlocks + " but C has " + c[NativePool.STAT_LIVE_BLOCKS] + " with " + kept
                    + " kept";
        }
        if (c[NativePool.STAT_LIVE_BYTES] - bytes != liveBytes || peakBytes < liveBytes) {
            return "live bytes " + liveBytes + " (peak " + peakBytes + ") but C has " + c[NativePool.STAT_LIVE_BYTES]
                    + " with " + bytes + " kept";
        }
        for (int i = 0; i < 2 * KNOWN_SLOTS; i += 2) {
            long a = known[i];
            if (a != 0 && (slot(a) != i || NativePool.cym_j_pool_size_of(handle, a) != known[i + 1])) {
                return "known block " + Checks.hex(a) + " is not live in C with size " + known[i + 1]
                        + " or not in its slot";
            }
        }
        return null;
    }

    /** For tests: the kept blocks now. */
    public int kept() {
        return kept;
    }

    /** The even index of {@code address}'s slot in {@link #known}. */
    private static int slot(long address) {
        return (int) (((address >>> 4) * 0x9E3779B97F4A7C15L) >>> SLOT_SHIFT) << 1;
    }
}
