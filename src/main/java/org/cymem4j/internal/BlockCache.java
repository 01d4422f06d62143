package org.cymem4j.internal;

import java.util.Arrays;

import org.cymem4j.internal.jni.NativePool;

/**
 * A confined pool's freed small blocks, kept to serve the next allocation of the same size with no native call
 * (issue 20: the pool-local reuse, on the Java side of the JNI boundary). C still counts a kept block as live: the
 * cache is what Java knows that C does not yet, and {@link #settle} tells C before C could see the difference.
 *
 * <p>Three small tables, all touched only by the pool's owner thread:
 * <ul>
 * <li><b>known</b>: blocks this pool handed out recently and that are still live, with their sizes (64 slots,
 * direct-mapped by an address hash: a newer block evicts an older one, whose free then goes to C). A free of a known
 * block is checked here (live, this pool's, its size) instead of in C; a free of any other address goes to C as
 * before, which checks it.</li>
 * <li><b>kept</b>: up to 16 blocks freed by the user but still live in C, each of the exact size C recorded, so that
 * reusing one for a request of that size leaves C's record right. An allocation takes the newest of its size and
 * zeroes it (calloc's promise).</li>
 * <li><b>leases</b>: up to 4 runs of a slab's never-used blocks that C lent ({@code _cym_slabs_lease}), one requested
 * size each: an allocation of that size with nothing kept takes the next block of the run, zero, with no native call
 * (issue 20's bump path). C learns which were handed out when it is settled ({@code _cym_slabs_commit}: their live
 * bits, sizes and counts in one call), or when a run is used up and the next one is leased. Until then those blocks
 * are live to the pool and unknown to C. One lease per slab class (a second size of a class would hold a slab of its
 * own); C declines to lend while the slab its own alloc would take next has freed blocks, and the size then goes to
 * C for 64 allocations; a size no slot holds gets one after 64 requests, in place of a same-class lease, else a
 * declined size, else the lease that handed out fewest blocks since its last commit.</li>
 * </ul>
 * C's own live bytes and peak count kept blocks as live, so the cache keeps the pool's: {@code liveBytes} follows
 * every allocation, resize and free of the pool (C's free returns the freed size), and {@code peakBytes} is its
 * maximum. Invariants (asserted through {@link #check} after every step of BlockCacheTest's random run and every
 * 50th of BlockLeaseTest's): known and kept are disjoint; each entry is a live block of the pool in C with the size
 * stored beside it, or a block handed out from a lease and not yet committed (H below); C's live blocks minus the
 * kept ones plus |H| equal {@code liveBlocks}, and the same for bytes (Java counts both itself, so another thread's
 * stats never subtract kept blocks from C counters read before them); C's totals plus {@code hiddenAllocs + |H|}
 * allocations and {@code hiddenAllocs + kept} frees are the pool's ({@link #adjust}: between settles every take and
 * every lease block handed out is one allocation C did not see, and every take was a kept block's free, as every
 * kept block is). Both counts live in one word, {@link #hidden}: a take moves one from kept to the allocations with
 * one store, so another thread's stats see both or neither (as two fields, one thread's stats saw the frees go back
 * by one). A lease's run: the {@code handed} blocks from {@code start} are H, the next {@code left - handed} are zero
 * and C's to take back, {@code handed <= left}; no two open leases share a slab class.
 *
 * <p>When C is settled: before it acts on or answers about a kept address (a double free, {@code owns},
 * {@code sizeOf}, {@code realloc}: {@code PoolResource.settleIfHidden}), before a snapshot of every block, at close
 * and in the Cleaner, and when native code may act on the pool's blocks on its own ({@code nativeHandle()}, a DLPack
 * export), which also ends the cache for good. "Settled" covers leases too: before C acts on or answers about an
 * address inside the blocks a lease handed out, C commits them ({@link #leases(long)}). It exists only for pools C
 * calls cacheable ({@code _cym_pool_cacheable}: confined, slab-served, not in the process total) that Java opened
 * without hooks, debug tracking, a limit or a parent.
 */
public final class BlockCache {
    /**
     * {@code -Dcymem4j.blockCache=false} turns the cache off for every pool (each free and allocation then goes to C,
     * as with {@code PoolBuilder.perBlockAllocation()} for one pool): for diagnosis and the benchmarks' before.
     */
    public static final boolean ENABLED = Settings.BLOCK_CACHE;
    /** The largest block the cache keeps: a slab size class's largest (CYM_SLAB_BLOCK_MAX). */
    public static final long MAX_BYTES = 4096;
    private static final int KEPT_MAX = 16;
    /** {@link #hidden}'s low bits: the kept blocks (at most KEPT_MAX). */
    private static final int KEPT_BITS = 8;
    private static final long KEPT_MASK = (1L << KEPT_BITS) - 1;
    /** What a take adds to {@link #hidden}: one hidden allocation, one kept block fewer. */
    private static final long TAKE = (1L << KEPT_BITS) - 1;
    private static final long[] NO_ADDRESSES = {};
    private static final int KNOWN_SLOTS = 64; // a power of two; direct-mapped: a newer block evicts an older one
    /** Keeps the top bits of the address hash: log2(KNOWN_SLOTS) of them. */
    private static final int SLOT_SHIFT = 64 - Integer.numberOfTrailingZeros(KNOWN_SLOTS);

    private static final int LEASES = 4;
    /** Allocations of a size C declined to lease for (it had freed blocks of the class) before asking again. */
    private static final long DECLINED_FOR = 64;
    /** Requests of sizes no lease slot holds before one slot is given to the newest such size. */
    private static final int EVICT_AFTER = 64;
    /** A lease's words in {@link #leases}: next uncommitted block, blocks handed out since, blocks left from it. */
    private static final int START = 0, HANDED = 1, LEFT = 2, STRIDE = 3, BYTES = 4, LEASE_WORDS = 5;

    /** The C pool, for leases. */
    private final long handle;
    /**
     * The lock another thread's stats take ({@code PoolResource}'s): held around every call that moves counts
     * between C and this cache, so stats never see them counted twice or not at all.
     */
    private final Object lock;
    /**
     * Lease j at {@code LEASE_WORDS * j} (see the class comment). {@code BYTES} 0: an empty slot; {@code START} 0 with
     * {@code BYTES} set: a size C declined, {@code STRIDE} the allocations left before asking again.
     */
    private final long[] leases = new long[LEASES * LEASE_WORDS];
    /** Requests for a size no slot holds, since a slot was last given to one ({@link #EVICT_AFTER}). */
    private int misses;
    /** Slot i: the address at 2i (0: empty), its size at 2i + 1; one array, so a slot's two words sit side by side. */
    private final long[] known = new long[2 * KNOWN_SLOTS];
    /** Kept block k: the address at 2k, its size at 2k + 1 (k < {@link #kept()}). */
    private final long[] keptBlocks = new long[2 * KEPT_MAX];
    // Read by other threads' stats (Pools.stats): plain fields, as C's counters of a confined pool are read there.
    /** {@code hiddenAllocs << KEPT_BITS | kept}: see the class comment. */
    private long hidden;
    /** The pool's live bytes and their peak: C's count the kept blocks as live (its peak may be above the truth). */
    private long liveBytes;
    private long peakBytes;
    /**
     * The pool's live blocks (C's count the kept ones): Java's own count, so that another thread's stats never
     * subtract kept blocks from C counters read before those blocks were allocated.
     */
    private long liveBlocks;

    /**
     * The cache of the C pool {@code handle} (confined, cacheable: {@code cym_j_pool_cacheable}); {@code lock} is the
     * one {@link #adjust}'s callers hold.
     */
    public BlockCache(long handle, Object lock) {
        this.handle = handle;
        this.lock = lock;
    }

    /**
     * A block of exactly {@code bytes}, zero and now known as live: a kept one (zeroed), else the next of a lease of
     * that size (see {@link #fromLease} for when a lease is made); 0 if neither (the caller asks C).
     */
    public long take(long bytes) {
        long h = hidden;
        int last = 2 * (int) (h & KEPT_MASK) - 2;
        for (int i = last; i >= 0; i -= 2) {
            if (keptBlocks[i + 1] == bytes) {
                long address = keptBlocks[i];
                if (i != last) {
                    keptBlocks[i] = keptBlocks[last];
                    keptBlocks[i + 1] = keptBlocks[last + 1];
                }
                hidden = h + TAKE;
                allocated(address, bytes);
                PoolCalls.zero(address, bytes);
                return address;
            }
        }
        return fromLease(bytes); // its own method: take stays small enough to inline into Pool.alloc
    }

    /**
     * The next block of the lease of {@code bytes}; else the first of a new lease, when a slot is free (or its size
     * was declined and has waited its turn) and no lease of the same slab class is open ({@link #lendNew}); else 0.
     */
    private long fromLease(long bytes) {
        if (bytes <= 0 || bytes > MAX_BYTES) {
            return 0;
        }
        long[] l = leases;
        int empty = -1;
        for (int j = 0; j < LEASES * LEASE_WORDS; j += LEASE_WORDS) {
            long b = l[j + BYTES];
            if (b == bytes) {
                long handed = l[j + HANDED];
                if (handed < l[j + LEFT]) {
                    l[j + HANDED] = handed + 1;
                    long address = l[j + START] + handed * l[j + STRIDE];
                    allocated(address, bytes);
                    return address;
                }
                if (l[j + START] != 0) {
                    return renew(j, bytes); // used up: committed, and the next run leased, in one call
                }
                if (--l[j + STRIDE] > 0) {
                    return 0; // declined: C serves this size (its freed blocks) for a while
                }
                l[j + BYTES] = 0; // asked again as a new size: the same-class rule applies
                return lendNew(j, bytes);
            }
            if (b == 0 && empty < 0) {
                empty = j;
            }
        }
        return lendNew(empty, bytes);
    }

    /**
     * A lease for a size no slot holds: in {@code empty} (or -1 for none) unless a lease of the same slab class is
     * open (one leased slab per class, or each size would hold a slab of its own); failing that, after
     * {@link #EVICT_AFTER} such requests, in place of the same-class lease, else of a declined size, else of the
     * lease that handed out fewest blocks since its last commit.
     */
    private long lendNew(int empty, long bytes) {
        long[] l = leases;
        long stride = classSize(bytes);
        int sameClass = -1;
        for (int j = 0; j < LEASES * LEASE_WORDS; j += LEASE_WORDS) {
            if (l[j + START] != 0 && l[j + STRIDE] == stride) {
                sameClass = j;
            }
        }
        if (empty >= 0 && sameClass < 0) {
            return renew(empty, bytes);
        }
        if (++misses < EVICT_AFTER) {
            return 0;
        }
        misses = 0;
        if (sameClass >= 0) {
            return renew(sameClass, bytes);
        }
        int victim = 0;
        for (int j = 0; j < LEASES * LEASE_WORDS; j += LEASE_WORDS) {
            if (l[j + START] == 0 || l[j + HANDED] < l[victim + HANDED]) { // a declined slot (START 0) first
                victim = j;
                if (l[j + START] == 0) {
                    break;
                }
            }
        }
        return renew(victim, bytes);
    }

    /** The block size of the slab class that serves {@code bytes} (1 to 4096): {@code _cym_slab_class_size}. */
    static long classSize(long bytes) {
        if (bytes <= 256) {
            return (bytes + 15) & ~15L;
        }
        int shift = 61 - Long.numberOfLeadingZeros(bytes - 1); // 16-byte steps to 256, then 4 classes per doubling
        return (((bytes - 1) >> shift) + 1) << shift;
    }

    /**
     * Commits and ends the lease in slot {@code j} (if any), leases a new run of {@code bytes} there and hands out its
     * first block; 0 if C lends none: the slot then declines {@code bytes} for {@link #DECLINED_FOR} allocations,
     * which C serves (from its freed blocks of the class, or with the out-of-memory error it reports).
     */
    private long renew(int j, long bytes) {
        long[] l = leases;
        long[] out = new long[3];
        synchronized (lock) {
            int status = NativePool.cym_j_pool_lease(handle, bytes, l[j + START], l[j + HANDED], l[j + BYTES], out);
            if (status != 0) { // the commit was refused: the invariant above broke, and nothing changed
                clearLease(j); // given up: C keeps it until close
                throw new IllegalStateException("cymem4j: a lease was not as C made it: " + NativeStatus.text(-status));
            }
            if (out[1] == 0) {
                clearLease(j);
                l[j + STRIDE] = DECLINED_FOR;
                l[j + BYTES] = bytes;
                return 0;
            }
            l[j + START] = out[0];
            l[j + HANDED] = 1;
            l[j + LEFT] = out[1];
            l[j + STRIDE] = out[2];
            l[j + BYTES] = bytes;
            allocated(out[0], bytes);
        }
        return out[0];
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
        long h = hidden;
        int k = (int) (h & KEPT_MASK);
        if (k == KEPT_MAX) {
            return false;
        }
        long size = known[i + 1];
        keptBlocks[2 * k] = address;
        keptBlocks[2 * k + 1] = size;
        hidden = h + 1;
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

    /**
     * Whether {@code address} is inside the blocks a lease handed out and C does not know yet: before C acts on or
     * answers about it, {@link #commitLeases}.
     */
    public boolean leases(long address) {
        return leaseHanded(address) >= 0;
    }

    /** Empties lease slot {@code j}. */
    private void clearLease(int j) {
        Arrays.fill(leases, j, j + LEASE_WORDS, 0L);
    }

    /** The lease slot whose handed-out blocks contain {@code address}, or -1. */
    private int leaseHanded(long address) {
        long[] l = leases;
        for (int j = 0; j < LEASES * LEASE_WORDS; j += LEASE_WORDS) {
            long start = l[j + START];
            if (l[j + HANDED] > 0 && address >= start && address - start < l[j + HANDED] * l[j + STRIDE]) {
                return j;
            }
        }
        return -1;
    }

    /** Whether {@code address} is a kept block (freed by the user, live in C until settled). */
    public boolean keeps(long address) {
        for (int i = 0; i < 2 * kept(); i += 2) {
            if (keptBlocks[i] == address) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tells C everything the cache knows that C does not: the blocks leases handed out are committed (the leases
     * ended too when {@code end}: the cache is going away), then the kept blocks are freed in C and the hidden counts
     * added. Afterwards C's counters are the pool's own. Owner thread (or the Cleaner, once the pool is gone).
     */
    public void settle(boolean end) {
        // Settles are rare (a snapshot, a close, a double free): a copy, not a second array kept; none when empty.
        int kept = kept();
        long allocs = hidden >>> KEPT_BITS;
        long[] addresses = kept == 0 ? NO_ADDRESSES : new long[kept];
        for (int k = 0; k < kept; k++) {
            addresses[k] = keptBlocks[2 * k];
        }
        int status = tellC(addresses, allocs, allocs + kept, end);
        hidden = 0;
        if (status != 0) { // a kept block C no longer had, or a lease not as C made it: the invariant above broke
            throw new IllegalStateException("cymem4j: a kept block was not live in its pool: "
                    + NativeStatus.text(-status));
        }
    }

    /**
     * Commits the blocks leases handed out, and nothing else (the kept blocks stay kept: C now counts them as live,
     * as the invariant says of every kept block). Owner thread, under the stats lock.
     */
    public void commitLeases() {
        int status = tellC(NO_ADDRESSES, 0, 0, false);
        if (status != 0) {
            throw new IllegalStateException("cymem4j: a lease was not as C made it: " + NativeStatus.text(-status));
        }
    }

    /** {@code cym_j_pool_settle} with the leases' commits, and the leases as C now has them (given up on a failure). */
    private int tellC(long[] addresses, long allocs, long frees, boolean end) {
        long[] l = leases;
        int n = 0;
        long[] commits = NO_ADDRESSES;
        for (int j = 0; j < LEASES * LEASE_WORDS; j += LEASE_WORDS) {
            if (l[j + START] != 0 && (end || l[j + HANDED] > 0)) {
                if (n == 0) {
                    commits = new long[3 * LEASES];
                }
                commits[3 * n] = l[j + START];
                commits[3 * n + 1] = l[j + HANDED];
                commits[3 * n + 2] = l[j + BYTES];
                n++;
            }
        }
        int status = NativePool.cym_j_pool_settle(handle, addresses, addresses.length, allocs, frees, peakBytes,
                commits, n, end ? 1 : 0);
        for (int j = 0; j < LEASES * LEASE_WORDS; j += LEASE_WORDS) { // as C now has them (a failure: given up)
            long left = l[j + LEFT] - l[j + HANDED];
            if (end || status != 0 || (l[j + START] != 0 && left == 0)) {
                clearLease(j);
            } else if (l[j + START] != 0) {
                l[j + START] += l[j + HANDED] * l[j + STRIDE];
                l[j + LEFT] = left;
                l[j + HANDED] = 0;
            } // a declined size stays declined, an empty slot empty
        }
        return status;
    }

    /** C's counters ({@link NativePool#STAT_COUNT}) made the pool's: the kept blocks freed, the reuse counted. */
    public void adjust(long[] stats) {
        stats[NativePool.STAT_LIVE_BLOCKS] = liveBlocks;
        stats[NativePool.STAT_LIVE_BYTES] = liveBytes;
        stats[NativePool.STAT_PEAK_BYTES] = peakBytes;
        long h = hidden; // one read: its two counts from the same moment
        stats[NativePool.STAT_TOTAL_ALLOCS] += (h >>> KEPT_BITS) + leaseHanded();
        stats[NativePool.STAT_TOTAL_FREES] += (h >>> KEPT_BITS) + (h & KEPT_MASK);
    }

    /**
     * For tests: null if the invariants of the class comment that Java can check hold (each known or kept block live
     * in C with its size, or handed out by a lease; the two disjoint; C's live blocks and bytes those of the pool plus
     * the kept ones minus H's; each lease well formed, one per slab class, its blocks past H not live in C), else what
     * broke.
     */
    public String check() {
        int kept = kept();
        long bytes = 0;
        for (int i = 0; i < 2 * kept; i += 2) {
            long a = keptBlocks[i];
            bytes += keptBlocks[i + 1];
            if (!liveInCOrHanded(a, keptBlocks[i + 1])) {
                return "kept block " + Checks.hex(a) + " is not live in C with size " + keptBlocks[i + 1];
            }
            if (known[slot(a)] == a) {
                return "kept block " + Checks.hex(a) + " is also known";
            }
        }
        long[] l = leases;
        long handedBytes = 0;
        for (int j = 0; j < LEASES * LEASE_WORDS; j += LEASE_WORDS) {
            handedBytes += l[j + HANDED] * l[j + BYTES];
        }
        long[] c = new long[NativePool.STAT_COUNT];
        NativePool.cym_j_pool_stats(handle, c);
        if (c[NativePool.STAT_LIVE_BLOCKS] - kept + leaseHanded() != liveBlocks) {
            return "live blocks " + liveBlocks + " but C has " + c[NativePool.STAT_LIVE_BLOCKS] + " with " + kept
                    + " kept and " + leaseHanded() + " handed out from leases";
        }
        if (c[NativePool.STAT_LIVE_BYTES] - bytes + handedBytes != liveBytes || peakBytes < liveBytes) {
            return "live bytes " + liveBytes + " (peak " + peakBytes + ") but C has " + c[NativePool.STAT_LIVE_BYTES]
                    + " with " + bytes + " kept and " + handedBytes + " handed out from leases";
        }
        for (int j = 0; j < LEASES * LEASE_WORDS; j += LEASE_WORDS) {
            boolean declined = l[j + BYTES] != 0 && l[j + START] == 0;
            for (int k = j + LEASE_WORDS; k < LEASES * LEASE_WORDS; k += LEASE_WORDS) {
                if (l[j + START] != 0 && l[k + START] != 0 && l[j + STRIDE] == l[k + STRIDE]) {
                    return "leases " + j / LEASE_WORDS + " and " + k / LEASE_WORDS + " of one slab class";
                }
            }
            if (declined ? l[j + HANDED] != 0 || l[j + LEFT] != 0
                    : l[j + BYTES] != 0 && (l[j + HANDED] < 0 || l[j + HANDED] > l[j + LEFT] || l[j + LEFT] <= 0
                            || l[j + STRIDE] != classSize(l[j + BYTES]))) {
                return "lease " + j / LEASE_WORDS + " handed " + l[j + HANDED] + " of " + l[j + LEFT];
            }
            for (long k : new long[] {l[j + HANDED], l[j + LEFT] - 1}) { // the first and last not handed out
                if (l[j + START] != 0 && k < l[j + LEFT]
                        && NativePool.cym_j_pool_owns(handle, l[j + START] + k * l[j + STRIDE]) != 0) {
                    return "block " + k + " of lease " + j / LEASE_WORDS + ", not handed out, is live in C";
                }
            }
        }
        for (int i = 0; i < 2 * KNOWN_SLOTS; i += 2) {
            long a = known[i];
            if (a != 0 && (slot(a) != i || !liveInCOrHanded(a, known[i + 1]))) {
                return "known block " + Checks.hex(a) + " is not live in C with size " + known[i + 1]
                        + " or not in its slot";
            }
        }
        return null;
    }

    /** For {@link #check}: {@code address} is live in C with {@code size}, or a lease handed it out of that size. */
    private boolean liveInCOrHanded(long address, long size) {
        int j = leaseHanded(address);
        if (j >= 0) {
            return leases[j + BYTES] == size && (address - leases[j + START]) % leases[j + STRIDE] == 0
                    && NativePool.cym_j_pool_owns(handle, address) == 0;
        }
        return NativePool.cym_j_pool_size_of(handle, address) == size;
    }

    /** The blocks handed out from leases and not yet committed (|H|). */
    public long leaseHanded() {
        long blocks = 0;
        for (int j = 0; j < LEASES * LEASE_WORDS; j += LEASE_WORDS) {
            blocks += leases[j + HANDED];
        }
        return blocks;
    }

    /** For tests: the kept blocks now. */
    public int kept() {
        return (int) (hidden & KEPT_MASK);
    }

    /** The even index of {@code address}'s slot in {@link #known}. */
    private static int slot(long address) {
        return (int) (((address >>> 4) * 0x9E3779B97F4A7C15L) >>> SLOT_SHIFT) << 1;
    }
}
