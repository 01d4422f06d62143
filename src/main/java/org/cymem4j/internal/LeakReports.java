package org.cymem4j.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.cymem4j.internal.jni.NativePool;

/**
 * Where pools are created (recorded when {@code -Dcymem4j.leakSites=true}) and how a pool the Cleaner had to
 * release is reported: once, through {@link System.Logger} at WARNING.
 */
public final class LeakReports {
    /** System property: record every pool's creation stack, for leak reports and {@code Pools.assertAllClosed()}. */
    public static final String SITES_PROPERTY = "cymem4j.leakSites";

    private static final System.Logger LOG = System.getLogger("org.cymem4j");
    private static final boolean RECORD_SITES = Boolean.getBoolean(SITES_PROPERTY);

    private LeakReports() {
    }

    /** A stack trace of the caller when sites are recorded, else null. */
    public static Throwable siteOrNull() {
        return RECORD_SITES ? new Throwable("pool created here") : null;
    }

    /** One line saying what a pool holds: {@code Pool#3 (confined, system allocator, 2 blocks, 128 bytes)}. */
    public static String describe(PoolResource pool, long[] stats) {
        String counts = stats == null ? "released"
                : stats[NativePool.STAT_LIVE_BLOCKS] + " blocks, " + stats[NativePool.STAT_LIVE_BYTES] + " bytes";
        return pool.name() + " (" + (pool.shared() ? "shared" : "confined") + ", " + pool.allocatorName()
                + " allocator, " + counts + ")";
    }

    /** Where the pool was created, as text, or how to find out. */
    public static String siteText(PoolResource pool) {
        Throwable site = pool.site();
        if (site == null) {
            return "creation site not recorded (run with -D" + SITES_PROPERTY + "=true to record it)";
        }
        StringWriter out = new StringWriter();
        site.printStackTrace(new PrintWriter(out));
        return "created at:\n" + out.toString().replaceFirst("^java.lang.Throwable: pool created here\\R", "");
    }

    static void reportCleanerRelease(PoolResource pool, long[] stats, RuntimeException attachedFailure) {
        LOG.log(System.Logger.Level.WARNING, "cymem4j leak: " + describe(pool, stats)
                + " became unreachable without close(); the Cleaner freed it. " + siteText(pool)
                + (attachedFailure != null ? "\nclosing its attached resources failed: " + attachedFailure : ""));
    }
}
