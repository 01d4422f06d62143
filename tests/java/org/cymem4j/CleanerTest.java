package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

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
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger jul = Logger.getLogger("org.cymem4j");
        jul.addHandler(capture);
        jul.setUseParentHandlers(false); // the expected leak warning goes to the capture, not the console
        LeakDetection level = Pools.leakDetection();
        Pools.setLeakDetection(LeakDetection.DISABLED);
        try {
            long cleanedBefore = Pools.closedByCleaner();
            int openBefore = Pools.openCount();
            List<String> closed = new ArrayList<>();
            leakAPool(closed);
            assertEquals(openBefore + 1, Pools.openCount());
            awaitCleaner(cleanedBefore);
            assertEquals(cleanedBefore + 1, Pools.closedByCleaner());
            assertEquals(openBefore, Pools.openCount());
            assertEquals(List.of("attached"), closed);
            LogRecord leak;
            synchronized (records) {
                leak = records.stream().filter(r -> r.getMessage().startsWith("cymem4j leak")).findFirst().orElseThrow();
            }
            assertEquals(Level.WARNING, leak.getLevel());
            assertTrue(leak.getMessage().matches("(?s)cymem4j leak: Pool#\\d+ \\(confined, system allocator, 2 blocks, "
                    + "200 bytes\\); peak 200 bytes, 2 allocs, 0 frees, 0 failed; it became unreachable without "
                    + "close\\(\\) and the Cleaner freed it\\. creation site not recorded \\(level disabled; run with "
                    + "-Dcymem4j.leakDetection=full to record every site\\)"), leak.getMessage());
        } finally {
            Pools.setLeakDetection(level);
            jul.removeHandler(capture);
            jul.setUseParentHandlers(true);
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
