package org.cymem4j;

/**
 * Process-wide counters over every pool (including the private pools of {@link Address} objects), as
 * {@link Pools#stats()} and the {@code org.cymem4j:type=NativeMemory} MXBean report them. Live values sum the open
 * pools; totals also include pools already released.
 *
 * <pre>{@code
 * NativeMemoryStats s = Pools.stats();
 * log.info("native: {} bytes in {} blocks over {} pools", s.liveBytes(), s.liveBlocks(), s.openPools());
 * }</pre>
 *
 * @param openPools pools open now
 * @param liveBytes bytes in live blocks of open pools
 * @param liveBlocks live blocks of open pools
 * @param totalAllocs successful allocations since the JVM started (reallocations not counted)
 * @param totalFrees blocks freed one by one since the JVM started
 * @param failedAllocs allocations refused by a limit or an allocator since the JVM started
 * @param closedExplicitly pools released by {@code close()} (or by their parent's close)
 * @param closedByCleaner pools the Cleaner released because nobody closed them: leaks
 * @param peakBytes the highest process-wide live bytes seen, or -1 unless process byte tracking is on
 *     ({@code -Dcymem4j.processBytes=true} from the start, or {@link Pools#setProcessByteTracking(boolean)}; it costs
 *     an atomic add per allocation and free, so it is off by default)
 */
public record NativeMemoryStats(long openPools, long liveBytes, long liveBlocks, long totalAllocs, long totalFrees,
        long failedAllocs, long closedExplicitly, long closedByCleaner, long peakBytes) {
}
