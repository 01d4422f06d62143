package org.cymem4j;

import org.cymem4j.internal.LeakReports;
import org.cymem4j.internal.Settings;

/**
 * How much work cymem4j does to say where a leaked pool was created. The level comes from the system property
 * {@code cymem4j.leakDetection} ({@code disabled}, {@code sampled} or {@code full}; default {@code sampled}) and
 * may be changed at run time with {@link Pools#setLeakDetection}. {@code -Dcymem4j.leakSites=true} is an alias of
 * {@code full}, kept from earlier versions.
 *
 * <pre>{@code
 * java -Dcymem4j.leakDetection=full -jar app.jar      // every pool records where it was opened
 * Pools.setLeakDetection(LeakDetection.FULL);         // or from code, e.g. in a test's @BeforeAll
 * }</pre>
 *
 * Whatever the level, a pool released by the Cleaner instead of {@link Pool#close()} is counted
 * ({@link Pools#closedByCleaner()}) and reported once at WARNING; the level only decides whether the report and
 * {@link Pools#assertAllClosed()} can show the creation stack.
 */
public enum LeakDetection {
    /** No creation stacks are recorded; leaks are still counted and reported, without a site. */
    DISABLED,
    /**
     * The creation stack of one in {@value #SAMPLING_INTERVAL} of each thread's pools is recorded (every 128th, from a
     * place that differs from thread to thread), at most 1,000 a second; the others cost nothing. A leak that repeats
     * is soon reported with its site.
     */
    SAMPLED,
    /** Every pool records its creation stack (a stack walk per pool open: for tests and debugging). */
    FULL;

    /** Under {@link #SAMPLED}, one pool in this many records its creation stack. */
    public static final int SAMPLING_INTERVAL = LeakReports.SAMPLING_INTERVAL;

    /** The system property that sets the level at startup. */
    public static final String PROPERTY = Settings.LEAK_DETECTION_PROPERTY;

    /** The older boolean switch, an alias of {@link #FULL} when {@code true}. */
    public static final String LEGACY_SITES_PROPERTY = Settings.LEAK_SITES_PROPERTY;
}
