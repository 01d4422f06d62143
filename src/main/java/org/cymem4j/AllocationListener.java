package org.cymem4j;

/**
 * Called when an allocation (or a child pool's reservation) would take a pool over its byte limit, before the
 * request fails. The listener may free memory, for example by evicting a cache held in the same pool, and return
 * {@code true} to have the request tried once more; a second refusal throws {@link NativeOutOfMemoryError}. It is
 * never a reason to call {@code System.gc()} or to sleep: the limit is counted, not guessed from the GC.
 *
 * <pre>{@code
 * Deque<Long> cache = new ArrayDeque<>();
 * try (Pool pool = Pool.builder().limit(1 << 20).listener((p, requested, stats) -> {
 *         if (cache.isEmpty()) {
 *             return false;                 // nothing to give back: the allocation throws
 *         }
 *         p.free(cache.removeFirst());      // make room, then ask for the one retry
 *         return true;
 *     }).open()) {
 *     cache.addLast(pool.alloc(4096, 1));
 * }
 * }</pre>
 *
 * The listener runs on the allocating thread, inside the call, so it may use the pool (a confined pool's owner is
 * that thread). An exception it throws propagates from the allocation.
 */
@FunctionalInterface
public interface AllocationListener {
    /**
     * Called when a pool's limit refuses a request, before it fails.
     *
     * @param pool the pool whose limit refused the request
     * @param requestedBytes the bytes asked for (for a reallocation, the new size; for a child pool, its limit)
     * @param stats the pool's counters at the refusal
     * @return {@code true} to retry the request once, {@code false} to let it fail now
     */
    boolean onLimitExceeded(Pool pool, long requestedBytes, PoolStats stats);
}
