package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cymem4j.internal.LeakReports;
import org.cymem4j.internal.Settings;
import org.junit.jupiter.api.AfterEach;
import org.cymem4j.testing.LogCapture;
import org.junit.jupiter.api.Test;

class LeakDetectionTest {
    private final LeakDetection before = Pools.leakDetection();

    @AfterEach
    void restoreLevel() {
        Pools.setLeakDetection(before);
    }

    /** The startup parsing (internal: configuration parsing is not public API), seen as the public level. */
    private static LeakDetection parse(String leakDetection, boolean leakSites) {
        return LeakDetection.valueOf(Settings.leakDetection(leakDetection, leakSites).name());
    }

    @Test
    void publicLevelsAreTheInternalOnesByName() {
        assertEquals(java.util.Arrays.stream(LeakReports.Level.values()).map(Enum::name).toList(),
                java.util.Arrays.stream(LeakDetection.values()).map(Enum::name).toList());
    }

    @Test
    void shouldDefaultToSampled() {
        assertEquals(LeakDetection.SAMPLED, parse(null, false));
        assertEquals(LeakDetection.SAMPLED, parse("", false));
    }

    @Test
    void shouldParseLevelsIgnoringCase() {
        assertEquals(LeakDetection.DISABLED, parse("disabled", false));
        assertEquals(LeakDetection.SAMPLED, parse("Sampled", false));
        assertEquals(LeakDetection.FULL, parse(" FULL ", false));
    }

    @Test
    void shouldTreatLeakSitesTrueAsFullUnlessALevelIsGiven() {
        assertEquals(LeakDetection.FULL, parse(null, true));
        assertEquals(LeakDetection.DISABLED, parse("disabled", true));
    }

    @Test
    void shouldRejectAnUnknownLevelNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("paranoid", false));
        assertEquals("-Dcymem4j.leakDetection=paranoid is not a level; use disabled, sampled or full", e.getMessage());
    }

    @Test
    void shouldRecordTheCreationSiteOfEveryPoolWhenFull() {
        Pools.setLeakDetection(LeakDetection.FULL);
        try (Pool pool = Pool.open()) {
            pool.alloc(2, 8);
            String message = assertThrows(IllegalStateException.class, Pools::assertAllClosed).getMessage();
            assertTrue(message.startsWith("1 pool(s) still open:\n  " + pool.resource.name()
                    + " (confined, system allocator, 1 blocks, 16 bytes); created at:\n    \tat org.cymem4j.Pool.open("),
                    message);
            assertTrue(message.contains("at org.cymem4j.LeakDetectionTest.shouldRecordTheCreationSiteOfEveryPoolWhenFull("),
                    message);
        }
    }

    @Test
    void shouldRecordNoSiteWhenDisabled() {
        Pools.setLeakDetection(LeakDetection.DISABLED);
        try (Pool pool = Pool.open(); Pool unused = Pool.open()) {
            pool.alloc(1, 8); // a pool that never allocated holds nothing native: counted, not listed by name
            assertTrue(unused.isOpen());
            String message = assertThrows(IllegalStateException.class, Pools::assertAllClosed).getMessage();
            assertEquals("2 pool(s) still open:\n  1 pool(s) never used (no native memory, no creation site)\n  "
                    + pool.resource.name() + " (confined, system allocator, 1 blocks, 8 bytes); creation site not recorded"
                    + " (level disabled; run with -Dcymem4j.leakDetection=full to record every site)", message);
        }
    }

    @Test
    void shouldRecordOnePoolIn128WhenSampled() {
        Pools.setLeakDetection(LeakDetection.SAMPLED);
        List<Pool> pools = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * LeakDetection.SAMPLING_INTERVAL; i++) {
                pools.add(Pool.open());
            }
            String message = assertThrows(IllegalStateException.class, Pools::assertAllClosed).getMessage();
            // The two sampled pools make their C pools at once (so a Cleaner can report their sites); the others,
            // never used, are counted on one line.
            assertTrue(message.startsWith("256 pool(s) still open:\n  254 pool(s) never used (no native memory, no "
                    + "creation site)\n"), message);
            assertEquals(2, count(message, "; created at:"), message);
        } finally {
            pools.forEach(Pool::close);
        }
    }

    /**
     * Sampling is capped (issue 20): a process opening pools fast records at most MAX_SAMPLES_PER_SECOND sites a
     * second; the pools past the cap stay lazy, like unsampled ones.
     */
    @Test
    void shouldRecordAtMostTheCapOfSampledSitesASecond() {
        Pools.setLeakDetection(LeakDetection.SAMPLED); // a new second of samples starts at the first one
        int cap = LeakReports.MAX_SAMPLES_PER_SECOND;
        int candidates = cap + 200; // pools numbered 1 + k * 128 among those opened below
        int opened = candidates * LeakDetection.SAMPLING_INTERVAL;
        List<Pool> pools = new ArrayList<>(opened);
        try {
            long start = System.nanoTime();
            for (int i = 0; i < opened; i++) {
                pools.add(Pool.open());
            }
            long elapsed = System.nanoTime() - start;
            String message = assertThrows(IllegalStateException.class, Pools::assertAllClosed).getMessage();
            int sites = count(message, "; created at:");
            if (elapsed < 1_000_000_000L) {
                assertEquals(cap, sites, "every sample within one second");
            } else { // a slow machine: one more second's cap per second the loop took
                assertTrue(sites >= cap && sites <= cap * (1 + elapsed / 1_000_000_000L), sites + " sites");
            }
            assertTrue(message.startsWith(opened + " pool(s) still open:\n  " + (opened - sites)
                    + " pool(s) never used (no native memory, no creation site)\n"),
                    message.substring(0, Math.min(200, message.length())));
        } finally {
            pools.forEach(Pool::close);
        }
    }

    /** Opens a pool with blocks and drops it without close(). */
    private static void leakAPool() {
        Pool pool = Pool.open();
        pool.alloc(3, 64);
        long p = pool.alloc(1, 8);
        pool.free(p);
    }

    @Test
    void shouldReportACleanerReleaseOnceWithItsStatsAndCreationSite() throws InterruptedException {
        Pools.setLeakDetection(LeakDetection.FULL);
        try (LogCapture log = LogCapture.start()) {
            long cleanedBefore = Pools.closedByCleaner();
            leakAPool();
            CleanerTest.awaitCleaner(cleanedBefore);
            List<LogRecord> leaks;
            leaks = log.records().stream().filter(r -> r.getMessage().startsWith("cymem4j leak")).toList();
            assertEquals(1, leaks.size());
            LogRecord leak = leaks.get(0);
            assertEquals(Level.WARNING, leak.getLevel());
            assertTrue(leak.getMessage().matches("(?s)cymem4j leak: Pool#\\d+ \\(confined, system allocator, 1 blocks, "
                    + "192 bytes\\); peak 200 bytes, 2 allocs, 1 frees, 0 failed; it became unreachable without close\\(\\) "
                    + "and the Cleaner freed it\\. created at:\n\tat org\\.cymem4j\\.Pool\\.open\\(Pool\\.java:\\d+\\)\n"
                    + "\tat org\\.cymem4j\\.LeakDetectionTest\\.leakAPool\\(LeakDetectionTest\\.java:\\d+\\)\n.*"),
                    leak.getMessage());
        }
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
