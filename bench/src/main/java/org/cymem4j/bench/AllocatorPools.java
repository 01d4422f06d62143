package org.cymem4j.bench;

import java.util.concurrent.TimeUnit;

import org.cymem4j.Allocator;
import org.cymem4j.Pool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pools over the named allocator backends ({@link Allocator#named}, loaded with {@code dlopen}, the process's own
 * {@code malloc} untouched): alloc+free of one zeroed block (ns per pair) and 1000 x 64 B then {@code close()} (ns per
 * block). {@code mimalloc-heap} gives each pool its own {@code mi_heap}, so its {@code close()} is one
 * {@code mi_heap_destroy}. A backend that cannot be loaded here (jemalloc needs static TLS that a JVM has usually
 * used up) fails its set-up, and JMH reports that and goes on.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class AllocatorPools {
    static final int N = 1000;

    @Param({"system", "jemalloc", "mimalloc", "mimalloc-heap"})
    public String allocator;

    @Param({"16", "64", "1024", "65536"})
    public int size;

    private Allocator backend;
    private Pool pool;

    @Setup
    public void open() {
        backend = Allocator.named(allocator);
        pool = Pool.open(backend);
    }

    @TearDown
    public void close() {
        pool.close();
    }

    @Benchmark
    public long allocFree() {
        long p = pool.alloc(1, size);
        pool.free(p);
        return p;
    }

    /** 1000 blocks of {@code size} bytes in a new pool, then {@code close()}: ns per block. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long batchThenClose() {
        long last = 0;
        try (Pool p = Pool.open(backend)) {
            for (int i = 0; i < N; i++) {
                last = p.alloc(1, size);
            }
        }
        return last;
    }
}
