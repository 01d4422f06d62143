package org.cymem4j;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Run in a child JVM by {@link LazyPoolTest} (a forgotten pool that never allocated stays counted for the rest of
 * the JVM, which the test JVM's own leak checks must not see): forgets one pool that never allocated and one that
 * did, collects, and prints what the counts and the log say.
 */
public final class LazyPoolMain {
    private static int leakLogs;

    private LazyPoolMain() {
    }

    @SuppressWarnings("resource")
    private static void forget() {
        Pool.open();                 // never used: nothing native
        Pool.open().alloc(2, 32);    // used: a C pool, one 64-byte block
    }

    public static void main(String[] args) throws InterruptedException {
        Logger.getLogger("org.cymem4j").addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage().startsWith("cymem4j leak")) {
                    leakLogs++;
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        Pools.setLeakDetection(LeakDetection.DISABLED);
        forget();
        System.out.println("before gc: open=" + Pools.openCount() + " blocks=" + Pools.liveBlocks());
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Pools.closedByCleaner() == 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        for (int i = 0; i < 5; i++) { // time for a second (wrong) release to show up
            System.gc();
            Thread.sleep(20);
        }
        System.out.println("after gc: open=" + Pools.openCount() + " blocks=" + Pools.liveBlocks() + " cleaned="
                + Pools.closedByCleaner() + " leakLogs=" + leakLogs);
        try {
            Pools.assertAllClosed();
        } catch (IllegalStateException e) {
            System.out.println(e.getMessage());
        }
    }
}
