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

    public PoolResource(long handle, boolean shared, String allocatorName, Throwable site) {
        this.id = IDS.incrementAndGet();
        this.handle = handle;
        this.shared = shared;
        this.allocatorName = allocatorName;
        this.site = site;
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
        synchronized (this) {
            toClose = attached;
            attached = null;
        }
        RuntimeException failure = closeAll(toClose);
        long[] statsAtRelease;
        synchronized (this) {
            statsAtRelease = stats();
            destroyed = true;
            OPEN.remove(id);
            NativePool.cym_j_pool_destroy(handle);
        }
        (explicit ? CLOSED_EXPLICITLY : CLOSED_BY_CLEANER).incrementAndGet();
        if (!explicit) {
            LeakReports.reportCleanerRelease(this, statsAtRelease, failure);
        } else if (failure != null) {
            throw failure;
        }
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

    /** How many pools were released by {@code close()} and how many by the Cleaner, since the JVM started. */
    public static long[] releaseCounts() {
        return new long[] {CLOSED_EXPLICITLY.get(), CLOSED_BY_CLEANER.get()};
    }
}
