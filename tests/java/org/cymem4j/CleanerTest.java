package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.cymem4j.testing.LogCapture;
import org.junit.jupiter.api.Test;

class CleanerTest {

    /** Opens a pool with blocks and an attached resource, and drops it without close(). */
    private static void leakAPool(List<String> closed) {
        Pool pool = Pool.open();
        pool.alloc(3, 64);
        pool.alloc(1, 8);
        pool.attach(() -> closed.add("attached"));
    }

    /** Collects garbage until the Cleaner released one more pool than {@code cleanedBefore}, or 20 s passed. */
    static void awaitCleaner(long cleanedBefore) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Pools.closedByCleaner() == cleanedBefore && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
    }

    @Test
    void shouldFreeAnUnreachablePoolAndSaySo() throws InterruptedException {
        LeakDetection level = Pools.leakDetection();
        Pools.setLeakDetection(LeakDetection.DISABLED);
        try (LogCapture log = LogCapture.start()) { // the expected leak warning goes to the capture, not the console
            long cleanedBefore = Pools.closedByCleaner();
            int openBefore = Pools.openCount();
            List<String> closed = new ArrayList<>();
            leakAPool(closed);
            assertEquals(openBefore + 1, Pools.openCount());
            awaitCleaner(cleanedBefore);
            assertEquals(cleanedBefore + 1, Pools.closedByCleaner());
            assertEquals(openBefore, Pools.openCount());
            assertEquals(List.of("attached"), closed);

            LogRecord leak = log.records().stream().filter(r -> r.getMessage().startsWith("cymem4j leak")).findFirst()
                    .orElseThrow();
            assertEquals(Level.WARNING, leak.getLevel());
            assertTrue(leak.getMessage().matches("(?s)cymem4j leak: Pool#\\d+ \\(confined, system allocator, 2 blocks, "
                    + "200 bytes\\); peak 200 bytes, 2 allocs, 0 frees, 0 failed; it became unreachable without "
                    + "close\\(\\) and the Cleaner freed it\\. creation site not recorded \\(level disabled; run with "
                    + "-Dcymem4j.leakDetection=full to record every site\\)"), leak.getMessage());
        } finally {
            Pools.setLeakDetection(level);
        }
    }

    @Test
    void shouldListOpenPoolsWhenAssertingAllClosed() {
        try (Pool pool = Pool.open()) {
            pool.alloc(1, 16);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    Pools::assertAllClosed);
            assertTrue(e.getMessage().startsWith("1 pool(s) still open:\n  Pool#"), e.getMessage());
            assertTrue(e.getMessage().contains("1 blocks, 16 bytes"), e.getMessage());
        }
        Pools.assertAllClosed();
    }
}
