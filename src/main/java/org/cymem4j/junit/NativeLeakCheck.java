package org.cymem4j.junit;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.cymem4j.Pools;
import org.cymem4j.internal.LeakReports;
import org.cymem4j.internal.PoolResource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test class which leaves open a cymem4j pool it opened: before the class's tests it
 * notes the pools already open, and after them it fails if any pool opened since is still open, with one line per
 * such pool:
 *
 * <pre>
 * NativeLeakCheck: 1 pool opened during com.example.BufferTest is still open:
 *   Pool#7 (confined, system allocator, 2 blocks, 128 bytes), opened at com.example.BufferTest.fill(BufferTest.java:42)
 * </pre>
 *
 * Pools that were open before the class started (a leak of an earlier class, or a pool the application keeps for
 * its whole life) are not this class's fault and are not reported, so one leaking class does not fail the classes
 * that run after it. Run the tests with {@code -Dcymem4j.leakDetection=full} (or call
 * {@code Pools.setLeakDetection(LeakDetection.FULL)}) to record where every pool is opened; under the default
 * {@code sampled} level only one pool in 128 (at most 1,000 a second) records its site, and the others say "creation
 * site not recorded". When test classes run in parallel, a pool another class opens while this one runs counts as
 * this class's too.
 *
 * <pre>{@code
 * @ExtendWith(NativeLeakCheck.class)
 * class MyNativeTest { ... }
 * }</pre>
 *
 * Or register it for every test class through JUnit's extension auto-detection (a
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} file naming this class, and
 * {@code junit.jupiter.extensions.autodetection.enabled=true}). For a check of the whole process, call
 * {@link Pools#assertAllClosed()}.
 */
public final class NativeLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NativeLeakCheck.class);
    private static final String OPEN_BEFORE = "poolsOpenBefore";
    private static final String UNLISTED_BEFORE = "unlistedPoolsOpenBefore";

    /**
     * Creates the extension. JUnit calls this for {@code @ExtendWith(NativeLeakCheck.class)} and for auto-detected
     * registration; the extension keeps no state of its own (each test class's open pools are kept in that class's
     * {@link ExtensionContext.Store}), so one instance may serve any number of classes.
     */
    public NativeLeakCheck() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(OPEN_BEFORE, openPools());
        context.getStore(NAMESPACE).put(UNLISTED_BEFORE, PoolResource.unlistedOpenCount());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Object before = context.getStore(NAMESPACE).remove(OPEN_BEFORE);
        Object unlisted = context.getStore(NAMESPACE).remove(UNLISTED_BEFORE);
        @SuppressWarnings("unchecked")
        Set<PoolResource> openBefore = before instanceof Set ? (Set<PoolResource>) before : Set.of();
        String message = report(context.getTestClass().map(Class::getName).orElse(context.getDisplayName()),
                openBefore, unlisted instanceof Long ? (Long) unlisted : 0);
        if (message != null) {
            throw new AssertionError(message);
        }
    }

    /** The pools open now, by identity. */
    static Set<PoolResource> openPools() {
        Set<PoolResource> open = Collections.newSetFromMap(new IdentityHashMap<>());
        open.addAll(PoolResource.open());
        return open;
    }

    /**
     * The failure message for the pools open now that are not in {@code openBefore}, or null if there are none.
     *
     * @param testClass the name the message gives the guarded class
     */
    static String report(String testClass, Set<PoolResource> openBefore) {
        return report(testClass, openBefore, Long.MAX_VALUE);
    }

    /**
     * As {@link #report(String, Set)}, also counting the open pools that never needed native memory (they hold none
     * and are not listed by name, see {@code PoolResource}): more of them than {@code unlistedBefore} is a leak too.
     */
    static String report(String testClass, Set<PoolResource> openBefore, long unlistedBefore) {
        List<PoolResource> leaked = new ArrayList<>();
        for (PoolResource pool : PoolResource.open()) {
            if (!openBefore.contains(pool)) {
                leaked.add(pool);
            }
        }
        long unlisted = Math.max(0, PoolResource.unlistedOpenCount() - unlistedBefore);
        if (leaked.isEmpty() && unlisted == 0) {
            return null;
        }
        leaked.sort((a, b) -> Long.compare(a.id(), b.id())); // each thread's pools in the order it opened them
        long total = leaked.size() + unlisted;
        StringBuilder out = new StringBuilder("NativeLeakCheck: ").append(total)
                .append(total == 1 ? " pool" : " pools").append(" opened during ").append(testClass)
                .append(total == 1 ? " is" : " are").append(" still open:");
        if (unlisted > 0) {
            out.append("\n  ").append(unlisted).append(unlisted == 1 ? " pool" : " pools")
                    .append(" never used (no native memory; run with -Dcymem4j.leakDetection=full to list each with"
                            + " its creation site)");
        }
        for (PoolResource pool : leaked) {
            long[] stats = pool.stats();
            if (stats == null) {
                continue; // closed meanwhile
            }
            out.append("\n  ").append(LeakReports.describe(pool, stats)).append(", ").append(site(pool));
        }
        return out.toString();
    }

    /** {@code opened at <first frame outside cymem4j>}, or how to get the site recorded. */
    private static String site(PoolResource pool) {
        Throwable site = pool.site();
        if (site == null) {
            return "creation site not recorded (run with -Dcymem4j.leakDetection=full)";
        }
        StackTraceElement[] frames = site.getStackTrace();
        for (StackTraceElement frame : frames) {
            if (!isLibrary(frame.getClassName())) {
                return "opened at " + frame;
            }
        }
        return frames.length > 0 ? "opened at " + frames[frames.length - 1] : "creation site unknown";
    }

    /** True for a class of cymem4j itself (loaded from where {@link Pools} was), not of the code under test. */
    private static boolean isLibrary(String className) {
        if (!className.startsWith("org.cymem4j.")) {
            return false;
        }
        if (className.startsWith("org.cymem4j.internal.")) {
            return true;
        }
        try {
            Class<?> c = Class.forName(className, false, NativeLeakCheck.class.getClassLoader());
            return Objects.equals(codeSource(c), codeSource(Pools.class));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String codeSource(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? null : source.getLocation().toString();
    }
}
