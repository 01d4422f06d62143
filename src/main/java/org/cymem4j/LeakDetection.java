package org.cymem4j;

import java.util.Locale;

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
     * The creation stack of one pool in {@value #SAMPLING_INTERVAL} is recorded (Pool#1, Pool#129, Pool#257, ...: the
     * first pool the process opens, then every 128th); the others cost nothing. A leak that repeats is soon reported
     * with its site.
     */
    SAMPLED,
    /** Every pool records its creation stack (a stack walk per pool open: for tests and debugging). */
    FULL;

    /** Under {@link #SAMPLED}, one pool in this many records its creation stack. */
    public static final int SAMPLING_INTERVAL = 128;

    /** The system property that sets the level at startup. */
    public static final String PROPERTY = "cymem4j.leakDetection";

    /** The older boolean switch, an alias of {@link #FULL} when {@code true}. */
    public static final String LEGACY_SITES_PROPERTY = "cymem4j.leakSites";

    /**
     * The level named by the two properties' values: {@code leakDetection} wins when set, then
     * {@code leakSites=true} means {@link #FULL}, else {@link #SAMPLED}.
     *
     * @param leakDetection the value of {@value #PROPERTY}, or null
     * @param leakSites the value of {@value #LEGACY_SITES_PROPERTY}, or null
     * @return the level those values select
     * @throws IllegalArgumentException if {@code leakDetection} is set to an unknown level
     */
    public static LeakDetection fromProperties(String leakDetection, String leakSites) {
        if (leakDetection != null && !leakDetection.isBlank()) {
            try {
                return valueOf(leakDetection.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + leakDetection
                        + " is not a level; use disabled, sampled or full", e);
            }
        }
        return Boolean.parseBoolean(leakSites) ? FULL : SAMPLED;
    }
}
