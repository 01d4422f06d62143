package org.cymem4j.bench.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.SegmentAllocator;
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

/**
 * The FFM baselines of {@code org.cymem4j.bench.Batch} (JDK 22+): 1000 zeroed blocks of 64 bytes, then release them
 * all, ns per block. {@code slicingAllocator} is the bump-pointer limit of issue 20: one confined arena, one zeroed
 * segment of 1000 x 64 bytes from it, 1000 slices of 64 bytes handed out by
 * {@link SegmentAllocator#slicingAllocator}, then the arena closed; the arena and the segment (zeroed by the arena)
 * are inside the measured code, as the pool's {@code open()} and {@code close()} are.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class Batch {
    static final int N = 1000;
    static final int SIZE = 64;

    private final long[] addresses = new long[N];

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

    @Benchmark
    @OperationsPerInvocation(N)
    public long slicingAllocator() {
        long last = 0;
        try (Arena arena = Arena.ofConfined()) {
            SegmentAllocator slices = SegmentAllocator.slicingAllocator(arena.allocate((long) N * SIZE));
            for (int i = 0; i < N; i++) {
                last = slices.allocate(SIZE).address();
            }
        }
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long ffmCalloc() {
        for (int i = 0; i < N; i++) {
            addresses[i] = Libc.calloc(1, SIZE);
        }
        for (int i = 0; i < N; i++) {
            Libc.free(addresses[i]);
        }
        return addresses[N - 1];
    }
}
