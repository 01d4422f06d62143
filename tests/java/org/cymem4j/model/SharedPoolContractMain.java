package org.cymem4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.cymem4j.Allocator;
import org.cymem4j.Block;
import org.cymem4j.Pool;

/**
 * Child-JVM program for {@link PoolContractTest}: four threads allocate, write, read and free through one shared
 * pool over the allocator the system property {@value #PROPERTY} names ({@code Allocator.of} values, or {@code
 * failing}). In its own JVM because threads that used a loaded backend leave its per-thread caches behind, which
 * AllocatorTest's "memory really comes from the library" counters then see. Prints {@code SHARED OK <blocks left>}; a
 * missing backend library throws, naming the Debian package.
 */
public final class SharedPoolContractMain {
    static final String PROPERTY = "cymem4j.model.allocator";

    private SharedPoolContractMain() {
    }

    public static void main(String[] args) throws Exception {
        String value = System.getProperty(PROPERTY);
        if (!value.equals("failing")) {
            System.setProperty(Allocator.PROPERTY, value); // parsed as configuration is: debug:<inner>, path:...
        }
        Allocator a = value.equals("failing")
                ? Allocator.failing(Allocator.system(), Allocator.FailurePlan.nthCall(1_000_000))
                : Allocator.defaultAllocator();
        try (Pool pool = Pool.openShared(a)) {
            List<CompletableFuture<Long>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                jobs.add(CompletableFuture.supplyAsync(() -> {
                    long sum = 0;
                    for (int i = 0; i < 2000; i++) {
                        long p = pool.alloc(1 + (i + seed) % 100, 8);
                        Block b = pool.block(p);
                        b.putLong(0, i);
                        sum += b.getLong(0);
                        if (i % 3 != 0) {
                            pool.free(p);
                        }
                    }
                    return sum;
                }, c -> new Thread(c, "pool-contract-" + seed).start()));
            }
            for (CompletableFuture<Long> j : jobs) {
                long sum = j.get();
                if (sum != 1999L * 2000 / 2) {
                    throw new AssertionError("a thread read back " + sum);
                }
            }
            System.out.println("SHARED OK " + pool.liveBlocks());
        }
    }
}
