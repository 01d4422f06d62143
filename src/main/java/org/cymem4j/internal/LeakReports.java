package org.cymem4j.internal;

import java.util.Locale;

import org.cymem4j.internal.jni.NativePool;

/**
 * Where pools are created (recorded according to the leak-detection level) and how a pool the Cleaner had to
 * release is reported: once, through {@link System.Logger} at WARNING, and as a JFR event. The public
 * {@code org.cymem4j.LeakDetection} mirrors {@link Level}; its system properties are read by {@link Settings}.
 */
public final class LeakReports {
    /** The levels, in the order of {@code org.cymem4j.LeakDetection}'s constants (which map to them by name). */
    public enum Level { DISABLED, SAMPLED, FULL }

    /** Under {@code SAMPLED}, one pool in this many records its creation stack. */
    public static final int SAMPLING_INTERVAL = 128;
    /**
     * Under {@code SAMPLED}, at most this many creation stacks a second. A sampled pool pays a stack walk and makes its
     * C pool at once (a microsecond or two), so an app opening millions of pools a second would otherwise pay that
     * on every 128th (issue 20: a quarter of an empty pool's open + close); a leak that repeats is still recorded.
     */
    public static final int MAX_SAMPLES_PER_SECOND = 1000;
    private static final long SECOND_NANOS = 1_000_000_000L;

    private static final System.Logger LOG = System.getLogger("org.cymem4j");
    private static volatile Level level = Settings.LEAK_DETECTION;
    /**
     * The current second of samples: when it ends ({@link System#nanoTime()}) and the samples taken in it. Guarded by
     * {@code LeakReports.class}, taken only on the one-in-128 path (which pays a stack walk when it samples), so the
     * cap is exact under any number of threads. Invariant: {@code samplesInWindow <= MAX_SAMPLES_PER_SECOND}.
     */
    private static long sampleWindowEnd = System.nanoTime();
    private static int samplesInWindow;

    private LeakReports() {
    }

    /** The current level. */
    public static Level level() {
        return level;
    }

    /** Changes the level for pools opened from now on; the sampling cap's second starts again. */
    public static void setLevel(Level newLevel) {
        if (newLevel == null) {
            throw new NullPointerException("level");
        }
        level = newLevel;
        synchronized (LeakReports.class) {
            sampleWindowEnd = System.nanoTime();
        }
    }

    /**
     * A stack trace of the caller when the level asks for one for the pool it is opening, else null; {@code ledger}
     * is the calling thread's {@link PoolLedger#cell()}. Under {@code sampled} that is one in 128 of each thread's
     * pools ({@link PoolLedger#sampleDue}), so the 127 in 128 that are not sampled pay nothing at all; the sampled
     * ones up to {@link #MAX_SAMPLES_PER_SECOND} a second.
     */
    public static Throwable siteOrNull(long[] ledger) {
        Level l = level;
        if (l == Level.FULL || (l == Level.SAMPLED && PoolLedger.sampleDue(ledger)
                && sampleAllowed(System.nanoTime()))) {
            // Only the cheap part of the stack walk: the frames are materialized when a report prints them.
            return new Throwable("pool created here");
        }
        return null;
    }

    /**
     * Whether a sample at {@code now} ({@link System#nanoTime()}) is within {@link #MAX_SAMPLES_PER_SECOND}: counts
     * it if so. A second starts at the first sample after the previous one ended.
     */
    static synchronized boolean sampleAllowed(long now) {
        if (now - sampleWindowEnd >= 0) {
            sampleWindowEnd = now + SECOND_NANOS;
            samplesInWindow = 0;
        }
        if (samplesInWindow == MAX_SAMPLES_PER_SECOND) {
            return false;
        }
        samplesInWindow++;
        return true;
    }

    /** One line saying what a pool holds: {@code Pool#3 (confined, system allocator, 2 blocks, 128 bytes)}. */
    public static String describe(PoolResource pool, long[] stats) {
        String counts = stats == null ? "released"
                : stats[NativePool.STAT_LIVE_BLOCKS] + " blocks, " + stats[NativePool.STAT_LIVE_BYTES] + " bytes";
        return pool.name() + " (" + (pool.shared() ? "shared" : "confined") + ", " + pool.allocatorName()
                + " allocator, " + counts + ")";
    }

    /** Full counters for a leak report: {@code peak 256 bytes, 5 allocs, 3 frees, 0 failed}. */
    static String counters(long[] stats) {
        if (stats == null) {
            return "";
        }
        return "; peak " + stats[NativePool.STAT_PEAK_BYTES] + " bytes, " + stats[NativePool.STAT_TOTAL_ALLOCS]
                + " allocs, " + stats[NativePool.STAT_TOTAL_FREES] + " frees, " + stats[NativePool.STAT_FAILED_ALLOCS]
                + " failed";
    }

    /** Where the pool was created, as text, or how to find out. */
    public static String siteText(PoolResource pool) {
        Throwable site = pool.site();
        if (site == null) {
            return "creation site not recorded (level " + level.name().toLowerCase(Locale.ROOT)
                    + "; run with -D" + Settings.LEAK_DETECTION_PROPERTY + "=full to record every site)";
        }
        // Skip the frames of the recording itself, so a site starts at Pool.open, Pool.child, PoolBuilder.open...
        StackTraceElement[] frames = site.getStackTrace();
        int first = 0;
        while (first < frames.length - 1 && (frames[first].getClassName().startsWith("org.cymem4j.internal.")
                || frames[first].getMethodName().equals("<init>")
                        && frames[first].getClassName().equals("org.cymem4j.Pool"))) {
            first++;
        }
        StringBuilder out = new StringBuilder("created at:");
        for (int i = first; i < frames.length; i++) {
            out.append("\n\tat ").append(frames[i]);
        }
        return out.toString();
    }

    static void reportCleanerRelease(PoolResource pool, long[] stats, RuntimeException attachedFailure) {
        Events.leak(pool, stats);
        LOG.log(System.Logger.Level.WARNING, "cymem4j leak: " + describe(pool, stats) + counters(stats)
                + "; it became unreachable without close() and the Cleaner freed it. " + siteText(pool)
                + (attachedFailure != null ? "\nclosing its attached resources failed: " + attachedFailure : ""));
    }
}
