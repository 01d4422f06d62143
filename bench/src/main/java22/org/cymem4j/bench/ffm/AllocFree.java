package org.cymem4j.bench.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The FFM baselines of {@code org.cymem4j.bench.AllocFree} (JDK 22+): an arena opened, one zeroed block allocated
 * and the arena closed, and a downcall of libc {@code calloc} + {@code free}; ns per pair. bench/render.py shows
 * them in the same table as the pool (the {@code ffm.} package is dropped from the row keys).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class AllocFree {
    @Param({"16", "64", "1024", "65536"})
    public int size;

    @Benchmark
    public long arenaConfined() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(size);
            return s.address();
        }
    }

    @Benchmark
    public long arenaShared() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = arena.allocate(size);
            return s.address();
        }
    }

    @Benchmark
    public long ffmCalloc() {
        long p = Libc.calloc(1, size);
        Libc.free(p);
        return p;
    }
}
