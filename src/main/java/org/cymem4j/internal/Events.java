package org.cymem4j.internal;

import jdk.jfr.FlightRecorder;

import org.cymem4j.internal.jfr.AllocationFailureEvent;
import org.cymem4j.internal.jfr.LargeAllocationEvent;
import org.cymem4j.internal.jfr.LeakEvent;
import org.cymem4j.internal.jfr.PoolCloseEvent;
import org.cymem4j.internal.jfr.PoolOpenEvent;
import org.cymem4j.internal.jni.NativePool;

/**
 * Emits cymem4j's JFR events. Every event type is {@code @Enabled(false)}: nothing is recorded unless a recording
 * enables it by name ({@code org.cymem4j.PoolOpen}, {@code PoolClose}, {@code Leak}, {@code AllocationFailure},
 * {@code LargeAllocation}). The allocation hot path only compares the size with {@link #LARGE_ALLOCATION_BYTES}
 * (a {@code static final} the JIT folds) before it builds an event, and every method first asks
 * {@link FlightRecorder#isInitialized()} (one static field read): until some recording has started in this JVM, no
 * event object is made at all.
 */
public final class Events {
    /** The threshold read from {@code cymem4j.jfr.largeAllocationBytes} ({@link Settings}); 1 MiB by default. */
    public static final long LARGE_ALLOCATION_BYTES = Settings.LARGE_ALLOCATION_BYTES;

    private Events() {
    }

    public static void poolOpened(PoolResource pool, long parentId, long limitBytes) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        PoolOpenEvent e = new PoolOpenEvent();
        if (e.isEnabled()) {
            e.poolId = pool.id();
            e.parentId = parentId;
            e.shared = pool.shared();
            e.allocator = pool.allocatorName();
            e.limitBytes = limitBytes;
            e.commit();
        }
    }

    /** Whether a pool close would be recorded now (so its counters are worth reading). */
    public static boolean poolCloseRecorded() {
        return FlightRecorder.isInitialized() && new PoolCloseEvent().isEnabled();
    }

    public static void poolClosed(PoolResource pool, long[] stats, boolean byCleaner) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        PoolCloseEvent e = new PoolCloseEvent();
        if (e.isEnabled() && stats != null) {
            e.poolId = pool.id();
            e.byCleaner = byCleaner;
            e.liveBytes = stats[NativePool.STAT_LIVE_BYTES];
            e.liveBlocks = stats[NativePool.STAT_LIVE_BLOCKS];
            e.peakBytes = stats[NativePool.STAT_PEAK_BYTES];
            e.totalAllocs = stats[NativePool.STAT_TOTAL_ALLOCS];
            e.totalFrees = stats[NativePool.STAT_TOTAL_FREES];
            e.commit();
        }
    }

    public static void leak(PoolResource pool, long[] stats) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        LeakEvent e = new LeakEvent();
        if (e.isEnabled()) {
            e.poolId = pool.id();
            e.liveBytes = stats == null ? 0 : stats[NativePool.STAT_LIVE_BYTES];
            e.liveBlocks = stats == null ? 0 : stats[NativePool.STAT_LIVE_BLOCKS];
            e.creationSite = pool.site() == null ? "" : LeakReports.siteText(pool);
            e.commit();
        }
    }

    public static void allocationFailed(PoolResource pool, long requestedBytes, long liveBytes, long limitBytes,
            boolean overLimit) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        AllocationFailureEvent e = new AllocationFailureEvent();
        if (e.isEnabled()) {
            e.poolId = pool.id();
            e.requestedBytes = requestedBytes;
            e.liveBytes = liveBytes;
            e.limitBytes = limitBytes;
            e.reason = overLimit ? "limit" : "allocator";
            e.commit();
        }
    }

    /** Call only when {@code bytes >= LARGE_ALLOCATION_BYTES}, so small allocations never build an event. */
    public static void largeAllocation(PoolResource pool, long bytes, long address) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        LargeAllocationEvent e = new LargeAllocationEvent();
        if (e.isEnabled()) {
            e.poolId = pool.id();
            e.bytes = bytes;
            e.address = address;
            e.commit();
        }
    }
}
