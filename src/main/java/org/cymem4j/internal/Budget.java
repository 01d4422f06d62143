package org.cymem4j.internal;

import org.cymem4j.internal.jni.NativePool;

/**
 * A pool's byte limit and what its child pools reserved from it, in the style of Arrow's allocators: a child
 * reserves its whole limit from its parent when it opens and returns it when it is released, so that
 * <pre>
 *   parent live bytes + sum(limit of each open child) &lt;= parent limit
 * </pre>
 * holds at all times. The C pool enforces it on every allocation: the parent's native limit is kept at
 * {@code limit - reserved}, and {@code cym_pool_alloc} fails with {@code CYM_ELIMIT} before calling the allocator.
 * So the allocation hot path has no Java-side accounting at all; only opening and closing a child takes this lock.
 *
 * <p>Part of the pool's Cleaner action (through {@link PoolResource}), so it refers to no {@code Pool}.
 */
public final class Budget {
    private final PoolResource resource;
    private final Budget parent;
    private final long limit;       // bytes, or -1 for none
    private long reserved;          // guarded by this: sum of the limits of the open children
    private boolean released;       // guarded by this

    /**
     * Sets up the budget of a pool that was just opened and applies its limit to the native pool. A child's
     * reservation must already have been granted by {@link #reserve} on {@code parent}.
     */
    public Budget(PoolResource resource, Budget parent, long limit) {
        this.resource = resource;
        this.parent = parent;
        this.limit = limit;
        if (limit >= 0) {
            resource.setLimit(limit);
        }
        resource.budget(this);
    }

    /** The byte limit, or -1 for none. */
    public long limit() {
        return limit;
    }

    /** Bytes reserved by open child pools. */
    public synchronized long reserved() {
        return reserved;
    }

    /**
     * Reserves {@code bytes} for a child pool. With no limit the reservation is only counted. Otherwise the native
     * limit is lowered first and the live bytes checked after, so an allocation racing on another thread cannot
     * slip in between the check and the reservation.
     *
     * @return true if granted; false, with nothing changed, if live bytes plus reservations would exceed the limit
     */
    public synchronized boolean reserve(long bytes) {
        if (released) {
            return false;
        }
        if (limit < 0) {
            reserved += bytes;
            return true;
        }
        long room = limit - reserved;
        if (bytes > room) {
            return false;
        }
        resource.setLimit(room - bytes);
        long[] s = resource.stats();
        if (s == null || s[NativePool.STAT_LIVE_BYTES] > room - bytes) {
            resource.setLimit(room);
            return false;
        }
        reserved += bytes;
        return true;
    }

    /** Returns a child's reservation. */
    public synchronized void unreserve(long bytes) {
        reserved -= bytes;
        if (limit >= 0 && !released) {
            resource.setLimit(limit - reserved);
        }
    }

    /** Called once the pool is released (by close or the Cleaner): gives its reservation back to the parent. */
    void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        if (parent != null) {
            parent.unreserve(limit);
        }
    }
}
