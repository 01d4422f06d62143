package org.cymem4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.cymem4j.internal.jni.NativePool;

/**
 * What a pool owns natively, apart from the {@code Pool} object: the C handle, the resources attached to it, and
 * where it was created. It is the pool's {@link java.lang.ref.Cleaner} action, so it must never refer to the
 * {@code Pool} (that would keep the pool reachable forever). {@link #run()} releases everything once, whether
 * called by {@code close()} or by the Cleaner; only the Cleaner's call reports a leak.
 *
 * <p><b>Created on first need (issue 20).</b> A new resource holds nothing native: the C pool is created by
 * {@link #materialize}, on the pool's first call that needs it (an allocation, {@code nativeHandle()}, an attach, a
 * query of its blocks), and only then does the resource enter {@link #OPEN} and get its Cleaner registration. An
 * empty pool's open + close therefore costs an id and a count in the calling thread's {@link PoolLedger} cell (no
 * atomic instruction), not two native calls, a registry insert and a Cleaner. A pool that is never materialized has
 * nothing to free: if it is forgotten, no Cleaner runs and nothing is logged, and it stays counted by
 * {@link #openCount()} (it was never closed), so a count-based leak check still sees it; only the pools in
 * {@link #OPEN} can be listed by name. A pool whose creation site is recorded (leak detection FULL, or a sampled one
 * within the cap) is materialized at once, so every recorded site can still be reported by the Cleaner.
 *
 * <p>Every materialized open pool is in {@link #OPEN}, which the process-wide sums and the leak listings read. Native
 * stats are read under this object's lock, and the handle is created and destroyed under it, so a reader on another
 * thread never touches a destroyed pool.
 *
 * <p>Invariant (the accounting {@link #openCount()} reads): every pool counted by {@link PoolLedger#open} ends
 * exactly once, by one of {@code CLOSED_EXPLICITLY} (a materialized pool's close), {@link PoolLedger#closeUnused}
 * (a close before any native need), {@code CLOSED_BY_CLEANER} or {@code ABANDONED} (the pool's constructor failed),
 * or not at all while the pool is open or was forgotten before it was materialized; so {@code opened - ended} = open
 * pools, and {@code |OPEN|} <= that.
 */
public final class PoolResource implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final ConcurrentHashMap<Long, PoolResource> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong CLOSED_EXPLICITLY = new AtomicLong();
    private static final AtomicLong CLOSED_BY_CLEANER = new AtomicLong();
    /** Ids whose pool was never returned (its constructor failed). */
    private static final AtomicLong ABANDONED = new AtomicLong();
    private static final VarHandle STATE;
    /** {@link #state}: nothing native yet; the C pool exists (registered, cleanable); released (either way). */
    private static final int LAZY = 0, MATERIALIZED = 1, RELEASED = 2;
    private static final long[] EMPTY_STATS = new long[NativePool.STAT_COUNT];

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PoolResource.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        EMPTY_STATS[NativePool.STAT_LIMIT_BYTES] = -1;
    }

    private final long id;
    /** The {@code cym_pool_t*}; 0 until {@link #materialize}. */
    private volatile long handle;
    private final long allocatorHandle;
    private final int flags;
    private final boolean shared;
    private final String allocatorName;
    private final Throwable site;
    /** LAZY -> MATERIALIZED (under this object's lock) -> RELEASED, or LAZY -> RELEASED (a close before any need). */
    private volatile int state;
    private Cleaner.Cleanable cleanable; // guarded by this; set with state MATERIALIZED
    private List<AutoCloseable> attached; // guarded by this
    private boolean destroyed; // guarded by this
    private volatile boolean explicit;
    private volatile Budget budget;
    /** Whether the pool may keep a {@link BlockCache} (its Java side allows it; C decides at {@link #materialize}). */
    private final boolean cacheWanted;
    /**
     * The pool's block cache, or null: set before {@link #handle} is published, used by the owner thread only (and
     * read, as C's counters are, by stats on any thread).
     */
    public BlockCache cache;

    /**
     * A pool's resource with nothing native yet: {@link #materialize} creates the C pool from {@code allocatorHandle}
     * (a {@code cym_allocator_t*} the caller keeps alive until then) and the {@code cym_pool_create} flags.
     */
    public PoolResource(long allocatorHandle, int flags, boolean shared, String allocatorName, boolean cacheWanted) {
        Settings.ensureValid(); // a refused property value fails the open, before anything is counted or made
        HugePages.ensureApplied();
        long[] ledger = PoolLedger.cell();
        this.id = PoolLedger.open(ledger);
        this.cacheWanted = cacheWanted;
        this.allocatorHandle = allocatorHandle;
        this.flags = flags;
        this.shared = shared;
        this.allocatorName = allocatorName;
        this.site = LeakReports.siteOrNull(ledger);
    }

    /**
     * Creates the C pool if it does not exist yet, registers the resource as open and as {@code owner}'s Cleaner
     * action: the handle, or {@code -status} if the allocator could not allocate the pool (nothing changed then).
     * The caller is inside a call of the open pool (or its constructor), so no close runs concurrently.
     *
     * @throws IllegalStateException if the pool was already released (a caller outside the pool's scope)
     */
    public long materialize(Object owner) {
        long h = handle;
        if (h != 0) {
            return h;
        }
        synchronized (this) {
            h = handle;
            if (h != 0) {
                return h;
            }
            if (state != LAZY) {
                throw new IllegalStateException(name() + " is closed");
            }
            h = NativePool.cym_j_pool_create(allocatorHandle, flags);
            if (h <= 0) {
                return h;
            }
            // A close that raced past its caller's scope (none should) finds MATERIALIZED and waits for this lock.
            if (!STATE.compareAndSet(this, LAZY, MATERIALIZED)) {
                NativePool.cym_j_pool_destroy(h);
                throw new IllegalStateException(name() + " is closed");
            }
            OPEN.put(id, this);
            cleanable = CLEANER.register(owner, this);
            if (cacheWanted && BlockCache.ENABLED && NativePool.cym_j_pool_cacheable(h) == 1) {
                cache = new BlockCache(h, this);
            }
            handle = h;
        }
        Reference.reachabilityFence(owner);
        return h;
    }

    /** The pool's constructor failed after this resource took its id: the id ends here (nothing native exists). */
    public void abandon() {
        if (STATE.compareAndSet(this, LAZY, RELEASED)) {
            ABANDONED.incrementAndGet();
        }
    }

    /** Whether the C pool exists (or existed): false for a pool nothing has needed it for yet. */
    public boolean materialized() {
        return handle != 0;
    }

    public long id() {
        return id;
    }

    /**
     * Tells C what the block cache knows and C does not ({@link BlockCache#settle}), before a call that looks at every
     * block (a snapshot). Inside a call of the open pool, on its owner thread. Under this object's lock, as
     * {@link #stats()} is, so that a reader on another thread sees C's counters and the cache's both before or both
     * after.
     */
    public void settle() {
        BlockCache c = cache;
        if (c != null) {
            settle(c, false);
        }
    }

    /**
     * {@link BlockCache#settle}, then (if {@code end}) no cache, under this object's lock as {@link #stats()} reads:
     * another thread's counters never see C's half done (kept blocks freed in C but still subtracted, the unseen
     * counts added twice).
     */
    private synchronized void settle(BlockCache c, boolean end) {
        c.settle(end);
        if (end) {
            cache = null;
        }
    }

    /**
     * Settles what C's answer about {@code address} depends on, before a call that acts on or asks about that block:
     * {@link #settle()} for a kept block (the user freed it: C must answer "not live"); the leases' commits for an
     * address inside blocks a lease handed out (C does not know them yet). About any other address C is exact.
     */
    public void settleIfHidden(long address) {
        BlockCache c = cache;
        if (c != null) {
            if (c.keeps(address)) {
                settle(c, false);
            } else if (c.leases(address)) {
                commitLeases(c);
            }
        }
    }

    /** {@link BlockCache#commitLeases} under this object's lock, as {@link #settle(BlockCache, boolean)}. */
    private synchronized void commitLeases(BlockCache c) {
        c.commitLeases();
    }

    /**
     * The {@code cym_pool_t*} for a call that lets native code keep or free the pool's blocks on its own (the pool's
     * {@code nativeHandle()}, a DLPack export): the block cache, settled, ends for good, since C's view of a block
     * must then be the only one. Inside a call of the open pool, on its owner thread if confined.
     */
    public long handleForNative() {
        long h = handle;
        BlockCache c = cache;
        if (c != null) {
            settle(c, true);
        }
        return h;
    }

    /** The {@code cym_pool_t*}, or 0 before {@link #materialize}. */
    public long handle() {
        return handle;
    }

    public boolean shared() {
        return shared;
    }

    public String allocatorName() {
        return allocatorName;
    }

    /** Where the pool was created, or null when creation sites are not recorded. */
    public Throwable site() {
        return site;
    }

    /** Pool#id, as messages name the pool. */
    public String name() {
        return "Pool#" + id;
    }

    /** {@link #name()}: a {@link Scope} holds the resource and asks for the text only when a message needs it. */
    @Override
    public String toString() {
        return name();
    }

    /** Adds a resource to close (in reverse order of attachment) when the pool is released. */
    public synchronized void attach(AutoCloseable resource) {
        if (attached == null) {
            attached = new ArrayList<>();
        }
        attached.add(resource);
    }

    /**
     * The native counters (see {@link NativePool#STAT_COUNT}), or null once the pool is released; a pool with nothing
     * native yet has no blocks and no limit (what {@code cym_pool_stats} says of a new C pool).
     */
    public synchronized long[] stats() {
        if (destroyed || state == RELEASED) {
            return null;
        }
        if (handle == 0) {
            return EMPTY_STATS.clone();
        }
        long[] out = new long[NativePool.STAT_COUNT];
        NativePool.cym_j_pool_stats(handle, out);
        BlockCache c = cache;
        if (c != null) {
            c.adjust(out);
        }
        return out;
    }

    /** Sets the native byte limit ({@code -1}: none), unless the pool is already released. */
    public synchronized void setLimit(long limit) {
        if (handle == 0 && limit >= 0) {
            throw new IllegalStateException(name() + ": a limit needs the C pool (limited pools make it at once)");
        }
        if (!destroyed && handle != 0) {
            NativePool.cym_j_pool_set_limit(handle, limit);
        }
    }

    /** The pool's limit and reservations; its reservation is returned to the parent when the pool is released. */
    public void budget(Budget b) {
        budget = b;
    }

    public Budget budget() {
        return budget;
    }

    /**
     * The pool's {@code close()}, by the one thread that began its scope's close: releases the pool (later calls do
     * nothing). A materialized pool runs its Cleaner action ({@link #run()}) marked as explicit, not a leak; a pool
     * with nothing native just ends: counted as closed, its close event recorded with empty counters.
     *
     * @throws IllegalStateException if an attached resource failed to close (the native memory is freed regardless)
     */
    public void close() {
        // No compare-and-set (issue 20: a third of an empty pool's atomics): the caller is the one thread that began
        // the scope's close, so no other close runs, and no materialize() either (it runs inside a call of the pool,
        // which the close has waited out and refuses from now on); the Cleaner exists only once MATERIALIZED.
        if (state == LAZY) {
            long[] ledger = PoolLedger.cell(); // first: a thread's first lookup allocates, and may throw
            STATE.setRelease(this, RELEASED);
            PoolLedger.closeUnused(ledger);
            Budget b = budget;
            if (b != null) {
                b.release();
            }
            Events.poolClosed(this, Events.poolCloseRecorded() ? EMPTY_STATS.clone() : null, false);
            return;
        }
        Cleaner.Cleanable c;
        synchronized (this) {
            c = cleanable;
        }
        if (c != null) {
            explicit = true;
            c.clean();
        }
    }

    /**
     * Closes the attached resources (last first), then frees every block and the pool in one native call. Runs at
     * most once (the Cleaner guarantees it). Exceptions from attached resources are thrown after the native memory
     * is freed, the first with the others suppressed; on the Cleaner's thread they are logged instead.
     */
    @Override
    public void run() {
        List<AutoCloseable> toClose;
        long[] statsAtRelease = null;
        // Only a leak report or a recorded close event shows the counters; the process totals of released pools are
        // kept in C (cym_j_pool_destroy).
        boolean wantStats = !explicit || Events.poolCloseRecorded();
        synchronized (this) {
            toClose = attached;
            attached = null;
            if (toClose == null) {
                statsAtRelease = destroyLocked(wantStats); // the usual case: one monitor, not two
            }
        }
        RuntimeException failure = null;
        if (toClose != null) {
            failure = closeAll(toClose);
            synchronized (this) {
                statsAtRelease = destroyLocked(wantStats);
            }
        }
        Budget b = budget;
        if (b != null) {
            b.release();
        }
        Events.poolClosed(this, statsAtRelease, !explicit);
        if (!explicit) {
            // Report before counting, so whoever waits for the count finds the report already logged.
            LeakReports.reportCleanerRelease(this, statsAtRelease, failure);
            CLOSED_BY_CLEANER.incrementAndGet();
        } else {
            CLOSED_EXPLICITLY.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
        }
    }

    /**
     * Frees the native pool (caller holds this object's lock); returns its counters as they were just before when
     * {@code wantStats}, else null.
     */
    private long[] destroyLocked(boolean wantStats) {
        BlockCache c = cache;
        if (c != null) { // C's totals become the pool's own, for the counters below and the process's retired ones
            cache = null;
            try {
                c.settle(true);
            } catch (IllegalStateException e) { // a broken invariant (a bug): still free the pool, and say so
                System.getLogger("org.cymem4j").log(System.Logger.Level.ERROR, name() + ": " + e.getMessage(), e);
            }
        }
        long[] statsAtRelease = wantStats ? stats() : null;
        destroyed = true;
        state = RELEASED;
        OPEN.remove(id);
        NativePool.cym_j_pool_destroy(handle);
        return statsAtRelease;
    }

    private static RuntimeException closeAll(List<AutoCloseable> resources) {
        RuntimeException failure = null;
        if (resources == null) {
            return null;
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing an attached resource failed: " + e, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    /** The materialized pools that are open now (a snapshot): every pool that holds native memory. */
    public static List<PoolResource> open() {
        return new ArrayList<>(OPEN.values());
    }

    /**
     * The pools open now, materialized or not: every pool opened minus every pool that ended (see the class
     * invariant). The ends are read before the opens, so a pool opened and closed during the call is never counted
     * as closed but not opened; the count is exact when no pool opens or closes concurrently.
     */
    public static int openCount() {
        long ended = CLOSED_EXPLICITLY.get() + CLOSED_BY_CLEANER.get() + ABANDONED.get() + PoolLedger.closedUnused();
        return (int) Math.max(PoolLedger.opened() - ended, OPEN.size());
    }

    /** The open pools not in {@link #open()}: those nothing has needed native memory for yet (>= 0). */
    public static long unlistedOpenCount() {
        int listed = OPEN.size();
        return Math.max(0, openCount() - listed);
    }

    /**
     * Process-wide counters: live bytes, live blocks, total allocations, total frees, failed allocations (indices
     * as {@link NativePool}'s {@code STAT_*}; peak and limit are 0). Totals include released pools. Each pool is
     * read atomically, the sum is not: a pool released during the call may be counted twice or not at all.
     */
    public static long[] processStats() {
        long[] total = new long[NativePool.STAT_COUNT];
        for (PoolResource pool : OPEN.values()) {
            long[] s = pool.stats();
            if (s != null) {
                for (int i : new int[] {NativePool.STAT_LIVE_BYTES, NativePool.STAT_LIVE_BLOCKS,
                        NativePool.STAT_TOTAL_ALLOCS, NativePool.STAT_TOTAL_FREES, NativePool.STAT_FAILED_ALLOCS}) {
                    total[i] += s[i];
                }
            }
        }
        long[] retired = new long[NativePool.RETIRED_COUNT];
        NativePool.cym_j_process_retired(retired);
        total[NativePool.STAT_TOTAL_ALLOCS] += retired[0];
        total[NativePool.STAT_TOTAL_FREES] += retired[1];
        total[NativePool.STAT_FAILED_ALLOCS] += retired[2];
        return total;
    }

    /** Turns process byte tracking on or off for pools created from now on. */
    public static void trackProcessBytes(boolean on) {
        NativePool.cym_j_process_track(on ? 1 : 0);
    }

    /** {live, peak} bytes over the tracked pools, or {-1, -1} if tracking was never on. */
    public static long[] processBytes() {
        long[] out = new long[NativePool.PROCESS_BYTES_COUNT];
        NativePool.cym_j_process_bytes(out);
        return out;
    }

    /** How many pools were released by {@code close()} and how many by the Cleaner, since the JVM started. */
    public static long[] releaseCounts() {
        return new long[] {CLOSED_EXPLICITLY.get() + PoolLedger.closedUnused(), CLOSED_BY_CLEANER.get()};
    }
}
