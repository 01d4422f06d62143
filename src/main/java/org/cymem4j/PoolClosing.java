package org.cymem4j;

/**
 * The body of {@link Pool#close}: refuse a close that would touch a confined pool from the wrong thread before
 * anything changes, stop new calls and wait for those in flight, close the children, revoke the accessors, check a
 * debug pool's guards, then free everything through the Cleaner's action (the same one an unreachable pool gets).
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
            pool.resource.attach(resource);
            return resource;
        } finally {
            pool.release();
        }
    }

    static void close(Pool pool, ChildPools children, Pool parent) {
        if (pool.scope.isConfined() && pool.scope.isOpen()) {
            // Check every confined pool this close would close first, so a refused close changes nothing.
            if (pool.scope.owner() != Thread.currentThread()) {
                throw pool.scope.wrongThread();
            }
            for (Pool child : children.open()) {
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
        // No child can be added now: child() holds a call in flight, and the confined children are ours.
        RuntimeException childFailure = children.closeAll();
        pool.accessors.revokeAll();
        String damage = pool.debug != null ? pool.debug.beforeClose(pool.handle, pool.snapshots.liveBlocks()) : null;
        pool.resource.markExplicit();
        try {
            pool.cleanable.clean();
        } catch (RuntimeException e) {
            if (childFailure != null) {
                e.addSuppressed(childFailure);
            }
            throw e;
        } finally {
            if (parent != null) {
                parent.children.remove(pool);
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
