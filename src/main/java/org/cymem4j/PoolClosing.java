package org.cymem4j;

import java.lang.ref.Reference;

import org.cymem4j.internal.Budget;
import org.cymem4j.internal.NativeStatus;

/**
 * A pool's lifecycle outside its fast paths: {@link #openNow} (a pool that needs its C pool from the start),
 * {@link #handoff}, {@link #attach}, and the body of {@link Pool#close}: refuse a close that would touch a confined
 * pool from the wrong thread before anything changes, stop new calls and wait for those in flight, close the
 * children, revoke the accessors, check a debug pool's guards, then free everything through the Cleaner's action
 * (the same one an unreachable pool gets), or, for a pool that never made its C pool, just end it.
 */
final class PoolClosing {
    private PoolClosing() {
    }

    /** See {@link Pool#attach}: the resource closes with the pool, before its memory is freed. */
    static <T extends AutoCloseable> T attach(Pool pool, T resource) {
        if (resource == null) {
            throw new NullPointerException("resource");
        }
        pool.acquire();
        try {
            pool.handle(); // the Cleaner that closes the resource if the pool is forgotten comes with the C pool
            pool.resource.attach(resource);
            return resource;
        } finally {
            pool.release();
        }
    }

    /**
     * Makes the C pool of a pool being constructed now instead of on its first call: a limit (set in C) or a
     * parent's reservation, an allocator with Java hooks, a debug tracker or a thread-bound heap (whose calls stay
     * as they were), and a recorded creation site (so the Cleaner can still report where a forgotten pool came from).
     * On failure the pool's id is given up (Pools.openCount stays exact) and the exception propagates.
     */
    static void openNow(Pool pool, Pool parent, long limit) {
        try {
            pool.handle();
            if (parent != null || limit >= 0) {
                // An unlimited pool on its own gets its Budget only when it opens a child (ChildPools.budget()).
                new Budget(pool.resource, parent == null ? null : parent.resource.budget(), limit);
            }
        } catch (RuntimeException | Error e) {
            pool.resource.abandon();
            throw e;
        }
    }

    /** Makes the C pool and publishes its handle: see Pool.handle(). */
    static long materialize(Pool pool) {
        long h = pool.resource.materialize(pool);
        Reference.reachabilityFence(pool.allocator);
        if (h <= 0) {
            throw new NativeOutOfMemoryError("the " + pool.allocatorName() + " allocator could not allocate a pool ("
                    + NativeStatus.text((int) -h) + ")", 0);
        }
        pool.handle = h; // last: whoever reads h sees the C pool made from it
        return h;
    }

    /** See {@link Pool#handoff}. */
    static void handoff(Pool pool, Thread thread, boolean threadBound) {
        if (thread == null) {
            throw new NullPointerException("thread");
        }
        if (threadBound && pool.scope.isConfined()) {
            throw new IllegalStateException(pool.resource.name() + " uses the " + pool.allocatorName()
                    + " allocator, whose heap belongs to the thread that opened the pool: it cannot be handed off");
        }
        pool.scope.handoff(thread);
    }

    static void close(Pool pool, Pool parent) {
        if (pool.scope.isConfined() && pool.scope.isOpen()) {
            // Check every confined pool this close would close first, so a refused close changes nothing.
            if (pool.scope.owner() != Thread.currentThread()) {
                throw pool.scope.wrongThread();
            }
            for (Pool child : ChildPools.open(pool.children)) { // confined: no other thread adds one
                if (child.isOpen() && child.scope.isConfined() && child.scope.owner() != Thread.currentThread()) {
                    throw child.scope.wrongThread();
                }
            }
        }
        // Shared: stops new calls, then waits for the ones in flight (short native calls; none can start now).
        // The thread that began closing frees; a concurrent closer just returns.
        if (!pool.scope.beginClose()) {
            return;
        }
        // No child can be added now: child() holds a call in flight, and the confined children are ours. Read the
        // child list only now: a shared pool's first child() may have made it since this close began.
        RuntimeException childFailure = ChildPools.closeAll(pool.children);
        BlockAccessors.revokeAll(pool.accessors);
        String damage = pool.debug == null ? null
                : pool.debug.beforeClose(pool.handle(), PoolSnapshots.liveBlocks(pool));
        try {
            pool.resource.close();
        } catch (RuntimeException e) {
            if (childFailure != null) {
                e.addSuppressed(childFailure);
            }
            throw e;
        } finally {
            if (parent != null) {
                ChildPools.of(parent).remove(pool);
            }
        }
        if (damage != null) {
            IllegalStateException e = new IllegalStateException(damage);
            if (childFailure != null) {
                e.addSuppressed(childFailure);
            }
            throw e;
        }
        if (childFailure != null) {
            throw childFailure;
        }
    }
}
