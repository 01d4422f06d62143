package org.cymem4j;

import java.util.List;

import org.cymem4j.internal.LeakReports;
import org.cymem4j.internal.PoolResource;
import org.cymem4j.internal.jni.NativeLib;
import org.cymem4j.internal.jni.NativePool;

/**
 * Process-wide view of the pools: how many are open, how many native blocks and bytes they hold, and a leak check
 * for test suites.
 *
 * <pre>{@code
 * @AfterAll
 * static void noLeaks() {
 *     Pools.assertAllClosed();   // throws, listing each open pool and where it was created
 * }
 * }</pre>
 *
 * (or put {@link org.cymem4j.junit.NativeLeakCheck} on the test class).
 */
public final class Pools {
    private Pools() {
    }

    /**
     * Loads cymem4j's native library, {@code libjnicymem4j.so} (once), and returns the path it was loaded from.
     * Native code that calls {@code cymem4j.h} links against that library (README, "Using cymem4j from C/C++");
     * call this before {@link System#load} of such a library, so that the library's dependency on
     * {@code libjnicymem4j.so} binds to the copy already in the JVM (matched by its SONAME) rather than to a
     * second copy of the C core, or to nothing.
     *
     * <pre>{@code
     * Pools.nativeLibrary();                      // libjnicymem4j.so is now in the process
     * System.load("/opt/app/libmyconsumer.so");   // its cym_* calls resolve to that same copy
     * }</pre>
     *
     * @return the file the library was loaded from (under JavaCPP's cache directory when it came from a jar)
     * @throws UnsatisfiedLinkError if the library cannot be loaded on this platform
     */
    public static String nativeLibrary() {
        return NativeLib.load();
    }

    /**
     * The number of pools open now (including the private pools of {@link Address} objects): every pool opened and
     * not yet closed. A pool holds no native memory until its first allocation (or other call that needs its C
     * pool), so a pool that is forgotten before that has nothing for the Cleaner to free: it stays counted here
     * (it was never closed) instead of being released and logged; a forgotten pool that allocated is released by
     * the Cleaner, logged, and no longer counted.
     *
     * @return the number of pools open now (including the private pools of {@link Address} objects)
     */
    public static int openCount() {
        return PoolResource.openCount();
    }

    /**
     * Live blocks summed over every open pool.
     *
     * @return live blocks summed over every open pool
     */
    public static long liveBlocks() {
        return sum(NativePool.STAT_LIVE_BLOCKS);
    }

    /**
     * Live bytes summed over every open pool.
     *
     * @return live bytes summed over every open pool
     */
    public static long liveBytes() {
        return sum(NativePool.STAT_LIVE_BYTES);
    }

    /**
     * Pools released by {@code close()} since the JVM started.
     *
     * @return pools released by {@code close()} since the JVM started
     */
    public static long closedExplicitly() {
        return PoolResource.releaseCounts()[0];
    }

    /**
     * Pools the Cleaner had to release (leaks) since the JVM started.
     *
     * @return pools the Cleaner had to release (leaks) since the JVM started
     */
    public static long closedByCleaner() {
        return PoolResource.releaseCounts()[1];
    }

    /**
     * The process-wide counters in one snapshot: pools open, live bytes and blocks, allocations, frees and failures
     * since the JVM started, and pools released by {@code close()} versus by the Cleaner. Each pool is read
     * atomically; the sum over pools is not (a pool closing during the call may be counted in its totals twice or
     * not at all).
     *
     * @return the process-wide counters
     */
    public static NativeMemoryStats stats() {
        int open = PoolResource.openCount();
        long[] s = PoolResource.processStats();
        long[] released = PoolResource.releaseCounts();
        return new NativeMemoryStats(open, s[NativePool.STAT_LIVE_BYTES], s[NativePool.STAT_LIVE_BLOCKS],
                s[NativePool.STAT_TOTAL_ALLOCS], s[NativePool.STAT_TOTAL_FREES], s[NativePool.STAT_FAILED_ALLOCS],
                released[0], released[1], PoolResource.processBytes()[1]);
    }

    /**
     * Turns process-wide byte tracking on or off: while on, pools created from then on add their live bytes to a
     * process total whose peak {@link #stats()} reports as {@code peakBytes} (exact: pools created before stay out
     * of it). It costs an atomic add per allocation and free, so it is off unless {@code -Dcymem4j.processBytes=true}
     * or this method turns it on.
     *
     * <pre>{@code
     * Pools.setProcessByteTracking(true);
     * ... run the workload ...
     * long peak = Pools.stats().peakBytes();
     * }</pre>
     *
     * @param on {@code true} to turn tracking on, {@code false} to turn it off
     */
    public static void setProcessByteTracking(boolean on) {
        PoolResource.trackProcessBytes(on);
    }

    /**
     * The current {@link LeakDetection} level (from {@code -Dcymem4j.leakDetection}, default sampled).
     *
     * @return the current {@link LeakDetection} level (from {@code -Dcymem4j.leakDetection}, default sampled)
     */
    public static LeakDetection leakDetection() {
        return LeakDetection.valueOf(LeakReports.level().name());
    }

    /**
     * Changes the {@link LeakDetection} level for pools opened from now on (pools already open keep what they
     * recorded), like Netty's {@code ResourceLeakDetector.setLevel}.
     *
     * <pre>{@code
     * @BeforeAll
     * static void recordSites() {
     *     Pools.setLeakDetection(LeakDetection.FULL);
     * }
     * }</pre>
     *
     * @param level the new level
     * @throws NullPointerException if {@code level} is null
     */
    public static void setLeakDetection(LeakDetection level) {
        LeakReports.setLevel(LeakReports.Level.valueOf(level.name()));
    }

    private static long sum(int stat) {
        long total = 0;
        for (PoolResource pool : PoolResource.open()) {
            long[] stats = pool.stats();
            if (stats != null) {
                total += stats[stat];
            }
        }
        return total;
    }

    /**
     * Throws if any pool is open, listing each with its blocks, bytes and creation site (recorded for every pool
     * with {@code -Dcymem4j.leakDetection=full}, for one in 128, at most 1,000 a second, by default). Pools that never
     * allocated (no native memory, no recorded site) are counted in one line; with {@code full} every pool is listed
     * by name.
     *
     * @throws IllegalStateException naming every open pool
     */
    public static void assertAllClosed() {
        List<PoolResource> open = PoolResource.open();
        long unlisted = PoolResource.unlistedOpenCount();
        if (open.isEmpty() && unlisted == 0) {
            return;
        }
        StringBuilder message = new StringBuilder((open.size() + unlisted) + " pool(s) still open:");
        if (unlisted > 0) {
            message.append("\n  ").append(unlisted).append(" pool(s) never used (no native memory, no creation site)");
        }
        for (PoolResource pool : open) {
            message.append("\n  ").append(LeakReports.describe(pool, pool.stats()))
                    .append("; ").append(LeakReports.siteText(pool).replace("\n", "\n    "));
        }
        throw new IllegalStateException(message.toString());
    }
}
