package org.cymem4j.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.cymem4j.LeakDetection;
import org.cymem4j.Pool;
import org.cymem4j.Pools;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each {@link LeakDetection} level costs, in ns per operation. The level is consulted when a pool opens
 * (sampled: a counter increment, and a stack walk for 1 pool in 128; full: a stack walk per pool), never on
 * {@code alloc}/{@code free}: {@link #allocFree} shows the block path is the same at every level, and
 * {@link #openAllocFreeClose} shows the per-pool price, which is where {@code sampled} must stay within 5 % of
 * {@code disabled}. {@link #limitedAllocFree} is the same block path on a pool with a byte limit (checked in C).
 * Allocations stay below the JFR large-allocation threshold, and no recording runs, as in production.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class LeakDetectionBench {
    @Param({"disabled", "sampled", "full"})
    public String level;

    private Pool pool;
    private Pool limited;

    @Setup
    public void open() {
        Pools.setLeakDetection(LeakDetection.valueOf(level.toUpperCase(Locale.ROOT)));
        pool = Pool.open();
        limited = Pool.builder().limit(1L << 30).open();
    }

    @TearDown
    public void close() {
        pool.close();
        limited.close();
    }

    @Benchmark
    public long allocFree() {
        long p = pool.alloc(1, 64);
        pool.free(p);
        return p;
    }

    @Benchmark
    public long limitedAllocFree() {
        long p = limited.alloc(1, 64);
        limited.free(p);
        return p;
    }

    @Benchmark
    public long openAllocFreeClose() {
        try (Pool p = Pool.open()) {
            long a = p.alloc(1, 64);
            p.free(a);
            return a;
        }
    }
}
