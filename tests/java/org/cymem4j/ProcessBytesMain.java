package org.cymem4j;

/** Run in a child JVM by {@link ProcessBytesTest}: with -Dcymem4j.processBytes=true, the very first pool counts. */
public final class ProcessBytesMain {
    private ProcessBytesMain() {
    }

    public static void main(String[] args) {
        try (Pool pool = Pool.open()) {
            pool.free(pool.alloc(3, 1 << 20));
        }
        System.out.println("peak=" + Pools.stats().peakBytes());
    }
}
