package org.cymem4j.bench;

import java.util.concurrent.TimeUnit;

import org.cymem4j.Pool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Not one size over and over: 64, 200 and 300 bytes live at once, freed out of order, then a 10 KB block (a table
 * block the cache never keeps) allocated and freed while small blocks are kept; ns per round of 4 allocs and 4 frees.
 * {@link AllocFreeUncached#poolConfinedMixed} is the same round with the block cache off.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class AllocFreeMixed {
    static long mix(Pool pool) {
        long a = pool.alloc(1, 64);
        long b = pool.alloc(1, 200);
        pool.free(a);
        long c = pool.alloc(1, 300);
        long big = pool.alloc(1, 10_000);
        pool.free(b);
        pool.free(big);
        pool.free(c);
        return a ^ b ^ c ^ big;
    }

    @Benchmark
    public long poolConfinedMixed(PoolPair pools) {
        return mix(pools.confined);
    }
}
