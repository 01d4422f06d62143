package org.cymem4j;

/**
 * A snapshot of one pool's counters, read atomically (under the native pool's lock for a shared pool).
 *
 * <pre>{@code
 * try (Pool pool = Pool.builder().limit(1 << 20).open()) {
 *     pool.alloc(100, 8);
 *     PoolStats s = pool.stats();   // liveBytes=800, liveBlocks=1, peakBytes=800, totalAllocs=1, limitBytes=1048576
 * }
 * }</pre>
 *
 * @param liveBytes bytes in live blocks now
 * @param liveBlocks live blocks now
 * @param peakBytes the highest {@code liveBytes} since the pool opened
 * @param totalAllocs successful allocations since the pool opened (a {@code realloc} is not counted)
 * @param totalFrees blocks freed one by one (not counting those freed by {@code close()})
 * @param failedAllocs allocations refused by the limit or by the allocator
 * @param limitBytes the pool's byte limit, or {@code -1} for none
 * @param reservedBytes bytes reserved by the pool's open {@linkplain Pool#child child pools}; they count against
 *     {@code limitBytes} as if they were live
 */
public record PoolStats(long liveBytes, long liveBlocks, long peakBytes, long totalAllocs, long totalFrees,
        long failedAllocs, long limitBytes, long reservedBytes) {

    /**
     * Bytes this pool may still allocate before its limit, or {@link Long#MAX_VALUE} without a limit.
     *
     * @return bytes this pool may still allocate before its limit, or {@link Long#MAX_VALUE} without a limit
     */
    public long remainingBytes() {
        return limitBytes < 0 ? Long.MAX_VALUE : Math.max(0, limitBytes - reservedBytes - liveBytes);
    }
}
