package org.cymem4j.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The library's system properties (README, "System properties"), read once and together, by whichever class needs
 * one first. A value is trimmed, and an empty one counts as unset (the default). Otherwise it must be one its property
 * takes: {@code true} or {@code false} (case ignored) for a switch, a level for {@code cymem4j.leakDetection}, a whole
 * number, 0 or more, for a size. Any other value is refused: the property keeps its default, and every
 * {@code Pool.open} throws {@link IllegalArgumentException} naming it ({@link #ensureValid()}, called by each pool's
 * constructor), so a typo never flips a switch silently and never breaks a class. Only a corrected value and a restart
 * clear a refusal. Before this, {@code Boolean.parseBoolean} read {@code -Dcymem4j.blockCache=flase} as false and
 * {@code -Dcymem4j.jmx=off} as on, and a refused level, thrown from a static initialiser, became
 * {@link ExceptionInInitializerError} and then {@link NoClassDefFoundError} for every later open.
 *
 * <p>The allocator's own setting ({@code cymem4j.allocator}, also an environment variable and a properties file) is
 * read by {@link AllocatorConfig}; an unknown name fails every open too, with its own message listing the names.
 */
public final class Settings {
    public static final String LEAK_DETECTION_PROPERTY = "cymem4j.leakDetection";
    public static final String LEAK_SITES_PROPERTY = "cymem4j.leakSites";
    public static final String LARGE_ALLOCATION_PROPERTY = "cymem4j.jfr.largeAllocationBytes";
    public static final String JMX_PROPERTY = "cymem4j.jmx";
    public static final String PROCESS_BYTES_PROPERTY = "cymem4j.processBytes";
    public static final String HUGE_PAGES_PROPERTY = "cymem4j.hugePages";
    public static final String CRITICAL_CALLS_PROPERTY = "cymem4j.criticalCalls";
    public static final String BLOCK_CACHE_PROPERTY = "cymem4j.blockCache";
    public static final String ARENA_ACCESS_PROPERTY = "cymem4j.arenaAccess";
    public static final String VIEW_NATIVE_THRESHOLD_PROPERTY = "cymem4j.view.nativeThreshold";

    /** Why values were refused, one message each, in the order above; empty when every value is valid. */
    private static final List<String> REFUSED = new ArrayList<>();

    /** The leak detection level at startup ({@code leakDetection}, else {@code leakSites=true} means full). */
    public static final LeakReports.Level LEAK_DETECTION = leakDetection();
    /** The size from which an allocation emits {@code org.cymem4j.LargeAllocation}: 1 MiB by default. */
    public static final long LARGE_ALLOCATION_BYTES = count(LARGE_ALLOCATION_PROPERTY, 1L << 20);
    public static final boolean JMX = switchOn(JMX_PROPERTY, true);
    public static final boolean PROCESS_BYTES = switchOn(PROCESS_BYTES_PROPERTY, false);
    public static final boolean HUGE_PAGES = switchOn(HUGE_PAGES_PROPERTY, true);
    public static final boolean CRITICAL_CALLS = switchOn(CRITICAL_CALLS_PROPERTY, true);
    public static final boolean BLOCK_CACHE = switchOn(BLOCK_CACHE_PROPERTY, true);
    /** JDK 22+: shared pools' Java reads go through FFM arena segments (where native access allows). */
    public static final boolean ARENA_ACCESS = switchOn(ARENA_ACCESS_PROPERTY, true);
    /** Views with at least this many elements go to the C kernels (16 by default; 0: always). */
    public static final long VIEW_NATIVE_THRESHOLD = count(VIEW_NATIVE_THRESHOLD_PROPERTY, 16);
    /** True when no value was refused (a constant, so each open's check folds away). */
    private static final boolean VALID = REFUSED.isEmpty();

    private Settings() {
    }

    /**
     * Throws if a value was refused; a constant check (the JIT folds it).
     *
     * @throws IllegalArgumentException naming the first refused value (the others are suppressed exceptions)
     */
    public static void ensureValid() {
        if (!VALID) {
            IllegalArgumentException e = new IllegalArgumentException(REFUSED.get(0));
            for (String other : REFUSED.subList(1, REFUSED.size())) {
                e.addSuppressed(new IllegalArgumentException(other));
            }
            throw e;
        }
    }

    /** True when no value was refused. */
    public static boolean valid() {
        return VALID;
    }

    /** For {@code cymem4j info} and {@code doctor}: "all valid", or each refusal. */
    public static String describe() {
        return VALID ? "all valid" : "refused, so every Pool.open throws: " + String.join("; ", REFUSED);
    }

    /** The property's value, trimmed, or null when it is unset or empty. */
    private static String valueOf(String property) {
        String value = System.getProperty(property);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static boolean switchOn(String property, boolean byDefault) {
        String value = valueOf(property);
        if (value == null) {
            return byDefault;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return value.equalsIgnoreCase("true");
        }
        REFUSED.add("-D" + property + "=" + value + " is not a boolean; use true or false");
        return byDefault;
    }

    private static long count(String property, long byDefault) {
        String value = valueOf(property);
        if (value == null) {
            return byDefault;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        REFUSED.add("-D" + property + "=" + value + " is not a count; use a whole number, 0 or more");
        return byDefault;
    }

    private static LeakReports.Level leakDetection() {
        boolean full = switchOn(LEAK_SITES_PROPERTY, false);
        try {
            return leakDetection(valueOf(LEAK_DETECTION_PROPERTY), full);
        } catch (IllegalArgumentException e) {
            REFUSED.add(0, e.getMessage()); // leakDetection first: the order of the README's table
            return leakDetection(null, full);
        }
    }

    /**
     * The level the two properties select: {@code leakDetection}'s value wins when set, then {@code leakSites} (true)
     * means {@code FULL}, else {@code SAMPLED}.
     *
     * @throws IllegalArgumentException naming the value if {@code leakDetection} is not a level
     */
    public static LeakReports.Level leakDetection(String leakDetection, boolean leakSites) {
        if (leakDetection != null && !leakDetection.isBlank()) {
            try {
                return LeakReports.Level.valueOf(leakDetection.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-D" + LEAK_DETECTION_PROPERTY + "=" + leakDetection
                        + " is not a level; use disabled, sampled or full", e);
            }
        }
        return leakSites ? LeakReports.Level.FULL : LeakReports.Level.SAMPLED;
    }
}
