package org.cymem4j.internal;

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
 * <p>Every open pool is in {@link #OPEN}, which the process-wide counts and the leak checks read. Native stats are
 * read under this object's lock, and the handle is destroyed under it, so a reader on another thread never touches
 * a destroyed pool.
 */
public final class PoolResource implements Runnable {
    private static final AtomicLong IDS = new AtomicLong();
    private static final ConcurrentHashMap<Long, PoolResource> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong CLOSED_EXPLICITLY = new AtomicLong();
    private static final AtomicLong CLOSED_BY_CLEANER = new AtomicLong();

    private final long id;
    private final long handle;
    private final boolean shared;
    private final String allocatorName;
    private final Throwable site;
    private List<AutoCloseable> attached; // guarded by this
    private boolean destroyed; // guarded by this
    private volatile boolean explicit;
    private volatile Budget budget;

    public PoolResource(long handle, boolean shared, String allocatorName) {
        this.id = IDS.incrementAndGet();
        this.handle = handle;
        this.shared = shared;
        this.allocatorName = allocatorName;
        this.site = LeakReports.siteOrNull(id);
        OPEN.put(id, this);
    }

    public long id() {
        return id;
    }

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

    /** Adds a resource to close (in reverse order of attachment) when the pool is released. */
    public synchronized void attach(AutoCloseable resource) {
        if (attached == null) {
            attached = new ArrayList<>();
        }
        attached.add(resource);
    }

    /** The native counters (see {@link NativePool#STAT_COUNT}), or null once the pool is released. */
    public synchronized long[] stats() {
        if (destroyed) {
            return null;
        }
        long[] out = new long[NativePool.STAT_COUNT];
        NativePool.cym_j_pool_stats(handle, out);
        return out;
    }

    /** Sets the native byte limit ({@code -1}: none), unless the pool is already released. */
    public synchronized void setLimit(long limit) {
        if (!destroyed) {
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

    /** Marks the coming {@link #run()} as the owner's {@code close()}, not a leak. */
    public void markExplicit() {
        explicit = true;
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
        long[] statsAtRelease = wantStats ? stats() : null;
        destroyed = true;
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

    /** The pools that are open now (a snapshot). */
    public static List<PoolResource> open() {
        return new ArrayList<>(OPEN.values());
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

    /**
     * System property: count every pool's bytes in a process total with its peak, from the start (costs an atomic add
     * per allocation and free, so it is off by default).
     */
    public static final String PROCESS_BYTES_PROPERTY = "cymem4j.processBytes";

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
        return new long[] {CLOSED_EXPLICITLY.get(), CLOSED_BY_CLEANER.get()};
    }
}
