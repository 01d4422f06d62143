package org.cymem4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.cymem4j.Pool;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryUtil;

/**
 * Resident memory per live 64-byte block with 1,000,000 blocks live (issue 20: at most 80 B). Not JMH: one mechanism
 * per JVM, started by bench/run.sh as {@code java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseSerialGC -cp
 * benchmarks.jar org.cymem4j.bench.Resident MODE} ({@code ffm.ResidentArena} for the FFM arena). Prints one JSON line.
 * <p>
 * Method: the Java heap is fixed and pre-touched, so its pages are resident before the first reading and heap use
 * does not move RSS. The mechanism is warmed up (20 rounds of 10,000 blocks, allocated then released: the JIT compiles
 * the loop; at most 10,000 blocks' memory is left in the allocator's free lists to be reused, under 1% of the
 * measurement). Then RSS is read from {@code /proc/self/smaps_rollup} (exact, unlike the batched counters of
 * {@code /proc/self/status}), 1,000,000 blocks of 64 bytes are allocated and kept live, and RSS is read again:
 * {@code rss_bytes_per_block} is the difference over 1,000,000 (the blocks, the allocator's headers and the pool's
 * address table). {@code heap_bytes_per_block} is the growth of the used Java heap after a full GC (what the
 * mechanism keeps on the heap per block: nothing for the pool and {@code calloc}, the arena's per-allocation
 * bookkeeping). The addresses are kept in a {@code long[]} allocated before the first reading.
 * <p>
 * Modes: {@code pool} ({@code Pool.open()}, {@code alloc(1, 64)}, then {@code close()}), {@code shared}
 * ({@code Pool.openShared()}), {@code calloc} (glibc's chunk: LWJGL's {@code nmemCalloc(1, 64)} with its system
 * allocator, a direct JNI call of {@code calloc}, then {@code nmemFree} each).
 */
public final class Resident {
    static final int N = 1_000_000;
    static final int SIZE = 64;
    static final int WARM_BLOCKS = 10_000;
    static final int WARM_ROUNDS = 20;

    /** A mechanism: a fresh owner of blocks per round. */
    public interface Mechanism {
        /** Starts a round (opens a pool or an arena). */
        void open();

        /** One zeroed block of {@code size} bytes; its address. */
        long alloc(int size);

        /** Releases the round's blocks, whose addresses are {@code addresses[0..count)}. */
        void release(long[] addresses, int count);
    }

    private Resident() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Resident pool|shared|calloc");
        }
        switch (args[0]) {
            case "pool":
                measure("pool", poolMechanism(false));
                break;
            case "shared":
                measure("shared", poolMechanism(true));
                break;
            case "calloc":
                measure("calloc", callocMechanism());
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + args[0] + " (pool, shared, calloc)");
        }
    }

    static Mechanism poolMechanism(boolean shared) {
        return new Mechanism() {
            private Pool pool;

            @Override
            public void open() {
                pool = shared ? Pool.openShared() : Pool.open();
            }

            @Override
            public long alloc(int size) {
                return pool.alloc(1, size);
            }

            @Override
            public void release(long[] addresses, int count) {
                pool.close();
            }
        };
    }

    static Mechanism callocMechanism() {
        Configuration.MEMORY_ALLOCATOR.set("system");
        return new Mechanism() {
            @Override
            public void open() {
            }

            @Override
            public long alloc(int size) {
                long p = MemoryUtil.nmemCalloc(1, size);
                if (p == 0) {
                    throw new OutOfMemoryError("calloc(1, " + size + ")");
                }
                return p;
            }

            @Override
            public void release(long[] addresses, int count) {
                for (int i = 0; i < count; i++) {
                    MemoryUtil.nmemFree(addresses[i]);
                }
            }
        };
    }

    /** Measures one mechanism in this JVM and prints its JSON line. */
    public static void measure(String mechanism, Mechanism m) {
        long[] addresses = new long[N];
        for (int round = 0; round < WARM_ROUNDS; round++) {
            m.open();
            for (int i = 0; i < WARM_BLOCKS; i++) {
                addresses[i] = m.alloc(SIZE);
            }
            m.release(addresses, WARM_BLOCKS);
        }
        settle();
        long heap0 = usedHeap();
        long rss0 = rssBytes();
        m.open();
        for (int i = 0; i < N; i++) {
            addresses[i] = m.alloc(SIZE);
        }
        long rss1 = rssBytes();
        settle();
        long heap1 = usedHeap();
        System.out.println(String.format(Locale.ROOT,
                "{\"mechanism\": \"%s\", \"java\": \"%s\", \"blocks\": %d, \"size\": %d, "
                        + "\"rss_bytes_per_block\": %.2f, \"heap_bytes_per_block\": %.2f, \"rss_before_kib\": %d}",
                mechanism, System.getProperty("java.specification.version"), N, SIZE,
                (rss1 - rss0) / (double) N, (heap1 - heap0) / (double) N, rss0 / 1024));
        m.release(addresses, N);
    }

    private static void settle() {
        System.gc();
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The process's resident set, from {@code /proc/self/smaps_rollup}. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
                if (line.startsWith("Rss:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no Rss line in /proc/self/smaps_rollup");
    }
}
