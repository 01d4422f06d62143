package org.cymem4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

import org.cymem4j.internal.Budget;
import org.cymem4j.internal.Events;
import org.cymem4j.internal.Lazy;

/**
 * A pool's open child pools and its share of the limit accounting ({@link Budget}): {@link Pool#child} reserves a
 * child's limit from the pool's budget, and the pool's close closes its open children first, last opened first.
 *
 * <p>The child list has its own lock, apart from the pool's block accessors ({@link BlockAccessors}). Pools that never
 * opened a child skip the lock when they close ({@link #made}).
 */
final class ChildPools {
    /** {@link Pool#children}: made by the pool's first {@link Pool#child}, one per pool even when two threads race. */
    private static final VarHandle OF_POOL =
            Lazy.field(MethodHandles.lookup(), Pool.class, "children", ChildPools.class);

    private final Pool pool;
    // The monitor is this object (package-private, nobody else locks it): one object less per pool.
    /** Open child pools, closed before the pool closes; made on first use. */
    private List<Pool> children; // guarded by this
    /** Set (under the lock) before the first child pool is added; never cleared. Lets close() skip the lock. */
    private volatile boolean made;

    private ChildPools(Pool pool) {
        this.pool = pool;
    }

    /** The pool's child list, made on first need (as {@link BlockAccessors#of}). */
    static ChildPools of(Pool pool) {
        ChildPools c = pool.children;
        return c != null ? c : Lazy.publish(OF_POOL, pool, new ChildPools(pool));
    }

    /** The pool's Budget, made on first use for an unlimited pool that was opened on its own. */
    Budget budget() {
        synchronized (this) { // two threads of a shared pool must not make two budgets
            Budget b = pool.resource.budget();
            return b != null ? b : new Budget(pool.resource, null, -1);
        }
    }

    /** The body of {@link Pool#child}: reserve (asking the listener once), open the child, remember it. */
    Pool open(long limitBytes) {
        pool.acquire();
        boolean reserved;
        try {
            reserved = budget().reserve(limitBytes);
        } finally {
            pool.release();
        }
        // The listener runs outside the call bracket, so it may use or even close the pool (then acquire() throws).
        AllocationListener listener = pool.listener;
        boolean retry = !reserved && listener != null && listener.onLimitExceeded(pool, limitBytes, pool.stats());
        pool.acquire();
        try {
            Budget budget = budget();
            if (!reserved && !(retry && budget.reserve(limitBytes))) {
                PoolStats s = pool.stats();
                Events.allocationFailed(pool.resource, limitBytes, s.liveBytes(), s.limitBytes(), true);
                throw new NativeOutOfMemoryError(pool.resource.name() + " limit exceeded: cannot reserve "
                        + limitBytes + " bytes for a child pool with " + s.liveBytes() + " bytes live, "
                        + s.reservedBytes() + " bytes reserved by child pools and a limit of " + s.limitBytes()
                        + " bytes", limitBytes);
            }
            Pool child;
            try {
                PoolBuilder options = new PoolBuilder().limit(limitBytes).listener(listener).allocator(pool.allocator);
                options.shared = pool.isShared();
                child = new Pool(options, pool);
            } catch (RuntimeException | Error e) {
                budget.unreserve(limitBytes);
                throw e;
            }
            synchronized (this) {
                if (children == null) {
                    children = new ArrayList<>();
                    made = true;
                }
                children.add(child);
            }
            return child;
        } finally {
            pool.release();
        }
    }

    /** A copy of the open children of {@code c}'s pool (null: it never had one), in the order they were opened. */
    static List<Pool> open(ChildPools c) {
        if (c == null || !c.made) {
            return List.of(); // no lock: an uncontended monitor is a good part of an empty pool's open + close
        }
        synchronized (c) {
            return c.children == null ? List.of() : new ArrayList<>(c.children);
        }
    }

    /**
     * Closes the children of {@code c}'s pool (null: none), last opened first; returns the first failure (others
     * suppressed) instead of throwing.
     */
    static RuntimeException closeAll(ChildPools c) {
        List<Pool> open = open(c);
        RuntimeException failure = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    /** Forgets a child that closed. */
    void remove(Pool child) {
        synchronized (this) {
            if (children != null) {
                children.remove(child);
            }
        }
    }
}
