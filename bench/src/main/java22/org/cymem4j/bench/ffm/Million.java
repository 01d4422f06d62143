package org.cymem4j.bench.ffm;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The FFM arena beside {@code org.cymem4j.bench.Million} (JDK 22+): 1,000,000 x 64 B, then close; ns per block. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class Million {
    static final int N = 1_000_000;
    static final int SIZE = 64;

    @Benchmark
    @OperationsPerInvocation(N)
    public long arenaConfined() {
        long last = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < N; i++) {
                last = arena.allocate(SIZE).address();
            }
        }
        return last;
    }
}
