package org.cymem4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link JemallocTest}: opens a pool with the configured default allocator, allocates 8 MiB and
 * prints whether jemalloc's own counter ({@code mallctl("stats.allocated")}) grew by that much and its
 * {@code malloc_usable_size} knows the block (the proof that the memory came from jemalloc), which jemalloc file the
 * process mapped (LWJGL's, extracted from the class path, or Debian's {@code libjemalloc.so.2}), and whether the JVM
 * had {@code GLIBC_TUNABLES}.
 */
public final class JemallocMain {
    private JemallocMain() {
    }

    public static void main(String[] args) throws IOException {
        try (Pool pool = Pool.open()) {
            Allocator a = Allocator.defaultAllocator();
            long before = a.backendAllocatedBytes();
            long p = pool.alloc(8, 1 << 20);
            long after = a.backendAllocatedBytes();
            long usable = Allocator.usableSize(pool, p);
            String library = "none";
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                if (line.endsWith("/libjemalloc.so") && line.contains("/jemalloc-")) {
                    library = library.equals("none") ? "maven" : library + "+maven";
                } else if (line.endsWith("/libjemalloc.so.2") && !library.contains("debian")) {
                    library = library.equals("none") ? "debian" : library + "+debian";
                }
                if (library.contains("maven") && line.endsWith("/libjemalloc.so")) {
                    break; // each file has several mappings; one is enough
                }
            }
            System.out.println("allocator=" + pool.allocatorName() + " counted=" + (before >= 0
                    && after - before >= (8 << 20)) + " usable=" + (usable >= (8 << 20)) + " library=" + library
                    + " tunables=" + (System.getenv("GLIBC_TUNABLES") == null ? "unset" : "set"));
        } catch (RuntimeException e) {
            System.out.println("failed: " + e.getMessage());
            System.exit(3);
        }
    }
}
