package org.cymem4j;

/**
 * Run in a child JVM by {@link SharedDefaultTest} with {@code mimalloc-heap} as the configured default: opens a
 * confined pool and a shared one without naming an allocator, uses the shared one from another thread, and prints
 * which allocator each got and whether the shared pool's block came from mimalloc.
 */
public final class SharedDefaultMain {
    private SharedDefaultMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Pool confined = Pool.open(); Pool shared = Pool.openShared()) {
            long[] fromOtherThread = new long[1];
            Thread t = new Thread(() -> fromOtherThread[0] = shared.alloc(1, 1 << 20));
            t.start();
            t.join();
            long usable = Allocator.usableSize(shared, fromOtherThread[0]);
            System.out.println("confined=" + confined.allocatorName() + " shared=" + shared.allocatorName()
                    + " usable=" + (usable >= 1 << 20) + " default=" + Allocator.defaultAllocator().name());
        } catch (RuntimeException e) {
            System.out.println("failed: " + e);
            System.exit(3);
        }
    }
}
