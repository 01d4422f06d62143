package org.cymem4j.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.cymem4j.internal.jni.NativePool;

/**
 * A confined pool's small blocks allocated and freed from Java, without a native call per block: the bump-pointer
 * limit the issue tracker asked for, with every block still individually known to C.
 *
 * <p>The pool leases one slab per size class to its lane ({@code _cym_pool_lane_lease}: the slab leaves the pool's
 * lists, so C's own allocations never use it). The lane then does in Java what {@code _cym_slabs_alloc} and
 * {@code _cym_slabs_free} do in C, on the same memory: pop the slab's free list or bump, set the block's live bit and
 * requested size in the slab's header, and count the block in the pool's shard and peak ({@code _cym_shard_account},
 * {@code _cym_shards_peak_two}). So {@code owns}, {@code sizeOf}, {@code realloc}, stats, limits, iteration, leak
 * reports, pins and close, all C's, see each lane block as they see any slab block, at any time. When a slab is full
 * the lane hands it back and leases another (one native call per slab: about a thousand 64-byte blocks); a slab a
 * free empties goes back too when the lane already holds {@code KEEP_EMPTY} (2) empty ones (C's rule for its own).
 *
 * <p>What keeps the two writers apart: the pool is confined, so the lane (on the owner thread, inside the pool's
 * call bracket) and C (called from that thread) never run at the same time; a C free of a leased slab's block
 * (realloc, a native caller) keeps the slab off the lists. The lane steps aside ({@link #NOT_HERE}: the caller
 * makes the native call) whenever C must decide: a limit set, a pinned block in the pool, an address not in a slab
 * it holds, a block that is not live, or a pool C does not lease to (shared, not slab-served, counted in the process
 * total, built with AddressSanitizer, whose poisoning the lane's writes would bypass). {@code -Dcymem4j.slabLanes=false}
 * turns lanes off.
 *
 * <p>The layout (offsets into the pool and a slab header, the class of each size) is C's, asked once per process
 * ({@code cym_j_pool_lane_layout}); nothing here restates the C structs.
 */
public final class SlabLane {
    /** What {@link #alloc} and {@link #free} return when C must do it: {@code -CYM_EUNSUPPORTED}. */
    public static final int NOT_HERE = -NativeStatus.EUNSUPPORTED;
    private static final String PROPERTY = "cymem4j.slabLanes";
    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
    private static final int SLAB_MASK_BITS = 16; // CYM_SLAB_BYTES == 1 << 16 (checked by the static block)
    private static final int BY_BASE = 64; // entries of the direct-mapped slab lookup of free()
    /**
     * A pool's first small allocations go to C: a lane's first lease (a JNI call, two views, its arrays) costs about
     * what a few hundred ns of native calls do, which a pool of a handful of blocks would never earn back.
     */
    private static final int NATIVE_FIRST = 16;
    /**
     * Empty slabs the lane keeps beside the one a free just emptied (as C keeps CYM_SLAB_KEEP_EMPTY): beyond them,
     * the emptied slab goes back to C, so a pool that served many classes and freed everything does not hold a slab
     * per class until it closes; up to them, alloc/free around an empty slab costs no native call.
     */
    private static final int KEEP_EMPTY = 2;

    private static final int POOL_BYTES, LIVE_BLOCKS, LIVE_BYTES, HIGH_BYTES, TOTAL_ALLOCS, TOTAL_FREES, TABLE_LIVE,
            TABLE_HIGH, PEAK, LIMIT, PINNED, FREE, BLOCK_SIZE, CAPACITY, USED, BUMP, FIRST, SIZES, RECIPROCAL, LIVE;
    private static final byte[] CLASS_OF = new byte[NativePool.SLAB_BLOCK_MAX / 16 + 1];

    static {
        long[] l = new long[NativePool.LANE_LAYOUT_COUNT];
        if (ENABLED) {
            NativePool.cym_j_pool_lane_layout(l);
        }
        POOL_BYTES = (int) l[NativePool.LANE_POOL_BYTES];
        LIVE_BLOCKS = (int) l[NativePool.LANE_LIVE_BLOCKS];
        LIVE_BYTES = (int) l[NativePool.LANE_LIVE_BYTES];
        HIGH_BYTES = (int) l[NativePool.LANE_HIGH_BYTES];
        TOTAL_ALLOCS = (int) l[NativePool.LANE_TOTAL_ALLOCS];
        TOTAL_FREES = (int) l[NativePool.LANE_TOTAL_FREES];
        TABLE_LIVE = (int) l[NativePool.LANE_TABLE_LIVE];
        TABLE_HIGH = (int) l[NativePool.LANE_TABLE_HIGH];
        PEAK = (int) l[NativePool.LANE_PEAK];
        LIMIT = (int) l[NativePool.LANE_LIMIT];
        PINNED = (int) l[NativePool.LANE_PINNED];
        FREE = (int) l[NativePool.LANE_SLAB_FREE];
        BLOCK_SIZE = (int) l[NativePool.LANE_SLAB_BLOCK_SIZE];
        CAPACITY = (int) l[NativePool.LANE_SLAB_CAPACITY];
        USED = (int) l[NativePool.LANE_SLAB_USED];
        BUMP = (int) l[NativePool.LANE_SLAB_BUMP];
        FIRST = (int) l[NativePool.LANE_SLAB_FIRST];
        SIZES = (int) l[NativePool.LANE_SLAB_SIZES];
        RECIPROCAL = (int) l[NativePool.LANE_SLAB_RECIPROCAL];
        LIVE = (int) l[NativePool.LANE_SLAB_LIVE];
        for (int k = 0; k < CLASS_OF.length; k++) {
            CLASS_OF[k] = (byte) l[NativePool.LANE_CLASS_OF + k];
        }
        if (NativePool.SLAB_BYTES != 1 << SLAB_MASK_BITS) {
            throw new ExceptionInInitializerError("slabs of " + NativePool.SLAB_BYTES + " bytes");
        }
    }

    /** A leased slab: where it is, a buffer over it, and the header fields C never changes while it exists. */
    private static final class Slab {
        final long base;
        final ByteBuffer memory;
        final int cls, first, blockSize, capacity, sizes;
        final long reciprocal; // offset / blockSize == (offset * reciprocal) >>> 32 for offset < 2^16

        Slab(long base, int cls) {
            this.base = base;
            this.cls = cls;
            this.memory = view(base, NativePool.SLAB_BYTES);
            this.first = memory.getInt(FIRST);
            this.blockSize = memory.getInt(BLOCK_SIZE);
            this.capacity = memory.getInt(CAPACITY);
            this.sizes = memory.getInt(SIZES);
            this.reciprocal = memory.getInt(RECIPROCAL) & 0xFFFF_FFFFL;
        }
    }

    /**
     * Views made before, by address and size: a view is only a window (it owns nothing), and the addresses recur (the
     * C side keeps a few empty slabs per thread, and malloc hands a closed pool's struct to the next), while making
     * one costs a JNI call and a JavaCPP pointer (about 300 ns). A view is used only while the memory behind it is
     * this lane's (its pool open, its slab leased). The array publishes each view safely to other threads.
     */
    private static final AtomicReferenceArray<View> VIEWS = new AtomicReferenceArray<>(256);

    private record View(long address, int bytes, ByteBuffer buffer) {
    }
    private static final Slab[] NO_SLABS = new Slab[0];

    private final long pool;
    /** The pool's struct (its shard's counters, peak, limit and pins); null until the first lease. */
    private ByteBuffer counters;
    /** The leased slab of each class; empty until the first lease (an unused pool's lane costs one small object). */
    private Slab[] byClass = NO_SLABS;
    /** The leased slabs by base ({@code (base >>> 16) % 64}); on a collision free() finds the other through held. */
    private Slab[] byBase = NO_SLABS;
    /** Bit c set: byClass[c] holds a slab (so held != 0 means the arrays are made). */
    private int held;
    /** C leases nothing to this pool (see the class comment): every call is {@link #NOT_HERE}. */
    private boolean off;
    /** Small allocations the lane left to C before its first lease (see NATIVE_FIRST). */
    private int nativeAllocs;

    private SlabLane(long pool) {
        this.pool = pool;
    }

    /**
     * A lane for a confined pool whose every allocation is a plain C call (no Java hook, no debug tracker), or null
     * when lanes are turned off. It leases nothing until its first allocation.
     */
    public static SlabLane of(long pool) {
        return ENABLED ? new SlabLane(pool) : null;
    }

    /** The largest request a lane serves (C's {@code CYM_SLAB_BLOCK_MAX}). */
    public static boolean serves(long bytes) {
        return bytes <= NativePool.SLAB_BLOCK_MAX;
    }

    /** The slabs the lane holds now (one per size class it served): for tests. */
    public int slabsHeld() {
        return Integer.bitCount(held);
    }

    /**
     * A zeroed block of {@code bytes} (at most {@link NativePool#SLAB_BLOCK_MAX}), live and counted in the pool; or
     * {@link #NOT_HERE}. Call on the pool's owner thread inside its call bracket.
     */
    public long alloc(int bytes) {
        ByteBuffer c = counters;
        if (c != null && c.getLong(LIMIT) >= 0) {
            return NOT_HERE; // C checks the limit and refuses with its message
        }
        int cls = CLASS_OF[(bytes + 15) >>> 4];
        Slab s = held != 0 ? byClass[cls] : null;
        if (s == null) {
            if (++nativeAllocs <= NATIVE_FIRST || (s = lease(cls, null)) == null) {
                return NOT_HERE;
            }
            c = counters;
        }
        ByteBuffer m = s.memory;
        long free = m.getLong(FREE);
        int i, offset;
        if (free != 0) { // a freed block: unlink it, zero what the request covers (and the link), as calloc
            offset = (int) (free - s.base);
            m.putLong(FREE, m.getLong(offset));
            zero(m, offset, Math.max(bytes, Long.BYTES));
            i = (int) (((offset - s.first) * s.reciprocal) >>> 32);
        } else {
            i = m.getInt(BUMP);
            if (i == s.capacity) { // full: hand it back, lease the next, and bump there (a fresh slab has room)
                if ((s = lease(cls, s)) == null) {
                    return NOT_HERE;
                }
                return alloc(bytes);
            }
            m.putInt(BUMP, i + 1); // never handed out: still zero
            offset = s.first + i * s.blockSize;
        }
        int word = LIVE + (i >>> 6) * Long.BYTES;
        m.putLong(word, m.getLong(word) | 1L << i);
        m.putShort(s.sizes + 2 * i, (short) bytes);
        m.putInt(USED, m.getInt(USED) + 1);
        c.putLong(TOTAL_ALLOCS, c.getLong(TOTAL_ALLOCS) + 1);
        c.putLong(LIVE_BLOCKS, c.getLong(LIVE_BLOCKS) + 1);
        long live = c.getLong(LIVE_BYTES) + bytes;
        c.putLong(LIVE_BYTES, live);
        if (live > c.getLong(HIGH_BYTES)) {
            peak(c, live);
        }
        return s.base + offset;
    }

    /**
     * Frees {@code address} if it is a live block of a slab this lane holds: {@link NativeStatus#OK}; else
     * {@link #NOT_HERE} (nothing done: C frees it, or says why not). Call as {@link #alloc}.
     */
    public int free(long address) {
        long base = address & -(1L << SLAB_MASK_BITS);
        int k = (int) (base >>> SLAB_MASK_BITS) & (BY_BASE - 1);
        Slab s = held != 0 ? byBase[k] : null;
        if (s == null || s.base != base) { // another slab at k (two bases 4 MiB apart), or none of the lane's
            if (held == 0 || (s = heldAt(base)) == null) {
                return NOT_HERE;
            }
            byBase[k] = s;
        }
        ByteBuffer c = counters;
        long inside = address - base - s.first;
        if (inside < 0 || c.getLong(PINNED) != 0) {
            return NOT_HERE; // not a block's start; or a pinned block may be this one: C decides
        }
        int i = (int) ((inside * s.reciprocal) >>> 32);
        if (i >= s.capacity) {
            return NOT_HERE;
        }
        ByteBuffer m = s.memory;
        int word = LIVE + (i >>> 6) * Long.BYTES;
        long bits = m.getLong(word);
        long bit = 1L << i;
        // Not a block's start, or not live (a double free, or never handed out: a block at or above the bump mark has
        // its bit clear): C's message.
        if ((long) i * s.blockSize != inside || (bits & bit) == 0) {
            return NOT_HERE;
        }
        m.putLong(word, bits & ~bit);
        int size = m.getShort(s.sizes + 2 * i) & 0xFFFF;
        int offset = (int) (address - base);
        m.putLong(offset, m.getLong(FREE));
        m.putLong(FREE, address);
        int used = m.getInt(USED) - 1;
        m.putInt(USED, used);
        c.putLong(TOTAL_FREES, c.getLong(TOTAL_FREES) + 1);
        c.putLong(LIVE_BLOCKS, c.getLong(LIVE_BLOCKS) - 1);
        c.putLong(LIVE_BYTES, c.getLong(LIVE_BYTES) - size);
        if (used == 0 && (held & ~(1 << s.cls)) != 0 && emptyBeside(s) >= KEEP_EMPTY) {
            giveBack(s);
        }
        return NativeStatus.OK;
    }

    /** The slab the lane holds at {@code base}, or null. */
    private Slab heldAt(long base) {
        for (int h = held; h != 0; h &= h - 1) {
            Slab t = byClass[Integer.numberOfTrailingZeros(h)];
            if (t.base == base) {
                return t;
            }
        }
        return null;
    }

    /** The empty slabs the lane holds besides {@code s} (C's frees of lane blocks empty slabs too: read, not kept). */
    private int emptyBeside(Slab s) {
        int n = 0;
        for (int h = held & ~(1 << s.cls); h != 0; h &= h - 1) {
            n += byClass[Integer.numberOfTrailingZeros(h)].memory.getInt(USED) == 0 ? 1 : 0;
        }
        return n;
    }

    /** Forgets {@code s} and gives it back to C (which keeps it as one of its empty slabs or frees it). */
    private void giveBack(Slab s) {
        forget(s);
        NativePool.cym_j_pool_lane_lease(pool, NativePool.SLAB_CLASSES, s.base); // 0: given back, nothing leased
    }

    private void forget(Slab s) {
        byClass[s.cls] = null;
        held &= ~(1 << s.cls);
        int k = (int) (s.base >>> SLAB_MASK_BITS) & (BY_BASE - 1);
        if (byBase[k] == s) {
            byBase[k] = null;
        }
    }

    /**
     * {@code _cym_shards_peak_two} for the one shard of a confined pool, whose live bytes grew past its high mark:
     * the pool's peak is the shard's live bytes plus the table's, and the two high marks keep summing to at most it.
     */
    private static void peak(ByteBuffer c, long live) {
        long peak = c.getLong(PEAK);
        long total = live + c.getLong(TABLE_LIVE);
        if (total > peak) {
            c.putLong(PEAK, peak = total);
        }
        c.putLong(HIGH_BYTES, live);
        if (live + c.getLong(TABLE_HIGH) > peak) {
            c.putLong(TABLE_HIGH, peak - live);
        }
    }

    private static void zero(ByteBuffer m, int offset, int bytes) {
        int words = bytes >>> 3;
        for (int k = 0; k < words; k++) {
            m.putLong(offset + k * Long.BYTES, 0L);
        }
        for (int k = words * Long.BYTES; k < bytes; k++) {
            m.put(offset + k, (byte) 0);
        }
    }

    /**
     * Gives {@code previous} (null for none) back to the pool and leases the next slab of class {@code cls}: the slab,
     * or null (the caller makes the native call; no lease at all means none will ever be made).
     */
    private Slab lease(int cls, Slab previous) {
        if (off) {
            return null;
        }
        if (previous != null) { // forgotten first: C takes it back even when no next slab can be had
            forget(previous);
        }
        long r = NativePool.cym_j_pool_lane_lease(pool, cls, previous == null ? 0 : previous.base);
        if (r <= 0) {
            off = r != -NativeStatus.ENOMEM && r != -NativeStatus.ELIMIT; // these may pass; anything else will not
            if (r == -NativeStatus.ELIMIT && counters == null) {
                counters = view(pool, POOL_BYTES); // so that alloc reads the limit before asking again
            }
            return null;
        }
        if (counters == null) {
            counters = view(pool, POOL_BYTES);
        }
        if (byClass == NO_SLABS) {
            byClass = new Slab[NativePool.SLAB_CLASSES];
            byBase = new Slab[BY_BASE];
        }
        Slab s = new Slab(r, cls);
        byClass[cls] = s;
        held |= 1 << cls;
        byBase[(int) (r >>> SLAB_MASK_BITS) & (BY_BASE - 1)] = s;
        return s;
    }

    private static ByteBuffer view(long address, int bytes) {
        int k = (int) ((address * 0x9E3779B97F4A7C15L + bytes) >>> 56);
        View v = VIEWS.get(k);
        if (v != null && v.address == address && v.bytes == bytes) {
            return v.buffer;
        }
        ByteBuffer b = new RawPointer(address, bytes).asByteBuffer().order(ByteOrder.nativeOrder());
        VIEWS.set(k, new View(address, bytes, b));
        return b;
    }
}
