package org.cymem4j.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link AllocFree}'s pool pairs at 64 B, and a three-size mix, in a JVM where the block cache is off
 * ({@code -Dcymem4j.blockCache=false}): every alloc and free goes to C, as before issue 20's cache. The before
 * beside {@link AllocFree#poolConfined} and {@link AllocFreeMixed} in the same run, and the confined pool's C path
 * that {@code poolShared} takes every time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dcymem4j.blockCache=false"})
public class AllocFreeUncached {
    @Benchmark
    public long poolConfined(PoolPair pools) {
        return PoolPair.pair(pools.confined, 64);
    }

    @Benchmark
    public long poolShared(PoolPair pools) {
        return PoolPair.pair(pools.shared, 64);
    }

    @Benchmark
    public long poolConfinedMixed(PoolPair pools) {
        return AllocFreeMixed.mix(pools.confined);
    }
}
