package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;

import org.cymem4j.internal.Checks;
import org.cymem4j.internal.jni.NativePool;

/**
 * What a pool must report, kept beside it by a test: its live blocks with their sizes, live bytes, peak and totals.
 * The expected values of BlockLeaseHostileTest and of {@link PoolModel}'s random runs.
 */
final class PoolCounts {
    /** Address to size: what {@code pool.addresses()} must answer. */
    final Map<Long, Long> live = new HashMap<>();
    long liveBytes;
    long peak;
    long allocs;
    long frees;

    /** A block of {@code size} handed out at {@code a}, which no live block may hold. */
    void alloc(long a, long size) {
        assertNull(live.put(a, size), "a live block handed out again: " + Checks.hex(a));
        liveBytes += size;
        peak = Math.max(peak, liveBytes);
        allocs++;
    }

    /** {@code pool.alloc(count, elemSize)}, recorded as {@link #alloc(long, long)} does: the block's address. */
    long alloc(Pool pool, long count, long elemSize) {
        long a = pool.alloc(count, elemSize);
        alloc(a, count * elemSize);
        return a;
    }

    void free(long a) {
        liveBytes -= live.remove(a);
        frees++;
    }

    /** A resize of {@code from} to {@code size} bytes at {@code to}: neither an allocation nor a free. */
    void realloc(long from, long to, long size) {
        liveBytes -= live.remove(from);
        live.put(to, size);
        liveBytes += size;
        peak = Math.max(peak, liveBytes);
    }

    /** The pool's counters are these ({@code when} ends each message). */
    void assertStats(Pool pool, String when) {
        PoolStats s = pool.stats();
        assertEquals(live.size(), s.liveBlocks(), "live blocks " + when);
        assertEquals(liveBytes, s.liveBytes(), "live bytes " + when);
        assertEquals(peak, s.peakBytes(), "peak " + when);
        assertEquals(allocs, s.totalAllocs(), "allocs " + when);
        assertEquals(frees, s.totalFrees(), "frees " + when);
    }

    /** C's own view, asked through the raw handle after a settle ended the cache (nativeHandle()). */
    void assertC(long h, String when) {
        long[] c = new long[NativePool.STAT_COUNT];
        NativePool.cym_j_pool_stats(h, c);
        assertEquals(live.size(), c[NativePool.STAT_LIVE_BLOCKS], "C's live blocks " + when);
        assertEquals(liveBytes, c[NativePool.STAT_LIVE_BYTES], "C's live bytes " + when);
        assertEquals(peak, c[NativePool.STAT_PEAK_BYTES], "C's peak " + when);
        assertEquals(allocs, c[NativePool.STAT_TOTAL_ALLOCS], "C's allocs " + when);
        assertEquals(frees, c[NativePool.STAT_TOTAL_FREES], "C's frees " + when);
        for (Map.Entry<Long, Long> e : live.entrySet()) {
            assertEquals(e.getValue(), NativePool.cym_j_pool_size_of(h, e.getKey()), "C's size " + when);
        }
        assertEquals(1, NativePool.cym_j_pool_check(h), "C's invariants " + when);
    }
}
