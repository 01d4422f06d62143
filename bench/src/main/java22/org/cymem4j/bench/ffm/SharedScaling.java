package org.cymem4j.bench.ffm;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reference for {@code org.cymem4j.bench.SharedScaling} (JDK 22+): {@code Arena.ofConfined()} + {@code allocate(64)}
 * + {@code close()} per operation on one thread and on two, operations per microsecond summed over the threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class SharedScaling {
    static final int SIZE = 64;

    private static long pair() {
        try (Arena arena = Arena.ofConfined()) {
            return arena.allocate(SIZE).address();
        }
    }

    @Benchmark
    @Threads(1)
    public long arena1() {
        return pair();
    }

    @Benchmark
    @Threads(2)
    public long arena2() {
        return pair();
    }
}
