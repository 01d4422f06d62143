package org.cymem4j;

/**
 * Run in a child JVM by {@link AllocatorConfigTest}: opens a pool with the configured default allocator, allocates
 * 8 MiB, and prints the allocator's name and whether its backend's own counter grew by that much (the proof that
 * the memory came from the configured library, not just that a name was set).
 */
public final class AllocatorConfigMain {
    private AllocatorConfigMain() {
    }

    public static void main(String[] args) {
        try (Pool pool = Pool.open()) {
            Allocator a = Allocator.defaultAllocator();
            long before = a.backendAllocatedBytes();
            long p = pool.alloc(8, 1 << 20);
            long after = a.backendAllocatedBytes();
            System.out.println("allocator=" + pool.allocatorName() + " counted=" + (before >= 0 && after - before >= (8 << 20))
                    + " usable=" + (Allocator.usableSize(pool, p) >= (8 << 20)));
        } catch (RuntimeException e) {
            System.out.println("failed: " + e.getMessage());
            System.exit(3);
        }
    }
}
