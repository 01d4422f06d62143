package org.cymem4j.bench;

import java.util.concurrent.TimeUnit;

import org.cymem4j.Pool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Does a shared pool scale with threads? alloc(1, 64) + free pairs per microsecond, JMH throughput mode, which sums the
 * operations of all the benchmark's threads: {@code shared1} is one thread on one {@code Pool.openShared()},
 * {@code shared2} two threads on the same pool (one {@code Scope.Benchmark} state), so shared2 / shared1 is the
 * total-throughput scaling of issue 20 (target at least 1.6). For reference, {@code confined1}/{@code confined2}: one
 * confined pool per thread ({@code Scope.Thread}, opened by its thread), which shares nothing but the allocator.
 * The thread counts are fixed by {@code @Threads}; do not pass {@code -t}. Release 17: runs on JDK 17 too.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class SharedScaling {
    static final int SIZE = 64;

    /** One shared pool for all of a benchmark's threads. */
    @State(Scope.Benchmark)
    public static class SharedPool {
        Pool pool;

        @Setup
        public void open() {
            pool = Pool.openShared();
        }

        @TearDown
        public void close() {
            pool.close();
        }
    }

    /** One confined pool per thread, opened and closed by that thread. */
    @State(Scope.Thread)
    public static class OwnPool {
        Pool pool;

        @Setup
        public void open() {
            pool = Pool.open();
        }

        @TearDown
        public void close() {
            pool.close();
        }
    }

    private static long pair(Pool pool) {
        long p = pool.alloc(1, SIZE);
        pool.free(p);
        return p;
    }

    @Benchmark
    @Threads(1)
    public long shared1(SharedPool s) {
        return pair(s.pool);
    }

    @Benchmark
    @Threads(2)
    public long shared2(SharedPool s) {
        return pair(s.pool);
    }

    @Benchmark
    @Threads(1)
    public long confined1(OwnPool s) {
        return pair(s.pool);
    }

    @Benchmark
    @Threads(2)
    public long confined2(OwnPool s) {
        return pair(s.pool);
    }
}
